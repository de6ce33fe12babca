import type { Tensor4D } from '@tensorflow/tfjs-core'
import { availableParallelism } from 'node:os'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAdam } from '../../../src/main/training/adam'
import { initBackend, tf } from '../../../src/main/training/backend'
import { helperEntry } from '../../../src/main/training/data-parallel'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { splitIndices } from '../../../src/main/training/datasets/split'
import { fusedConv2d, fusedMaxPool } from '../../../src/main/training/kernels/conv'
import { instantiateKernels, type WasmApi } from '../../../src/main/training/kernels/wasm-kernels'
import { buildModel } from '../../../src/main/training/model-factory'
import { trainModel } from '../../../src/main/training/trainer'
import type { EpochMetrics } from '../../../src/shared/runs'
import { getPreset } from '../../../src/shared/presets'

// What an engine without WebAssembly SIMD gets: no Sinapse kernels, tfjs's own everywhere. Vitest
// runs each file in its own process, so this switch stays in this file.
process.env.SINAPSE_WASM_KERNELS = 'off'

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm')
})

describe('without the Sinapse wasm kernels', () => {
  it('cannot instantiate them on an engine whose compiler rejects the module (no SIMD)', () => {
    const real = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly
    const memory = new (real.Memory as unknown as new (d: { initial: number }) => object)({
      initial: 1,
    })
    const noSimd: WasmApi = {
      Memory: real.Memory,
      Module: class {
        constructor() {
          throw new Error('CompileError: invalid value type v128')
        }
      },
      Instance: real.Instance,
    }
    expect(instantiateKernels(memory, noSimd)).toBeNull()
    expect(instantiateKernels(memory, real)).not.toBeNull()
    expect(instantiateKernels({}, real)).toBeNull()
  })

  it('falls back to tfjs: no fused ops, tfjs Adam, and LeNet still trains', async () => {
    const x = tf.zeros([1, 8, 8, 1]) as Tensor4D
    const f = tf.zeros([3, 3, 1, 2]) as Tensor4D
    expect(fusedConv2d(tf, x, f, null, [1, 1], 'same', true)).toBeNull()
    expect(fusedMaxPool(tf, x, [2, 2], [2, 2], 'valid')).toBeNull()
    tf.dispose([x, f])
    const adam = createAdam(tf, { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })
    adam.dispose()
    expect(tf.getKernel('SinapseAdamStep', 'wasm')).toBeUndefined()

    const lenet = getPreset('lenet-cnn')
    const config = { ...lenet.config, epochs: 1, limit: 800 }
    const dataset = await loadDataset('mnist')
    const model = buildModel(tf, lenet.spec, config)
    const epochs: EpochMetrics[] = []
    const result = await trainModel({
      tf,
      model,
      dataset,
      split: splitIndices(dataset.train.count, config),
      config,
      shouldStop: () => false,
      onProgress: () => {},
      onEpoch: (m) => epochs.push(m),
    })
    model.dispose()
    expect(result.status).toBe('completed')
    expect(tf.getKernel('SinapseConv2D', 'wasm')).toBeUndefined()
    expect(epochs[0].valAccuracy).toBeGreaterThan(0.3)
  })

  it('trains on two threads with tfjs kernels in both, repeatably', async () => {
    process.env.SINAPSE_TRAIN_THREADS = '2'
    try {
      const lenet = getPreset('lenet-cnn')
      const config = { ...lenet.config, epochs: 1, limit: 320 }
      const dataset = await loadDataset('mnist')
      const runOnce = async () => {
        const model = buildModel(tf, lenet.spec, config)
        const epochs: EpochMetrics[] = []
        const result = await trainModel({
          tf,
          model,
          dataset,
          split: splitIndices(dataset.train.count, config),
          config,
          shouldStop: () => false,
          onProgress: () => {},
          onEpoch: (m) => epochs.push(m),
          helper: helperEntry(),
        })
        model.dispose()
        return { result, epochs }
      }
      const a = await runOnce()
      const b = await runOnce()
      expect(a.result).toMatchObject({
        status: 'completed',
        threads: availableParallelism() >= 2 ? 2 : 1,
      })
      expect(tf.getKernel('SinapseConv2D', 'wasm')).toBeUndefined()
      expect(b.epochs.map((e) => [e.loss, e.valLoss])).toEqual(
        a.epochs.map((e) => [e.loss, e.valLoss]),
      )
    } finally {
      delete process.env.SINAPSE_TRAIN_THREADS
    }
  })
})

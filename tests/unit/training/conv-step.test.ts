import { beforeAll, afterEach, describe, expect, it } from 'vitest'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { splitIndices } from '../../../src/main/training/datasets/split'
import type { LoadedDataset } from '../../../src/main/training/datasets/types'
import { convFront } from '../../../src/main/training/kernels/conv-step'
import { createDenseStackStep } from '../../../src/main/training/kernels/dense'
import { adamSettings, buildModel } from '../../../src/main/training/model-factory'
import { trainModel } from '../../../src/main/training/trainer'
import type { LayerSpec, ModelSpec, TrainConfig } from '../../../src/shared/model-spec'
import { getPreset } from '../../../src/shared/presets'
import type { EpochMetrics } from '../../../src/shared/runs'

// The fused convolutional training step (kernels/conv-step.ts, kernels/assembly/conv-step.ts)
// against tfjs's own kernels on the cpu backend: same seed, same batches, same weights within
// float tolerance.

let mnist: LoadedDataset
const lenet = getPreset('lenet-cnn')

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm')
  mnist = await loadDataset('mnist')
})

afterEach(async () => {
  await tf.setBackend('wasm')
})

const spec = (...layers: LayerSpec[]): ModelSpec => ({ inputShape: [28, 28, 1], layers })
const conv = (
  filters: number,
  kernelSize: number,
  padding: 'same' | 'valid',
  activation: 'relu' | 'linear' | 'sigmoid' = 'relu',
  strides = 1,
): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize,
  strides,
  padding,
  activation,
  useBias: true,
})
const pool = (size: number, strides = size): LayerSpec => ({
  type: 'maxPooling2d',
  poolSize: size,
  strides,
  padding: 'valid',
})
const flatten: LayerSpec = { type: 'flatten' }
const softmax: LayerSpec = { type: 'dense', units: 10, activation: 'softmax', useBias: true }

async function train(
  backend: 'wasm' | 'cpu',
  modelSpec: ModelSpec,
  overrides: Partial<TrainConfig>,
) {
  await tf.setBackend(backend)
  const config: TrainConfig = { ...lenet.config, limit: 80, epochs: 2, ...overrides }
  const model = buildModel(tf, modelSpec, config)
  const split = splitIndices(mnist.train.count, config)
  const epochs: EpochMetrics[] = []
  const tensors: number[] = []
  try {
    const fused = createDenseStackStep(tf, model, adamSettings(config), config.batchSize)
    const usedFused = fused !== null
    fused?.dispose()
    const result = await trainModel({
      tf,
      model,
      dataset: mnist,
      split,
      config,
      shouldStop: () => false,
      onProgress: () => {},
      onEpoch: (m) => {
        epochs.push(m)
        tensors.push(tf.memory().numTensors)
      },
    })
    const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()))
    return { result, epochs, weights, tensors, usedFused }
  } finally {
    model.dispose()
  }
}

function worstDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0
  a.forEach((values, k) => {
    expect(values.length).toBe(b[k].length)
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[k][i]))))
  })
  return worst
}

describe('fused convolutional training step (wasm)', () => {
  const cases: [string, ModelSpec, Partial<TrainConfig>][] = [
    ['LeNet', lenet.spec, {}],
    [
      "a 'valid' linear convolution without pooling, then 'same' with 3×3 pooling of 26 pixels, " +
        'on batches of 32, 32 and 8',
      spec(conv(3, 3, 'valid', 'linear'), conv(5, 3, 'same'), pool(3), flatten, softmax),
      { limit: 90 },
    ],
  ]
  for (const [name, modelSpec, overrides] of cases) {
    it(`trains ${name} as tfjs's kernels do on the cpu backend`, async () => {
      const fused = await train('wasm', modelSpec, overrides)
      const reference = await train('cpu', modelSpec, overrides)
      expect(fused.usedFused).toBe(true)
      expect(reference.usedFused).toBe(false)
      expect(fused.result.status).toBe('completed')
      expect(worstDifference(fused.weights, reference.weights)).toBeLessThan(5e-5)
      fused.epochs.forEach((e, i) => {
        const r = reference.epochs[i]
        expect(e.loss).toBeCloseTo(r.loss, 4)
        expect(e.accuracy).toBeCloseTo(r.accuracy, 6)
        expect(e.valLoss!).toBeCloseTo(r.valLoss!, 4)
        expect(e.valAccuracy).toBe(r.valAccuracy)
      })
      expect(new Set(fused.tensors).size).toBe(1)
    })
  }

  it('repeats a run exactly with the same seed', async () => {
    const a = await train('wasm', lenet.spec, { epochs: 1 })
    const b = await train('wasm', lenet.spec, { epochs: 1 })
    expect(worstDifference(a.weights, b.weights)).toBe(0)
    expect(a.epochs[0].loss).toBe(b.epochs[0].loss)
  })

  it('applies only to stride-1 convolutions with non-overlapping valid pooling, then Flatten', () => {
    const qualifies = (layers: LayerSpec[]) => {
      const model: LayersModel = buildModel(tf, spec(...layers), lenet.config)
      try {
        return convFront(model) !== null
      } finally {
        model.dispose()
      }
    }
    expect(qualifies([conv(2, 3, 'valid'), flatten, softmax])).toBe(true)
    expect(qualifies([conv(2, 3, 'valid', 'relu', 2), flatten, softmax])).toBe(false)
    expect(qualifies([conv(2, 3, 'valid', 'sigmoid'), flatten, softmax])).toBe(false)
    expect(qualifies([conv(2, 3, 'valid'), pool(2, 1), flatten, softmax])).toBe(false)
    expect(qualifies([conv(2, 3, 'valid'), { type: 'dropout', rate: 0.2 }, flatten, softmax])).toBe(
      false,
    )
  })
})

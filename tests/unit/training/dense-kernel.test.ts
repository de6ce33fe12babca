import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { splitIndices } from '../../../src/main/training/datasets/split'
import type { LoadedDataset } from '../../../src/main/training/datasets/types'
import { createDenseStackStep, denseStack } from '../../../src/main/training/kernels/dense'
import { adamSettings, buildModel } from '../../../src/main/training/model-factory'
import { measureSet } from '../../../src/main/training/evaluate'
import { trainModel } from '../../../src/main/training/trainer'
import type { LayerSpec, ModelSpec, TrainConfig } from '../../../src/shared/model-spec'
import { getPreset } from '../../../src/shared/presets'
import type { EpochMetrics } from '../../../src/shared/runs'

// The fused Dense-stack training step (kernels/dense.ts, kernels/assembly/dense.ts) against
// tfjs's own ops on the cpu backend: same seed, same batches, same weights within float tolerance.

let mnist: LoadedDataset
const mlp = getPreset('tutorial-mlp')

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm')
  mnist = await loadDataset('mnist')
})

afterEach(async () => {
  await tf.setBackend('wasm')
})

const spec = (...layers: LayerSpec[]): ModelSpec => ({ inputShape: [28, 28, 1], layers })
const dense = (
  units: number,
  activation: 'relu' | 'linear' | 'softmax' | 'sigmoid',
  useBias = true,
) => ({ type: 'dense', units, activation, useBias }) as const

async function train(
  backend: 'wasm' | 'cpu',
  modelSpec: ModelSpec,
  overrides: Partial<TrainConfig>,
) {
  await tf.setBackend(backend)
  const config: TrainConfig = { ...mlp.config, limit: 700, epochs: 2, ...overrides }
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

describe('fused Dense-stack training step (wasm)', () => {
  const cases: [string, ModelSpec][] = [
    ['the tutorial MLP', mlp.spec],
    [
      'two hidden layers, one linear, a layer without bias, sizes not multiples of 4',
      spec({ type: 'flatten' }, dense(37, 'relu'), dense(6, 'linear', false), dense(10, 'softmax')),
    ],
  ]
  for (const [name, modelSpec] of cases) {
    it(`trains ${name} as tfjs's ops do on the cpu backend`, async () => {
      const fused = await train('wasm', modelSpec, {})
      const reference = await train('cpu', modelSpec, {})
      expect(fused.usedFused).toBe(true)
      expect(reference.usedFused).toBe(false)
      expect(fused.result.status).toBe('completed')
      // 2 epochs × 18 steps of Adam at lr 1e-3: the weights move by ~1e-2; summation order alone
      // separates the two.
      expect(worstDifference(fused.weights, reference.weights)).toBeLessThan(2e-5)
      fused.epochs.forEach((e, i) => {
        const r = reference.epochs[i]
        expect(e.loss).toBeCloseTo(r.loss, 4)
        expect(e.accuracy).toBeCloseTo(r.accuracy, 6)
        expect(e.valLoss!).toBeCloseTo(r.valLoss!, 4)
        expect(e.valAccuracy).toBe(r.valAccuracy)
      })
      // No tensor is left behind from one epoch to the next.
      expect(new Set(fused.tensors).size).toBe(1)
    })
  }

  it('repeats a run exactly with the same seed, and differs with another', async () => {
    const a = await train('wasm', mlp.spec, { epochs: 1 })
    const b = await train('wasm', mlp.spec, { epochs: 1 })
    const c = await train('wasm', mlp.spec, { epochs: 1, seed: 7 })
    expect(worstDifference(a.weights, b.weights)).toBe(0)
    expect(a.epochs[0].loss).toBe(b.epochs[0].loss)
    expect(worstDifference(a.weights, c.weights)).toBeGreaterThan(0)
  })

  it('does not write into a buffer another tensor shares with a weight', async () => {
    const config: TrainConfig = { ...mlp.config }
    const model = buildModel(tf, mlp.spec, config)
    const kernel = model.trainableWeights[0].read()
    const clone = tf.clone(kernel)
    const before = Float32Array.from(clone.dataSync())
    const step = createDenseStackStep(tf, model, adamSettings(config), 32)!
    const [loss, correct] = [tf.variable(tf.scalar(0)), tf.variable(tf.scalar(0))]
    try {
      const order = Uint32Array.from({ length: 32 }, (_, i) => i)
      expect(step.fill(mnist.train, order, 0)).toBe(32)
      step.step(loss, correct)
      step.release()
      expect(Array.from(clone.dataSync())).toEqual(Array.from(before))
      expect(worstDifference([kernel.dataSync() as Float32Array], [before])).toBeGreaterThan(0)
      expect(loss.dataSync()[0]).toBeGreaterThan(0)
      expect(correct.dataSync()[0]).toBeGreaterThanOrEqual(0)
    } finally {
      step.dispose()
      tf.dispose([clone, loss, correct])
      model.dispose()
    }
  })

  it('leaves no stale weights in tfjs matMul caches: predictions before, during and after training agree with a fresh copy', async () => {
    // tfjs-backend-wasm packs a matMul's weights once per buffer; the fused step writes the
    // weights in place, so a buffer predicted with must never be written afterwards.
    const config: TrainConfig = { ...mlp.config, limit: 400, epochs: 2 }
    const model = buildModel(tf, mlp.spec, config)
    const x = tf.tensor(
      Float32Array.from(mnist.test.images.subarray(0, 64 * 784), (v) => v / 255),
      [64, 28, 28, 1],
    )
    const predict = (m: LayersModel) =>
      tf.tidy(() => Array.from((m.predict(x) as Tensor).dataSync()))
    const fresh = () => {
      const copy = buildModel(tf, mlp.spec, config)
      tf.tidy(() => copy.setWeights(model.getWeights().map((w) => tf.clone(w))))
      try {
        return predict(copy)
      } finally {
        copy.dispose()
      }
    }
    try {
      expect(predict(model)).toEqual(fresh())
      await trainModel({
        tf,
        model,
        dataset: mnist,
        split: splitIndices(mnist.train.count, config),
        config,
        shouldStop: () => false,
        onProgress: () => {},
        // Between epochs, something else predicts with the model.
        onEpoch: () => void predict(model),
      })
      expect(predict(model)).toEqual(fresh())
    } finally {
      x.dispose()
      model.dispose()
    }
  })

  it('scores a set as tfjs does: the same predictions and loss (validation and evaluation)', async () => {
    const model = buildModel(tf, mlp.spec, mlp.config)
    const indices = Uint32Array.from({ length: 2500 }, (_, i) => i)
    try {
      // Random initial weights are a fair test: the logits are close together, argmax is fragile.
      const before = tf.memory().numTensors
      const fused = measureSet(tf, model, mnist.test, indices)
      expect(tf.memory().numTensors).toBe(before)
      const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()))
      await tf.setBackend('cpu')
      const cpuModel = buildModel(tf, mlp.spec, mlp.config)
      tf.tidy(() =>
        cpuModel.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i].shape))),
      )
      const reference = measureSet(tf, cpuModel, mnist.test, indices)
      cpuModel.dispose()
      expect(fused.loss).toBeCloseTo(reference.loss, 5)
      expect(fused.accuracy).toBe(reference.accuracy)
      expect(Array.from(fused.predicted)).toEqual(Array.from(reference.predicted))
    } finally {
      await tf.setBackend('wasm')
      model.dispose()
    }
  })

  it('applies only to Dense stacks ending in softmax, with ReLU or linear hidden layers', () => {
    const qualifies = (layers: LayerSpec[]) => {
      const model: LayersModel = buildModel(tf, spec(...layers), mlp.config)
      try {
        return denseStack(model) !== null
      } finally {
        model.dispose()
      }
    }
    expect(qualifies([{ type: 'flatten' }, dense(10, 'softmax')])).toBe(true)
    expect(qualifies([{ type: 'flatten' }, dense(16, 'sigmoid'), dense(10, 'softmax')])).toBe(false)
    expect(qualifies([{ type: 'flatten' }, dense(16, 'relu'), dense(10, 'linear')])).toBe(false)
    expect(
      qualifies([
        { type: 'flatten' },
        dense(16, 'relu'),
        { type: 'dropout', rate: 0.2 },
        dense(10, 'softmax'),
      ]),
    ).toBe(false)
    expect(
      qualifies([
        {
          type: 'conv2d',
          filters: 2,
          kernelSize: 3,
          strides: 1,
          padding: 'valid',
          activation: 'relu',
          useBias: true,
        },
        { type: 'flatten' },
        dense(10, 'softmax'),
      ]),
    ).toBe(false)
  })
})

import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import type { Layer } from '@tensorflow/tfjs-layers/dist/engine/topology'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { splitIndices } from '../../../src/main/training/datasets/split'
import type { LoadedDataset } from '../../../src/main/training/datasets/types'
import {
  createDenseStackScorer,
  createDenseStackStep,
  denseStack,
} from '../../../src/main/training/kernels/dense'
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
    const bias = model.trainableWeights[1].read()
    const biasClone = tf.clone(bias)
    const biasBefore = Float32Array.from(biasClone.dataSync())
    const step = createDenseStackStep(tf, model, adamSettings(config), 32)!
    const [loss, correct] = [tf.variable(tf.scalar(0)), tf.variable(tf.scalar(0))]
    try {
      const order = Uint32Array.from({ length: 32 }, (_, i) => i)
      expect(step.fill(mnist.train, order, 0)).toBe(32)
      step.step(loss, correct)
      step.release()
      expect(Array.from(clone.dataSync())).toEqual(Array.from(before))
      expect(Array.from(biasClone.dataSync())).toEqual(Array.from(biasBefore))
      expect(worstDifference([bias.dataSync() as Float32Array], [biasBefore])).toBeGreaterThan(0)
      expect(worstDifference([kernel.dataSync() as Float32Array], [before])).toBeGreaterThan(0)
      expect(loss.dataSync()[0]).toBeGreaterThan(0)
      expect(correct.dataSync()[0]).toBeGreaterThanOrEqual(0)
    } finally {
      step.dispose()
      tf.dispose([clone, biasClone, loss, correct])
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

// Which models the fused step takes, and its bookkeeping: what the two training comparisons above
// cannot see (a refusal that would otherwise train wrongly, shared buffers, leaks). Milliseconds.
describe('fused Dense-stack step: refusals and bookkeeping (mutation-tested)', () => {
  const lenet = getPreset('lenet-cnn')
  const sequential = (...layers: Layer[]) => tf.sequential({ layers })
  const flat = (inputShape: number[]) => tf.layers.flatten({ inputShape })
  const fc = (units: number, activation: 'relu' | 'softmax', inputShape?: number[]) =>
    tf.layers.dense({ units, activation, ...(inputShape ? { inputShape } : {}) })

  function judged(model: LayersModel) {
    try {
      return denseStack(model)
    } finally {
      model.dispose()
    }
  }

  it('takes a Dense stack on flat inputs, with or without Flatten, and describes each layer', () => {
    const layers = judged(sequential(fc(16, 'relu', [784]), fc(10, 'softmax')))!
    expect(layers.map(({ inSize, outSize, relu }) => ({ inSize, outSize, relu }))).toEqual([
      { inSize: 784, outSize: 16, relu: true },
      { inSize: 16, outSize: 10, relu: false },
    ])
    expect(layers.every((l) => l.bias !== null)).toBe(true)
    const noBias = judged(
      sequential(
        flat([28, 28, 1]),
        tf.layers.dense({ units: 10, activation: 'softmax', useBias: false }),
      ),
    )!
    expect(noBias).toHaveLength(1)
    expect(noBias[0].bias).toBeNull()
  })

  it('refuses a model with no Dense layer, Dense before Flatten, Dense on unflattened images, or a frozen layer or weight', () => {
    // Only Flatten: nothing for the kernel to train.
    expect(judged(sequential(flat([28, 28, 1])))).toBeNull()
    // A Flatten after a Dense layer: on inputs of 1 × 784 every size would match, but the
    // kernel's layout knows Flatten only as the first layer's reshape.
    expect(
      judged(sequential(fc(16, 'relu', [1, 784]), tf.layers.flatten(), fc(10, 'softmax'))),
    ).toBeNull()
    // Dense on the image's last axis: a kernel of 1 × units, not 784 × units.
    expect(judged(sequential(fc(10, 'softmax', [28, 28, 1])))).toBeNull()
    // A ReLU output layer.
    expect(judged(sequential(fc(16, 'relu', [784]), fc(10, 'relu')))).toBeNull()
    const frozenLayer = sequential(fc(16, 'relu', [784]), fc(10, 'softmax'))
    frozenLayer.layers[1].trainable = false
    expect(judged(frozenLayer)).toBeNull()
    const frozenWeight = sequential(fc(16, 'relu', [784]), fc(10, 'softmax'))
    frozenWeight.layers[0].weights[1].trainable = false
    expect(frozenWeight.layers[0].trainable).toBe(true)
    expect(judged(frozenWeight)).toBeNull()
  })

  it('gives no step or scorer off the wasm backend, or for a convolution the kernel cannot run', async () => {
    const config: TrainConfig = { ...lenet.config }
    const strided = buildModel(
      tf,
      {
        ...lenet.spec,
        layers: lenet.spec.layers.map((l) => (l.type === 'conv2d' ? { ...l, strides: 2 } : l)),
      },
      config,
    )
    const mlpModel = buildModel(tf, mlp.spec, mlp.config)
    try {
      expect(createDenseStackStep(tf, strided, adamSettings(config), 32)).toBeNull()
      expect(createDenseStackScorer(tf, strided, 32)).toBeNull()
      const scorer = createDenseStackScorer(tf, mlpModel, 32)
      expect(scorer).not.toBeNull()
      scorer?.dispose()
      await tf.setBackend('cpu')
      expect(createDenseStackStep(tf, mlpModel, adamSettings(mlp.config), 32)).toBeNull()
      expect(createDenseStackScorer(tf, mlpModel, 32)).toBeNull()
    } finally {
      await tf.setBackend('wasm')
      strided.dispose()
      mlpModel.dispose()
    }
  })

  it('fills at most a batch, the rest at the end, none past it; refuses a step before any fill', () => {
    const model = buildModel(tf, mlp.spec, mlp.config)
    const step = createDenseStackStep(tf, model, adamSettings(mlp.config), 32)!
    try {
      const [loss, correct] = [tf.variable(tf.scalar(0)), tf.variable(tf.scalar(0))]
      expect(() => step.step(loss, correct)).toThrow('step before fill')
      const order = Uint32Array.from({ length: 40 }, (_, i) => i)
      expect(step.fill(mnist.train, order, 0)).toBe(32)
      expect(step.fill(mnist.train, order, 32)).toBe(8)
      expect(step.fill(mnist.train, order, 40)).toBe(0)
      expect(step.fill(mnist.train, order, 50)).toBe(0)
      tf.dispose([loss, correct])
    } finally {
      step.dispose()
      model.dispose()
    }
  })

  for (const [name, preset] of [
    ['Dense-only', mlp],
    ['convolutional', lenet],
  ] as const) {
    it(`${name}: adds to the running sums without writing into tensors that share their buffers, and frees all it made`, () => {
      const model = buildModel(tf, preset.spec, preset.config)
      // As the trainer resets its sums between epochs (`lossSum.assign(tf.scalar(0))`): each
      // variable then shares its buffer with the scalar it was given.
      const lossView = tf.scalar(0)
      const correctView = tf.scalar(0)
      const loss = tf.variable(tf.scalar(1))
      const correct = tf.variable(tf.scalar(1))
      loss.assign(lossView)
      correct.assign(correctView)
      const before = tf.memory().numTensors
      const step = createDenseStackStep(tf, model, adamSettings(preset.config), 32)!
      try {
        const order = Uint32Array.from({ length: 64 }, (_, i) => i)
        expect(step.fill(mnist.train, order, 0)).toBe(32)
        step.step(loss, correct)
        const firstLoss = loss.dataSync()[0]
        // ln 10 ≈ 2.30 a sample at random weights, summed over 32 samples.
        expect(firstLoss).toBeGreaterThan(32 * 1.5)
        expect(firstLoss).toBeLessThan(32 * 4)
        const firstCorrect = correct.dataSync()[0]
        expect(firstCorrect).toBeGreaterThanOrEqual(0)
        expect(firstCorrect).toBeLessThanOrEqual(32)
        expect(lossView.dataSync()[0]).toBe(0)
        expect(correctView.dataSync()[0]).toBe(0)
        expect(step.fill(mnist.train, order, 32)).toBe(32)
        step.step(loss, correct)
        expect(loss.dataSync()[0]).toBeGreaterThan(firstLoss + 32 * 1.5)
        expect(correct.dataSync()[0]).toBeGreaterThanOrEqual(firstCorrect)
        step.release()
      } finally {
        step.dispose()
      }
      expect(tf.memory().numTensors).toBe(before)
      tf.dispose([loss, correct, lossView, correctView])
      model.dispose()
    })
  }
})

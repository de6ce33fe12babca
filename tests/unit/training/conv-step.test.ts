import { beforeAll, afterEach, describe, expect, it } from 'vitest'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { splitIndices } from '../../../src/main/training/datasets/split'
import type { LoadedDataset } from '../../../src/main/training/datasets/types'
import { blockScratch, convFront } from '../../../src/main/training/kernels/conv-step'
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
  useBias = true,
): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize,
  strides,
  padding,
  activation,
  useBias,
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

// Geometry only, no training: milliseconds, and first in the file so that mutation testing
// stops at them for most mutants of convFront.
describe('convFront: which models qualify and their blocks’ geometry (mutation-tested)', () => {
  type ConvArgs = Parameters<typeof tf.layers.conv2d>[0]
  type PoolArgs = Parameters<typeof tf.layers.maxPooling2d>[0]
  type Part = { conv: ConvArgs } | { pool: PoolArgs } | { flatten: true } | { dense: number }
  const c = (args: Partial<ConvArgs> = {}): Part => ({
    conv: { filters: 2, kernelSize: 3, activation: 'relu', ...args },
  })
  const p = (args: Partial<PoolArgs> = {}): Part => ({ pool: { poolSize: 2, ...args } })
  const F: Part = { flatten: true }
  const D: Part = { dense: 10 }

  function withModel<T>(inputShape: number[], parts: Part[], body: (model: LayersModel) => T): T {
    const model = tf.sequential()
    parts.forEach((part, i) => {
      const first = i === 0 ? { inputShape } : {}
      if ('conv' in part) model.add(tf.layers.conv2d({ ...part.conv, ...first }))
      else if ('pool' in part) model.add(tf.layers.maxPooling2d({ ...part.pool, ...first }))
      else if ('flatten' in part) model.add(tf.layers.flatten(first))
      else model.add(tf.layers.dense({ units: part.dense, activation: 'softmax', ...first }))
    })
    try {
      return body(model)
    } finally {
      model.dispose()
    }
  }
  const qualifies = (inputShape: number[], parts: Part[]) =>
    withModel(inputShape, parts, (model) => convFront(model) !== null)

  it('describes each block as tfjs-layers shapes it: padding, output, pooled output, features', () => {
    // 'same' 5×5 on 28×28, pooled by 2; 'valid' 3×5 linear without bias; 'same' 4×4 (padding
    // 1 before and 2 after), pooled by 3 from 10×7 to 3×2.
    const parts = [
      c({ filters: 4, kernelSize: 5, padding: 'same' }),
      p(),
      c({ filters: 3, kernelSize: [3, 5], activation: 'linear', useBias: false }),
      c({ filters: 2, kernelSize: 4, padding: 'same' }),
      p({ poolSize: 3 }),
      F,
      D,
    ]
    withModel([28, 28, 1], parts, (model) => {
      const front = convFront(model)!
      expect(front).not.toBeNull()
      const shapes = model.layers.map((l) => l.outputShape as number[])
      expect(front.input).toEqual([28, 28, 1])
      expect(front.features).toBe(shapes[5][1])
      expect(front.rest).toEqual([model.layers[6]])
      const geometry = front.blocks.map(({ kernel: _kernel, bias: _bias, ...g }) => g)
      expect(geometry).toEqual([
        {
          ...{ ph: 32, pw: 32, inC: 1, padTop: 2, padLeft: 2 },
          ...{ outH: 28, outW: 28, outC: 4, fh: 5, fw: 5, relu: true, pool: 2 },
          ...{ nextH: 14, nextW: 14 },
        },
        {
          ...{ ph: 14, pw: 14, inC: 4, padTop: 0, padLeft: 0 },
          ...{ outH: 12, outW: 10, outC: 3, fh: 3, fw: 5, relu: false, pool: 0 },
          ...{ nextH: 12, nextW: 10 },
        },
        {
          ...{ ph: 15, pw: 13, inC: 3, padTop: 1, padLeft: 1 },
          ...{ outH: 12, outW: 10, outC: 2, fh: 4, fw: 4, relu: true, pool: 3 },
          ...{ nextH: 4, nextW: 3 },
        },
      ])
      // The same sizes as tfjs-layers gives each layer's output.
      expect(shapes[0].slice(1)).toEqual([28, 28, 4])
      expect(shapes[1].slice(1)).toEqual([14, 14, 4])
      expect(shapes[2].slice(1)).toEqual([12, 10, 3])
      expect(shapes[4].slice(1)).toEqual([4, 3, 2])
      // The weights are the layers' own variables; a layer without bias has none.
      const weights = model.layers.map((l) => l.weights.map((w) => w.read()))
      expect(front.blocks[0].kernel).toBe(weights[0][0])
      expect(front.blocks[0].bias).toBe(weights[0][1])
      expect(front.blocks[1].bias).toBeNull()
      expect(front.blocks[2].kernel).toBe(weights[3][0])
      expect(front.blocks[2].bias).toBe(weights[3][1])
    })
  })

  it('takes a non-square input, and a pool whose strides are given equal to its size', () => {
    withModel([9, 12, 2], [c({ kernelSize: 2 }), p({ strides: 2 }), F, D], (model) => {
      const [b] = convFront(model)!.blocks
      expect([b.ph, b.pw, b.outH, b.outW, b.nextH, b.nextW, b.pool]).toEqual([
        9, 12, 8, 11, 4, 5, 2,
      ])
      expect(convFront(model)!.features).toBe(4 * 5 * 2)
    })
  })

  it('refuses every layer or setting the kernel cannot run', () => {
    const input = [10, 10, 1]
    expect(qualifies(input, [c(), F, D])).toBe(true)
    expect(qualifies(input, [c(), p(), F, D])).toBe(true)
    expect(qualifies(input, [c(), c(), F, D])).toBe(true)
    // The convolution: strides (either axis), dilation, activation, channels first.
    expect(qualifies(input, [c({ strides: 2 }), F, D])).toBe(false)
    expect(qualifies(input, [c({ strides: [1, 2] }), F, D])).toBe(false)
    expect(qualifies(input, [c({ strides: [2, 1] }), F, D])).toBe(false)
    expect(qualifies(input, [c({ dilationRate: 2 }), F, D])).toBe(false)
    expect(qualifies(input, [c({ dilationRate: [1, 2] }), F, D])).toBe(false)
    expect(qualifies(input, [c({ activation: 'sigmoid' }), F, D])).toBe(false)
    expect(qualifies(input, [c({ activation: 'linear' }), F, D])).toBe(true)
    expect(qualifies([1, 10, 10], [c({ dataFormat: 'channelsFirst' }), F, D])).toBe(false)
    // The pooling: overlapping, strides differing from the size, not square, 'same', channels first.
    expect(qualifies(input, [c(), p({ strides: 1 }), F, D])).toBe(false)
    expect(qualifies(input, [c(), p({ poolSize: [2, 3], strides: [2, 3] }), F, D])).toBe(false)
    expect(qualifies(input, [c(), p({ poolSize: 2, strides: [2, 1] }), F, D])).toBe(false)
    expect(qualifies(input, [c(), p({ poolSize: 2, strides: [1, 2] }), F, D])).toBe(false)
    expect(qualifies(input, [c(), p({ padding: 'same' }), F, D])).toBe(false)
    expect(qualifies(input, [c(), p({ poolSize: 3, padding: 'same' }), F, D])).toBe(false)
    // What comes after: no Flatten, two pools, a Dense first, no convolution at all.
    expect(qualifies(input, [c(), D])).toBe(false)
    expect(qualifies(input, [c(), p(), p(), F, D])).toBe(false)
    expect(qualifies([100], [D])).toBe(false)
    expect(qualifies(input, [F, D])).toBe(false)
    expect(qualifies(input, [p(), c(), F, D])).toBe(false)
    // Convolutions (and a pool) to the end, no Flatten: null, not a TypeError past the last layer.
    expect(qualifies(input, [c()])).toBe(false)
    expect(qualifies(input, [c(), c()])).toBe(false)
    expect(qualifies(input, [c(), p()])).toBe(false)
    // Channels first where the width equals the channels, so the filter's depth matches too.
    expect(qualifies([3, 5, 3], [c({ dataFormat: 'channelsFirst' }), F, D])).toBe(false)
    expect(qualifies(input, [c(), p({ dataFormat: 'channelsFirst' }), F, D])).toBe(false)
    // A pool larger than the convolution's output (2×2 under a 3×3 pool), either axis.
    expect(qualifies([4, 4, 1], [c(), p({ poolSize: 3 }), F, D])).toBe(false)
    expect(qualifies([4, 5, 1], [c({ kernelSize: [3, 2] }), p({ poolSize: 3 }), F, D])).toBe(false)
    expect(qualifies([5, 4, 1], [c({ kernelSize: [2, 3] }), p({ poolSize: 3 }), F, D])).toBe(false)
    expect(qualifies([5, 5, 1], [c(), p({ poolSize: 3 }), F, D])).toBe(true)
  })

  it('refuses a frozen layer or weights, a rank-4 input, and an input of unknown size', () => {
    withModel([10, 10, 1], [c(), F, D], (model) => {
      model.layers[0].trainable = false
      expect(convFront(model)).toBeNull()
    })
    withModel([10, 10, 1], [c(), F, D], (model) => {
      model.layers[0].weights[1].trainable = false
      expect(convFront(model)).toBeNull()
    })
    withModel([10, 10, 1], [c({ useBias: false }), F, D], (model) => {
      expect(convFront(model)!.blocks[0].bias).toBeNull()
    })
    const input = tf.input({ shape: [null, 10, 1] })
    const unknown = tf.model({
      inputs: input,
      outputs: tf.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input) as never,
    })
    try {
      expect(convFront(unknown)).toBeNull()
    } finally {
      unknown.dispose()
    }
    const flat = tf.input({ shape: [100] })
    const dense = tf.model({
      inputs: flat,
      outputs: tf.layers.dense({ units: 3 }).apply(flat) as never,
    })
    try {
      expect(convFront(dense)).toBeNull()
    } finally {
      dense.dispose()
    }
  })

  it('sizes each block’s scratch by part, the first block without an input gradient', () => {
    const block = {
      ...{ ph: 7, pw: 6, inC: 2, padTop: 1, padLeft: 1, outH: 5, outW: 4, outC: 3 },
      ...{ fh: 3, fw: 3, relu: true, pool: 2, nextH: 2, nextW: 2 },
    }
    const scratch = { p: 5 * 84, z: 5 * 60, arg: 5 * 12, gwt: 54, wt: 54, gb: 3 }
    expect(blockScratch(block, 5, true)).toEqual({ ...scratch, dp: 0 })
    expect(blockScratch(block, 5, false)).toEqual({ ...scratch, dp: 5 * 84 })
  })
})

describe('fused convolutional training step (wasm)', () => {
  const cases: [string, ModelSpec, Partial<TrainConfig>][] = [
    ['LeNet', lenet.spec, {}],
    [
      "a 'valid' linear convolution without pooling, then 'same' with 3×3 pooling of 26 pixels, " +
        'on batches of 32, 32 and 8',
      spec(conv(3, 3, 'valid', 'linear'), conv(5, 3, 'same'), pool(3), flatten, softmax),
      { limit: 90 },
    ],
    [
      'convolutions and a hidden Dense layer without biases',
      spec(
        conv(3, 3, 'valid', 'relu', 1, false),
        pool(2),
        conv(4, 3, 'same', 'relu', 1, false),
        flatten,
        { type: 'dense', units: 12, activation: 'relu', useBias: false },
        softmax,
      ),
      {},
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

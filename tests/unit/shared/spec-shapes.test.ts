import { describe, expect, it } from 'vitest'
import type { Activation, LayerSpec, ModelSpec } from '../../../src/shared/model-spec'
import {
  inferOutputShape,
  isCompleteSummary,
  slidingOutputSize,
  summarizeModel,
} from '../../../src/shared/spec-shapes'

const conv = (filters: number, kernelSize: number, extra: Partial<LayerSpec> = {}): LayerSpec =>
  ({
    type: 'conv2d',
    filters,
    kernelSize,
    strides: 1,
    padding: 'valid',
    activation: 'relu',
    useBias: true,
    ...extra,
  }) as LayerSpec
const dense = (units: number, useBias = true, activation: Activation = 'relu'): LayerSpec => ({
  type: 'dense',
  units,
  activation,
  useBias,
})
const maxPool = (poolSize = 2): LayerSpec => ({
  type: 'maxPooling2d',
  poolSize,
  strides: poolSize,
  padding: 'valid',
})

describe('summarizeModel', () => {
  it('matches Keras for the tutorial MLP (101,770 params)', () => {
    const summary = summarizeModel({
      inputShape: [28, 28, 1],
      layers: [{ type: 'flatten' }, dense(128), dense(10, true, 'softmax')],
    })
    expect(summary.layers.map((l) => [l.index, l.name, l.outputShape, l.params])).toEqual([
      [0, 'flatten', [784], 0],
      [1, 'dense', [128], 100_480],
      [2, 'dense_1', [10], 1_290],
    ])
    expect(summary.totalParams).toBe(101_770)
    expect(summary.trainableParams).toBe(101_770)
    expect(summary.nonTrainableParams).toBe(0)
    expect(summary.outputShape).toEqual([10])
    expect(summary.complete).toBe(true)
  })

  it('names layers per type and counts conv, batch norm and pooling like Keras', () => {
    const spec: ModelSpec = {
      inputShape: [28, 28, 1],
      layers: [
        conv(8, 3),
        { type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 },
        maxPool(),
        conv(4, 3, { padding: 'same', useBias: false }),
        { type: 'averagePooling2d', poolSize: 3, strides: 2, padding: 'same' },
        { type: 'dropout', rate: 0.25 },
        { type: 'flatten' },
        { type: 'reshape', targetShape: [7, 7, 4] },
        { type: 'flatten' },
        dense(10, false),
      ],
    }
    const summary = summarizeModel(spec)
    expect(summary.layers.map((l) => [l.name, l.outputShape, l.params, l.trainableParams])).toEqual(
      [
        ['conv2d', [26, 26, 8], 3 * 3 * 1 * 8 + 8, 80],
        ['batch_normalization', [26, 26, 8], 32, 16],
        ['max_pooling2d', [13, 13, 8], 0, 0],
        ['conv2d_1', [13, 13, 4], 3 * 3 * 8 * 4, 288],
        ['average_pooling2d', [7, 7, 4], 0, 0],
        ['dropout', [7, 7, 4], 0, 0],
        ['flatten', [196], 0, 0],
        ['reshape', [7, 7, 4], 0, 0],
        ['flatten_1', [196], 0, 0],
        ['dense', [10], 1960, 1960],
      ],
    )
    expect(summary.totalParams).toBe(80 + 32 + 288 + 1960)
    expect(summary.trainableParams).toBe(80 + 16 + 288 + 1960)
    expect(summary.nonTrainableParams).toBe(16)
  })

  it('applies Dense to the last axis of a rank-3 input, as Keras does', () => {
    const summary = summarizeModel({ inputShape: [28, 28, 3], layers: [dense(5)] })
    expect(summary.layers[0].outputShape).toEqual([28, 28, 5])
    expect(summary.layers[0].params).toBe(3 * 5 + 5)
  })

  it('gives a partial summary when a valid window does not fit', () => {
    const summary = summarizeModel({
      inputShape: [5, 5, 1],
      layers: [conv(2, 3), conv(2, 7), { type: 'flatten' }],
    })
    expect(summary.layers.map((l) => [l.inputShape, l.outputShape, l.params])).toEqual([
      [[5, 5, 1], [3, 3, 2], 20],
      [[3, 3, 2], null, null],
      [null, null, null],
    ])
    expect(summary.complete).toBe(false)
    expect(summary.outputShape).toBeNull()
    expect(summary.totalParams).toBe(20)
  })

  it('marks a convolution after Flatten and a size-changing Reshape as unknown', () => {
    expect(inferOutputShape(conv(2, 3), [784])).toBeNull()
    expect(inferOutputShape({ type: 'reshape', targetShape: [10, 10] }, [784])).toBeNull()
    expect(inferOutputShape({ type: 'reshape', targetShape: [28, 28] }, [784])).toEqual([28, 28])
    expect(inferOutputShape(dense(0), [784])).toBeNull()
  })
})

describe('slidingOutputSize', () => {
  it('follows floor((n-k)/s)+1 for valid and ceil(n/s) for same', () => {
    expect(slidingOutputSize(7, 3, 2, 'valid')).toBe(3)
    expect(slidingOutputSize(7, 3, 2, 'same')).toBe(4)
    expect(slidingOutputSize(28, 5, 1, 'same')).toBe(28)
    expect(slidingOutputSize(28, 5, 1, 'valid')).toBe(24)
    expect(slidingOutputSize(5, 2, 2, 'valid')).toBe(2)
    expect(slidingOutputSize(4, 5, 1, 'valid')).toBeNull()
    expect(slidingOutputSize(4, 5, 1, 'same')).toBe(4)
  })
})

// The UI summarizes half-written specs as the student types, before validation: every guard
// below answers null (or an incomplete summary) where Keras would refuse, never a made-up shape.
describe('inferOutputShape and summarizeModel on specs validation has not checked', () => {
  it('refuses sizes that are not positive integers', () => {
    expect(inferOutputShape(dense(2.5), [784])).toBeNull()
    expect(inferOutputShape(dense('4' as never), [784])).toBeNull()
    expect(inferOutputShape(conv(0, 3), [28, 28, 1])).toBeNull()
    expect(inferOutputShape(conv(1.5, 3), [28, 28, 1])).toBeNull()
    // A kernel of 0 would "fit" 29 times into 28 pixels, a stride of 0 infinitely often.
    expect(inferOutputShape(conv(2, 0), [28, 28, 1])).toBeNull()
    expect(inferOutputShape(conv(2, 2.5), [28, 28, 1])).toBeNull()
    expect(inferOutputShape(conv(2, 3, { strides: 0 }), [28, 28, 1])).toBeNull()
    expect(inferOutputShape(conv(2, 3, { strides: 1.5 }), [28, 28, 1])).toBeNull()
    expect(inferOutputShape(maxPool(0), [28, 28, 1])).toBeNull()
  })

  it('refuses an input shape that is empty or holds a size below 1', () => {
    expect(inferOutputShape({ type: 'flatten' }, [])).toBeNull()
    expect(inferOutputShape({ type: 'flatten' }, [28, 0, 1])).toBeNull()
    expect(inferOutputShape({ type: 'dropout', rate: 0.5 }, [28, 2.5])).toBeNull()
    expect(inferOutputShape({ type: 'flatten' }, [28, 28, 1])).toEqual([784])
  })

  it('needs an image (rank 3) for convolution and pooling, not rank 2 or 4', () => {
    expect(inferOutputShape(conv(2, 3), [28, 28])).toBeNull()
    expect(inferOutputShape(maxPool(), [28, 28])).toBeNull()
    expect(inferOutputShape(maxPool(), [2, 28, 28, 1])).toBeNull()
    expect(inferOutputShape(conv(2, 3), [2, 28, 28, 1])).toBeNull()
  })

  it('refuses a valid window that fits one axis but not the other', () => {
    // Keras: MaxPooling2D(5) on (3, 10, 1) fails, although 10 columns would give 6.
    expect(inferOutputShape(maxPool(5), [3, 10, 1])).toBeNull()
    expect(inferOutputShape(maxPool(5), [10, 3, 1])).toBeNull()
    expect(inferOutputShape(conv(2, 4), [3, 10, 1])).toBeNull()
    expect(inferOutputShape(maxPool(5), [10, 10, 1])).toEqual([2, 2, 1])
  })

  it('refuses a Reshape target that is missing, empty or not positive, even of the right size', () => {
    const reshape = (targetShape: unknown): LayerSpec =>
      ({ type: 'reshape', targetShape }) as LayerSpec
    expect(inferOutputShape(reshape(undefined), [784])).toBeNull()
    expect(inferOutputShape(reshape('28x28'), [784])).toBeNull()
    // An empty target has a product of 1, like an input of one value.
    expect(inferOutputShape(reshape([]), [1])).toBeNull()
    expect(inferOutputShape(reshape([-28, -28]), [784])).toBeNull()
    expect(inferOutputShape(reshape([28, -28, -1]), [784])).toBeNull()
    expect(inferOutputShape(reshape([28, 28.0]), [784])).toEqual([28, 28])
  })

  it('gives no shapes at all for an input shape that is missing or not positive', () => {
    for (const inputShape of [undefined, 'mnist', [28, -1, 1], [28, 0, 1]]) {
      const summary = summarizeModel({
        inputShape: inputShape as never,
        layers: [{ type: 'flatten' }, dense(10)],
      })
      expect(summary.layers.map((l) => [l.name, l.inputShape, l.outputShape, l.params])).toEqual([
        ['flatten', null, null, null],
        ['dense', null, null, null],
      ])
      expect(summary.complete).toBe(false)
      expect(summary.outputShape).toBeNull()
      expect(summary.totalParams).toBe(0)
    }
  })

  it('calls a model without layers complete only when its input shape is valid', () => {
    const empty = summarizeModel({ inputShape: [28, 28, 1], layers: [] })
    expect(empty).toEqual({
      layers: [],
      totalParams: 0,
      trainableParams: 0,
      nonTrainableParams: 0,
      outputShape: [28, 28, 1],
      complete: true,
    })
    expect(isCompleteSummary(empty)).toBe(true)
    const invalid = summarizeModel({ inputShape: [0] as never, layers: [] })
    expect(invalid.complete).toBe(false)
    expect(invalid.outputShape).toBeNull()
    expect(isCompleteSummary(invalid)).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import type { LayerSpec, ModelSpec } from '../../../src/shared/model-spec'
import {
  appliesSoftmax,
  countLayerParams,
  inferOutputShape,
  summarizeModel,
  zeroPaddingAmounts,
} from '../../../src/shared/spec-shapes'

/*
 * Output shapes and parameter counts of the layer kinds added for Keras 2 models, each checked
 * against what Keras prints (its docs' examples and `model.summary()` of the same models).
 */

const conv = (
  filters: number,
  kernelSize: number,
  strides = 1,
  padding: 'valid' | 'same' = 'valid',
): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize,
  strides,
  padding,
  activation: 'linear',
  useBias: true,
})
const pool = (
  type: 'maxPooling2d' | 'averagePooling2d',
  poolSize: number,
  strides: number,
  padding: 'valid' | 'same',
): LayerSpec => ({ type, poolSize, strides, padding })
const pad = (t: number, b: number, l: number, r: number): LayerSpec => ({
  type: 'zeroPadding2d',
  padding: [
    [t, b],
    [l, r],
  ],
})

const rows = (spec: ModelSpec) =>
  summarizeModel(spec).layers.map((l) => [l.name, l.outputShape, l.params])

describe('new layer kinds: shapes as Keras computes them', () => {
  it('element-wise layers keep the shape, whatever its rank', () => {
    const kinds: LayerSpec[] = [
      { type: 'activation', activation: 'tanh' },
      { type: 'relu', maxValue: 6, negativeSlope: 0.1, threshold: 0.5 },
      { type: 'leakyRelu', negativeSlope: 0.3 },
      { type: 'softmax' },
      { type: 'rescaling', scale: 1 / 255, offset: -1 },
    ]
    for (const layer of kinds) {
      expect(inferOutputShape(layer, [28, 28, 1])).toEqual([28, 28, 1])
      expect(inferOutputShape(layer, [128])).toEqual([128])
      expect(inferOutputShape(layer, [4, 7])).toEqual([4, 7])
      expect(countLayerParams(layer, [128])).toEqual({ params: 0, trainableParams: 0 })
    }
  })

  it('ZeroPadding2D adds its rows and columns (Keras docs: (1, 2, 2) padded by 1 is (3, 4, 2))', () => {
    expect(inferOutputShape(pad(1, 1, 1, 1), [1, 2, 2])).toEqual([3, 4, 2])
    expect(inferOutputShape(pad(1, 2, 3, 4), [28, 28, 1])).toEqual([31, 35, 1])
    expect(inferOutputShape(pad(0, 0, 0, 0), [5, 6, 7])).toEqual([5, 6, 7])
    expect(inferOutputShape(pad(2, 0, 0, 3), [5, 6, 7])).toEqual([7, 9, 7])
    // The same amounts written the other ways Keras accepts.
    expect(inferOutputShape({ type: 'zeroPadding2d', padding: 2 as never }, [5, 6, 7])).toEqual([
      9, 10, 7,
    ])
    expect(
      inferOutputShape({ type: 'zeroPadding2d', padding: [1, 3] as never }, [5, 6, 7]),
    ).toEqual([7, 12, 7])
    expect(countLayerParams(pad(1, 1, 1, 1), [5, 6, 7]).params).toBe(0)
  })

  it('ZeroPadding2D, global pooling and SpatialDropout2D need an image (rank 3)', () => {
    const imageOnly: LayerSpec[] = [
      pad(1, 1, 1, 1),
      { type: 'globalAveragePooling2d' },
      { type: 'globalMaxPooling2d' },
      { type: 'spatialDropout2d', rate: 0.2 },
    ]
    for (const layer of imageOnly) {
      expect(inferOutputShape(layer, [784])).toBeNull()
      expect(inferOutputShape(layer, [28, 28])).toBeNull()
      expect(inferOutputShape(layer, [28, 28, 1])).not.toBeNull()
    }
    expect(inferOutputShape({ type: 'zeroPadding2d', padding: -1 as never }, [5, 5, 1])).toBeNull()
  })

  it('global pooling gives one value per channel (Keras docs: (4, 10, 10, 128) → (4, 128))', () => {
    expect(inferOutputShape({ type: 'globalAveragePooling2d' }, [10, 10, 128])).toEqual([128])
    expect(inferOutputShape({ type: 'globalMaxPooling2d' }, [10, 10, 128])).toEqual([128])
    expect(inferOutputShape({ type: 'globalMaxPooling2d' }, [3, 5, 1])).toEqual([1])
    expect(inferOutputShape({ type: 'spatialDropout2d', rate: 0.5 }, [3, 5, 2])).toEqual([3, 5, 2])
  })

  it('strided and same-padded convolutions and pooling (Keras docs examples)', () => {
    // keras.layers.Conv2D(32, 3) on (10, 10, 128): (8, 8, 32), 36,896 parameters.
    expect(inferOutputShape(conv(32, 3), [10, 10, 128])).toEqual([8, 8, 32])
    expect(countLayerParams(conv(32, 3), [10, 10, 128]).params).toBe(36_896)
    expect(inferOutputShape(conv(16, 3, 2, 'same'), [28, 28, 1])).toEqual([14, 14, 16])
    expect(inferOutputShape(conv(16, 3, 2, 'same'), [27, 27, 1])).toEqual([14, 14, 16])
    expect(inferOutputShape(conv(16, 5, 2, 'valid'), [28, 28, 1])).toEqual([12, 12, 16])
    expect(inferOutputShape(conv(4, 3, 3, 'valid'), [28, 28, 1])).toEqual([9, 9, 4])
    // MaxPooling2D docs: 3×3 input, pool 2, strides 1: valid (2, 2), same (3, 3).
    expect(inferOutputShape(pool('maxPooling2d', 2, 1, 'valid'), [3, 3, 1])).toEqual([2, 2, 1])
    expect(inferOutputShape(pool('maxPooling2d', 2, 1, 'same'), [3, 3, 1])).toEqual([3, 3, 1])
    // 3×4 input, pool 2, strides 2, valid: (1, 2).
    expect(inferOutputShape(pool('maxPooling2d', 2, 2, 'valid'), [3, 4, 1])).toEqual([1, 2, 1])
    expect(inferOutputShape(pool('averagePooling2d', 3, 2, 'same'), [7, 7, 5])).toEqual([4, 4, 5])
    expect(inferOutputShape(pool('averagePooling2d', 3, 2, 'valid'), [7, 7, 5])).toEqual([3, 3, 5])
  })

  it("matches Keras's summary of a Keras 2 style CNN with every new kind", () => {
    const spec: ModelSpec = {
      inputShape: [28, 28, 1],
      layers: [
        { type: 'rescaling', scale: 1 / 255, offset: 0 },
        pad(2, 2, 2, 2),
        conv(6, 5),
        { type: 'activation', activation: 'relu' },
        pool('maxPooling2d', 2, 2, 'valid'),
        conv(16, 3, 1, 'same'),
        { type: 'relu', maxValue: 6, negativeSlope: 0, threshold: 0 },
        { type: 'spatialDropout2d', rate: 0.1 },
        conv(32, 3, 2, 'same'),
        { type: 'leakyRelu', negativeSlope: 0.1 },
        { type: 'globalAveragePooling2d' },
        { type: 'dense', units: 10, activation: 'linear', useBias: true },
        { type: 'softmax' },
      ],
    }
    expect(rows(spec)).toEqual([
      ['rescaling', [28, 28, 1], 0],
      ['zero_padding2d', [32, 32, 1], 0],
      ['conv2d', [28, 28, 6], 156],
      ['activation', [28, 28, 6], 0],
      ['max_pooling2d', [14, 14, 6], 0],
      ['conv2d_1', [14, 14, 16], 880],
      ['re_lu', [14, 14, 16], 0],
      ['spatial_dropout2d', [14, 14, 16], 0],
      ['conv2d_2', [7, 7, 32], 4640],
      ['leaky_re_lu', [7, 7, 32], 0],
      ['global_average_pooling2d', [32], 0],
      ['dense', [10], 330],
      ['softmax', [10], 0],
    ])
    expect(summarizeModel(spec).totalParams).toBe(156 + 880 + 4640 + 330)
  })

  it('names a second layer of a kind as Keras does (activation_1, re_lu_1, …)', () => {
    const spec: ModelSpec = {
      inputShape: [4, 4, 2],
      layers: [
        { type: 'activation', activation: 'relu' },
        { type: 'activation', activation: 'sigmoid' },
        { type: 'globalMaxPooling2d' },
        { type: 'relu', maxValue: null, negativeSlope: 0, threshold: 0 },
        { type: 'relu', maxValue: null, negativeSlope: 0, threshold: 0 },
      ],
    }
    expect(rows(spec).map((r) => r[0])).toEqual([
      'activation',
      'activation_1',
      'global_max_pooling2d',
      're_lu',
      're_lu_1',
    ])
  })
})

describe('zeroPaddingAmounts', () => {
  it('reads an integer, [rows, columns] and [[top, bottom], [left, right]]', () => {
    expect(zeroPaddingAmounts(0)).toEqual([
      [0, 0],
      [0, 0],
    ])
    expect(zeroPaddingAmounts(3)).toEqual([
      [3, 3],
      [3, 3],
    ])
    expect(zeroPaddingAmounts([1, 2])).toEqual([
      [1, 1],
      [2, 2],
    ])
    expect(
      zeroPaddingAmounts([
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([
      [1, 2],
      [3, 4],
    ])
  })

  it('refuses anything else', () => {
    for (const bad of [
      -1,
      1.5,
      '1',
      null,
      undefined,
      [],
      [1],
      [1, 2, 3],
      [1, -2],
      [-1, 2],
      [[1, 2], 3],
      [
        [1, 2],
        [3, -4],
      ],
      [
        [1, 2, 3],
        [3, 4],
      ],
      [
        [1, 2],
        [3, 0.5],
      ],
      [[1, 2], [3]],
      { top: 1 },
    ]) {
      expect(zeroPaddingAmounts(bad)).toBeNull()
    }
  })
})

describe('appliesSoftmax', () => {
  it('is true for Dense or Activation with softmax and for Softmax, false otherwise', () => {
    expect(appliesSoftmax({ type: 'softmax' })).toBe(true)
    expect(appliesSoftmax({ type: 'activation', activation: 'softmax' })).toBe(true)
    expect(appliesSoftmax({ type: 'dense', units: 10, activation: 'softmax', useBias: true })).toBe(
      true,
    )
    expect(appliesSoftmax({ type: 'activation', activation: 'relu' })).toBe(false)
    expect(appliesSoftmax({ type: 'dense', units: 10, activation: 'linear', useBias: true })).toBe(
      false,
    )
    expect(appliesSoftmax({ type: 'flatten' })).toBe(false)
    // Only Dense and Activation read `activation` for this: a softmax convolution is not an output.
    expect(
      appliesSoftmax({
        type: 'conv2d',
        filters: 10,
        kernelSize: 1,
        strides: 1,
        padding: 'valid',
        activation: 'softmax',
        useBias: true,
      }),
    ).toBe(false)
  })
})

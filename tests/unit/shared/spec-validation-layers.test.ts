import { describe, expect, it } from 'vitest'
import { LOCALES } from '../../../src/shared/i18n'
import {
  formatSpecIssue,
  MAX_ZERO_PADDING,
  validateModelSpec,
  type SpecIssue,
} from '../../../src/shared/spec-validation'

/* Validation of the layer kinds added for Keras 2 models: defaults, every error, the output rule. */

const ctx = { classCount: 10, imageShape: [28, 28, 1] }
const output = { type: 'dense', units: 10, activation: 'softmax', useBias: true }
const logits = { type: 'dense', units: 10, activation: 'linear', useBias: true }
const conv = { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same' }
const convLayer = { ...conv, activation: 'linear', useBias: true }

/** A model with `layers` between a convolution and Flatten → Dense(10, softmax). */
function imageModel(...layers: unknown[]) {
  return { inputShape: [28, 28, 1], layers: [convLayer, ...layers, { type: 'flatten' }, output] }
}

function issuesOf(input: unknown): SpecIssue[] {
  const result = validateModelSpec(input, ctx)
  if (result.ok) throw new Error('expected the spec to be rejected')
  return result.issues
}

function layersOf(input: unknown) {
  const result = validateModelSpec(input, ctx)
  if (!result.ok) throw new Error(JSON.stringify(result.issues))
  return result.spec.layers
}

const brief = (issues: SpecIssue[]) => issues.map((i) => [i.layerIndex, i.field, i.key])

describe('new layer kinds: accepted, with Keras defaults filled in', () => {
  it('every kind, in a model Keras would build', () => {
    const layers = layersOf(
      imageModel(
        { type: 'rescaling', scale: 2, offset: -1 },
        { type: 'activation', activation: 'tanh' },
        { type: 'relu', maxValue: 6, negativeSlope: 0.1, threshold: 0.5 },
        { type: 'leakyRelu', negativeSlope: 0.2 },
        {
          type: 'zeroPadding2d',
          padding: [
            [1, 2],
            [0, 3],
          ],
        },
        { type: 'spatialDropout2d', rate: 0.25 },
        { type: 'softmax' },
      ),
    )
    expect(layers.slice(1, 8)).toEqual([
      { type: 'rescaling', scale: 2, offset: -1 },
      { type: 'activation', activation: 'tanh' },
      { type: 'relu', maxValue: 6, negativeSlope: 0.1, threshold: 0.5 },
      { type: 'leakyRelu', negativeSlope: 0.2 },
      {
        type: 'zeroPadding2d',
        padding: [
          [1, 2],
          [0, 3],
        ],
      },
      { type: 'spatialDropout2d', rate: 0.25 },
      { type: 'softmax' },
    ])
  })

  it('omitted options take Keras defaults; padding may be written as Keras allows', () => {
    const layers = layersOf(
      imageModel(
        { type: 'relu' },
        { type: 'relu', maxValue: null },
        { type: 'leakyRelu' },
        { type: 'rescaling', scale: 0.5 },
        { type: 'zeroPadding2d' },
        { type: 'zeroPadding2d', padding: 2 },
        { type: 'zeroPadding2d', padding: [0, 3] },
      ),
    )
    expect(layers.slice(1, 8)).toEqual([
      { type: 'relu', maxValue: null, negativeSlope: 0, threshold: 0 },
      { type: 'relu', maxValue: null, negativeSlope: 0, threshold: 0 },
      { type: 'leakyRelu', negativeSlope: 0.3 },
      { type: 'rescaling', scale: 0.5, offset: 0 },
      {
        type: 'zeroPadding2d',
        padding: [
          [1, 1],
          [1, 1],
        ],
      },
      {
        type: 'zeroPadding2d',
        padding: [
          [2, 2],
          [2, 2],
        ],
      },
      {
        type: 'zeroPadding2d',
        padding: [
          [0, 0],
          [3, 3],
        ],
      },
    ])
  })

  it('a ReLU with max 0, slope 0 and a padding of exactly the maximum', () => {
    const layers = layersOf({
      inputShape: [28, 28, 1],
      layers: [
        convLayer,
        { type: 'relu', maxValue: 0, negativeSlope: 0, threshold: 0 },
        { type: 'zeroPadding2d', padding: MAX_ZERO_PADDING },
        { type: 'globalMaxPooling2d' },
        output,
      ],
    })
    expect(layers[1]).toEqual({ type: 'relu', maxValue: 0, negativeSlope: 0, threshold: 0 })
    expect(layers[2]).toEqual({
      type: 'zeroPadding2d',
      padding: [
        [MAX_ZERO_PADDING, MAX_ZERO_PADDING],
        [MAX_ZERO_PADDING, MAX_ZERO_PADDING],
      ],
    })
  })

  it('Global pooling in place of Flatten', () => {
    for (const type of ['globalAveragePooling2d', 'globalMaxPooling2d']) {
      const result = validateModelSpec(
        { inputShape: [28, 28, 1], layers: [convLayer, { type }, output] },
        ctx,
      )
      expect(result.ok && result.summary.layers[1].outputShape).toEqual([4])
    }
  })
})

describe('the output layer may be a separate softmax', () => {
  const model = (...layers: unknown[]) => ({
    inputShape: [28, 28, 1],
    layers: [{ type: 'flatten' }, ...layers],
  })

  it("Dense(10) then Softmax or Activation('softmax'), as Keras 2 models end", () => {
    expect(validateModelSpec(model(logits, { type: 'softmax' }), ctx).ok).toBe(true)
    expect(
      validateModelSpec(model(logits, { type: 'activation', activation: 'softmax' }), ctx).ok,
    ).toBe(true)
    // An all-convolutional net: 10 channels averaged, then softmax.
    const allConv = {
      inputShape: [28, 28, 1],
      layers: [
        { ...convLayer, filters: 10 },
        { type: 'globalAveragePooling2d' },
        { type: 'activation', activation: 'softmax' },
      ],
    }
    expect(validateModelSpec(allConv, ctx).ok).toBe(true)
  })

  it('refuses a final Activation that is not softmax, naming its activation', () => {
    const issues = issuesOf(model(logits, { type: 'activation', activation: 'relu' }))
    expect(issues).toEqual([
      {
        layerIndex: 2,
        field: 'activation',
        key: 'spec.outputActivation',
        params: { layer: 3, type: 'Activation', classes: 10, activation: 'relu' },
      },
    ])
    expect(formatSpecIssue(issues[0], 'en')).toContain('must use softmax')
  })

  it('refuses a softmax over the wrong number of values, giving the shape', () => {
    const issues = issuesOf(model({ ...logits, units: 12 }, { type: 'softmax' }))
    expect(issues).toEqual([
      {
        layerIndex: 2,
        field: null,
        key: 'spec.outputSize',
        params: { layer: 3, type: 'Softmax', classes: 10, shape: '12' },
      },
    ])
    const image = issuesOf({
      inputShape: [28, 28, 1],
      layers: [convLayer, { type: 'softmax' }],
    })
    expect(image.map((i) => [i.key, i.params.shape])).toEqual([['spec.outputSize', '28×28×4']])
    expect(formatSpecIssue(image[0], 'pt-BR')).toContain('dá 28×28×4')
  })

  it('refuses other last layers with the Dense-or-softmax advice', () => {
    const issues = issuesOf(model(logits, { type: 'leakyRelu' }))
    expect(brief(issues)).toEqual([[2, null, 'spec.outputNotDense']])
    expect(formatSpecIssue(issues[0], 'en')).toContain("Activation('softmax')")
    expect(formatSpecIssue(issues[0], 'pt-BR')).toContain("Activation('softmax')")
  })

  it('reports a bad activation of the last layer once, not also as an output problem', () => {
    const issues = issuesOf(model(logits, { type: 'activation', activation: 'swish' }))
    expect(brief(issues)).toEqual([[2, 'activation', 'spec.unknownActivation']])
    const missing = issuesOf(model(logits, { type: 'activation' }))
    expect(brief(missing)).toEqual([[2, 'activation', 'spec.missingField']])
  })

  it('skips the size check when the shapes before are already broken', () => {
    const issues = issuesOf(model({ ...logits, units: 0 }, { type: 'softmax' }))
    expect(brief(issues)).toEqual([[1, 'units', 'spec.unitsRange']])
  })
})

describe('new layer kinds: each wrong field gets its own message', () => {
  const at = 1
  const one = (layer: unknown) => issuesOf(imageModel(layer))

  it('Activation: an unknown name, with a suggestion when only the case differs', () => {
    expect(one({ type: 'activation', activation: 'elu' })).toEqual([
      {
        layerIndex: at,
        field: 'activation',
        key: 'spec.unknownActivation',
        params: {
          layer: 2,
          type: 'Activation',
          value: '"elu"',
          known: 'relu, sigmoid, tanh, softmax, linear',
        },
      },
    ])
    expect(brief(one({ type: 'activation', activation: 'ReLU' }))).toEqual([
      [at, 'activation', 'spec.unknownActivationSuggest'],
    ])
  })

  it('ReLU: a negative or non-numeric max value, slope or threshold', () => {
    const issues = one({ type: 'relu', maxValue: -1, negativeSlope: -0.1, threshold: -2 })
    expect(brief(issues)).toEqual([
      [at, 'maxValue', 'spec.maxValueRange'],
      [at, 'negativeSlope', 'spec.negativeSlopeRange'],
      [at, 'threshold', 'spec.thresholdRange'],
    ])
    expect(issues.map((i) => i.params.value)).toEqual(['-1', '-0.1', '-2'])
    const text = one({ type: 'relu', maxValue: '6', negativeSlope: 'x', threshold: true })
    expect(brief(text)).toEqual([
      [at, 'maxValue', 'spec.maxValueRange'],
      [at, 'negativeSlope', 'spec.negativeSlopeRange'],
      [at, 'threshold', 'spec.thresholdRange'],
    ])
    expect(brief(one({ type: 'relu', cap: 6 }))).toEqual([[at, 'cap', 'spec.unknownField']])
  })

  it('LeakyReLU: a negative or non-numeric slope', () => {
    expect(brief(one({ type: 'leakyRelu', negativeSlope: -0.3 }))).toEqual([
      [at, 'negativeSlope', 'spec.negativeSlopeRange'],
    ])
    expect(brief(one({ type: 'leakyRelu', negativeSlope: null }))).toEqual([
      [at, 'negativeSlope', 'spec.negativeSlopeRange'],
    ])
    // Keras 2's name for the slope is not a field of the spec.
    expect(brief(one({ type: 'leakyRelu', alpha: 0.3 }))).toEqual([
      [at, 'alpha', 'spec.unknownField'],
    ])
  })

  it('Softmax and global pooling take no options', () => {
    expect(one({ type: 'softmax', axis: -1 })[0]).toMatchObject({
      field: 'axis',
      key: 'spec.unknownField',
      params: { known: 'type' },
    })
    expect(brief(one({ type: 'globalMaxPooling2d', keepdims: true }))).toEqual([
      [at, 'keepdims', 'spec.unknownField'],
    ])
  })

  it('Rescaling: a missing scale, and a scale or offset that is not a number', () => {
    expect(brief(one({ type: 'rescaling' }))).toEqual([[at, 'scale', 'spec.missingField']])
    expect(brief(one({ type: 'rescaling', scale: '1/255', offset: 'none' }))).toEqual([
      [at, 'scale', 'spec.scaleInvalid'],
      [at, 'offset', 'spec.offsetInvalid'],
    ])
  })

  it('ZeroPadding2D: negative, fractional, malformed or oversized amounts', () => {
    for (const padding of [-1, 1.5, [1, 2, 3], [[1, 2], [3]], 'same', MAX_ZERO_PADDING + 1]) {
      const issues = one({ type: 'zeroPadding2d', padding })
      expect(brief(issues)).toEqual([[at, 'padding', 'spec.zeroPaddingInvalid']])
      expect(issues[0].params.max).toBe(MAX_ZERO_PADDING)
    }
    expect(
      brief(
        one({
          type: 'zeroPadding2d',
          padding: [
            [0, MAX_ZERO_PADDING + 1],
            [0, 0],
          ],
        }),
      ),
    ).toEqual([[at, 'padding', 'spec.zeroPaddingInvalid']])
  })

  it('SpatialDropout2D: the rate, like Dropout', () => {
    expect(brief(one({ type: 'spatialDropout2d', rate: 1 }))).toEqual([
      [at, 'rate', 'spec.rateRange'],
    ])
    expect(brief(one({ type: 'spatialDropout2d' }))).toEqual([[at, 'rate', 'spec.missingField']])
  })

  it('image layers after Flatten or on a 2-D input say what they need', () => {
    for (const type of ['zeroPadding2d', 'globalAveragePooling2d', 'globalMaxPooling2d']) {
      const issues = issuesOf({
        inputShape: [28, 28, 1],
        layers: [{ type: 'flatten' }, { type }, output],
      })
      expect(issues[0]).toEqual({
        layerIndex: 1,
        field: null,
        key: 'spec.convAfterFlatten',
        params: { layer: 2, type: issues[0].params.type, size: 784 },
      })
    }
    const flat = issuesOf({
      inputShape: [28, 28, 1],
      layers: [
        { type: 'reshape', targetShape: [28, 28] },
        { type: 'spatialDropout2d', rate: 0.1 },
      ],
    })
    expect(flat[0]).toMatchObject({
      layerIndex: 1,
      key: 'spec.convNeedsImage',
      params: { type: 'SpatialDropout2D', shape: '28×28' },
    })
  })

  it('a wrong padding stops the shape checks at that layer (no echo on later layers)', () => {
    const issues = issuesOf({
      inputShape: [28, 28, 1],
      layers: [{ type: 'zeroPadding2d', padding: -3 }, { type: 'flatten' }, { type: 'softmax' }],
    })
    expect(brief(issues)).toEqual([[0, 'padding', 'spec.zeroPaddingInvalid']])
  })

  it('every new message reads as a full sentence in both languages', () => {
    const issues = [
      ...one({ type: 'relu', maxValue: -1, negativeSlope: -1, threshold: -1 }),
      ...one({ type: 'rescaling', scale: 'a', offset: 'b' }),
      ...one({ type: 'zeroPadding2d', padding: -1 }),
      ...issuesOf({ inputShape: [28, 28, 1], layers: [{ type: 'flatten' }, { type: 'softmax' }] }),
    ]
    expect(issues.map((i) => i.key)).toEqual([
      'spec.maxValueRange',
      'spec.negativeSlopeRange',
      'spec.thresholdRange',
      'spec.scaleInvalid',
      'spec.offsetInvalid',
      'spec.zeroPaddingInvalid',
      'spec.outputSize',
    ])
    for (const locale of LOCALES) {
      for (const issue of issues) {
        const text = formatSpecIssue(issue, locale)
        expect(text).not.toMatch(/[{}]/)
        expect(text).toMatch(/\.$/)
        expect(text).toContain(String(issue.params.layer))
      }
    }
    expect(formatSpecIssue(issues[0], 'pt-BR')).toBe(
      'Camada 2 (ReLU): o valor máximo deve ficar vazio (sem teto) ou ser um número maior ou igual a 0, por exemplo 6 (valor atual: -1).',
    )
    expect(formatSpecIssue(issues[5], 'en')).toBe(
      `Layer 2 (ZeroPadding2D): the padding must be a whole number of at least 0 (the same on every side), [rows, columns] or [[top, bottom], [left, right]], each at most ${MAX_ZERO_PADDING} (current value: -1).`,
    )
  })
})

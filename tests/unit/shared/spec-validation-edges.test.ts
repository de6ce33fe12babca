import { describe, expect, it } from 'vitest'
import {
  describeValue,
  formatShape,
  formatSpecIssue,
  MAX_PARAMS,
  validateModelSpec,
  type SpecIssue,
} from '../../../src/shared/spec-validation'

/*
 * The edges of validateModelSpec found by mutation testing: each bound at and past its limit, the
 * "got …" rendering of odd values, suggestions for Keras spellings, and fields reported once.
 */

const ctx = { classCount: 10, imageShape: [28, 28, 1] }
const output = { type: 'dense', units: 10, activation: 'softmax', useBias: true }
const conv = {
  type: 'conv2d',
  filters: 4,
  kernelSize: 3,
  strides: 1,
  padding: 'valid',
  activation: 'relu',
  useBias: true,
}

function issuesOf(input: unknown, context = ctx): SpecIssue[] {
  const result = validateModelSpec(input, context)
  if (result.ok) throw new Error('expected the spec to be rejected')
  return result.issues
}

const brief = (issues: SpecIssue[]) => issues.map((i) => [i.layerIndex, i.field, i.key])

/** An MLP with `layers` between Flatten and the output. */
const mlp = (...layers: unknown[]) => ({
  inputShape: [28, 28, 1],
  layers: [{ type: 'flatten' }, ...layers, output],
})

describe('describeValue and formatShape', () => {
  it('writes what the student wrote, cut after 37 characters when over 40', () => {
    expect(describeValue(undefined)).toBe('undefined')
    expect(describeValue(null)).toBe('null')
    expect(describeValue(0.5)).toBe('0.5')
    expect(describeValue(Number.NaN)).toBe('NaN')
    expect(describeValue(Infinity)).toBe('Infinity')
    expect(describeValue('dense')).toBe('"dense"')
    expect(describeValue({ a: [1, 2] })).toBe('{"a":[1,2]}')
    expect(describeValue(() => 1)).toBe('() => 1')
    const forty = 'x'.repeat(38) // 40 characters with its quotes
    expect(describeValue(forty)).toBe(`"${forty}"`)
    expect(describeValue(`${forty}y`)).toBe(`"${'x'.repeat(36)}...`)
    expect(describeValue(`${forty}y`)).toHaveLength(40)
  })

  it('joins a shape with ×', () => {
    expect(formatShape([28, 28, 1])).toBe('28×28×1')
    expect(formatShape([784])).toBe('784')
  })
})

describe('validateModelSpec at its limits', () => {
  it('accepts 64 layers and refuses 65', () => {
    const dropouts = (n: number) => Array.from({ length: n }, () => ({ type: 'dropout', rate: 0 }))
    expect(validateModelSpec(mlp(...dropouts(62)), ctx).ok).toBe(true)
    expect(brief(issuesOf(mlp(...dropouts(63))))).toEqual([[null, 'layers', 'spec.tooManyLayers']])
  })

  it('accepts exactly 20 million parameters and refuses more', () => {
    // Flatten → Dense(4) → Dense(10), no biases, on n inputs: 4·n + 4·10 = 4·(n + 10) parameters.
    const model = (n: number) =>
      validateModelSpec(
        {
          inputShape: [n, 1, 1],
          layers: [
            { type: 'flatten' },
            { type: 'dense', units: 4, activation: 'relu', useBias: false },
            { type: 'dense', units: 10, activation: 'softmax', useBias: false },
          ],
        },
        { classCount: 10, imageShape: [n, 1, 1] },
      )
    const limit = model(MAX_PARAMS / 4 - 10)
    expect(limit.ok && limit.summary.totalParams).toBe(20_000_000)
    const over = model(MAX_PARAMS / 4 - 9)
    expect(!over.ok && over.issues).toEqual([
      {
        layerIndex: null,
        field: null,
        key: 'spec.tooManyParams',
        params: { count: 20_000_004, max: 20_000_000 },
      },
    ])
  })

  it('counts parameters only up to where the shapes break', () => {
    // A huge Dense after a convolution that does not fit: its weights are not counted.
    const issues = issuesOf({
      inputShape: [28, 28, 1],
      layers: [
        { ...conv, kernelSize: 29 },
        { type: 'flatten' },
        { type: 'dense', units: 4096, activation: 'relu' },
        output,
      ],
    })
    expect(brief(issues)).toEqual([[0, 'kernelSize', 'spec.kernelVanishes']])
  })

  it('takes a kernel or pool as large as the smaller side, and refuses one larger', () => {
    const wide = { classCount: 10, imageShape: [5, 9, 1] }
    const model = (layer: unknown) => ({
      inputShape: [5, 9, 1],
      layers: [layer, { type: 'flatten' }, output],
    })
    expect(validateModelSpec(model({ ...conv, kernelSize: 5 }), wide).ok).toBe(true)
    expect(issuesOf(model({ ...conv, kernelSize: 6 }), wide)).toEqual([
      {
        layerIndex: 0,
        field: 'kernelSize',
        key: 'spec.kernelVanishes',
        params: { layer: 1, type: 'Conv2D', size: 6, height: 5, width: 9 },
      },
    ])
    const pool = { type: 'averagePooling2d', poolSize: 5, strides: 1, padding: 'valid' }
    expect(validateModelSpec(model(pool), wide).ok).toBe(true)
    expect(issuesOf(model({ ...pool, poolSize: 6 }), wide)).toEqual([
      {
        layerIndex: 0,
        field: 'poolSize',
        key: 'spec.poolVanishes',
        params: { layer: 1, type: 'AveragePooling2D', size: 6, height: 5, width: 9 },
      },
    ])
    // Tall instead of wide: the height is the larger side now.
    const tall = { classCount: 10, imageShape: [9, 5, 1] }
    const tallModel = { ...model({ ...conv, kernelSize: 6 }), inputShape: [9, 5, 1] }
    expect(brief(issuesOf(tallModel, tall))).toEqual([[0, 'kernelSize', 'spec.kernelVanishes']])
  })

  it('takes integer sizes from 1 and filters up to 1024', () => {
    const model = (fields: object) => ({
      inputShape: [28, 28, 1],
      layers: [{ ...conv, ...fields }, { type: 'flatten' }, output],
    })
    expect(validateModelSpec(model({ filters: 1, kernelSize: 1, strides: 1 }), ctx).ok).toBe(true)
    expect(validateModelSpec(model({ filters: 1024 }), ctx).ok).toBe(true)
    expect(brief(issuesOf(model({ filters: 1025, strides: 0 })))).toEqual([
      [0, 'filters', 'spec.filtersRange'],
      [0, 'strides', 'spec.stridesRange'],
    ])
    expect(issuesOf(model({ kernelSize: '3' }))[0].params).toEqual({
      layer: 1,
      type: 'Conv2D',
      value: '"3"',
      min: 1,
    })
    expect(validateModelSpec(mlp({ type: 'dense', units: 1, activation: 'relu' }), ctx).ok).toBe(
      true,
    )
    expect(brief(issuesOf(mlp({ type: 'dense', units: 0, activation: 'relu' })))).toEqual([
      [1, 'units', 'spec.unitsRange'],
    ])
  })

  it('takes rates from 0 to under 1, momentum strictly between 0 and 1, epsilon above 0', () => {
    const ok = validateModelSpec(
      mlp(
        { type: 'dropout', rate: 0 },
        { type: 'dropout', rate: 0.999 },
        { type: 'batchNormalization', momentum: 0.001, epsilon: 1e-9 },
      ),
      ctx,
    )
    expect(ok.ok && ok.spec.layers.slice(1, 4)).toEqual([
      { type: 'dropout', rate: 0 },
      { type: 'dropout', rate: 0.999 },
      { type: 'batchNormalization', momentum: 0.001, epsilon: 1e-9 },
    ])
    const issues = issuesOf(
      mlp(
        { type: 'dropout', rate: -0.1 },
        { type: 'dropout', rate: '0.5' },
        { type: 'batchNormalization', momentum: 0, epsilon: -1 },
        { type: 'batchNormalization', momentum: Number.NaN, epsilon: Infinity },
      ),
    )
    expect(brief(issues)).toEqual([
      [1, 'rate', 'spec.rateRange'],
      [2, 'rate', 'spec.rateRange'],
      [3, 'momentum', 'spec.momentumRange'],
      [3, 'epsilon', 'spec.epsilonRange'],
      [4, 'momentum', 'spec.momentumRange'],
      [4, 'epsilon', 'spec.epsilonRange'],
    ])
  })

  it('takes a ReLU cap, slope and threshold of 0 or more; a non-number cap is refused', () => {
    const ok = validateModelSpec(
      mlp({ type: 'relu', maxValue: 6, negativeSlope: 0.5, threshold: 0.25 }),
      ctx,
    )
    expect(ok.ok && ok.spec.layers[1]).toEqual({
      type: 'relu',
      maxValue: 6,
      negativeSlope: 0.5,
      threshold: 0.25,
    })
    const issues = issuesOf(mlp({ type: 'relu', maxValue: Number.NaN }))
    expect(brief(issues)).toEqual([[1, 'maxValue', 'spec.maxValueRange']])
  })

  it('keeps Rescaling’s scale and offset as written, any finite number', () => {
    const ok = validateModelSpec(mlp({ type: 'rescaling', scale: -2, offset: -0.5 }), ctx)
    expect(ok.ok && ok.spec.layers[1]).toEqual({ type: 'rescaling', scale: -2, offset: -0.5 })
  })
})

describe('validateModelSpec reports each wrong field once', () => {
  it('reports a missing field as missing, not also as out of range', () => {
    const missing = issuesOf({
      inputShape: [28, 28, 1],
      layers: [
        { type: 'conv2d' },
        { type: 'maxPooling2d' },
        { type: 'reshape' },
        { type: 'dense' },
        { type: 'activation' },
      ],
    })
    expect(brief(missing)).toEqual([
      [0, 'filters', 'spec.missingField'],
      [0, 'kernelSize', 'spec.missingField'],
      [0, 'strides', 'spec.missingField'],
      [0, 'padding', 'spec.missingField'],
      [0, 'activation', 'spec.missingField'],
      [1, 'poolSize', 'spec.missingField'],
      [1, 'strides', 'spec.missingField'],
      [1, 'padding', 'spec.missingField'],
      [2, 'targetShape', 'spec.missingField'],
      [3, 'units', 'spec.missingField'],
      [3, 'activation', 'spec.missingField'],
      [4, 'activation', 'spec.missingField'],
    ])
  })

  it('says which Keras spelling of a layer type or activation was meant', () => {
    const spec = mlp(
      { type: 'MaxPooling2D' },
      { type: 'max_pooling2d' },
      { type: 'LeakyReLU' },
      { type: 'leaky_re_lu' },
      { type: 'BatchNormalization' },
      { type: 'dense', units: 8, activation: 'SIGMOID' },
      { type: 'dense', units: 8, activation: 42 },
      { type: 7 },
    )
    const issues = issuesOf(spec)
    expect(issues.map((i) => [i.key, i.params.suggestion ?? i.params.value])).toEqual([
      ['spec.unknownLayerTypeSuggest', 'maxPooling2d'],
      ['spec.unknownLayerTypeSuggest', 'maxPooling2d'],
      ['spec.unknownLayerTypeSuggest', 'leakyRelu'],
      ['spec.unknownLayerTypeSuggest', 'leakyRelu'],
      ['spec.unknownLayerTypeSuggest', 'batchNormalization'],
      ['spec.unknownActivationSuggest', 'sigmoid'],
      ['spec.unknownActivation', '42'],
      ['spec.unknownLayerType', '7'],
    ])
  })

  it('refuses an inputShape of rank 4 or of zero rank, and a Reshape target of rank 4', () => {
    expect(issuesOf({ inputShape: [1, 28, 28, 1], layers: [output] })[0]).toMatchObject({
      field: 'inputShape',
      key: 'spec.inputShapeInvalid',
    })
    expect(issuesOf({ inputShape: [], layers: [output] })[0].key).toBe('spec.inputShapeInvalid')
    expect(issuesOf({ inputShape: [28, 28.5, 1], layers: [output] })[0].key).toBe(
      'spec.inputShapeInvalid',
    )
    const reshape = mlp({ type: 'reshape', targetShape: [1, 28, 28, 1] })
    expect(brief(issuesOf(reshape))).toEqual([[1, 'targetShape', 'spec.targetShapeInvalid']])
    const rank3 = validateModelSpec(mlp({ type: 'reshape', targetShape: [7, 4, 28] }), ctx)
    expect(rank3.ok).toBe(false)
    expect(!rank3.ok && brief(rank3.issues)).toEqual([[2, null, 'spec.denseNeedsFlatten']])
  })

  it('refuses null as a model or a layer, and takes a shape of rank 1', () => {
    expect(issuesOf(null)).toEqual([
      { layerIndex: null, field: null, key: 'spec.notObject', params: { value: 'null' } },
    ])
    expect(brief(issuesOf(mlp(null)))).toEqual([[1, null, 'spec.layerNotObject']])
    const flat = { classCount: 10, imageShape: [784] }
    expect(validateModelSpec({ inputShape: [784], layers: [output] }, flat).ok).toBe(true)
    expect(validateModelSpec(mlp({ type: 'reshape', targetShape: [784] }), ctx).ok).toBe(true)
  })

  it('refuses a model with a matching shape of another rank', () => {
    expect(
      brief(issuesOf({ ...mlp(), inputShape: [28, 28, 1] }, { ...ctx, imageShape: [784] })),
    ).toEqual([[null, 'inputShape', 'spec.inputShapeMismatch']])
    expect(brief(issuesOf({ ...mlp(), inputShape: [28, 1, 28] }))).toEqual([
      [null, 'inputShape', 'spec.inputShapeMismatch'],
    ])
  })

  it('lets a model through whose output is right even when the dataset has other classes', () => {
    const three = { classCount: 3, imageShape: [28, 28, 1] }
    const result = validateModelSpec(
      {
        inputShape: [28, 28, 1],
        layers: [
          { type: 'flatten' },
          { type: 'dense', units: 3, activation: 'linear' },
          { type: 'softmax' },
        ],
      },
      three,
    )
    expect(result.ok && result.summary.outputShape).toEqual([3])
    expect(
      brief(
        issuesOf(
          {
            inputShape: [28, 28, 1],
            layers: [
              { type: 'flatten' },
              { type: 'dense', units: 4, activation: 'linear' },
              { type: 'softmax' },
            ],
          },
          three,
        ),
      ),
    ).toEqual([[2, null, 'spec.outputSize']])
  })
})

describe('formatSpecIssue numbers', () => {
  const issue = (params: SpecIssue['params']): SpecIssue => ({
    layerIndex: null,
    field: null,
    key: 'spec.tooManyParams',
    params,
  })

  it('groups from 10,000 up, negative ones too, and writes decimal commas in Portuguese', () => {
    const text = (count: number, locale: 'en' | 'pt-BR') =>
      formatSpecIssue(issue({ count, max: 9_999 }), locale)
    expect(text(10_000, 'en')).toContain('10,000 parameters; the limit is 9999')
    expect(text(10_000, 'pt-BR')).toContain('10.000 parâmetros; o limite é 9999')
    expect(text(-10_000, 'en')).toContain('-10,000 parameters')
    expect(text(-9_999, 'en')).toContain('-9999 parameters')
    expect(text(0.5, 'pt-BR')).toContain('0,5 parâmetros')
    expect(text(0.5, 'en')).toContain('0.5 parameters')
    expect(text(12_345.5, 'pt-BR')).toContain('12345,5 parâmetros')
  })
})

/*
 * Found by mutation testing lines 142–651 (parseLayer … formatSpecIssue): a wrong shape field
 * stops the shape checks at its layer, so nothing after it is reported on a made-up shape.
 */
describe('validateModelSpec after a wrong field (mutation-tested)', () => {
  it('says nothing more about a layer whose size field is wrong', () => {
    // Units over the cap on the output layer: not also "should have 10 units".
    const last = {
      inputShape: [28, 28, 1],
      layers: [{ type: 'flatten' }, { ...output, units: 5000 }],
    }
    expect(issuesOf(last)).toEqual([
      {
        layerIndex: 1,
        field: 'units',
        key: 'spec.unitsRange',
        params: { layer: 2, type: 'Dense', value: '5000', min: 1, max: 4096 },
      },
    ])
    // 5000 filters would make a 26×26×5000 image and a Dense of 33.8 million weights.
    const wide = {
      inputShape: [28, 28, 1],
      layers: [{ ...conv, filters: 5000 }, { type: 'flatten' }, output],
    }
    expect(brief(issuesOf(wide))).toEqual([[0, 'filters', 'spec.filtersRange']])
    // A kernel or pool written as a string is not compared with the input's sides.
    const asText = (layer: object) => ({
      inputShape: [28, 28, 1],
      layers: [layer, { type: 'flatten' }, output],
    })
    expect(brief(issuesOf(asText({ ...conv, kernelSize: '30' })))).toEqual([
      [0, 'kernelSize', 'spec.kernelSizeRange'],
    ])
    const pool = { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' }
    expect(brief(issuesOf(asText({ ...pool, poolSize: '30' })))).toEqual([
      [0, 'poolSize', 'spec.poolSizeRange'],
    ])
    // Strides of 0 with a kernel too large: only the strides are reported.
    expect(brief(issuesOf(asText({ ...conv, kernelSize: 30, strides: 0 })))).toEqual([
      [0, 'strides', 'spec.stridesRange'],
    ])
    expect(issuesOf(asText({ ...pool, poolSize: 30, strides: 0 }))).toEqual([
      {
        layerIndex: 0,
        field: 'strides',
        key: 'spec.stridesRange',
        params: { layer: 1, type: 'MaxPooling2D', value: '0', min: 1 },
      },
    ])
  })

  it('names only the lower bound of a field that has no upper one', () => {
    const [issue] = issuesOf({
      inputShape: [28, 28, 1],
      layers: [{ ...conv, strides: 0 }, { type: 'flatten' }, output],
    })
    expect(issue.params).toStrictEqual({ layer: 1, type: 'Conv2D', value: '0', min: 1 })
    expect('max' in issue.params).toBe(false)
  })

  it('does not judge the output of a model whose last layer is not a layer', () => {
    const ending = (last: unknown) => ({
      inputShape: [28, 28, 1],
      layers: [{ type: 'flatten' }, output, last],
    })
    expect(brief(issuesOf(ending(42)))).toEqual([[2, null, 'spec.layerNotObject']])
    expect(brief(issuesOf(ending({ type: 'denseLayer' })))).toEqual([
      [2, 'type', 'spec.unknownLayerType'],
    ])
  })

  it('stops the shape chain after a layer that needs an image and gets none', () => {
    // A Conv2D on a 28×28 (rank 2) input: "needs an image", not also "kernel larger than 28".
    const flatImage = {
      inputShape: [28, 28, 1],
      layers: [
        { type: 'reshape', targetShape: [28, 28] },
        { ...conv, kernelSize: 30 },
        { type: 'flatten' },
        output,
      ],
    }
    expect(brief(issuesOf(flatImage))).toEqual([[1, null, 'spec.convNeedsImage']])
  })

  it('follows the shape through global pooling to the output', () => {
    // Conv2D(4) → GlobalAveragePooling2D gives 4 values, not one per class.
    const model = (filters: number, pooling: string) => ({
      inputShape: [28, 28, 1],
      layers: [
        { ...conv, filters },
        { type: pooling },
        { type: 'dense', units: 10, activation: 'linear' },
        { type: 'softmax' },
      ],
    })
    const ok = validateModelSpec(model(4, 'globalAveragePooling2d'), ctx)
    expect(ok.ok && ok.summary.totalParams).toBe(4 * 9 + 4 + 4 * 10 + 10)
    const noDense = (pooling: string) => ({
      inputShape: [28, 28, 1],
      layers: [{ ...conv, filters: 4 }, { type: pooling }, { type: 'softmax' }],
    })
    for (const pooling of ['globalAveragePooling2d', 'globalMaxPooling2d']) {
      expect(issuesOf(noDense(pooling))).toEqual([
        {
          layerIndex: 2,
          field: null,
          key: 'spec.outputSize',
          params: { layer: 3, type: 'Softmax', classes: 10, shape: '4' },
        },
      ])
    }
    // ZeroPadding2D and SpatialDropout2D pass the chain on as well: a Dense right after them
    // still needs a Flatten.
    for (const layer of [
      { type: 'zeroPadding2d', padding: 1 },
      { type: 'spatialDropout2d', rate: 0.5 },
    ]) {
      expect(brief(issuesOf({ inputShape: [28, 28, 1], layers: [layer, output] }))).toEqual([
        [1, null, 'spec.denseNeedsFlatten'],
      ])
    }
  })

  it('refuses a final softmax over an image, even when its first side matches the classes', () => {
    const square = { classCount: 10, imageShape: [10, 10, 1] }
    const issues = issuesOf({ inputShape: [10, 10, 1], layers: [{ type: 'softmax' }] }, square)
    expect(issues).toEqual([
      {
        layerIndex: 0,
        field: null,
        key: 'spec.outputSize',
        params: { layer: 1, type: 'Softmax', classes: 10, shape: '10×10×1' },
      },
    ])
  })

  it('takes a LeakyReLU slope of 0 and refuses a negative one', () => {
    const ok = validateModelSpec(mlp({ type: 'leakyRelu', negativeSlope: 0 }), ctx)
    expect(ok.ok && ok.spec.layers[1]).toEqual({ type: 'leakyRelu', negativeSlope: 0 })
    expect(brief(issuesOf(mlp({ type: 'leakyRelu', negativeSlope: -0.01 })))).toEqual([
      [1, 'negativeSlope', 'spec.negativeSlopeRange'],
    ])
  })

  it('counts the weights of the layer where the shapes break only when it has an output', () => {
    // Dense(4096) straight on a 1×1×5000 input would own 20.5 million weights: not counted,
    // since it is refused for the missing Flatten.
    const deep = { classCount: 10, imageShape: [1, 1, 5000] }
    const issues = issuesOf(
      {
        inputShape: [1, 1, 5000],
        layers: [{ type: 'dense', units: 4096, activation: 'relu' }, output],
      },
      deep,
    )
    expect(brief(issues)).toEqual([[0, null, 'spec.denseNeedsFlatten']])
  })

  it('counts the biases Keras adds by default when useBias is not a boolean', () => {
    // Flatten → Dense(4) → Dense(10) on n inputs: 4·(n + 10) weights, plus 4 biases.
    const n = MAX_PARAMS / 4 - 10
    const issues = issuesOf(
      {
        inputShape: [n, 1, 1],
        layers: [
          { type: 'flatten' },
          { type: 'dense', units: 4, activation: 'relu', useBias: 'yes' },
          { type: 'dense', units: 10, activation: 'softmax', useBias: false },
        ],
      },
      { classCount: 10, imageShape: [n, 1, 1] },
    )
    expect(issues.map((i) => [i.key, i.params.count])).toEqual([
      ['spec.useBiasType', undefined],
      ['spec.tooManyParams', 20_000_004],
    ])
  })

  it('leaves the values the student wrote as written in Portuguese, dots included', () => {
    const [issue] = issuesOf(mlp({ type: 'dropout', rate: 1.5 }))
    expect(issue.params.value).toBe('1.5')
    expect(formatSpecIssue(issue, 'pt-BR')).toContain('1.5')
    expect(formatSpecIssue(issue, 'pt-BR')).not.toContain('1,5')
  })
})

import { describe, expect, it } from 'vitest'
import { getPreset } from '../../../src/shared/presets'
import {
  formatSpecIssue,
  validateModelSpec,
  type SpecIssue,
} from '../../../src/shared/spec-validation'

const ctx = { classCount: 10, imageShape: [28, 28, 1] }

/** A preset as a student's JSON file would hold it: plain, untyped data. */
function specJson(name: 'tutorial-mlp' | 'lenet-cnn' = 'tutorial-mlp'): {
  inputShape: unknown
  layers: Record<string, unknown>[]
} {
  return JSON.parse(JSON.stringify(getPreset(name).spec))
}

function issuesOf(input: unknown): SpecIssue[] {
  const result = validateModelSpec(input, ctx)
  if (result.ok) throw new Error('expected the spec to be rejected')
  return result.issues
}

const softmax10 = { type: 'dense', units: 10, activation: 'softmax', useBias: true }

describe('validateModelSpec accepts', () => {
  it('both presets read back from JSON, with their summaries', () => {
    const mlp = validateModelSpec(specJson('tutorial-mlp'), ctx)
    expect(mlp.ok && mlp.summary.totalParams).toBe(101_770)
    const lenet = validateModelSpec(specJson('lenet-cnn'), ctx)
    expect(lenet.ok && lenet.spec).toEqual(getPreset('lenet-cnn').spec)
  })

  it('omitted useBias, momentum and epsilon, filling in the defaults', () => {
    const result = validateModelSpec(
      {
        inputShape: [28, 28, 1],
        layers: [
          { type: 'flatten' },
          { type: 'batchNormalization' },
          { type: 'dense', units: 10, activation: 'softmax' },
        ],
      },
      ctx,
    )
    expect(result.ok && result.spec.layers).toEqual([
      { type: 'flatten' },
      { type: 'batchNormalization', momentum: 0.99, epsilon: 0.001 },
      { type: 'dense', units: 10, activation: 'softmax', useBias: true },
    ])
    expect(result.ok && result.summary.nonTrainableParams).toBe(2 * 784)
  })
})

describe('validateModelSpec rejects', () => {
  it('a non-object', () => {
    expect(issuesOf([1, 2])).toEqual([
      { layerIndex: null, field: null, key: 'spec.notObject', params: { value: '[1,2]' } },
    ])
  })

  it('unknown top-level fields, a missing inputShape and missing layers', () => {
    expect(issuesOf({ layer: [] })).toEqual([
      {
        layerIndex: null,
        field: 'layer',
        key: 'spec.unknownModelField',
        params: { field: 'layer' },
      },
      {
        layerIndex: null,
        field: 'inputShape',
        key: 'spec.inputShapeMissing',
        params: { value: 'undefined', expected: '[28, 28, 1]' },
      },
      {
        layerIndex: null,
        field: 'layers',
        key: 'spec.layersMissing',
        params: { value: 'undefined' },
      },
    ])
  })

  it('a malformed inputShape and one that does not match the dataset', () => {
    const bad = { ...specJson(), inputShape: [28, -1] }
    expect(issuesOf(bad)[0]).toEqual({
      layerIndex: null,
      field: 'inputShape',
      key: 'spec.inputShapeInvalid',
      params: { value: '[28,-1]', expected: '[28, 28, 1]' },
    })
    expect(issuesOf({ ...specJson(), inputShape: [28, 28] })).toEqual([
      {
        layerIndex: null,
        field: 'inputShape',
        key: 'spec.inputShapeMismatch',
        params: { actual: '[28, 28]', expected: '[28, 28, 1]' },
      },
    ])
  })

  it('no layers, layers that are not a list, and more than 64 layers', () => {
    expect(issuesOf({ inputShape: [28, 28, 1], layers: [] })).toEqual([
      { layerIndex: null, field: 'layers', key: 'spec.noLayers', params: { classes: 10 } },
    ])
    expect(issuesOf({ inputShape: [28, 28, 1], layers: 'dense' })[0].key).toBe('spec.layersNotList')
    const many = [{ type: 'flatten' }, ...Array.from({ length: 64 }, () => softmax10)]
    expect(issuesOf({ inputShape: [28, 28, 1], layers: many })).toEqual([
      {
        layerIndex: null,
        field: 'layers',
        key: 'spec.tooManyLayers',
        params: { count: 65, max: 64 },
      },
    ])
  })

  it('a layer that is not an object, has no type, or has an unknown type', () => {
    const spec = specJson()
    spec.layers.splice(1, 0, 'dense' as never, { units: 3 }, { type: 'lstm' }, { type: 'Dense' })
    const issues = issuesOf(spec)
    const known =
      'flatten, dense, dropout, conv2d, maxPooling2d, averagePooling2d, batchNormalization, ' +
      'reshape, activation, relu, leakyRelu, softmax, rescaling, zeroPadding2d, ' +
      'globalAveragePooling2d, globalMaxPooling2d, spatialDropout2d'
    expect(issues).toEqual([
      {
        layerIndex: 1,
        field: null,
        key: 'spec.layerNotObject',
        params: { layer: 2, value: '"dense"' },
      },
      { layerIndex: 2, field: 'type', key: 'spec.layerTypeMissing', params: { layer: 3, known } },
      {
        layerIndex: 3,
        field: 'type',
        key: 'spec.unknownLayerType',
        params: { layer: 4, value: '"lstm"', known },
      },
      {
        layerIndex: 4,
        field: 'type',
        key: 'spec.unknownLayerTypeSuggest',
        params: { layer: 5, value: '"Dense"', suggestion: 'dense' },
      },
    ])
  })

  it('unknown, missing and wrongly typed fields', () => {
    const spec = specJson()
    spec.layers[1] = { type: 'dense', units: '128', activation: 'relu', useBias: 'yes', name: 'x' }
    spec.layers[0] = { type: 'flatten', units: 3 }
    spec.layers.splice(2, 0, { type: 'dropout' })
    expect(issuesOf(spec)).toEqual([
      {
        layerIndex: 0,
        field: 'units',
        key: 'spec.unknownField',
        params: { layer: 1, type: 'Flatten', field: 'units', known: 'type' },
      },
      {
        layerIndex: 1,
        field: 'name',
        key: 'spec.unknownField',
        params: {
          layer: 2,
          type: 'Dense',
          field: 'name',
          known: 'type, units, activation, useBias',
        },
      },
      {
        layerIndex: 1,
        field: 'units',
        key: 'spec.unitsRange',
        params: { layer: 2, type: 'Dense', value: '"128"', min: 1, max: 4096 },
      },
      {
        layerIndex: 1,
        field: 'useBias',
        key: 'spec.useBiasType',
        params: { layer: 2, type: 'Dense', value: '"yes"' },
      },
      {
        layerIndex: 2,
        field: 'rate',
        key: 'spec.missingField',
        params: { layer: 3, type: 'Dropout', field: 'rate' },
      },
    ])
  })

  it('units out of 1..4096, with the message in both languages', () => {
    const spec = specJson()
    spec.layers[1].units = 5000
    const issues = issuesOf(spec)
    expect(issues).toEqual([
      {
        layerIndex: 1,
        field: 'units',
        key: 'spec.unitsRange',
        params: { layer: 2, type: 'Dense', value: '5000', min: 1, max: 4096 },
      },
    ])
    expect(formatSpecIssue(issues[0], 'pt-BR')).toBe(
      'Camada 2 (Dense): unidades deve ser um inteiro entre 1 e 4096 (valor atual: 5000).',
    )
    expect(formatSpecIssue(issues[0], 'en')).toBe(
      'Layer 2 (Dense): units must be an integer between 1 and 4096 (current value: 5000).',
    )
  })

  it('unknown activations, listing the known ones or suggesting a spelling', () => {
    const spec = specJson()
    spec.layers[1].activation = 'gelu'
    spec.layers[2].activation = 'Softmax'
    expect(issuesOf(spec)).toEqual([
      {
        layerIndex: 1,
        field: 'activation',
        key: 'spec.unknownActivation',
        params: {
          layer: 2,
          type: 'Dense',
          value: '"gelu"',
          known: 'relu, sigmoid, tanh, softmax, linear',
        },
      },
      {
        layerIndex: 2,
        field: 'activation',
        key: 'spec.unknownActivationSuggest',
        params: { layer: 3, type: 'Dense', value: '"Softmax"', suggestion: 'softmax' },
      },
    ])
  })

  it('filters, kernel size, strides, pool size and padding out of range', () => {
    const spec = specJson('lenet-cnn')
    Object.assign(spec.layers[0], { filters: 2000, kernelSize: 0, strides: 1.5, padding: 'full' })
    Object.assign(spec.layers[1], { poolSize: -2 })
    const base = { layer: 1, type: 'Conv2D' }
    expect(issuesOf(spec)).toEqual([
      {
        layerIndex: 0,
        field: 'filters',
        key: 'spec.filtersRange',
        params: { ...base, value: '2000', min: 1, max: 1024 },
      },
      {
        layerIndex: 0,
        field: 'kernelSize',
        key: 'spec.kernelSizeRange',
        params: { ...base, value: '0', min: 1 },
      },
      {
        layerIndex: 0,
        field: 'strides',
        key: 'spec.stridesRange',
        params: { ...base, value: '1.5', min: 1 },
      },
      {
        layerIndex: 0,
        field: 'padding',
        key: 'spec.unknownPadding',
        params: { ...base, value: '"full"', known: 'valid, same' },
      },
      {
        layerIndex: 1,
        field: 'poolSize',
        key: 'spec.poolSizeRange',
        params: { layer: 2, type: 'MaxPooling2D', value: '-2', min: 1 },
      },
    ])
  })

  it('a dropout rate of 1, and batch norm momentum and epsilon out of range', () => {
    const spec = specJson()
    spec.layers.splice(
      2,
      0,
      { type: 'dropout', rate: 1 },
      { type: 'batchNormalization', momentum: 1, epsilon: 0 },
    )
    expect(issuesOf(spec)).toEqual([
      {
        layerIndex: 2,
        field: 'rate',
        key: 'spec.rateRange',
        params: { layer: 3, type: 'Dropout', value: '1' },
      },
      {
        layerIndex: 3,
        field: 'momentum',
        key: 'spec.momentumRange',
        params: { layer: 4, type: 'BatchNormalization', value: '1' },
      },
      {
        layerIndex: 3,
        field: 'epsilon',
        key: 'spec.epsilonRange',
        params: { layer: 4, type: 'BatchNormalization', value: '0' },
      },
    ])
  })

  it('Dense after a convolution without Flatten', () => {
    const spec = specJson('lenet-cnn')
    spec.layers.splice(4, 1)
    expect(issuesOf(spec)).toEqual([
      {
        layerIndex: 4,
        field: null,
        key: 'spec.denseNeedsFlatten',
        params: { layer: 5, type: 'Dense', shape: '5×5×16' },
      },
    ])
  })

  it('a convolution after Flatten, and one on an input without channels', () => {
    const spec = specJson('lenet-cnn')
    spec.layers.unshift({ type: 'flatten' })
    expect(issuesOf(spec)).toEqual([
      {
        layerIndex: 1,
        field: null,
        key: 'spec.convAfterFlatten',
        params: { layer: 2, type: 'Conv2D', size: 784 },
      },
    ])
    const noChannels = specJson('lenet-cnn')
    noChannels.inputShape = [28, 28]
    const result = validateModelSpec(noChannels, { ...ctx, imageShape: [28, 28] })
    expect(!result.ok && result.issues).toEqual([
      {
        layerIndex: 0,
        field: null,
        key: 'spec.convNeedsImage',
        params: { layer: 1, type: 'Conv2D', shape: '28×28' },
      },
    ])
  })

  it('a "same" kernel larger than its input', () => {
    const spec = specJson('lenet-cnn')
    spec.layers.splice(4, 0, {
      type: 'conv2d',
      filters: 4,
      kernelSize: 7,
      strides: 1,
      padding: 'same',
      activation: 'relu',
      useBias: true,
    })
    const issues = issuesOf(spec)
    expect(issues).toEqual([
      {
        layerIndex: 4,
        field: 'kernelSize',
        key: 'spec.kernelTooLarge',
        params: { layer: 5, type: 'Conv2D', size: 7, height: 5, width: 5 },
      },
    ])
    expect(formatSpecIssue(issues[0], 'en')).toContain(
      'the 7×7 kernel is larger than its 5×5 input',
    )
  })

  it('outputs shrinking to zero under "valid" windows, and a "same" pool too large', () => {
    const spec = specJson('lenet-cnn')
    spec.layers[2].kernelSize = 15
    const pool = { type: 'maxPooling2d', poolSize: 8, strides: 8, padding: 'same' }
    spec.layers.splice(4, 0, pool)
    expect(issuesOf(spec)).toEqual([
      {
        layerIndex: 2,
        field: 'kernelSize',
        key: 'spec.kernelVanishes',
        params: { layer: 3, type: 'Conv2D', size: 15, height: 14, width: 14 },
      },
    ])
    const pools = specJson('lenet-cnn')
    pools.layers.splice(4, 0, { ...pool, padding: 'valid' })
    expect(issuesOf(pools)).toEqual([
      {
        layerIndex: 4,
        field: 'poolSize',
        key: 'spec.poolVanishes',
        params: { layer: 5, type: 'MaxPooling2D', size: 8, height: 5, width: 5 },
      },
    ])
    const samePool = specJson('lenet-cnn')
    samePool.layers.splice(4, 0, pool)
    expect(issuesOf(samePool)[0]).toEqual({
      layerIndex: 4,
      field: 'poolSize',
      key: 'spec.poolTooLarge',
      params: { layer: 5, type: 'MaxPooling2D', size: 8, height: 5, width: 5 },
    })
  })

  it('a Reshape that changes the number of values, and a malformed target shape', () => {
    const spec = specJson()
    spec.layers.splice(1, 0, { type: 'reshape', targetShape: [10, 10] })
    expect(issuesOf(spec)).toEqual([
      {
        layerIndex: 1,
        field: 'targetShape',
        key: 'spec.reshapeSize',
        params: {
          layer: 2,
          type: 'Reshape',
          target: '[10, 10]',
          targetSize: 100,
          shape: '784',
          size: 784,
        },
      },
    ])
    spec.layers[1].targetShape = [28, 0]
    expect(issuesOf(spec)[0].key).toBe('spec.targetShapeInvalid')
  })

  it('an output layer that is not Dense, has the wrong units, or lacks softmax', () => {
    const notDense = specJson()
    notDense.layers.push({ type: 'dropout', rate: 0.2 })
    expect(issuesOf(notDense)).toEqual([
      {
        layerIndex: 3,
        field: null,
        key: 'spec.outputNotDense',
        params: { layer: 4, type: 'Dropout', classes: 10 },
      },
    ])
    const wrong = specJson()
    Object.assign(wrong.layers[2], { units: 9, activation: 'relu' })
    const issues = issuesOf(wrong)
    expect(issues).toEqual([
      {
        layerIndex: 2,
        field: 'units',
        key: 'spec.outputUnits',
        params: { layer: 3, type: 'Dense', classes: 10, units: 9 },
      },
      {
        layerIndex: 2,
        field: 'activation',
        key: 'spec.outputActivation',
        params: { layer: 3, type: 'Dense', classes: 10, activation: 'relu' },
      },
    ])
    expect(formatSpecIssue(issues[0], 'en')).toBe(
      'Layer 3 (Dense) is the output layer: it must have 10 units, one per class, with softmax (current value: 9).',
    )
  })

  it('more than 20 million parameters, with counts grouped per locale', () => {
    const spec = specJson()
    spec.layers[1].units = 4096
    spec.layers.splice(2, 0, { type: 'dense', units: 4096, activation: 'relu', useBias: true })
    spec.layers.splice(2, 0, { type: 'dense', units: 4096, activation: 'relu', useBias: true })
    const count = 784 * 4096 + 4096 + 2 * (4096 * 4096 + 4096) + 4096 * 10 + 10
    const issues = issuesOf(spec)
    expect(issues).toEqual([
      {
        layerIndex: null,
        field: null,
        key: 'spec.tooManyParams',
        params: { count, max: 20_000_000 },
      },
    ])
    expect(formatSpecIssue(issues[0], 'pt-BR')).toContain(
      'O modelo tem 36.818.954 parâmetros; o limite é 20.000.000',
    )
    expect(formatSpecIssue(issues[0], 'en')).toContain(
      'The model has 36,818,954 parameters; the limit is 20,000,000',
    )
  })

  it('reports every issue at once, in layer order', () => {
    const spec = specJson('lenet-cnn')
    spec.layers[0].filters = 0
    spec.layers[6].activation = 'swish'
    spec.layers[7].units = 3
    const keys = issuesOf({ ...spec, inputShape: [32, 32, 3] }).map((i) => [i.layerIndex, i.key])
    expect(keys).toEqual([
      [null, 'spec.inputShapeMismatch'],
      [0, 'spec.filtersRange'],
      [6, 'spec.unknownActivation'],
      [7, 'spec.outputUnits'],
    ])
  })
})

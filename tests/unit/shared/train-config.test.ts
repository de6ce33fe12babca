import { describe, expect, it } from 'vitest'
import type { TrainConfig } from '../../../src/shared/model-spec'
import { formatSpecIssue, type SpecIssue } from '../../../src/shared/spec-validation'
import {
  DEFAULT_LEARNING_RATES,
  DEFAULT_TRAIN_CONFIG,
  learningRateAfterSwitch,
  mergeTrainConfig,
  validateTrainConfig,
} from '../../../src/shared/train-config'

function issuesOf(input: unknown): SpecIssue[] {
  const result = validateTrainConfig(input)
  if (result.ok) throw new Error('expected the config to be rejected')
  return result.issues
}

const withField = (field: string, value: unknown): unknown => ({
  ...DEFAULT_TRAIN_CONFIG,
  [field]: value,
})

describe('DEFAULT_TRAIN_CONFIG', () => {
  it('is the tutorial recipe and passes validation', () => {
    expect(DEFAULT_TRAIN_CONFIG).toEqual({
      optimizer: 'adam',
      learningRate: 0.001,
      momentum: 0,
      loss: 'sparseCategoricalCrossentropy',
      epochs: 30,
      batchSize: 32,
      validationSplit: 0.2,
      splitMode: 'last',
      seed: 42,
      earlyStopping: null,
      restoreBestWeights: false,
      limit: null,
    })
    const result = validateTrainConfig(JSON.parse(JSON.stringify(DEFAULT_TRAIN_CONFIG)))
    expect(result).toEqual({ ok: true, config: DEFAULT_TRAIN_CONFIG })
  })
})

describe('validateTrainConfig', () => {
  it('accepts the edges of every range', () => {
    const config: TrainConfig = {
      optimizer: 'sgd',
      learningRate: 10,
      momentum: 0.999,
      loss: 'categoricalCrossentropy',
      epochs: 1000,
      batchSize: 4096,
      validationSplit: 0,
      splitMode: 'seeded',
      seed: 2 ** 32 - 1,
      earlyStopping: { monitor: 'loss', patience: 100 },
      restoreBestWeights: true,
      limit: 10,
    }
    expect(validateTrainConfig(config)).toEqual({ ok: true, config })
  })

  it('reads a config saved before restoreBestWeights existed as off, and checks the option', () => {
    const { restoreBestWeights: _restore, ...older } = DEFAULT_TRAIN_CONFIG
    expect(validateTrainConfig(older)).toEqual({ ok: true, config: DEFAULT_TRAIN_CONFIG })
    expect(issuesOf({ ...DEFAULT_TRAIN_CONFIG, restoreBestWeights: 'yes' })).toEqual([
      expect.objectContaining({
        field: 'restoreBestWeights',
        key: 'spec.config.restoreBestWeightsBoolean',
      }),
    ])
    // Picking the lowest val_loss needs validation data.
    expect(
      issuesOf({ ...DEFAULT_TRAIN_CONFIG, restoreBestWeights: true, validationSplit: 0 }),
    ).toEqual([
      expect.objectContaining({
        field: 'restoreBestWeights',
        key: 'spec.config.restoreNeedsValidation',
      }),
    ])
  })

  it('rejects a non-object', () => {
    expect(issuesOf('adam')).toEqual([
      { layerIndex: null, field: null, key: 'spec.config.notObject', params: { value: '"adam"' } },
    ])
  })

  it('rejects unknown and missing fields', () => {
    const { seed: _seed, ...noSeed } = DEFAULT_TRAIN_CONFIG
    expect(issuesOf({ ...noSeed, epoch: 5 })).toEqual([
      {
        layerIndex: null,
        field: 'epoch',
        key: 'spec.config.unknownField',
        params: {
          field: 'epoch',
          known:
            'optimizer, learningRate, momentum, loss, epochs, batchSize, validationSplit, splitMode, seed, earlyStopping, restoreBestWeights, limit',
        },
      },
      {
        layerIndex: null,
        field: 'seed',
        key: 'spec.config.missingField',
        params: { field: 'seed' },
      },
    ])
  })

  const cases: [string, unknown, string, Record<string, string | number>][] = [
    ['optimizer', 'adagrad', 'spec.config.optimizerUnknown', { known: 'sgd, adam, rmsprop' }],
    ['learningRate', 0, 'spec.config.learningRateRange', { max: 10 }],
    ['learningRate', 10.5, 'spec.config.learningRateRange', { max: 10 }],
    ['momentum', 1, 'spec.config.momentumRange', {}],
    ['momentum', -0.1, 'spec.config.momentumRange', {}],
    [
      'loss',
      'mse',
      'spec.config.lossUnknown',
      { known: 'sparseCategoricalCrossentropy, categoricalCrossentropy' },
    ],
    ['epochs', 0, 'spec.config.epochsRange', { min: 1, max: 1000 }],
    ['epochs', 1001, 'spec.config.epochsRange', { min: 1, max: 1000 }],
    ['epochs', 2.5, 'spec.config.epochsRange', { min: 1, max: 1000 }],
    ['batchSize', 4097, 'spec.config.batchSizeRange', { min: 1, max: 4096 }],
    ['validationSplit', 1, 'spec.config.validationSplitRange', {}],
    ['validationSplit', -0.2, 'spec.config.validationSplitRange', {}],
    ['splitMode', 'random', 'spec.config.splitModeUnknown', { known: 'last, seeded' }],
    ['seed', 2 ** 32, 'spec.config.seedRange', { max: 2 ** 32 - 1 }],
    ['seed', -1, 'spec.config.seedRange', { max: 2 ** 32 - 1 }],
    ['limit', 9, 'spec.config.limitRange', { min: 10 }],
    ['limit', '100', 'spec.config.limitRange', { min: 10 }],
    ['earlyStopping', 5, 'spec.config.earlyStoppingNotObject', {}],
  ]
  it.each(cases)('rejects %s = %j', (field, value, key, params) => {
    expect(issuesOf(withField(field, value))).toEqual([
      { layerIndex: null, field, key, params: { value: JSON.stringify(value), ...params } },
    ])
  })

  it('rejects a bad early-stopping monitor and patience', () => {
    const issues = issuesOf(withField('earlyStopping', { monitor: 'acc', patience: 0, delta: 1 }))
    expect(issues).toEqual([
      {
        layerIndex: null,
        field: 'earlyStopping.delta',
        key: 'spec.config.unknownField',
        params: { field: 'earlyStopping.delta', known: 'monitor, patience' },
      },
      {
        layerIndex: null,
        field: 'earlyStopping.monitor',
        key: 'spec.config.monitorUnknown',
        params: { value: '"acc"', known: 'val_loss, val_accuracy, loss, accuracy' },
      },
      {
        layerIndex: null,
        field: 'earlyStopping.patience',
        key: 'spec.config.patienceRange',
        params: { value: '0', min: 1, max: 100 },
      },
    ])
  })

  it('rejects watching a validation metric without validation data', () => {
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      validationSplit: 0,
      earlyStopping: { monitor: 'val_accuracy', patience: 3 },
    }
    const issues = issuesOf(config)
    expect(issues).toEqual([
      {
        layerIndex: null,
        field: 'earlyStopping.monitor',
        key: 'spec.config.monitorNeedsValidation',
        params: { monitor: 'val_accuracy' },
      },
    ])
    expect(formatSpecIssue(issues[0], 'pt-BR')).toBe(
      'A parada antecipada observa val_accuracy, que precisa de dados de validação, mas a fração de validação é 0. Observe loss ou accuracy, ou defina uma fração de validação como 0,2.',
    )
  })

  it('says decimals the Portuguese way', () => {
    const [issue] = issuesOf(withField('learningRate', 12.5))
    expect(formatSpecIssue({ ...issue, params: { ...issue.params, max: 0.5 } }, 'pt-BR')).toBe(
      'A taxa de aprendizado deve ser maior que 0 e no máximo 0,5, por exemplo 0,001 (valor atual: 12.5).',
    )
  })
})

describe('mergeTrainConfig', () => {
  it('applies defined overrides and leaves the base untouched', () => {
    const base = {
      ...DEFAULT_TRAIN_CONFIG,
      earlyStopping: { monitor: 'val_loss' as const, patience: 3 },
    }
    const merged = mergeTrainConfig(base, { epochs: 5, batchSize: undefined, limit: 1000 })
    expect(merged).toEqual({ ...base, epochs: 5, limit: 1000 })
    merged.earlyStopping!.patience = 9
    expect(base.earlyStopping.patience).toBe(3)
    expect(mergeTrainConfig(base, { earlyStopping: null }).earlyStopping).toBeNull()
  })
})

describe('learningRateAfterSwitch', () => {
  it("moves an untouched rate to the new optimizer's Keras default", () => {
    expect(DEFAULT_LEARNING_RATES).toEqual({ sgd: 0.01, adam: 0.001, rmsprop: 0.001 })
    expect(learningRateAfterSwitch('adam', 'sgd', 0.001)).toBe(0.01)
    expect(learningRateAfterSwitch('sgd', 'rmsprop', 0.01)).toBe(0.001)
    expect(learningRateAfterSwitch('sgd', 'adam', 0.01)).toBe(0.001)
  })

  it('keeps a rate the student chose, even text still being typed', () => {
    expect(learningRateAfterSwitch('adam', 'sgd', 0.005)).toBe(0.005)
    expect(learningRateAfterSwitch('sgd', 'adam', 0.1)).toBe(0.1)
    expect(learningRateAfterSwitch('adam', 'sgd', '0,0')).toBe('0,0')
  })
})

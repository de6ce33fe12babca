import type { MessageKey, MessageParams } from './i18n'
import {
  LOSSES,
  MONITORS,
  OPTIMIZERS,
  SPLIT_MODES,
  type EarlyStopping,
  type LossName,
  type Monitor,
  type OptimizerName,
  type SplitMode,
  type TrainConfig,
} from './model-spec'
import { describeValue, type SpecIssue } from './spec-validation'

export const MAX_EPOCHS = 1000
export const MAX_BATCH_SIZE = 4096
export const MAX_LEARNING_RATE = 10
export const MAX_SEED = 2 ** 32 - 1
export const MAX_PATIENCE = 100
/** Fewer samples than this cannot fill even one meaningful batch and validation split. */
export const MIN_LIMIT = 10

/** The tutorial's recipe: Adam at 0.001, sparse categorical cross-entropy, 30 epochs, 20% validation. */
export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
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

/**
 * Keras's default learning rate for each optimizer (`tf.keras.optimizers.SGD()` is 0.01, Adam and
 * RMSprop 0.001). Comparing optimizers at one shared rate teaches that SGD is bad, so each starts
 * from its own default.
 */
export const DEFAULT_LEARNING_RATES: Readonly<Record<OptimizerName, number>> = Object.freeze({
  sgd: 0.01,
  adam: 0.001,
  rmsprop: 0.001,
})

/**
 * The learning rate after switching from optimizer `from` to `to`: the new optimizer's Keras
 * default when the rate is still `from`'s default (the student did not choose it), else the
 * student's own rate, kept.
 */
export function learningRateAfterSwitch(
  from: OptimizerName,
  to: OptimizerName,
  learningRate: unknown,
): unknown {
  return learningRate === DEFAULT_LEARNING_RATES[from] ? DEFAULT_LEARNING_RATES[to] : learningRate
}

/** Every field of a TrainConfig, in the order forms and tables show them. */
export const TRAIN_CONFIG_FIELDS: readonly (keyof TrainConfig)[] = [
  'optimizer',
  'learningRate',
  'momentum',
  'loss',
  'epochs',
  'batchSize',
  'validationSplit',
  'splitMode',
  'seed',
  'earlyStopping',
  'restoreBestWeights',
  'limit',
]

const EARLY_STOPPING_FIELDS = ['monitor', 'patience']

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return (options as readonly unknown[]).includes(value)
}

/**
 * Checks a training config (from a JSON file, the UI or CLI flags) and reports every problem, each
 * as a message key with parameters. Every field must be present; merge over
 * `DEFAULT_TRAIN_CONFIG` first to accept a partial one.
 */
export function validateTrainConfig(
  input: unknown,
): { ok: true; config: TrainConfig } | { ok: false; issues: SpecIssue[] } {
  if (!isRecord(input)) {
    return {
      ok: false,
      issues: [
        {
          layerIndex: null,
          field: null,
          key: 'spec.config.notObject',
          params: { value: describeValue(input) },
        },
      ],
    }
  }
  const issues: SpecIssue[] = []
  const report = (field: string, key: MessageKey, params: MessageParams = {}): void => {
    issues.push({
      layerIndex: null,
      field,
      key,
      params: { value: describeValue(input[field]), ...params },
    })
  }
  for (const field of Object.keys(input)) {
    if (!(TRAIN_CONFIG_FIELDS as readonly string[]).includes(field)) {
      issues.push({
        layerIndex: null,
        field,
        key: 'spec.config.unknownField',
        params: { field, known: TRAIN_CONFIG_FIELDS.join(', ') },
      })
    }
  }
  const present = (field: keyof TrainConfig): boolean => {
    if (field in input) return true
    // Configs saved before the option existed (runs, spec files, bundles, lessons) lack it.
    if (field === 'restoreBestWeights') return false
    issues.push({ layerIndex: null, field, key: 'spec.config.missingField', params: { field } })
    return false
  }
  const check = (
    field: keyof TrainConfig,
    ok: boolean,
    key: MessageKey,
    params: MessageParams = {},
  ): void => {
    if (present(field) && !ok) report(field, key, params)
  }

  const c = input
  check('optimizer', isOneOf(c.optimizer, OPTIMIZERS), 'spec.config.optimizerUnknown', {
    known: OPTIMIZERS.join(', '),
  })
  check(
    'learningRate',
    isNumber(c.learningRate) && c.learningRate > 0 && c.learningRate <= MAX_LEARNING_RATE,
    'spec.config.learningRateRange',
    { max: MAX_LEARNING_RATE },
  )
  check(
    'momentum',
    isNumber(c.momentum) && c.momentum >= 0 && c.momentum < 1,
    'spec.config.momentumRange',
  )
  check('loss', isOneOf(c.loss, LOSSES), 'spec.config.lossUnknown', { known: LOSSES.join(', ') })
  check('epochs', isIntIn(c.epochs, 1, MAX_EPOCHS), 'spec.config.epochsRange', {
    min: 1,
    max: MAX_EPOCHS,
  })
  check('batchSize', isIntIn(c.batchSize, 1, MAX_BATCH_SIZE), 'spec.config.batchSizeRange', {
    min: 1,
    max: MAX_BATCH_SIZE,
  })
  const splitOk = isNumber(c.validationSplit) && c.validationSplit >= 0 && c.validationSplit < 1
  check('validationSplit', splitOk, 'spec.config.validationSplitRange')
  check('splitMode', isOneOf(c.splitMode, SPLIT_MODES), 'spec.config.splitModeUnknown', {
    known: SPLIT_MODES.join(', '),
  })
  check('seed', isIntIn(c.seed, 0, MAX_SEED), 'spec.config.seedRange', { max: MAX_SEED })
  check(
    'restoreBestWeights',
    typeof c.restoreBestWeights === 'boolean',
    'spec.config.restoreBestWeightsBoolean',
  )
  if (
    c.restoreBestWeights === true &&
    splitOk &&
    c.validationSplit === 0 &&
    (c.earlyStopping === null || c.earlyStopping === undefined)
  ) {
    report('restoreBestWeights', 'spec.config.restoreNeedsValidation')
  }
  check(
    'limit',
    c.limit === null || isIntIn(c.limit, MIN_LIMIT, Number.MAX_SAFE_INTEGER),
    'spec.config.limitRange',
    { min: MIN_LIMIT },
  )

  if (present('earlyStopping') && c.earlyStopping !== null) {
    const es = c.earlyStopping
    if (!isRecord(es)) {
      report('earlyStopping', 'spec.config.earlyStoppingNotObject')
    } else {
      const esIssue = (field: string, key: MessageKey, params: MessageParams): void => {
        issues.push({ layerIndex: null, field: `earlyStopping.${field}`, key, params })
      }
      for (const field of Object.keys(es)) {
        if (!EARLY_STOPPING_FIELDS.includes(field)) {
          esIssue(field, 'spec.config.unknownField', {
            field: `earlyStopping.${field}`,
            known: EARLY_STOPPING_FIELDS.join(', '),
          })
        }
      }
      if (!isOneOf(es.monitor, MONITORS)) {
        esIssue('monitor', 'spec.config.monitorUnknown', {
          value: describeValue(es.monitor),
          known: MONITORS.join(', '),
        })
      } else if (es.monitor.startsWith('val_') && splitOk && c.validationSplit === 0) {
        esIssue('monitor', 'spec.config.monitorNeedsValidation', { monitor: es.monitor })
      }
      if (!isIntIn(es.patience, 1, MAX_PATIENCE)) {
        esIssue('patience', 'spec.config.patienceRange', {
          value: describeValue(es.patience),
          min: 1,
          max: MAX_PATIENCE,
        })
      }
    }
  }

  if (issues.length > 0) return { ok: false, issues }
  const earlyStopping = c.earlyStopping as EarlyStopping | null
  return {
    ok: true,
    config: {
      optimizer: c.optimizer as OptimizerName,
      learningRate: c.learningRate as number,
      momentum: c.momentum as number,
      loss: c.loss as LossName,
      epochs: c.epochs as number,
      batchSize: c.batchSize as number,
      validationSplit: c.validationSplit as number,
      splitMode: c.splitMode as SplitMode,
      seed: c.seed as number,
      earlyStopping: earlyStopping && {
        monitor: earlyStopping.monitor as Monitor,
        patience: earlyStopping.patience,
      },
      restoreBestWeights: c.restoreBestWeights === true,
      limit: c.limit as number | null,
    },
  }
}

/**
 * `base` with every field of `overrides` that is not undefined applied (CLI flags override a
 * preset's config). Returns a fresh object; the result still needs `validateTrainConfig`.
 */
export function mergeTrainConfig(
  base: Readonly<TrainConfig>,
  overrides: Partial<TrainConfig>,
): TrainConfig {
  const merged: TrainConfig = { ...base }
  for (const field of TRAIN_CONFIG_FIELDS) {
    const value = overrides[field]
    if (value !== undefined) Object.assign(merged, { [field]: value })
  }
  merged.earlyStopping = merged.earlyStopping && { ...merged.earlyStopping }
  return merged
}

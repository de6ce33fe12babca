import type { DatasetRef } from './dataset'
import { translate, type Locale, type MessageKey } from './i18n'
import type { TrainConfig } from './model-spec'
import { MAX_COMPARE, MIN_COMPARE, summarizeArchitecture } from './run-table'
import type { EpochMetrics, RunDetail, RunSummary } from './runs'
import { findBestEpoch, smoothEma } from './smoothing'
import { TRAIN_CONFIG_FIELDS } from './train-config'

/**
 * One color per run, the same on every chart, in the legend and in the tables. Okabe & Ito's
 * palette, which stays distinguishable with the common forms of color blindness (its black and
 * yellow left out: invisible on a dark or a light background), then three Tableau 10 hues for
 * the eighth to tenth run.
 */
export const RUN_PALETTE: readonly string[] = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#9C755F',
  '#B07AA1',
  '#EDC948',
  '#79706E',
]

/**
 * Point shapes (ECharts symbol names), one per palette slot, so runs differ by more than color;
 * the legend draws the same shapes.
 */
export const RUN_SYMBOLS: readonly string[] = [
  'circle',
  'rect',
  'triangle',
  'diamond',
  'emptyCircle',
  'emptyRect',
  'emptyTriangle',
  'emptyDiamond',
  'circle',
  'rect',
]

export interface CompareSelection {
  /** The runs to compare, in URL order, at most `MAX_COMPARE`. */
  ids: number[]
  /** Ids the URL named that no run has (deleted, or a typo). */
  unknown: string[]
  /** Ids left out because more than `MAX_COMPARE` were asked for. */
  dropped: number[]
  /** Why the comparison cannot be drawn yet, or null. */
  blocker: 'tooFew' | null
}

/**
 * Reads the `ids` URL parameter ("1,2,3") against the runs that exist: keeps known ids once each
 * in order, reports the unknown or malformed ones, and caps the selection at `MAX_COMPARE`.
 */
export function parseCompareIds(
  param: string | null,
  existing: ReadonlySet<number>,
): CompareSelection {
  const ids: number[] = []
  const unknown: string[] = []
  const dropped: number[] = []
  for (const part of (param ?? '').split(',')) {
    const text = part.trim()
    if (text === '') continue
    const id = /^\d+$/.test(text) ? Number(text) : NaN
    if (!Number.isSafeInteger(id) || !existing.has(id)) {
      if (!unknown.includes(text)) unknown.push(text)
    } else if (!ids.includes(id) && !dropped.includes(id)) {
      if (ids.length < MAX_COMPARE) ids.push(id)
      else dropped.push(id)
    }
  }
  return { ids, unknown, dropped, blocker: ids.length < MIN_COMPARE ? 'tooFew' : null }
}

/**
 * What Compare shows when opened without a selection: the pinned baseline (if any) and the newest
 * runs that have at least one epoch, two in all — typically "the run I just did" against the
 * reference, or the last two runs.
 */
export function pickDefaultIds(
  runs: readonly Pick<RunSummary, 'id' | 'epochs' | 'pinned'>[],
): number[] {
  const trained = runs.filter((run) => run.epochs > 0).toSorted((a, b) => b.id - a.id)
  const pinned = trained.find((run) => run.pinned)
  const rest = trained.filter((run) => run !== pinned)
  return [...(pinned ? [pinned] : []), ...rest].slice(0, MIN_COMPARE).map((run) => run.id)
}

/** The `ids` URL parameter for a selection. */
export function formatCompareIds(ids: readonly number[]): string {
  return ids.join(',')
}

/**
 * Palette slots for `ids`. A run keeps the slot it had in `previous` (its color from earlier in
 * the session, even if it was deselected in between) unless another selected run already holds
 * it; new runs, and runs that lost their slot, take the lowest free one in order. So adding or
 * removing a run never repaints the others.
 */
export function assignRunColors(
  ids: readonly number[],
  previous: Iterable<readonly [id: number, slot: number]> = [],
): Map<number, number> {
  const before = new Map(previous)
  const slots = new Map<number, number>()
  const used = new Set<number>()
  for (const id of ids) {
    const slot = before.get(id)
    if (slot !== undefined && !used.has(slot)) {
      slots.set(id, slot)
      used.add(slot)
    }
  }
  let next = 0
  for (const id of ids) {
    if (slots.has(id)) continue
    while (used.has(next) && next < RUN_PALETTE.length) next++
    // More runs than colors cannot happen under MAX_COMPARE; wrap rather than fail.
    const slot = next < RUN_PALETTE.length ? next : slots.size % RUN_PALETTE.length
    slots.set(id, slot)
    used.add(slot)
  }
  return slots
}

export const COMPARE_METRICS = ['loss', 'valLoss', 'accuracy', 'valAccuracy'] as const
export type CompareMetric = (typeof COMPARE_METRICS)[number]

/** Keras's names for the metrics, as the tutorial prints them. */
export const KERAS_METRIC_NAMES: Record<CompareMetric, string> = {
  loss: 'loss',
  valLoss: 'val_loss',
  accuracy: 'accuracy',
  valAccuracy: 'val_accuracy',
}

/** True for metrics where lower is better (the ones a log scale helps). */
export function isLossMetric(metric: CompareMetric): boolean {
  return metric === 'loss' || metric === 'valLoss'
}

/** The horizontal axis: epoch number, or wall time since the run started (sum of epoch times). */
export type XAxisMode = 'epoch' | 'time'

export type Point = [x: number, y: number]

export interface MetricSeries {
  runId: number
  /** The measured values; epochs without the metric (no validation) are left out. */
  raw: Point[]
  /** `raw` smoothed with the TensorBoard EMA; equal to `raw` when the weight is 0. */
  smoothed: Point[]
}

/**
 * The x coordinate of each epoch: its number, or the milliseconds from the start of training to
 * the end of that epoch.
 */
export function epochPositions(history: readonly EpochMetrics[], mode: XAxisMode): number[] {
  let elapsed = 0
  return history.map((m) => {
    elapsed += m.durationMs
    return mode === 'epoch' ? m.epoch : elapsed
  })
}

/** One run's curve for `metric`, raw and smoothed with `smoothing` (0–0.99). */
export function buildMetricSeries(
  runId: number,
  history: readonly EpochMetrics[],
  metric: CompareMetric,
  mode: XAxisMode,
  smoothing: number,
): MetricSeries {
  const xs = epochPositions(history, mode)
  const raw: Point[] = []
  history.forEach((m, i) => {
    const y = m[metric]
    if (y !== null && Number.isFinite(y)) raw.push([xs[i], y])
  })
  const values = smoothEma(
    raw.map(([, y]) => y),
    smoothing,
  )
  const smoothed = raw.map(([x], i): Point => [x, values[i]])
  return { runId, raw, smoothed }
}

/** Best and final values of one run, the "best versus last" row. */
export interface RunResults {
  runId: number
  epochs: number
  bestValAccuracy: number | null
  bestValAccuracyEpoch: number | null
  lastValAccuracy: number | null
  lowestValLoss: number | null
  lowestValLossEpoch: number | null
  lastValLoss: number | null
  lastAccuracy: number | null
  testAccuracy: number | null
  /** Sum of the epoch times: training time, without loading data or saving the model. */
  trainingMs: number
}

/** Best epoch, last epoch and test score of a run, from its history and evaluation. */
export function summarizeResults(run: RunDetail): RunResults {
  const { history } = run
  const last = history.at(-1) ?? null
  const best = findBestEpoch(history)
  let lowest: EpochMetrics | null = null
  for (const m of history) {
    if (m.valLoss === null || !Number.isFinite(m.valLoss)) continue
    if (lowest === null || m.valLoss < (lowest.valLoss as number)) lowest = m
  }
  const bestByAccuracy = best?.metric === 'valAccuracy' ? best : null
  return {
    runId: run.id,
    epochs: history.length,
    bestValAccuracy: bestByAccuracy?.value ?? null,
    bestValAccuracyEpoch: bestByAccuracy?.epoch ?? null,
    lastValAccuracy: last?.valAccuracy ?? null,
    lowestValLoss: lowest?.valLoss ?? null,
    lowestValLossEpoch: lowest?.epoch ?? null,
    lastValLoss: last?.valLoss ?? null,
    lastAccuracy: last?.accuracy ?? null,
    testAccuracy: run.evaluation?.accuracy ?? run.testAccuracy,
    trainingMs: history.reduce((sum, m) => sum + m.durationMs, 0),
  }
}

export type ResultKey = Exclude<keyof RunResults, 'runId' | `${string}Epoch`>

/** Direction of "better" for each result column, to mark the winner among the runs. */
const RESULT_GOALS: Partial<Record<ResultKey, 'max' | 'min'>> = {
  bestValAccuracy: 'max',
  lastValAccuracy: 'max',
  lowestValLoss: 'min',
  lastValLoss: 'min',
  testAccuracy: 'max',
}

/**
 * The run ids holding the best value of each result column among `results` (all of them on a
 * tie). Columns without a direction, or where fewer than two runs have a value, mark nobody.
 */
export function findLeaders(results: readonly RunResults[]): Partial<Record<ResultKey, number[]>> {
  const leaders: Partial<Record<ResultKey, number[]>> = {}
  for (const [key, goal] of Object.entries(RESULT_GOALS) as [ResultKey, 'max' | 'min'][]) {
    const present = results.filter((r) => r[key] !== null)
    if (present.length < 2) continue
    const values = present.map((r) => r[key] as number)
    const target = goal === 'max' ? Math.max(...values) : Math.min(...values)
    leaders[key] = present.filter((r) => r[key] === target).map((r) => r.runId)
  }
  return leaders
}

/** The rows of the settings diff: the architecture and data, every training setting, the backend. */
export const CONFIG_FIELDS = [
  'architecture',
  'params',
  'dataset',
  ...TRAIN_CONFIG_FIELDS,
  'backend',
] as const
export type ConfigField = (typeof CONFIG_FIELDS)[number]

export interface ConfigRow {
  field: ConfigField
  label: string
  /** One display value per run, in the runs' order. */
  values: string[]
  /** The same for a spreadsheet: the plain number for numeric fields, else the text. */
  plain: (string | number)[]
  /** True when at least two runs disagree on this field. */
  differs: boolean
}

/** Keras's spelling of optimizers and losses, shown untranslated as in the tutorial's code. */
const OPTIMIZER_NAMES: Record<TrainConfig['optimizer'], string> = {
  sgd: 'SGD',
  adam: 'Adam',
  rmsprop: 'RMSprop',
}
const LOSS_NAMES: Record<TrainConfig['loss'], string> = {
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy',
}

function formatDataset(ref: DatasetRef): string {
  if (ref === 'mnist') return 'MNIST'
  if (ref === 'fashion-mnist') return 'Fashion-MNIST'
  const folder = ref.slice('idx:'.length).replace(/[\\/]+$/, '')
  return folder.split(/[\\/]/).at(-1) || folder
}

/**
 * The value compared (so formatting never hides or invents a difference) and the text shown.
 * Momentum only matters to SGD; for the other optimizers it is shown as not applicable.
 */
function configCell(field: ConfigField, run: RunDetail, locale: Locale): [unknown, string] {
  const { config } = run
  const t = (key: MessageKey, params?: Record<string, string | number>) =>
    translate(locale, key, params)
  const decimal = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 10 })
  const integer = (n: number) => n.toLocaleString(locale)
  switch (field) {
    case 'architecture': {
      const text = summarizeArchitecture(run.spec, decimal)
      return [text, text]
    }
    case 'params':
      return [run.paramCount, integer(run.paramCount)]
    case 'dataset':
      return [run.dataset, formatDataset(run.dataset)]
    case 'optimizer':
      return [config.optimizer, OPTIMIZER_NAMES[config.optimizer] ?? config.optimizer]
    case 'learningRate':
      return [config.learningRate, decimal(config.learningRate)]
    case 'momentum':
      return config.optimizer === 'sgd'
        ? [config.momentum, decimal(config.momentum)]
        : [null, t('compare.value.notApplicable')]
    case 'loss':
      return [config.loss, LOSS_NAMES[config.loss] ?? config.loss]
    case 'epochs': {
      const done = run.history.length
      const text =
        done === config.epochs
          ? integer(config.epochs)
          : t('compare.value.epochsDone', { planned: config.epochs, done })
      return [`${config.epochs}/${done}`, text]
    }
    case 'batchSize':
      return [config.batchSize, integer(config.batchSize)]
    case 'validationSplit':
      return [
        config.validationSplit,
        config.validationSplit.toLocaleString(locale, {
          style: 'percent',
          maximumFractionDigits: 1,
        }),
      ]
    case 'splitMode':
      return [config.splitMode, t(`compare.splitMode.${config.splitMode}`)]
    case 'seed':
      return [config.seed, String(config.seed)]
    case 'earlyStopping': {
      const es = config.earlyStopping
      if (!es) return [null, t('compare.value.off')]
      return [
        `${es.monitor}/${es.patience}`,
        t('compare.value.earlyStopping', { monitor: es.monitor, patience: es.patience }),
      ]
    }
    case 'restoreBestWeights':
      // Runs recorded before the option existed have no value: they kept the last weights.
      return config.restoreBestWeights === true
        ? [true, t('compare.value.restoreOn')]
        : [false, t('compare.value.restoreOff')]
    case 'limit':
      return config.limit === null
        ? [null, t('compare.value.allSamples')]
        : [config.limit, integer(config.limit)]
    case 'backend':
      return run.backend === null
        ? [null, t('ui.none')]
        : [run.backend, t(`ui.backend.${run.backend}`)]
  }
}

/**
 * The configuration table: one row per field, each run's value written for `locale`, and whether
 * the runs differ there. The view shows only the differing rows unless asked for all.
 */
export function buildConfigDiff(runs: readonly RunDetail[], locale: Locale): ConfigRow[] {
  return CONFIG_FIELDS.map((field) => {
    const cells = runs.map((run) => configCell(field, run, locale))
    const keys = new Set(cells.map(([value]) => JSON.stringify(value)))
    return {
      field,
      label: translate(locale, `compare.field.${field}`),
      values: cells.map(([, text]) => text),
      plain: cells.map(([value, text]) => (typeof value === 'number' ? value : text)),
      differs: keys.size > 1,
    }
  })
}

const RESULT_COLUMNS = [
  'bestValAccuracy',
  'bestValAccuracyEpoch',
  'lastValAccuracy',
  'lowestValLoss',
  'lowestValLossEpoch',
  'lastValLoss',
  'testAccuracy',
  'trainingMs',
] as const

/**
 * The comparison as a spreadsheet: one row per run with its results (plain numbers, dot decimals,
 * so any spreadsheet reads them) and every configuration field, under headers in `locale`.
 */
export function buildCompareTable(
  runs: readonly RunDetail[],
  locale: Locale,
): { header: string[]; rows: (string | number | null)[][] } {
  const results = runs.map(summarizeResults)
  const config = buildConfigDiff(runs, locale)
  const header = [
    translate(locale, 'compare.csv.id'),
    translate(locale, 'compare.csv.name'),
    ...RESULT_COLUMNS.map((key) => translate(locale, `compare.csv.${key}`)),
    ...config.map((row) => row.label),
  ]
  const rows = runs.map((run, i) => [
    run.id,
    run.name,
    ...RESULT_COLUMNS.map((key) => results[i][key]),
    ...config.map((row) => row.plain[i]),
  ])
  return { header, rows }
}

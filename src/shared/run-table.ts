import type { CsvCell } from './csv'
import type { LayerSpec, ModelSpec } from './model-spec'
import type { RunStatus, RunSummary } from './runs'
import { KERAS_CLASS_NAMES } from './spec-shapes'

/** Columns the runs table can be sorted by. */
export const RUN_SORT_KEYS = [
  'name',
  'createdAt',
  'status',
  'architecture',
  'paramCount',
  'epochs',
  'bestValAccuracy',
  'testAccuracy',
  'durationMs',
  'backend',
] as const
export type RunSortKey = (typeof RUN_SORT_KEYS)[number]

export type SortDirection = 'asc' | 'desc'

export interface RunSort {
  key: RunSortKey
  direction: SortDirection
}

/** A run as the table shows it: the summary plus what is derived from its spec and timestamps. */
export interface RunRow extends RunSummary {
  /** Null until the run's spec has been fetched. */
  architecture: string | null
  durationMs: number | null
}

export interface RunFilter {
  /** Statuses to show; empty shows every status. */
  statuses: readonly RunStatus[]
  query: string
}

/** How many runs the Compare view takes at once. */
export const MIN_COMPARE = 2
export const MAX_COMPARE = 10

const TEXT_KEYS = new Set<RunSortKey>(['name', 'status', 'architecture', 'backend'])

/** Status order for sorting: live runs first, then finished, then the ones that went wrong. */
const STATUS_RANK: Record<RunStatus, number> = {
  running: 0,
  queued: 1,
  completed: 2,
  stopped: 3,
  interrupted: 4,
  failed: 5,
}

/** A short label for one layer, e.g. "Dense 128" or "Conv2D 6 5×5". */
export function describeLayer(
  layer: LayerSpec,
  formatNumber: (n: number) => string = String,
): string {
  switch (layer.type) {
    case 'flatten':
      return 'Flatten'
    case 'dense':
      return `Dense ${layer.units}`
    case 'dropout':
      return `Dropout ${formatNumber(layer.rate)}`
    case 'conv2d':
      return `Conv2D ${layer.filters} ${layer.kernelSize}×${layer.kernelSize}`
    case 'maxPooling2d':
      return `MaxPool ${layer.poolSize}×${layer.poolSize}`
    case 'averagePooling2d':
      return `AvgPool ${layer.poolSize}×${layer.poolSize}`
    case 'batchNormalization':
      return 'BatchNorm'
    case 'reshape':
      return `Reshape ${layer.targetShape.join('×')}`
    case 'activation':
      return `Activation ${layer.activation}`
    case 'leakyRelu':
      return `LeakyReLU ${formatNumber(layer.negativeSlope)}`
    case 'rescaling':
      return `Rescaling ×${formatNumber(layer.scale)}`
    case 'spatialDropout2d':
      return `SpatialDropout2D ${formatNumber(layer.rate)}`
    default:
      return KERAS_CLASS_NAMES[layer.type]
  }
}

/** Between layer labels in an architecture summary. */
export const ARCHITECTURE_SEPARATOR = ' → '

/**
 * One line naming the layers, e.g. "Flatten → Dense 128 → Dense 10". Layer names are Keras's, so
 * they stay untranslated; `formatNumber` writes fractional values (dropout rates) the reader's way.
 */
export function summarizeArchitecture(
  spec: ModelSpec,
  formatNumber: (n: number) => string = String,
): string {
  return spec.layers.map((layer) => describeLayer(layer, formatNumber)).join(ARCHITECTURE_SEPARATOR)
}

/**
 * How long a run trained: start to finish, or start to `now` while it still runs. Null when it
 * never started or its timestamps are unreadable.
 */
export function runDurationMs(
  run: Pick<RunSummary, 'status' | 'startedAt' | 'finishedAt'>,
  now: number,
): number | null {
  if (!run.startedAt) return null
  const start = Date.parse(run.startedAt)
  const live = run.status === 'running' || run.status === 'queued'
  const end = run.finishedAt ? Date.parse(run.finishedAt) : live ? now : NaN
  if (!Number.isFinite(start) || !Number.isFinite(end)) return null
  return Math.max(0, end - start)
}

/** Lower case without accents, so "acuracia" finds "Acurácia" — students type both. */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/**
 * True when every word of `query` occurs in the run's name, one of its tags, its notes or the
 * name of the student who handed it in (ignoring case and accents). An empty query matches
 * every run.
 */
export function matchesQuery(
  run: Pick<RunSummary, 'name' | 'tags' | 'notes'> & { student?: string | null },
  query: string,
): boolean {
  const words = foldText(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const haystack = foldText([run.name, ...run.tags, run.notes ?? '', run.student ?? ''].join('\n'))
  return words.every((word) => haystack.includes(word))
}

/** The runs whose status is selected (all when none is) and that match the search text. */
export function filterRuns<T extends RunSummary>(runs: readonly T[], filter: RunFilter): T[] {
  return runs.filter(
    (run) =>
      (filter.statuses.length === 0 || filter.statuses.includes(run.status)) &&
      matchesQuery(run, filter.query),
  )
}

/** How many runs have each status, for the filter chips. */
export function countByStatus(
  runs: readonly Pick<RunSummary, 'status'>[],
): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = {
    queued: 0,
    running: 0,
    completed: 0,
    stopped: 0,
    failed: 0,
    interrupted: 0,
  }
  for (const run of runs) counts[run.status]++
  return counts
}

function sortValue(row: RunRow, key: RunSortKey): string | number | null {
  switch (key) {
    case 'createdAt': {
      const time = Date.parse(row.createdAt)
      return Number.isFinite(time) ? time : null
    }
    case 'status':
      return STATUS_RANK[row.status]
    default:
      return row[key]
  }
}

/**
 * The rows in table order: pinned runs first (the baselines a class compares against), each group
 * ordered by `sort`. Missing values (a run not yet evaluated) go last in either direction, and ties
 * fall back to the newest run first so the order never jumps between refreshes.
 */
export function sortRuns(
  rows: readonly RunRow[],
  sort: RunSort,
  collator: Intl.Collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }),
): RunRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1
  const compareValues = (a: string | number | null, b: string | number | null): number => {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1
    const order =
      typeof a === 'string' || typeof b === 'string'
        ? collator.compare(String(a), String(b))
        : a - b
    return order * sign
  }
  return [...rows].sort(
    (a, b) =>
      Number(b.pinned) - Number(a.pinned) ||
      compareValues(sortValue(a, sort.key), sortValue(b, sort.key)) ||
      b.id - a.id,
  )
}

/**
 * The sort after clicking a column header: the same column flips direction; a new column starts
 * ascending for text and descending for numbers and dates (best and newest first).
 */
export function toggleSort(current: RunSort, key: RunSortKey): RunSort {
  if (current.key === key) {
    return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
  }
  return { key, direction: TEXT_KEYS.has(key) ? 'asc' : 'desc' }
}

/** Why a comparison of `count` selected runs cannot start, or null when it can (2–10 runs). */
export function compareBlocker(count: number): 'tooFew' | 'tooMany' | null {
  if (count < MIN_COMPARE) return 'tooFew'
  if (count > MAX_COMPARE) return 'tooMany'
  return null
}

/** The runs list's CSV columns, in order; each has a header in the locale files. */
export const RUN_CSV_COLUMNS = [
  'id',
  'name',
  'student',
  'lessonId',
  'status',
  'createdAt',
  'architecture',
  'paramCount',
  'epochs',
  'bestValAccuracy',
  'testAccuracy',
  'durationS',
  'backend',
  'tags',
  'notes',
] as const
export type RunCsvColumn = (typeof RUN_CSV_COLUMNS)[number]

/**
 * The rows as the runs list's CSV has them: accuracies as fractions (0.9781), dates in ISO 8601,
 * durations in seconds, tags joined by "; ". Status is the stable English word.
 */
export function runCsvRows(rows: readonly RunRow[]): CsvCell[][] {
  return rows.map((r) => [
    r.id,
    r.name,
    r.student,
    r.lessonId,
    r.status,
    r.createdAt,
    r.architecture,
    r.paramCount,
    r.epochs,
    r.bestValAccuracy,
    r.testAccuracy,
    r.durationMs === null ? null : Math.round(r.durationMs / 100) / 10,
    r.backend,
    r.tags.join('; '),
    r.notes,
  ])
}

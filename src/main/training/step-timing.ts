import type { TrainingEstimate } from '../../shared/ipc-contract'
import type { BackendName } from '../../shared/runs'

/*
 * When to stop warming up and how long a training step takes, from the durations of real steps.
 *
 * The first steps of a fresh model are slow, and not only the first one: V8 compiles the wasm
 * kernels again with its optimizing tier and optimizes the JavaScript between kernels only after
 * many calls, on background threads that a loaded machine starves. LeNet on wasm took a median of
 * 14–15 ms of CPU per step over its first ~100 steps and 7–8 ms afterwards; timing the early
 * steps is how the LeNet estimate came out at twice the real epoch. So the warm-up lasts a while
 * (`minWarmMs`) and then until the pace stops falling, within a budget.
 *
 * Steps are timed in chunks of at least `CHUNK_MS`, and the figure is the median of the chunks'
 * mean step times. The median of single steps misleads on a busy machine: a sub-millisecond MLP
 * step mostly runs inside one time slice of the scheduler, so the median step never pays for the
 * slices other programs take, and the estimate came out at 0.4× the real epoch. A chunk spans
 * several slices, as an epoch does; the median over chunks still ignores one pause (a garbage
 * collection, a burst of another program).
 */

/** Steps are grouped into chunks of at least this long before their pace counts. */
export const CHUNK_MS = 50
/** The pace has settled when the latest chunks are no more than this much faster than before. */
export const SETTLE_TOLERANCE = 0.1
/** The smallest window of chunks compared when judging whether the pace has settled. */
export const SETTLE_WINDOW = 3

export interface StepClockLimits {
  /** Warm-up time before the pace is judged (at least one step is always warm-up). */
  minWarmMs: number
  /** Warm-up time after which timing starts even if the pace is still falling. */
  warmBudgetMs: number
  /** Time spent in timed steps. */
  budgetMs: number
  maxTimedSteps: number
}

export interface StepClockResult {
  /** Median over the timed chunks of their mean step time, warm-up excluded. */
  msPerBatch: number
  warmSteps: number
  timedSteps: number
  /** False when the warm-up budget ran out while steps were still speeding up: rougher. */
  settled: boolean
}

export interface StepClock {
  /** Records one step's duration, warm-up or timed as the clock is in. */
  record(ms: number): void
  /** True once enough steps are timed. */
  readonly done: boolean
  readonly warming: boolean
  result(): StepClockResult
}

/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * True when the latest quarter of `paces` (at least `SETTLE_WINDOW` of them) is, by its median,
 * no more than `SETTLE_TOLERANCE` faster than the quarter before it: the steps stopped speeding
 * up. Medians of quarters, so one slow chunk does not decide.
 */
export function paceSettled(paces: readonly number[]): boolean {
  const window = Math.max(SETTLE_WINDOW, Math.floor(paces.length / 4))
  if (paces.length < 2 * window) return false
  const last = median(paces.slice(-window))
  const before = median(paces.slice(-2 * window, -window))
  return last >= before * (1 - SETTLE_TOLERANCE)
}

/**
 * `durations` grouped in order into chunks of at least `CHUNK_MS` (the last may be shorter), as
 * each chunk's mean step time.
 */
export function chunkPaces(durations: readonly number[]): number[] {
  const paces: number[] = []
  let ms = 0
  let steps = 0
  for (const d of durations) {
    ms += d
    steps++
    if (ms < CHUNK_MS) continue
    paces.push(ms / steps)
    ms = 0
    steps = 0
  }
  if (steps > 0) paces.push(ms / steps)
  return paces
}

/** Warms up until the pace settles (or the warm-up budget is spent), then times steps. */
export function createStepClock(limits: StepClockLimits): StepClock {
  const warm: number[] = []
  const timed: number[] = []
  let warmSpent = 0
  let timedSpent = 0
  /** Warm-up time since the last chunk ended: the pace is judged at chunk ends only. */
  let sinceChunk = 0
  let warming = true
  let settled = false
  return {
    record(ms) {
      if (!warming) {
        timed.push(ms)
        timedSpent += ms
        return
      }
      warm.push(ms)
      warmSpent += ms
      sinceChunk += ms
      if (sinceChunk < CHUNK_MS) return
      sinceChunk = 0
      if (warmSpent < limits.minWarmMs) return
      settled = paceSettled(chunkPaces(warm))
      if (settled || warmSpent >= limits.warmBudgetMs) warming = false
    },
    get done() {
      if (warming) return false
      return timedSpent >= limits.budgetMs || timed.length >= limits.maxTimedSteps
    },
    get warming() {
      return warming
    },
    result() {
      return {
        msPerBatch: median(chunkPaces(timed)),
        warmSteps: warm.length,
        timedSteps: timed.length,
        settled,
      }
    },
  }
}

/**
 * One epoch's predicted duration from timed steps: every training batch at the median step time,
 * the validation samples at their measured rate, and the shuffle.
 */
export function estimateEpoch(
  timing: StepClockResult & { msPerValidationSample: number; msPerEpochOverhead: number },
  run: { trainCount: number; valCount: number; batchSize: number; backend: BackendName },
): TrainingEstimate {
  const batchesPerEpoch = Math.ceil(run.trainCount / run.batchSize)
  const ms =
    batchesPerEpoch * timing.msPerBatch +
    run.valCount * timing.msPerValidationSample +
    timing.msPerEpochOverhead
  return {
    msPerBatch: Number(timing.msPerBatch.toFixed(3)),
    batchesPerEpoch,
    secPerEpoch: Number((ms / 1000).toFixed(2)),
    backend: run.backend,
    settled: timing.settled,
  }
}

import type { TrainingEstimate } from './ipc-contract'
import type { EpochMetrics, TrainingProgress } from './runs'

/*
 * Time left in a training run. Before the run has a pace of its own, the builder's estimate (timed
 * steps, before Train was pressed) is all there is, and it is labelled rough. Once the run has
 * measured enough of its own batches, their pace replaces it; once an epoch has finished, epoch
 * durations do, validation included.
 */

/** A progress point as the pace needs it. */
export type PacePoint = Pick<TrainingProgress, 'epoch' | 'batch' | 'elapsedMs'>

/** Batches, and milliseconds, a pace must span before it replaces the builder's estimate. */
export const MIN_PACE_BATCHES = 20
export const MIN_PACE_MS = 1000

/** What the builder measured before the run, as far as the time left needs it. */
export type PriorEstimate = Pick<TrainingEstimate, 'msPerBatch' | 'batchesPerEpoch' | 'secPerEpoch'>

export interface Eta {
  remainingMs: number
  /** True while it rests on the estimate made before the run, not on the run's own timings. */
  rough: boolean
}

/**
 * Milliseconds per batch in `epoch`, from its progress points over the later half of the time
 * the epoch has run: a run's first batches are slow while the kernels warm up, and the half
 * window leaves them behind as the epoch goes on. Null until that window spans
 * `MIN_PACE_BATCHES` batches and `MIN_PACE_MS` milliseconds.
 */
export function measuredPace(points: readonly PacePoint[], epoch: number): number | null {
  const mine = points.filter((p) => p.epoch === epoch)
  const last = mine.at(-1)
  if (!last) return null
  const from = mine.find((p) => p.elapsedMs >= last.elapsedMs / 2) ?? last
  const batches = last.batch - from.batch
  const ms = last.elapsedMs - from.elapsedMs
  if (batches < MIN_PACE_BATCHES || ms < MIN_PACE_MS) return null
  return ms / batches
}

/**
 * Time left in the whole run. After an epoch: the mean duration of the latest (up to 3) epochs,
 * leaving out the first when there are others (it ran the warm-up). During the first epoch: the
 * run's measured pace per batch, plus validation as the builder's estimate measured it (scaled by
 * how much faster or slower the run is than the estimate). Before that: the builder's estimate,
 * rough. Null when there is none of these. Early stopping can end the run sooner.
 */
export function estimateRemaining(args: {
  progress: Pick<TrainingProgress, 'epoch' | 'epochs' | 'batch' | 'batches' | 'elapsedMs'>
  points: readonly PacePoint[]
  history: readonly EpochMetrics[]
  prior: PriorEstimate | null
}): Eta | null {
  const { progress, points, history, prior } = args
  const { epoch, epochs, batch, batches } = progress
  if (batches <= 0 || epochs <= 0) return null
  if (history.length > 0) {
    const recent = (history.length > 1 ? history.slice(1) : history).slice(-3)
    const msPerEpoch = recent.reduce((sum, m) => sum + m.durationMs, 0) / recent.length
    const position = Math.max(history.length, epoch - 1 + Math.min(batch, batches) / batches)
    return { remainingMs: Math.max(0, epochs - position) * msPerEpoch, rough: false }
  }
  const pace = measuredPace(points, epoch)
  if (pace !== null) {
    const validationMs = prior ? priorValidationMs(prior) * (pace / prior.msPerBatch) : 0
    const epochMs = batches * pace + validationMs
    const thisEpochMs = Math.max(0, batches - batch) * pace + validationMs
    return { remainingMs: thisEpochMs + Math.max(0, epochs - epoch) * epochMs, rough: false }
  }
  if (!prior) return null
  const plannedMs = epochs * prior.secPerEpoch * 1000
  return { remainingMs: Math.max(0, plannedMs - progress.elapsedMs), rough: true }
}

/** The part of an estimated epoch that is not training steps: validation and the shuffle. */
function priorValidationMs(prior: PriorEstimate): number {
  return Math.max(0, prior.secPerEpoch * 1000 - prior.batchesPerEpoch * prior.msPerBatch)
}

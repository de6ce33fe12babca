import type { MessageKey } from './i18n'
import type { TrainConfig } from './model-spec'
import { MONITOR_FIELDS, type EpochMetrics } from './runs'

/**
 * Exponential moving average as TensorBoard draws it: `weight` 0 returns the values unchanged,
 * values near 1 smooth hard. Debiased, so the first points are not dragged toward zero (the
 * running average starts at 0 and is divided by 1 − weightⁿ). Non-finite values stay in place as
 * NaN and do not disturb the average around them.
 */
export function smoothEma(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999)
  let last = 0
  let count = 0
  return values.map((value) => {
    if (!Number.isFinite(value)) return Number.NaN
    last = last * w + (1 - w) * value
    count += 1
    const debias = w === 0 ? 1 : 1 - Math.pow(w, count)
    return last / debias
  })
}

/** Which metric picked the best epoch: higher validation accuracy, else lower validation loss. */
export type BestEpochMetric = 'valAccuracy' | 'valLoss'

export interface BestEpoch {
  epoch: number
  metric: BestEpochMetric
  value: number
}

/**
 * The best epoch as Keras's ModelCheckpoint would pick it: highest validation accuracy, or lowest
 * validation loss when no epoch has a validation accuracy. Ties keep the earlier epoch. Null when
 * the run has no validation data.
 */
export function findBestEpoch(history: readonly EpochMetrics[]): BestEpoch | null {
  let best: BestEpoch | null = null
  for (const m of history) {
    if (m.valAccuracy !== null && Number.isFinite(m.valAccuracy)) {
      if (best === null || best.metric !== 'valAccuracy' || m.valAccuracy > best.value) {
        best = { epoch: m.epoch, metric: 'valAccuracy', value: m.valAccuracy }
      }
    } else if (
      m.valLoss !== null &&
      Number.isFinite(m.valLoss) &&
      (best === null || (best.metric === 'valLoss' && m.valLoss < best.value))
    ) {
      best = { epoch: m.epoch, metric: 'valLoss', value: m.valLoss }
    }
  }
  return best
}

/** The epoch with the lowest validation loss (the earlier on ties), as the loss chart marks it. */
export function findLowestValLoss(history: readonly EpochMetrics[]): BestEpoch | null {
  let best: BestEpoch | null = null
  for (const m of history) {
    if (m.valLoss !== null && Number.isFinite(m.valLoss) && (!best || m.valLoss < best.value)) {
      best = { epoch: m.epoch, metric: 'valLoss', value: m.valLoss }
    }
  }
  return best
}

export type OverfitVerdict = 'none' | 'starting' | 'overfitting'

/** A judgement of the whole history, the same however the last epochs happened to wobble. */
export interface OverfitJudgement {
  verdict: OverfitVerdict
  /** The epoch with the lowest validation loss: the weights worth keeping. */
  bestEpoch: number
  bestValLoss: number
  lastEpoch: number
  lastValLoss: number
  lastLoss: number
  /** How far validation loss is above its best now, as a fraction (0.67 = 67% higher). */
  rise: number
  /** Validation loss minus training loss at the last epoch: how much worse unseen images do. */
  gap: number
}

/** Validation loss this far above its best, for at least `OVERFIT_EPOCHS` epochs, is overfitting. */
export const OVERFIT_RISE = 0.1
export const OVERFIT_EPOCHS = 3
/** A smaller, shorter rise is worth watching. */
const STARTING_RISE = 0.03
const STARTING_EPOCHS = 2

/**
 * Judges overfitting from the whole history, as a teacher reads the chart at the end: where
 * validation loss was lowest, how far above that it is now, and whether training loss kept
 * falling meanwhile. A rise of 10% or more held for 3+ epochs is overfitting; 3% for 2+ epochs is
 * its start. Unlike checking the last two epochs, one lucky dip does not clear it. Null with fewer
 * than 3 epochs of validation loss.
 */
export function judgeOverfitting(history: readonly EpochMetrics[]): OverfitJudgement | null {
  const scored = history.filter(
    (m): m is EpochMetrics & { valLoss: number } =>
      m.valLoss !== null && Number.isFinite(m.valLoss),
  )
  if (scored.length < 3) return null
  const best = scored.reduce((a, m) => (m.valLoss < a.valLoss ? m : a))
  const last = scored[scored.length - 1]
  const rise = best.valLoss > 0 ? last.valLoss / best.valLoss - 1 : 0
  const since = last.epoch - best.epoch
  const trainStillFalls = last.loss < best.loss
  const verdict: OverfitVerdict = !trainStillFalls
    ? 'none'
    : since >= OVERFIT_EPOCHS && rise >= OVERFIT_RISE
      ? 'overfitting'
      : since >= STARTING_EPOCHS && rise >= STARTING_RISE
        ? 'starting'
        : 'none'
  return {
    verdict,
    bestEpoch: best.epoch,
    bestValLoss: best.valLoss,
    lastEpoch: last.epoch,
    lastValLoss: last.valLoss,
    lastLoss: last.loss,
    rise,
    gap: last.valLoss - last.loss,
  }
}

/** What the saved model's weights are, when training put the best epoch's back. */
export interface WeightsNote {
  key: MessageKey
  epoch: number
  monitor: string
  /** The monitored value at that epoch, null if the history lacks it. */
  value: number | null
}

/**
 * The sentence that says which epoch's weights a run's model holds ("weights from epoch 7, the
 * lowest val_loss"), or null when it holds the last epoch's (the option was off, or the best
 * epoch was the last one anyway).
 */
export function describeWeights(run: {
  weightsEpoch: number | null
  config: Pick<TrainConfig, 'earlyStopping'>
  history: readonly EpochMetrics[]
}): WeightsNote | null {
  const epoch = run.weightsEpoch
  if (epoch === null || epoch === run.history.at(-1)?.epoch) return null
  const monitor = run.config.earlyStopping?.monitor ?? 'val_loss'
  const value = run.history.find((m) => m.epoch === epoch)?.[MONITOR_FIELDS[monitor]] ?? null
  return {
    key: monitor.endsWith('loss') ? 'training.weightsLowest' : 'training.weightsHighest',
    epoch,
    monitor,
    value,
  }
}

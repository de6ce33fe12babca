import type { EpochMetrics, TrainingProgress } from './runs'

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

export interface Overfitting {
  /** The epoch with the lowest validation loss before it started to rise. */
  sinceEpoch: number
  /** How many epochs in a row validation loss has risen while training loss fell. */
  epochs: number
}

/**
 * Detects the classic overfitting pattern at the end of a history: validation loss rising for at
 * least `minEpochs` consecutive epochs while training loss keeps falling. One bad epoch is noise;
 * two in a row is the moment a teacher would point at the chart.
 */
export function detectOverfitting(
  history: readonly EpochMetrics[],
  minEpochs = 2,
): Overfitting | null {
  let rising = 0
  for (let i = history.length - 1; i > 0; i--) {
    const current = history[i]
    const previous = history[i - 1]
    if (current.valLoss === null || previous.valLoss === null) break
    const valRises = current.valLoss > previous.valLoss
    const lossFalls = current.loss < previous.loss
    if (!valRises || !lossFalls) break
    rising += 1
  }
  if (rising < minEpochs) return null
  return { sinceEpoch: history[history.length - 1 - rising].epoch, epochs: rising }
}

/**
 * Milliseconds left in the whole run, from the pace so far: the mean duration of finished epochs
 * (which includes validation), or, during the first epoch, the current throughput. Null until
 * there is a pace to go by. Early stopping can end the run sooner.
 */
export function estimateRemainingMs(
  progress: Pick<TrainingProgress, 'epoch' | 'epochs' | 'batch' | 'batches' | 'samplesPerSec'>,
  history: readonly EpochMetrics[],
  batchSize: number | null,
): number | null {
  const { epoch, epochs, batch, batches, samplesPerSec } = progress
  if (batches <= 0 || epochs <= 0) return null
  const position = Math.max(history.length, epoch - 1 + Math.min(batch, batches) / batches)
  const left = Math.max(0, epochs - position)
  if (history.length > 0) {
    const recent = history.slice(-3)
    const msPerEpoch = recent.reduce((sum, m) => sum + m.durationMs, 0) / recent.length
    return left * msPerEpoch
  }
  if (batchSize === null || !(samplesPerSec > 0)) return null
  return left * batches * ((batchSize / samplesPerSec) * 1000)
}

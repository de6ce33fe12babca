import { describe, expect, it } from 'vitest'
import type { EpochMetrics } from '../../../src/shared/runs'
import { findBestEpoch, judgeOverfitting, smoothEma } from '../../../src/shared/smoothing'

function epoch(
  n: number,
  loss: number,
  valLoss: number | null,
  valAccuracy: number | null = null,
): EpochMetrics {
  return { epoch: n, loss, accuracy: 1 - loss, valLoss, valAccuracy, durationMs: 1000 * n }
}

describe('smoothEma', () => {
  it('returns the values unchanged with weight 0', () => {
    expect(smoothEma([0.9, 0.4, 0.7], 0)).toEqual([0.9, 0.4, 0.7])
  })

  it('is debiased: the first point is the first value, not pulled toward zero', () => {
    const [first, second, third] = smoothEma([2, 4, 4], 0.5)
    expect(first).toBeCloseTo(2, 12)
    // Running averages 1, 2.5, 3.25 divided by 1 − 0.5ⁿ = 0.5, 0.75, 0.875.
    expect(second).toBeCloseTo(2.5 / 0.75, 12)
    expect(third).toBeCloseTo(3.25 / 0.875, 12)
  })

  it('flattens noise around a constant level', () => {
    const noisy = Array.from({ length: 200 }, (_, i) => 0.3 + (i % 2 === 0 ? 0.1 : -0.1))
    const smooth = smoothEma(noisy, 0.9)
    expect(Math.abs(smooth[199] - 0.3)).toBeLessThan(0.011)
    expect(Math.abs(noisy[199] - 0.3)).toBeCloseTo(0.1, 12)
  })

  it('keeps non-finite values as gaps without disturbing the average', () => {
    const smooth = smoothEma([1, Number.NaN, 1], 0.6)
    expect(smooth[0]).toBeCloseTo(1, 12)
    expect(Number.isNaN(smooth[1])).toBe(true)
    expect(smooth[2]).toBeCloseTo(1, 12)
  })
})

describe('findBestEpoch', () => {
  it('picks the highest validation accuracy, earliest on ties', () => {
    const history = [
      epoch(1, 0.5, 0.3, 0.9),
      epoch(2, 0.3, 0.2, 0.95),
      epoch(3, 0.2, 0.25, 0.95),
      epoch(4, 0.1, 0.3, 0.94),
    ]
    expect(findBestEpoch(history)).toEqual({ epoch: 2, metric: 'valAccuracy', value: 0.95 })
  })

  it('falls back to the lowest validation loss without accuracy', () => {
    const history = [epoch(1, 0.5, 0.4), epoch(2, 0.3, 0.2), epoch(3, 0.2, 0.3)]
    expect(findBestEpoch(history)).toEqual({ epoch: 2, metric: 'valLoss', value: 0.2 })
  })

  it('is null without validation data', () => {
    expect(findBestEpoch([epoch(1, 0.5, null), epoch(2, 0.4, null)])).toBeNull()
    expect(findBestEpoch([])).toBeNull()
  })
})

describe('judgeOverfitting', () => {
  /** The tutorial's 30-epoch run as the student saw it: val_loss lowest (0.086) at epoch 7, then
   * creeping up to 0.144 with dips that cleared the old "rose two epochs in a row" hint. */
  const tutorialRun = Array.from({ length: 30 }, (_, i) => {
    const e = i + 1
    const loss = 0.26 * Math.pow(0.86, i)
    const valLoss =
      e <= 7 ? 0.086 + (7 - e) * 0.01 : 0.086 + ((e - 7) / 23) * 0.058 + (e % 2 === 0 ? 0.006 : 0)
    return epoch(e, loss, e === 30 ? 0.144 : valLoss)
  })

  it('judges the tutorial run overfitting from its best val_loss epoch, and keeps saying so', () => {
    const final = judgeOverfitting(tutorialRun)
    expect(final).toMatchObject({ verdict: 'overfitting', bestEpoch: 7, lastEpoch: 30 })
    expect(final?.bestValLoss).toBeCloseTo(0.086, 6)
    expect(final?.lastValLoss).toBeCloseTo(0.144, 6)
    expect(final?.rise).toBeCloseTo(0.144 / 0.086 - 1, 6)
    expect(final?.gap).toBeCloseTo(0.144 - tutorialRun[29].loss, 6)
    // Stable: once val_loss is well above its best it stays judged, whatever the last two did.
    for (let n = 16; n <= 30; n++) {
      expect(judgeOverfitting(tutorialRun.slice(0, n))?.verdict, `after ${n} epochs`).toBe(
        'overfitting',
      )
    }
  })

  it('says nothing while validation loss still improves', () => {
    const history = [epoch(1, 0.4, 0.3), epoch(2, 0.25, 0.2), epoch(3, 0.18, 0.15)]
    expect(judgeOverfitting(history)).toMatchObject({ verdict: 'none', bestEpoch: 3 })
  })

  it('calls a small, short rise a start, not overfitting', () => {
    const history = [
      epoch(1, 0.4, 0.3),
      epoch(2, 0.25, 0.2),
      epoch(3, 0.18, 0.205),
      epoch(4, 0.12, 0.208),
    ]
    expect(judgeOverfitting(history)?.verdict).toBe('starting')
  })

  it('is not overfitting when training loss rises too', () => {
    const history = [
      epoch(1, 0.4, 0.3),
      epoch(2, 0.45, 0.35),
      epoch(3, 0.5, 0.4),
      epoch(4, 0.6, 0.5),
    ]
    expect(judgeOverfitting(history)?.verdict).toBe('none')
  })

  it('needs three epochs of validation loss', () => {
    expect(judgeOverfitting([epoch(1, 0.4, null), epoch(2, 0.3, null), epoch(3, 0.2, null)])).toBe(
      null,
    )
    expect(judgeOverfitting([epoch(1, 0.4, 0.3), epoch(2, 0.3, 0.4)])).toBe(null)
  })
})

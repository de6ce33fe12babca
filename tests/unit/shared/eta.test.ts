import { describe, expect, it } from 'vitest'
import { estimateRemaining, measuredPace, type PacePoint } from '../../../src/shared/eta'
import type { EpochMetrics } from '../../../src/shared/runs'

/** Points every 100 ms of epoch 1: 40 ms batches for the first second (warm-up), then 10 ms. */
function warmingPoints(untilMs: number): PacePoint[] {
  const points: PacePoint[] = []
  for (let ms = 100; ms <= untilMs; ms += 100) {
    const batch = ms <= 1000 ? ms / 40 : 25 + (ms - 1000) / 10
    points.push({ epoch: 1, batch, elapsedMs: ms })
  }
  return points
}

const epochMetrics = (epoch: number, durationMs: number): EpochMetrics => ({
  epoch,
  loss: 0.3,
  accuracy: 0.9,
  valLoss: 0.3,
  valAccuracy: 0.9,
  durationMs,
})

// 1,000 batches of 12 ms, plus 1.5 s of validation: 13.5 s an epoch.
const prior = { msPerBatch: 12, batchesPerEpoch: 1000, secPerEpoch: 13.5 }

describe('measuredPace', () => {
  it('is null until the later half of the epoch spans enough batches and time', () => {
    expect(measuredPace([], 1)).toBeNull()
    expect(measuredPace(warmingPoints(1000), 1)).toBeNull()
  })

  it('leaves the warm-up behind: the later half of the time so far', () => {
    // From 1.5 s to 3 s: 150 batches of 10 ms; the first second's 40 ms batches are out.
    expect(measuredPace(warmingPoints(3000), 1)).toBeCloseTo(10, 9)
    // Points of another epoch do not count.
    expect(measuredPace(warmingPoints(3000), 2)).toBeNull()
  })
})

describe('estimateRemaining', () => {
  const progress = { epoch: 1, epochs: 3, batches: 1000 }

  it('rests on the estimate, marked rough, before the run has a pace', () => {
    const points = warmingPoints(500)
    const eta = estimateRemaining({
      progress: { ...progress, ...points.at(-1)! },
      points,
      history: [],
      prior,
    })
    // 3 × 13.5 s planned, 0.5 s gone.
    expect(eta).toEqual({ remainingMs: 40_000, rough: true })
  })

  it('is unknown without an estimate until the run has a pace', () => {
    const points = warmingPoints(500)
    expect(
      estimateRemaining({
        progress: { ...progress, ...points.at(-1)! },
        points,
        history: [],
        prior: null,
      }),
    ).toBeNull()
  })

  it('switches to the run’s own batches once measured, validation scaled from the estimate', () => {
    const points = warmingPoints(3000)
    const at = points.at(-1)!
    const eta = estimateRemaining({ progress: { ...progress, ...at }, points, history: [], prior })
    // 10 ms a batch, 5/6 of the estimate's 12: validation 1.5 s × 5/6 = 1.25 s an epoch.
    // This epoch: 775 batches left + validation; then 2 epochs of 10 s + 1.25 s.
    expect(at.batch).toBe(225)
    expect(eta?.rough).toBe(false)
    expect(eta?.remainingMs).toBeCloseTo(775 * 10 + 1250 + 2 * 11_250, 6)
    // Without an estimate, validation is not known yet: the batches alone.
    const bare = estimateRemaining({
      progress: { ...progress, ...at },
      points,
      history: [],
      prior: null,
    })
    expect(bare).toEqual({ remainingMs: 775 * 10 + 2 * 10_000, rough: false })
  })

  it('uses finished epochs after the first, leaving out the warm-up epoch when it can', () => {
    const history = [epochMetrics(1, 20_000), epochMetrics(2, 12_000), epochMetrics(3, 14_000)]
    const at = { epoch: 4, epochs: 5, batch: 500, batches: 1000, elapsedMs: 6000 }
    const eta = estimateRemaining({ progress: at, points: [at], history, prior })
    // 1.5 epochs left at 13 s (epochs 2 and 3).
    expect(eta).toEqual({ remainingMs: 19_500, rough: false })
    // With only the first epoch there is nothing else to go by.
    const first = estimateRemaining({
      progress: { ...at, epoch: 2, epochs: 3 },
      points: [],
      history: history.slice(0, 1),
      prior,
    })
    expect(first).toEqual({ remainingMs: 30_000, rough: false })
  })

  it('is zero at the end', () => {
    const history = [1, 2, 3].map((e) => epochMetrics(e, 10_000))
    const at = { epoch: 3, epochs: 3, batch: 1000, batches: 1000, elapsedMs: 10_000 }
    expect(estimateRemaining({ progress: at, points: [at], history, prior })).toEqual({
      remainingMs: 0,
      rough: false,
    })
  })
})

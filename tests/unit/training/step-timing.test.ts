import { describe, expect, it } from 'vitest'
import {
  chunkPaces,
  createStepClock,
  estimateEpoch,
  median,
  paceSettled,
} from '../../../src/main/training/step-timing'

const limits = { minWarmMs: 200, warmBudgetMs: 1000, budgetMs: 300, maxTimedSteps: 10_000 }

/** Feeds `durations` to a fresh clock until it is done; returns the clock and the steps used. */
function run(durations: (i: number) => number, l = limits) {
  const clock = createStepClock(l)
  let i = 0
  while (!clock.done && i < 100_000) clock.record(durations(i++))
  return { clock, used: i }
}

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })
})

describe('chunkPaces', () => {
  it('groups steps into chunks of at least 50 ms, the last one possibly shorter', () => {
    expect(chunkPaces([10, 20, 30, 60, 5, 5])).toEqual([20, 60, 5])
    expect(chunkPaces([])).toEqual([])
  })
})

describe('paceSettled', () => {
  it('waits for two windows, then compares the latest quarter with the one before', () => {
    expect(paceSettled([10, 10, 10, 10, 10])).toBe(false)
    expect(paceSettled([10, 10, 10, 10, 10, 10])).toBe(true)
    // Still speeding up: 20 ms chunks, then 15.
    expect(paceSettled([20, 20, 20, 15, 15, 15])).toBe(false)
    // 9.5 after 10 is within the 10% tolerance; slower is settled too.
    expect(paceSettled([10, 10, 10, 9.5, 9.5, 9.5])).toBe(true)
    expect(paceSettled([10, 10, 10, 12, 12, 12])).toBe(true)
  })

  it('is not swayed by one slow chunk', () => {
    expect(paceSettled([10, 10, 10, 10, 60, 10])).toBe(true)
  })
})

describe('createStepClock', () => {
  it('leaves the slow warm-up steps out of the figure', () => {
    // Steps speeding up from 40 ms to 10 ms over the first 40 (the kernels warming up), then 10.
    const { clock } = run((i) => Math.max(10, 40 - 0.75 * i), { ...limits, warmBudgetMs: 3000 })
    const result = clock.result()
    expect(result.msPerBatch).toBe(10)
    expect(result.settled).toBe(true)
    // Warm-up went on past the 200 ms minimum until the pace stopped falling.
    expect(result.warmSteps).toBeGreaterThan(40)
    expect(result.timedSteps).toBe(30)
  })

  it('takes the median of chunks, so one long pause does not move it', () => {
    let timed = 0
    const clock = createStepClock({ ...limits, budgetMs: 1500 })
    while (clock.warming) clock.record(10)
    while (!clock.done) clock.record(timed++ === 7 ? 500 : 10)
    expect(clock.result().msPerBatch).toBe(10)
  })

  it('counts what a chunk of short steps costs, not only the typical step', () => {
    // 1 ms steps, every fifth one preempted for 6 ms by another program: the epoch pays 2 ms a
    // step; the median single step (1 ms) would miss it.
    const { clock } = run((i) => (i % 5 === 4 ? 6 : 1))
    expect(clock.result().msPerBatch).toBeCloseTo(2, 1)
  })

  it('times anyway once the warm-up budget is spent, and says it did not settle', () => {
    // Steps that keep getting faster (100 ms, 90, 80, … down to 20) and a warm-up budget that
    // ends before the pace could be judged.
    const { clock } = run((i) => Math.max(20, 100 - 10 * i), { ...limits, warmBudgetMs: 300 })
    const result = clock.result()
    expect(result).toMatchObject({ settled: false, warmSteps: 4, timedSteps: 10 })
    // Timed chunks: 60, 50, 40+30 (35 a step), 3×20, 3×20 ms.
    expect(result.msPerBatch).toBe(35)
  })

  it('always warms up at least one step, even a step longer than every budget', () => {
    const { clock, used } = run(() => 5000)
    expect(used).toBe(2)
    expect(clock.result()).toMatchObject({ warmSteps: 1, timedSteps: 1, msPerBatch: 5000 })
  })

  it('works on real timings: the figure is the median of the timed chunks', () => {
    const clock = createStepClock({ ...limits, minWarmMs: 20, warmBudgetMs: 60, budgetMs: 60 })
    const recorded: number[] = []
    let sink = 0
    while (!clock.done) {
      const started = performance.now()
      for (let k = 0; k < 20_000; k++) sink += Math.sqrt(k)
      const ms = performance.now() - started
      recorded.push(ms)
      clock.record(ms)
    }
    expect(sink).toBeGreaterThan(0)
    const result = clock.result()
    expect(result.warmSteps + result.timedSteps).toBe(recorded.length)
    expect(result.msPerBatch).toBe(median(chunkPaces(recorded.slice(result.warmSteps))))
  })
})

describe('estimateEpoch', () => {
  it('adds every batch, the validation samples and the shuffle', () => {
    const estimate = estimateEpoch(
      {
        msPerBatch: 10,
        warmSteps: 50,
        timedSteps: 80,
        settled: true,
        msPerValidationSample: 0.05,
        msPerEpochOverhead: 3,
      },
      { trainCount: 48_000, valCount: 12_000, batchSize: 32, backend: 'wasm' },
    )
    // 1,500 batches × 10 ms + 12,000 × 0.05 ms + 3 ms.
    expect(estimate).toEqual({
      msPerBatch: 10,
      batchesPerEpoch: 1500,
      secPerEpoch: 15.6,
      backend: 'wasm',
      settled: true,
    })
  })
})

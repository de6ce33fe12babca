import { describe, expect, it } from 'vitest'
import {
  buildMetricOption,
  defaultChartView,
  tailRange,
} from '../../../src/renderer/src/components/training/metric-chart'
import type { EpochMetrics, TrainingProgress } from '../../../src/shared/runs'
import { findBestEpoch } from '../../../src/shared/smoothing'

const palette = {
  train: '#2458c6',
  validation: '#c2410c',
  best: '#1a7f37',
  text: '#1b1f24',
  muted: '#5b6470',
  line: '#d8dde3',
}

function progress(epoch: number, batch: number, loss: number): TrainingProgress {
  return {
    runId: 1,
    epoch,
    epochs: 3,
    batch,
    batches: 4,
    loss,
    accuracy: 1 - loss,
    samplesPerSec: 1,
    elapsedMs: batch * 100,
  }
}

const history: EpochMetrics[] = [
  { epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: 0.4, valAccuracy: 0.85, durationMs: 900 },
  { epoch: 2, loss: 0.3, accuracy: 0.9, valLoss: null, valAccuracy: null, durationMs: 900 },
]

interface Series {
  id: string
  data: [number, number][]
  lineStyle: { opacity?: number }
  markLine?: { data: unknown[] }
  markPoint?: { data: { coord: [number, number] }[] }
}

function seriesOf(option: unknown): Record<string, Series> {
  const list = (option as { series: Series[] }).series
  return Object.fromEntries(list.map((s) => [s.id, s]))
}

function build(kind: 'loss' | 'accuracy', batches: TrainingProgress[], withBest: boolean) {
  return buildMetricOption({
    kind,
    batches,
    history,
    epochs: 3,
    best: withBest ? findBestEpoch(history) : null,
    palette,
    labels: { epochAxis: 'epoch', best: 'best' },
    formatValue: String,
    locale: 'en',
    formatAxis: String,
  })
}

describe('buildMetricOption', () => {
  it('places batches on a fractional epoch axis and epochs at their end', () => {
    const series = seriesOf(build('loss', [progress(1, 2, 0.9), progress(2, 1, 0.4)], true))
    expect(series.raw.data).toEqual([
      [0.5, 0.9],
      [1.25, 0.4],
    ])
    expect(series['train-epochs'].data).toEqual([
      [1, 0.5],
      [2, 0.3],
    ])
    // Epochs without validation data leave no point rather than a zero.
    expect(series['val-epochs'].data).toEqual([[1, 0.4]])
    expect(series['train-epochs'].lineStyle.opacity).toBe(0)
  })

  it('marks the best epoch on the validation series of both charts', () => {
    const series = seriesOf(build('accuracy', [], true))
    expect(series['val-epochs'].markLine?.data).toEqual([{ xAxis: 1 }])
    expect(series['val-epochs'].markPoint?.data).toEqual([{ coord: [1, 0.85] }])
    // A saved run has no batches: the epoch points are joined so the curve reads as one.
    expect(series['train-epochs'].lineStyle.opacity).toBe(1)
  })

  it('keeps every series, with empty marks, so merged updates clear an old best', () => {
    const option = build('loss', [], false) as { series: Series[]; animation: boolean }
    expect(option.series.map((s) => s.id)).toEqual(['raw', 'smooth', 'train-epochs', 'val-epochs'])
    expect(option.series[3].markLine?.data).toEqual([])
    expect(option.animation).toBe(false)
  })
})

describe('per-epoch view', () => {
  const tutorial: EpochMetrics[] = [
    { epoch: 1, loss: 0.26, accuracy: 0.92, valLoss: 0.13, valAccuracy: 0.96, durationMs: 1 },
    { epoch: 2, loss: 0.11, accuracy: 0.97, valLoss: 0.1, valAccuracy: 0.97, durationMs: 1 },
    { epoch: 3, loss: 0.07, accuracy: 0.98, valLoss: 0.086, valAccuracy: 0.975, durationMs: 1 },
    { epoch: 4, loss: 0.05, accuracy: 0.985, valLoss: 0.12, valAccuracy: 0.974, durationMs: 1 },
    { epoch: 5, loss: 0.03, accuracy: 0.99, valLoss: 0.144, valAccuracy: 0.976, durationMs: 1 },
  ]
  const firstBatches = [progress(1, 1, 2.1), progress(1, 2, 0.8), progress(5, 4, 0.03)]

  it('opens per epoch once two epochs are done', () => {
    expect(defaultChartView(0)).toBe('all')
    expect(defaultChartView(1)).toBe('all')
    expect(defaultChartView(2)).toBe('epochs')
  })

  it("scales the loss axis to the epochs after the first, so val_loss's rise fills the chart", () => {
    const option = buildMetricOption({
      kind: 'loss',
      batches: firstBatches,
      history: tutorial,
      epochs: 5,
      best: null,
      palette,
      labels: { epochAxis: 'epoch', best: 'best' },
      formatValue: String,
      locale: 'en',
      formatAxis: String,
      view: 'epochs',
    }) as { yAxis: { min: number; max: number }; series: Series[] }
    // Not 0–2.1 from the first batches: the span is the tail's 0.03–0.144 plus a tenth each side.
    expect(option.yAxis.min).toBeCloseTo(0.03 - 0.0114, 6)
    expect(option.yAxis.max).toBeCloseTo(0.144 + 0.0114, 6)
    const series = seriesOf(option)
    expect(series.raw.data).toEqual([])
    expect(series.smooth.data).toEqual([])
    expect(series['train-epochs'].lineStyle.opacity).toBe(1)
    // The rise takes more than a third of the axis height.
    const height = option.yAxis.max - option.yAxis.min
    expect((0.144 - 0.086) / height).toBeGreaterThan(0.33)
  })

  it('keeps a short run’s first epoch in range, and labels only round ticks of a fitted axis', () => {
    const short = tutorial.slice(0, 3)
    const range = tailRange('loss', short)!
    // Epoch 1's loss (0.26) and val_loss stay on the chart of a 3-epoch run.
    expect(range.max).toBeGreaterThanOrEqual(0.26)
    expect(range.min).toBeLessThanOrEqual(0.07)
    const option = buildMetricOption({
      kind: 'accuracy',
      batches: firstBatches,
      history: tutorial,
      epochs: 5,
      best: null,
      palette,
      labels: { epochAxis: 'epoch', best: 'best' },
      formatValue: String,
      locale: 'en',
      formatAxis: String,
      view: 'epochs',
    }) as { yAxis: { axisLabel: { showMinLabel?: boolean; showMaxLabel?: boolean } } }
    expect(option.yAxis.axisLabel.showMinLabel).toBe(false)
    expect(option.yAxis.axisLabel.showMaxLabel).toBe(false)
  })

  it('keeps accuracy at or under 100% and the whole history while short', () => {
    expect(tailRange('accuracy', tutorial)?.max).toBeLessThanOrEqual(1)
    expect(tailRange('loss', tutorial.slice(0, 2))?.max).toBeCloseTo(0.26 + 0.016, 6)
    expect(tailRange('loss', [])).toBeNull()
  })
})

describe('the tooltip', () => {
  it("writes a batch's fractional epoch with the reader's decimal separator", () => {
    const option = buildMetricOption({
      kind: 'loss',
      batches: [progress(1, 1, 0.9)],
      history: [],
      epochs: 3,
      best: null,
      palette,
      labels: { epochAxis: 'época', best: 'melhor' },
      formatValue: String,
      locale: 'pt-BR',
      formatAxis: String,
    }) as { tooltip: { formatter: (params: unknown) => string } }
    const head = option.tooltip.formatter([
      { seriesId: 'loss', seriesName: 'loss', value: [1.25, 0.9] },
    ])
    expect(head.split('<br>')[0]).toBe('época 1,25')
  })
})

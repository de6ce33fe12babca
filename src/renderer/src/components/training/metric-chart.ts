import type { ChartOption } from '../../charts/echarts'
import type { EpochMetrics, TrainingProgress } from '../../../../shared/runs'
import { smoothEma, type BestEpoch } from '../../../../shared/smoothing'
import { escapeHtml } from '../../../../shared/html'

export type MetricKind = 'loss' | 'accuracy'

/**
 * 'all' draws every batch; 'epochs' draws one point per epoch and scales the y-axis to the epochs
 * after the first, so a rising val_loss is a visible slope instead of a flat line under the first
 * batches' loss of 2.
 */
export type ChartView = 'all' | 'epochs'

/** The view a chart opens in: per-epoch once two epochs are done, batches before that. */
export function defaultChartView(finishedEpochs: number): ChartView {
  return finishedEpochs >= 2 ? 'epochs' : 'all'
}

/** Runs this long leave their first epoch out of the per-epoch y range. */
const TAIL_FROM = 5

/**
 * The y range that shows the epoch points' shape: every epoch's train and validation value,
 * leaving out the first epoch once there are TAIL_FROM (its loss is far above the rest), padded
 * by a tenth of the span. Null without points. A short run keeps its first epoch: with two or
 * three points left, the chart would show a line leaving the top and hardly any curve.
 */
export function tailRange(
  kind: MetricKind,
  history: readonly EpochMetrics[],
): { min: number; max: number } | null {
  const valKey = kind === 'loss' ? 'valLoss' : 'valAccuracy'
  const tail = history.length >= TAIL_FROM ? history.slice(1) : history
  const values = tail
    .flatMap((m) => [m[kind], m[valKey]])
    .filter((v): v is number => v !== null && Number.isFinite(v))
  if (values.length === 0) return null
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const pad = Math.max((hi - lo) * 0.1, Math.abs(hi) * 0.01, 1e-6)
  const max = kind === 'accuracy' ? Math.min(1, hi + pad) : hi + pad
  return { min: Math.max(0, lo - pad), max }
}

/** Concrete colors for the canvas, read from the theme's CSS variables. */
export interface ChartPalette {
  train: string
  validation: string
  best: string
  text: string
  muted: string
  line: string
}

export interface MetricChartInput {
  kind: MetricKind
  batches: readonly TrainingProgress[]
  history: readonly EpochMetrics[]
  /** Planned epochs, so the x-axis is fixed from the start and nothing moves as points arrive. */
  epochs: number
  best: BestEpoch | null
  palette: ChartPalette
  labels: { epochAxis: string; best: string }
  formatValue: (value: number) => string
  /** The interface language, for the tooltip's fractional epoch (época 1,25). */
  locale: string
  /** Shorter numbers for the axis ticks. */
  formatAxis: (value: number) => string
  /** TensorBoard-style smoothing weight for the per-batch line. */
  smoothing?: number
  view?: ChartView
}

type Point = [number, number]

/**
 * The ECharts option for one metric pair (loss/val_loss or accuracy/val_accuracy). Series keep
 * stable ids and count, so `setOption` merges new arrays into the existing chart instead of
 * rebuilding it; animation is off because live updates arrive several times a second.
 */
export function buildMetricOption(input: MetricChartInput): ChartOption {
  const { kind, batches, history, best, palette, labels, formatValue, formatAxis, locale } = input
  const valKey = kind === 'loss' ? 'valLoss' : 'valAccuracy'
  const trainName = kind
  const valName = kind === 'loss' ? 'val_loss' : 'val_accuracy'

  const perEpoch = input.view === 'epochs'
  const range = perEpoch ? tailRange(kind, history) : null
  const raw: Point[] = (perEpoch ? [] : batches).map((p) => [
    p.epoch - 1 + p.batch / p.batches,
    p[kind],
  ])
  const smooth = smoothEma(
    raw.map((p) => p[1]),
    input.smoothing ?? 0.6,
  )
  const smoothed: Point[] = raw.map((p, i) => [p[0], smooth[i]])
  const trainEpochs: Point[] = history.map((m) => [m.epoch, m[kind]])
  const valEpochs: Point[] = history.flatMap((m): Point[] => {
    const value = m[valKey]
    return value === null ? [] : [[m.epoch, value]]
  })
  const bestPoint = best ? history.find((m) => m.epoch === best.epoch) : undefined
  const bestValue = bestPoint?.[valKey] ?? null

  const lastEpoch = Math.max(1, input.epochs, history.length)
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'inherit' },
    grid: { left: 60, right: 28, top: 44, bottom: 46 },
    legend: {
      top: 0,
      right: 8,
      // The first series of each name is the faint raw line; the legend shows the solid colors.
      data: [
        { name: trainName, itemStyle: { color: palette.train }, lineStyle: { opacity: 1 } },
        { name: valName, itemStyle: { color: palette.validation } },
      ],
      textStyle: { color: palette.text, fontSize: 13 },
      itemGap: 16,
    },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line' },
      formatter: (params: unknown) => formatTooltip(params, labels.epochAxis, formatValue, locale),
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: lastEpoch,
      minInterval: 1,
      interval: lastEpoch <= 12 ? 1 : undefined,
      name: labels.epochAxis,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: palette.muted, fontSize: 13 },
      axisLabel: { color: palette.muted, fontSize: 13 },
      axisLine: { lineStyle: { color: palette.line } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      scale: true,
      min: range?.min,
      max: range?.max ?? (kind === 'accuracy' ? 1 : undefined),
      // A fitted range ends on values such as 0.307 that ECharts labels beside the nearest round
      // tick ("0,31" over "0,30", "91%" twice): only the round ticks are labelled.
      axisLabel: {
        color: palette.muted,
        fontSize: 13,
        formatter: formatAxis,
        showMinLabel: range ? false : undefined,
        showMaxLabel: range ? false : undefined,
      },
      splitLine: { lineStyle: { color: palette.line, opacity: 0.6 } },
    },
    series: [
      {
        id: 'raw',
        name: trainName,
        type: 'line',
        data: raw,
        showSymbol: false,
        silent: true,
        sampling: 'lttb',
        lineStyle: { width: 1, opacity: 0.22 },
        itemStyle: { color: palette.train },
        z: 1,
      },
      {
        id: 'smooth',
        name: trainName,
        type: 'line',
        data: smoothed,
        showSymbol: false,
        sampling: 'lttb',
        lineStyle: { width: 2 },
        itemStyle: { color: palette.train },
        z: 2,
      },
      {
        id: 'train-epochs',
        name: trainName,
        type: 'line',
        data: trainEpochs,
        symbol: 'circle',
        symbolSize: 8,
        showAllSymbol: true,
        // Beside the per-batch line the epoch points stand alone; a saved run has only them.
        lineStyle: { width: 2, opacity: raw.length > 0 ? 0 : 1 },
        itemStyle: { color: palette.train, borderColor: '#fff', borderWidth: 1 },
        z: 3,
      },
      {
        id: 'val-epochs',
        name: valName,
        type: 'line',
        data: valEpochs,
        symbol: 'diamond',
        symbolSize: 11,
        showAllSymbol: true,
        lineStyle: { width: 2, type: 'dashed' },
        itemStyle: { color: palette.validation },
        z: 4,
        markLine: {
          silent: true,
          symbol: 'none',
          animation: false,
          lineStyle: { color: palette.best, type: 'dotted', width: 2 },
          label: {
            formatter: labels.best,
            color: palette.best,
            fontWeight: 'bold',
            position: 'end',
            // The label names the metric, so it is wide: it runs away from the nearer edge.
            align:
              best && best.epoch > Math.max(input.epochs, history.length) / 2 ? 'right' : 'left',
          },
          data: best ? [{ xAxis: best.epoch }] : [],
        },
        markPoint: {
          silent: true,
          animation: false,
          symbol: 'circle',
          symbolSize: 18,
          itemStyle: { color: 'transparent', borderColor: palette.best, borderWidth: 3 },
          label: { show: false },
          data: best && bestValue !== null ? [{ coord: [best.epoch, bestValue] }] : [],
        },
      },
    ],
  }
}

interface TooltipParam {
  seriesId?: string
  seriesName?: string
  marker?: string
  value?: unknown
}

function formatTooltip(
  params: unknown,
  epochLabel: string,
  formatValue: (value: number) => string,
  locale: string,
): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[]
  // The faint raw line repeats the smoothed one; the tooltip shows what the eye follows.
  const shown = list.filter((p) => p.seriesId !== 'raw' && Array.isArray(p.value))
  if (shown.length === 0) return ''
  const x = (shown[0].value as Point)[0]
  const epoch = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(x)
  const head = `${epochLabel} ${epoch}`
  const rows = shown.map((p) => {
    const [, y] = p.value as Point
    return `${p.marker ?? ''} ${escapeHtml(p.seriesName ?? '')}: <b>${formatValue(y)}</b>`
  })
  return [escapeHtml(head), ...rows].join('<br>')
}

import type { ChartOption } from '../../charts/echarts'
import type { MetricSeries, XAxisMode } from '../../../../shared/compare'
import { escapeHtml } from '../../../../shared/html'

/** Concrete colors for the canvas, read from the theme's CSS variables. */
export interface ComparePalette {
  text: string
  muted: string
  line: string
  surface: string
}

/** Reads the palette of the current theme (light or dark). */
export function readComparePalette(element: Element = document.documentElement): ComparePalette {
  const style = getComputedStyle(element)
  const css = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback
  return {
    text: css('--fg', '#1b1f24'),
    muted: css('--muted', '#5b6470'),
    line: css('--line', '#d8dde3'),
    surface: css('--surface', '#ffffff'),
  }
}

/** One run's curve as drawn: its series, name and legend identity. */
export interface RunCurve extends MetricSeries {
  name: string
  color: string
  symbol: string
  /** Epoch number of each raw point, for the tooltip when the axis is time. */
  epochs: number[]
}

export interface CompareChartInput {
  curves: readonly RunCurve[]
  xMode: XAxisMode
  smoothing: number
  logScale: boolean
  accuracy: boolean
  palette: ComparePalette
  labels: { xAxis: string; epochAt: (epoch: number) => string; smoothedRaw: SmoothedRawLabel }
  /** Values in the tooltip, with all the digits that tell runs apart. */
  formatValue: (value: number) => string
  /** Tick labels, shorter. */
  formatAxis: (value: number) => string
  formatTime: (ms: number) => string
  /**
   * Leave out series without points. A drawing for a file needs no stable series ids, and empty
   * series would litter it with empty paths.
   */
  omitEmpty?: boolean
}

type SmoothedRawLabel = (smoothed: string, raw: string) => string
type Datum = [x: number, y: number, epoch: number]
type Extent = { min: number; max: number }

/**
 * The ECharts option for one metric of the compared runs. Every run always has two series with
 * stable ids, `raw:<id>` (faint, empty without smoothing) and `main:<id>` (smoothed, or the
 * measured values), so changing the smoothing, axis or scale merges into the chart in place.
 * Animation is off: dragging the slider redraws at once.
 */
export function buildCompareOption(input: CompareChartInput): ChartOption {
  const { curves, xMode, smoothing, logScale, accuracy, palette, labels } = input
  const smoothed = smoothing > 0
  const byTime = xMode === 'time'
  const maxEpoch = Math.max(2, ...curves.flatMap((c) => c.epochs))
  const allSeries = curves.flatMap((curve) => {
    const raw: Datum[] = curve.raw.map(([x, y], i) => [x, y, curve.epochs[i]])
    const main: Datum[] = curve.smoothed.map(([x, y], i) => [x, y, curve.epochs[i]])
    return [
      {
        id: `raw:${curve.runId}`,
        name: curve.name,
        type: 'line',
        data: smoothed ? raw : [],
        showSymbol: false,
        silent: true,
        lineStyle: { width: 1.5, opacity: 0.28 },
        itemStyle: { color: curve.color },
        emphasis: { disabled: true },
        z: 1,
      },
      {
        id: `main:${curve.runId}`,
        name: curve.name,
        type: 'line',
        data: main,
        symbol: curve.symbol,
        symbolSize: 7,
        // Shapes tell runs apart beyond color while they stay legible; on long runs they would
        // pile up into a blur, and the hover still shows them point by point.
        showSymbol: main.length <= 15,
        lineStyle: { width: 2.5 },
        itemStyle: { color: curve.color },
        emphasis: { focus: 'series' },
        z: 2,
      },
    ]
  })
  const series = input.omitEmpty ? allSeries.filter((one) => one.data.length > 0) : allSeries
  const axisText = { color: palette.muted, fontSize: 12 }
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    grid: { left: 60, right: 20, top: 16, bottom: 48 },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'line' },
      backgroundColor: palette.surface,
      borderColor: palette.line,
      textStyle: { color: palette.text },
      formatter: (params: unknown) => formatTooltip(params, input, smoothed),
    },
    xAxis: {
      type: 'value',
      min: byTime ? 0 : 1,
      max: byTime ? undefined : maxEpoch,
      minInterval: byTime ? undefined : 1,
      name: labels.xAxis,
      nameLocation: 'middle',
      nameGap: 30,
      nameTextStyle: axisText,
      axisLabel: {
        ...axisText,
        formatter: byTime ? (v: number) => input.formatTime(v) : undefined,
      },
      axisLine: { lineStyle: { color: palette.line } },
      splitLine: { show: false },
    },
    yAxis: {
      type: logScale && !accuracy ? 'log' : 'value',
      scale: true,
      // Accuracy axes end on whole tens of percent, so the ticks fall on round values.
      min: accuracy ? (v: Extent) => Math.max(0, Math.floor(v.min * 10 - 1e-9) / 10) : undefined,
      max: accuracy ? (v: Extent) => Math.min(1, Math.ceil(v.max * 10 + 1e-9) / 10) : undefined,
      // The min and max labels can land next to a tick label; drop whichever would overlap.
      axisLabel: { ...axisText, hideOverlap: true, formatter: (v: number) => input.formatAxis(v) },
      splitLine: { lineStyle: { color: palette.line, opacity: 0.7 } },
    },
    series,
  }
}

interface TooltipParam {
  seriesId?: string
  marker?: string
  value?: unknown
}

function formatTooltip(params: unknown, input: CompareChartInput, smoothed: boolean): string {
  const list = (Array.isArray(params) ? params : [params]) as TooltipParam[]
  const raws = new Map<string, Datum>()
  for (const p of list) {
    if (p.seriesId?.startsWith('raw:') && Array.isArray(p.value)) {
      raws.set(p.seriesId.slice(4), p.value as Datum)
    }
  }
  const rows = list.flatMap((p) => {
    if (!p.seriesId?.startsWith('main:') || !Array.isArray(p.value)) return []
    const runId = p.seriesId.slice(5)
    const curve = input.curves.find((c) => String(c.runId) === runId)
    if (!curve) return []
    const [x, y, epoch] = p.value as Datum
    const raw = raws.get(runId)
    const value =
      smoothed && raw
        ? input.labels.smoothedRaw(input.formatValue(y), input.formatValue(raw[1]))
        : input.formatValue(y)
    const where =
      input.xMode === 'time'
        ? ` <span style="opacity:.7">${escapeHtml(`${input.labels.epochAt(epoch)} · ${input.formatTime(x)}`)}</span>`
        : ''
    return [`${p.marker ?? ''} ${escapeHtml(curve.name)}: <b>${escapeHtml(value)}</b>${where}`]
  })
  if (rows.length === 0) return ''
  const first = list.find((p) => Array.isArray(p.value))?.value as Datum | undefined
  const head = input.xMode === 'epoch' && first ? input.labels.epochAt(first[2]) : ''
  return [head ? `<b>${escapeHtml(head)}</b>` : '', ...rows].filter(Boolean).join('<br>')
}

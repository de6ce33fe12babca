import { describe, expect, it } from 'vitest'
import {
  buildCompareOption,
  type CompareChartInput,
  type RunCurve,
} from '../../../src/renderer/src/components/compare/chart-option'

const palette = { text: '#111', muted: '#555', line: '#ddd', surface: '#fff' }

function curve(runId: number, name: string, values: number[], smoothed = values): RunCurve {
  return {
    runId,
    name,
    color: `#00000${runId}`,
    symbol: 'circle',
    raw: values.map((v, i) => [i + 1, v]),
    smoothed: smoothed.map((v, i) => [i + 1, v]),
    epochs: values.map((_, i) => i + 1),
  }
}

function input(over: Partial<CompareChartInput> = {}): CompareChartInput {
  return {
    curves: [curve(1, 'A <b>', [0.9, 0.5, 0.3], [0.9, 0.7, 0.5]), curve(2, 'B', [0.8, 0.6])],
    xMode: 'epoch',
    smoothing: 0,
    logScale: false,
    accuracy: false,
    palette,
    labels: {
      xAxis: 'Epoch',
      epochAt: (e) => `Epoch ${e}`,
      smoothedRaw: (s, r) => `${s} (raw ${r})`,
    },
    formatValue: (v) => v.toFixed(3),
    formatAxis: (v) => v.toFixed(1),
    formatTime: (ms) => `${ms / 1000} s`,
    ...over,
  }
}

// The option object as ECharts receives it; only the fields the tests read are typed.
interface Option {
  animation: boolean
  series: { id: string; name: string; data: unknown[]; showSymbol?: boolean }[]
  xAxis: {
    min?: number
    max?: number
    type: string
    axisLabel: { formatter?: (v: number) => string }
  }
  yAxis: {
    type: string
    min?: (v: { min: number; max: number }) => number
    max?: (v: { min: number; max: number }) => number
  }
  tooltip: { formatter: (params: unknown) => string }
}
const build = (over: Partial<CompareChartInput> = {}) =>
  buildCompareOption(input(over)) as unknown as Option

describe('buildCompareOption', () => {
  it('gives every run a raw and a main series with stable ids, raw empty without smoothing', () => {
    const option = build()
    expect(option.animation).toBe(false)
    expect(option.series.map((s) => s.id)).toEqual(['raw:1', 'main:1', 'raw:2', 'main:2'])
    expect(option.series[0].data).toEqual([])
    expect(option.series[1].data).toEqual([
      [1, 0.9, 1],
      [2, 0.7, 2],
      [3, 0.5, 3],
    ])
    const smoothed = build({ smoothing: 0.6 })
    expect(smoothed.series[0].data).toEqual([
      [1, 0.9, 1],
      [2, 0.5, 2],
      [3, 0.3, 3],
    ])
    expect(build({ omitEmpty: true }).series.map((s) => s.id)).toEqual(['main:1', 'main:2'])
  })

  it('shows point shapes only on short curves', () => {
    const long = curve(
      3,
      'long',
      Array.from({ length: 16 }, (_, i) => 1 / (i + 1)),
    )
    const option = build({ curves: [curve(1, 'short', new Array(15).fill(0.5)), long] })
    expect(option.series[1].showSymbol).toBe(true)
    expect(option.series[3].showSymbol).toBe(false)
  })

  it('spans the epoch axis from 1 to the longest run, and time from 0', () => {
    expect(build().xAxis).toMatchObject({ min: 1, max: 3 })
    expect(build({ curves: [curve(1, 'one', [0.5])] }).xAxis).toMatchObject({ min: 1, max: 2 })
    const byTime = build({ xMode: 'time' })
    expect(byTime.xAxis).toMatchObject({ min: 0, max: undefined })
    expect(byTime.xAxis.axisLabel.formatter?.(1500)).toBe('1.5 s')
  })

  it('uses a log axis for losses only, and whole tens of percent for accuracy', () => {
    expect(build({ logScale: true }).yAxis.type).toBe('log')
    const accuracy = build({ logScale: true, accuracy: true }).yAxis
    expect(accuracy.type).toBe('value')
    expect(accuracy.min?.({ min: 0.83, max: 0.97 })).toBeCloseTo(0.8, 10)
    expect(accuracy.max?.({ min: 0.83, max: 0.97 })).toBeCloseTo(1, 10)
    // A value on a tick still gets room below it.
    expect(accuracy.min?.({ min: 0.9, max: 0.9 })).toBeCloseTo(0.8, 10)
    expect(accuracy.min?.({ min: 0.02, max: 0.5 })).toBe(0)
    expect(build().yAxis.min).toBeUndefined()
  })

  it('writes an escaped tooltip with the epoch, and smoothed with raw values when smoothing', () => {
    const params = [
      { seriesId: 'raw:1', marker: '*', value: [2, 0.5, 2] },
      { seriesId: 'main:1', marker: '*', value: [2, 0.7, 2] },
      { seriesId: 'main:2', marker: '+', value: [2, 0.6, 2] },
    ]
    expect(build().tooltip.formatter(params)).toBe(
      '<b>Epoch 2</b><br>* A &#60;b&#62;: <b>0.700</b><br>+ B: <b>0.600</b>',
    )
    expect(build({ smoothing: 0.5 }).tooltip.formatter(params)).toContain(
      'A &#60;b&#62;: <b>0.700 (raw 0.500)</b>',
    )
    const byTime = build({ xMode: 'time' }).tooltip.formatter([
      { seriesId: 'main:2', marker: '', value: [3000, 0.6, 2] },
    ])
    expect(byTime).toBe(' B: <b>0.600</b> <span style="opacity:.7">Epoch 2 · 3 s</span>')
    expect(build().tooltip.formatter([{ seriesId: 'main:9', value: [1, 1, 1] }])).toBe('')
  })
})

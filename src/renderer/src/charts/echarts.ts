import { LineChart, BarChart, HeatmapChart, ScatterChart } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapComponent,
  DataZoomComponent,
  TitleComponent,
} from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'

// Only the pieces Sinapse draws, so the bundle stays small on school PCs.
echarts.use([
  LineChart,
  BarChart,
  HeatmapChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapComponent,
  DataZoomComponent,
  TitleComponent,
  CanvasRenderer,
  SVGRenderer,
])

export { echarts }
export type { EChartsCoreOption as ChartOption, EChartsType as Chart } from 'echarts/core'

/**
 * Renders `option` off-screen with the SVG renderer and returns the SVG text, for "save as SVG".
 */
export function renderSvg(
  option: echarts.EChartsCoreOption,
  width: number,
  height: number,
): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  chart.setOption({ ...option, animation: false })
  const svg = chart.renderToSVGString()
  chart.dispose()
  return svg
}

import { escapeHtml } from '../../../../shared/html'

/**
 * One point's tooltip on the class board's scatter: who, the setting's value, the private score.
 * The name comes from a student's hand-in file, so it is escaped: ECharts sets this as HTML.
 */
export function scatterTooltip(
  who: string,
  setting: { name: string; value: number },
  score: { label: string; text: string },
): string {
  return [who, `${setting.name}: ${setting.value}`, `${score.label}: ${score.text}`]
    .map(escapeHtml)
    .join('<br>')
}

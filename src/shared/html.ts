/**
 * Text made safe to put inside HTML markup (ECharts' tooltips are set as innerHTML): names from
 * outside (runs, students, hand-ins) show as typed and never become elements.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

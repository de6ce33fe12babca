import type { Locale } from '../../shared/i18n'

export function formatNumber(value: number | null, locale: Locale, digits = 4): string {
  if (value === null || !Number.isFinite(value)) return '—'
  return value.toLocaleString(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  })
}

export function formatInteger(value: number, locale: Locale): string {
  return value.toLocaleString(locale)
}

export function formatDate(iso: string, locale: Locale): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' })
}

/** A text bar of `width` cells filled to `fraction`. */
export function progressBar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, fraction))
  const filled = Math.round(f * width)
  return '█'.repeat(filled) + '░'.repeat(width - filled)
}

/** Left-aligned text columns separated by two spaces; numbers are right-aligned. */
export function formatTable(header: string[], rows: string[][], numeric: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

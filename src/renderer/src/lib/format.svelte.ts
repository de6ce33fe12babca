import { formatAccuracy, formatDuration } from '../../../shared/format'
import { formatPlainNumber } from '../../../shared/i18n'
import { i18n } from './i18n.svelte'

/** Locale-aware formatting that follows the language switch. */
export const fmt = {
  percent(value: number | null, digits = 1): string {
    if (value === null || !Number.isFinite(value)) return '—'
    return new Intl.NumberFormat(i18n.current, {
      style: 'percent',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value)
  },
  /** A test or validation accuracy as a score, with the one precision every view shares. */
  accuracy(value: number | null | undefined): string {
    return formatAccuracy(value, i18n.current)
  },
  number(value: number | null, digits = 4): string {
    if (value === null || !Number.isFinite(value)) return '—'
    return new Intl.NumberFormat(i18n.current, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value)
  },
  /** Every significant digit, no grouping, the locale's decimal separator (0,05; 1e-7 → 0,0000001). */
  plain(value: number): string {
    return formatPlainNumber(value, i18n.current)
  },
  /** Scientific notation the reader's way: 5,4e-8 in Portuguese. */
  scientific(value: number, digits = 1): string {
    if (!Number.isFinite(value)) return '—'
    return new Intl.NumberFormat(i18n.current, {
      notation: 'scientific',
      maximumFractionDigits: digits,
    })
      .format(value)
      .replace('E', 'e')
  },
  integer(value: number): string {
    return new Intl.NumberFormat(i18n.current).format(value)
  },
  date(iso: string): string {
    return new Intl.DateTimeFormat(i18n.current, { dateStyle: 'short', timeStyle: 'short' }).format(
      Date.parse(iso),
    )
  },
  /** Seconds with one decimal under a minute (2,0 s / 2,2 s), else m:ss or h:mm:ss. */
  duration(ms: number | null): string {
    return formatDuration(ms, i18n.current)
  },
}

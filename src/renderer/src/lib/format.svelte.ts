import { formatAccuracy } from '../../../shared/format'
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
  /** Under a minute as seconds (4,2 s), so short epochs don't all read 0:00; else m:ss or h:mm:ss. */
  duration(ms: number | null): string {
    if (ms === null || !Number.isFinite(ms)) return '—'
    if (ms < 59_950) {
      return `${new Intl.NumberFormat(i18n.current, { maximumFractionDigits: 1 }).format(ms / 1000)} s`
    }
    const total = Math.max(0, Math.round(ms / 1000))
    const h = Math.floor(total / 3600)
    const m = Math.floor((total % 3600) / 60)
    const s = String(total % 60).padStart(2, '0')
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
  },
}

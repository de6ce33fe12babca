import type { Locale } from './i18n'

/**
 * Digits after the decimal point of every accuracy the app shows as a score (test and best
 * validation accuracy): MNIST's test set has 10,000 images, so 0.01 % is one image — two digits
 * show every image and claim nothing finer. One constant, so two views never disagree (98,12 %
 * in one and 98,1 % in the other).
 */
export const ACCURACY_DIGITS = 2

/** An accuracy (0–1) as a percentage with `ACCURACY_DIGITS` digits: 98,12 % / 98.12%. */
export function formatAccuracy(value: number | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—'
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: ACCURACY_DIGITS,
    maximumFractionDigits: ACCURACY_DIGITS,
  }).format(value)
}

/**
 * A duration under a minute as seconds with always one decimal (2,0 s beside 2,2 s, never 2 s),
 * so short epochs don't all read 0:00 and a column of them lines up; from a minute on, m:ss or
 * h:mm:ss. Rounding decides the branch: 59.96 s reads 1:00, not 60,0 s.
 */
export function formatDuration(ms: number | null | undefined, locale: Locale): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  const tenths = Math.round(Math.max(0, ms) / 100)
  if (tenths < 600) {
    return `${new Intl.NumberFormat(locale, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }).format(tenths / 10)} s`
  }
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

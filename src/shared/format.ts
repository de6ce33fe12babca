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

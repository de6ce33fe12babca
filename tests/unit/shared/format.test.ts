import { describe, expect, it } from 'vitest'
import { ACCURACY_DIGITS, formatAccuracy, formatDuration } from '../../../src/shared/format'

/** ICU versions differ on a (no-break) space before pt-BR's percent sign; compare without it. */
const plain = (s: string): string => s.replace(/\s/g, '')

describe('formatAccuracy', () => {
  it('writes two decimals with a comma in pt-BR and a point in English', () => {
    expect(ACCURACY_DIGITS).toBe(2)
    expect(plain(formatAccuracy(0.9812, 'pt-BR'))).toBe('98,12%')
    expect(formatAccuracy(0.9812, 'en')).toBe('98.12%')
  })

  it('keeps trailing zeros so a column of scores lines up', () => {
    expect(plain(formatAccuracy(0.981, 'pt-BR'))).toBe('98,10%')
    expect(formatAccuracy(0.981, 'en')).toBe('98.10%')
    expect(formatAccuracy(1, 'en')).toBe('100.00%')
    expect(formatAccuracy(0, 'en')).toBe('0.00%')
  })

  it('rounds to one test image (0.01 % of 10,000) half away from zero', () => {
    expect(formatAccuracy(0.98125, 'en')).toBe('98.13%')
    expect(formatAccuracy(0.981249, 'en')).toBe('98.12%')
    expect(plain(formatAccuracy(9_812 / 10_000, 'pt-BR'))).toBe('98,12%')
  })

  it('shows a dash for a missing or impossible value', () => {
    expect(formatAccuracy(null, 'en')).toBe('—')
    expect(formatAccuracy(undefined, 'pt-BR')).toBe('—')
    expect(formatAccuracy(Number.NaN, 'en')).toBe('—')
    expect(formatAccuracy(Number.POSITIVE_INFINITY, 'en')).toBe('—')
  })
})

describe('formatDuration', () => {
  it('gives every duration under a minute one decimal, so 2 s never sits beside 2,2 s', () => {
    expect(formatDuration(2000, 'pt-BR')).toBe('2,0 s')
    expect(formatDuration(2200, 'pt-BR')).toBe('2,2 s')
    expect(formatDuration(2000, 'en')).toBe('2.0 s')
    expect(formatDuration(2249, 'en')).toBe('2.2 s')
    expect(formatDuration(0, 'en')).toBe('0.0 s')
    expect(formatDuration(40, 'pt-BR')).toBe('0,0 s')
    expect(formatDuration(59_940, 'pt-BR')).toBe('59,9 s')
  })

  it('switches to m:ss once the seconds would round to a minute', () => {
    expect(formatDuration(59_950, 'pt-BR')).toBe('1:00')
    expect(formatDuration(61_400, 'en')).toBe('1:01')
    expect(formatDuration(3_599_400, 'en')).toBe('59:59')
    expect(formatDuration(3_723_000, 'pt-BR')).toBe('1:02:03')
  })

  it('shows a dash for a missing duration and never a negative one', () => {
    expect(formatDuration(null, 'en')).toBe('—')
    expect(formatDuration(undefined, 'pt-BR')).toBe('—')
    expect(formatDuration(Number.NaN, 'en')).toBe('—')
    expect(formatDuration(-5, 'en')).toBe('0.0 s')
  })
})

import { describe, expect, it } from 'vitest'
import { remainingMs } from '../../../src/shared/board'

describe('the time left while a board re-scores', () => {
  it('extrapolates the pace so far to the hand-ins still to judge', () => {
    expect(remainingMs(10_000, 2, 10)).toBe(40_000)
    expect(remainingMs(3_000, 3, 4)).toBe(1_000)
  })

  it('has no estimate before the first hand-in is done, nor after the last', () => {
    expect(remainingMs(5_000, 0, 10)).toBeNull()
    expect(remainingMs(5_000, 10, 10)).toBeNull()
    expect(remainingMs(-1, 1, 10)).toBeNull()
  })
})

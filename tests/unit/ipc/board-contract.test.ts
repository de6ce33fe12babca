import { describe, expect, it } from 'vitest'
import { commands } from '../../../src/shared/ipc-contract'

describe('board:get contract', () => {
  const schema = commands['board:get'].input

  it('takes a lesson id or a whole lesson', () => {
    expect(schema.safeParse({ lessonId: 'abc' }).success).toBe(true)
    expect(schema.safeParse({ lesson: { id: 'x' } }).success).toBe(true)
  })

  it('refuses neither, both, an empty or overlong id and unknown keys', () => {
    expect(schema.safeParse({}).success).toBe(false)
    expect(schema.safeParse({ lessonId: 'a', lesson: {} }).success).toBe(false)
    expect(schema.safeParse({ lessonId: '' }).success).toBe(false)
    expect(schema.safeParse({ lessonId: 'a'.repeat(101) }).success).toBe(false)
    expect(schema.safeParse({ lessonId: 'a', extra: 1 }).success).toBe(false)
  })

  it('board:lessons takes nothing', () => {
    expect(commands['board:lessons'].input.safeParse({}).success).toBe(true)
    expect(commands['board:lessons'].input.safeParse({ x: 1 }).success).toBe(false)
  })
})

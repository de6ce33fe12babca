import { describe, expect, it } from 'vitest'
import { UndoSlot, isUndoKey } from '../../../src/renderer/src/lib/undo-slot.svelte'

describe('UndoSlot', () => {
  it('gives back what a clear kept, once', () => {
    const slot = new UndoSlot<number[]>()
    expect(slot.ready).toBe(false)
    expect(slot.take()).toBeNull()
    slot.keep([1, 2, 3])
    expect(slot.ready).toBe(true)
    expect(slot.take()).toEqual({ value: [1, 2, 3] })
    expect(slot.ready).toBe(false)
    expect(slot.take()).toBeNull()
  })

  it('forgets on a new change, and keeps only the latest clear', () => {
    const slot = new UndoSlot<string>()
    slot.keep('a')
    slot.forget()
    expect(slot.take()).toBeNull()
    slot.keep('b')
    slot.keep('c')
    expect(slot.take()).toEqual({ value: 'c' })
  })
})

describe('isUndoKey', () => {
  const key = (init: KeyboardEventInit) => init as unknown as KeyboardEvent
  it('is Ctrl+Z or ⌘Z, either case, never with Shift', () => {
    expect(isUndoKey(key({ key: 'z', ctrlKey: true }))).toBe(true)
    expect(isUndoKey(key({ key: 'Z', metaKey: true }))).toBe(true)
    expect(isUndoKey(key({ key: 'z' }))).toBe(false)
    expect(isUndoKey(key({ key: 'Z', ctrlKey: true, shiftKey: true }))).toBe(false)
    expect(isUndoKey(key({ key: 'y', ctrlKey: true }))).toBe(false)
  })
})

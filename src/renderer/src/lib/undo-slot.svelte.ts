/**
 * What the last Clear (or Start over) wiped, so one Undo brings it back — the drawing pad's rule,
 * for every pad and lab. A new change forgets it: undoing a clear must never overwrite work done
 * after it.
 */
export class UndoSlot<T> {
  #saved = $state.raw<{ value: T } | null>(null)

  /** True while there is something to bring back (the Undo button's enabled state). */
  get ready(): boolean {
    return this.#saved !== null
  }

  keep(value: T): void {
    this.#saved = { value }
  }

  forget(): void {
    this.#saved = null
  }

  /** The kept value, once: the slot is empty afterwards. */
  take(): { value: T } | null {
    const saved = this.#saved
    this.#saved = null
    return saved
  }
}

/** Ctrl+Z (⌘Z on a Mac), without Shift: Shift is redo's in most programs. */
export function isUndoKey(event: KeyboardEvent): boolean {
  return (
    (event.ctrlKey === true || event.metaKey === true) &&
    event.shiftKey !== true &&
    event.key.toLowerCase() === 'z'
  )
}

/** A field where Ctrl+Z belongs to the text being typed, not to the lab around it. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true
  return (
    target instanceof HTMLInputElement &&
    !['range', 'radio', 'checkbox', 'button'].includes(target.type)
  )
}

const STORAGE_KEY = 'sinapse.presentation'

/**
 * Presentation mode for a projector: larger type, high contrast, side panels hidden and keyboard
 * stepping between a view's sections. Remembered across reloads; shown on the root element as
 * `data-presentation`, which app.css styles.
 */
export class PresentationState {
  on = $state(false)

  constructor(private readonly storage: Storage) {
    this.on = storage.getItem(STORAGE_KEY) === 'on'
    this.#apply()
  }

  toggle(): void {
    this.set(!this.on)
  }

  set(on: boolean): void {
    this.on = on
    this.storage.setItem(STORAGE_KEY, on ? 'on' : 'off')
    this.#apply()
  }

  #apply(): void {
    if (this.on) document.documentElement.dataset.presentation = 'on'
    else delete document.documentElement.dataset.presentation
  }
}

export const presentation = new PresentationState(localStorage)

/** Keys that step forwards or backwards in presentation mode. */
export function stepOf(key: string): 1 | -1 | 0 {
  if (key === 'PageDown' || key === 'ArrowDown' || key === 'ArrowRight') return 1
  if (key === 'PageUp' || key === 'ArrowUp' || key === 'ArrowLeft') return -1
  return 0
}

/**
 * Whether a key press belongs to the focused control (typing, a slider, a select, a tab list, a
 * canvas that moves a cursor) rather than to the page: such presses are never taken for stepping.
 */
export function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target.closest('input, select, textarea, [role=tablist], [role=radiogroup], [role=slider]'))
    return true
  // A focusable canvas or widget with its own arrow keys (e.g. the convolution lab's map).
  return target.tagName === 'CANVAS' && target.tabIndex >= 0
}

/** The view's sections, in page order: its headings below the page title. */
function sectionsOf(main: HTMLElement): HTMLElement[] {
  return [...main.querySelectorAll<HTMLElement>('h2, h3')].filter(
    (h) => h.getClientRects().length > 0 && !h.closest('[data-side-panel]'),
  )
}

/**
 * Moves to the next (1) or previous (-1) section of the view: scrolls its heading to the top and
 * focuses it, so a screen reader follows. Returns the heading, or null at either end.
 */
export function stepSection(
  main: HTMLElement,
  direction: 1 | -1,
  topOffset: number,
): HTMLElement | null {
  const sections = sectionsOf(main)
  if (sections.length === 0) return null
  const current = sections.findIndex((h) => h.dataset.presentationStep === 'current')
  // Without a current one, start from what is on screen now.
  const from =
    current >= 0
      ? current
      : direction === 1
        ? sections.filter((h) => h.getBoundingClientRect().top <= topOffset + 1).length - 1
        : sections.filter((h) => h.getBoundingClientRect().top < topOffset - 1).length
  const next = sections[from + direction]
  if (!next) return null
  for (const h of sections) delete h.dataset.presentationStep
  next.dataset.presentationStep = 'current'
  if (!next.hasAttribute('tabindex')) next.tabIndex = -1
  next.focus({ preventScroll: true })
  window.scrollTo({
    top: Math.max(0, window.scrollY + next.getBoundingClientRect().top - topOffset),
  })
  return next
}

import { SvelteMap } from 'svelte/reactivity'
import { assignRunColors, type XAxisMode } from '../../../shared/compare'
import type { RunDetail, RunSummary } from '../../../shared/runs'
import { api } from '../lib/api.svelte'

/** Facts of a summary that change while a run trains or is evaluated; a change means re-fetch. */
function freshness(run: Pick<RunSummary, 'status' | 'epochs' | 'testAccuracy' | 'name'>): string {
  return `${run.status}/${run.epochs}/${run.testAccuracy}/${run.name}`
}

/**
 * The Compare view's data and chart settings, kept at app level so that leaving the view and
 * coming back keeps the smoothing, axis and loaded runs.
 */
export class CompareState {
  /** Loaded runs by id. */
  readonly details = new SvelteMap<number, RunDetail>()
  /** Load failures by run id, in the user's language. */
  readonly errors = new SvelteMap<number, string>()
  xMode = $state<XAxisMode>('epoch')
  /** TensorBoard-style EMA weight, 0–0.99; 0 draws the measured values only. */
  smoothing = $state(0)
  logScale = $state(false)
  showAllFields = $state(false)

  // Bookkeeping, deliberately not reactive: written while the view's deriveds run.
  #loaded: Record<number, string> = {}
  #inflight: Record<number, string> = {}
  #colors: Record<number, number> = {}

  /**
   * Palette slots for the selected runs. A run keeps its color for the whole session, including
   * after being deselected and picked again, unless a run selected since has taken it.
   */
  colorSlots(ids: readonly number[]): ReadonlyMap<number, number> {
    const previous = Object.entries(this.#colors).map(([id, slot]): [number, number] => [
      Number(id),
      slot,
    ])
    const slots = assignRunColors(ids, previous)
    this.#colors = { ...this.#colors, ...Object.fromEntries(slots) }
    return slots
  }

  /**
   * Fetches every selected run that is not loaded yet or whose summary changed since (a run still
   * training gains epochs; an evaluation adds a test score). Parallel, one request per run.
   */
  sync(ids: readonly number[], summaries: readonly RunSummary[]): void {
    for (const id of ids) {
      const summary = summaries.find((run) => run.id === id)
      if (!summary) continue
      const key = freshness(summary)
      if (this.#loaded[id] === key || this.#inflight[id] === key) continue
      this.#inflight[id] = key
      void this.#fetch(id, key)
    }
  }

  async #fetch(id: number, key: string): Promise<void> {
    try {
      const detail = await api['runs:get']({ id })
      if (this.#inflight[id] !== key) return
      this.details.set(id, detail)
      this.#loaded[id] = key
      this.errors.delete(id)
    } catch (err) {
      if (this.#inflight[id] !== key) return
      this.errors.set(id, err instanceof Error ? err.message : String(err))
    } finally {
      if (this.#inflight[id] === key) delete this.#inflight[id]
    }
  }
}

export const compareState = new CompareState()

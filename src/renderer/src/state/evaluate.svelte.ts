import type { Disagreements, EvaluationSamples } from '../../../shared/ipc-contract'
import type { RunDetail } from '../../../shared/runs'
import { api } from '../lib/api.svelte'

export type SampleSort = 'confidenceDesc' | 'confidenceAsc'

/** Which test images the gallery shows: one confusion-matrix cell, or every mistake. */
export type GalleryFilter = { trueClass: number; predictedClass: number } | 'mistakes'

export const GALLERY_PAGE_SIZE = 40
export const MISTAKES_SHOWN = 12
export const DISAGREEMENTS_SHOWN = 40

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * The Evaluation view's data for one run: its detail, the gallery page, its most confident
 * mistakes and a comparison with run B. Each request carries a token so a late answer for a run
 * or filter the user has left never overwrites the current one.
 */
export class EvaluateState {
  runId = $state<number | null>(null)
  run = $state.raw<RunDetail | null>(null)
  runError = $state<string | null>(null)
  evaluating = $state(false)
  evaluateError = $state<string | null>(null)

  filter = $state.raw<GalleryFilter | null>(null)
  sort = $state<SampleSort>('confidenceDesc')
  offset = $state(0)
  page = $state.raw<EvaluationSamples | null>(null)
  pageLoading = $state(false)
  pageError = $state<string | null>(null)

  mistakes = $state.raw<EvaluationSamples | null>(null)
  mistakesError = $state<string | null>(null)

  compareId = $state<number | null>(null)
  disagreements = $state.raw<Disagreements | null>(null)
  compareLoading = $state(false)
  compareError = $state<string | null>(null)

  #pageToken = 0
  #compareToken = 0
  #runToken = 0

  /** Opens a run (or nothing); the same run again only refreshes its detail. */
  open(id: number | null): void {
    if (id === this.runId) return
    this.runId = id
    this.run = null
    this.runError = null
    this.evaluateError = null
    this.filter = null
    this.offset = 0
    this.page = null
    this.mistakes = null
    this.mistakesError = null
    this.compareId = null
    this.disagreements = null
    this.compareError = null
    if (id !== null) void this.reload()
  }

  /** Re-reads the run's detail and, when it has an evaluation, its mistakes and gallery. */
  async reload(): Promise<void> {
    const id = this.runId
    if (id === null) return
    const token = ++this.#runToken
    try {
      const run = await api['runs:get']({ id })
      if (token !== this.#runToken) return
      this.run = run
      this.runError = null
      if (run.model && run.evaluation) {
        void this.#loadMistakes(id)
        if (this.filter) void this.#loadPage()
        if (this.compareId !== null) void this.#loadCompare()
      }
    } catch (err) {
      if (token === this.#runToken) this.runError = messageOf(err)
    }
  }

  /** Scores the model on the test set again (runs:evaluate), then reloads everything. */
  async evaluate(): Promise<void> {
    const id = this.runId
    if (id === null || this.evaluating) return
    this.evaluating = true
    this.evaluateError = null
    try {
      await api['runs:evaluate']({ id })
      if (id === this.runId) await this.reload()
    } catch (err) {
      if (id === this.runId) this.evaluateError = messageOf(err)
    } finally {
      this.evaluating = false
    }
  }

  /** Shows a cell's (or all mistakes') images in the gallery, from the first page. */
  show(filter: GalleryFilter): void {
    this.filter = filter
    this.offset = 0
    void this.#loadPage()
  }

  setSort(sort: SampleSort): void {
    this.sort = sort
    this.offset = 0
    if (this.filter) void this.#loadPage()
  }

  goToPage(offset: number): void {
    this.offset = Math.max(0, offset)
    void this.#loadPage()
  }

  compareWith(id: number | null): void {
    this.compareId = id
    this.disagreements = null
    this.compareError = null
    if (id !== null) void this.#loadCompare()
  }

  async #loadPage(): Promise<void> {
    const id = this.runId
    const filter = this.filter
    if (id === null || filter === null) return
    const token = ++this.#pageToken
    this.pageLoading = true
    try {
      const page = await api['evaluation:samples']({
        id,
        trueClass: filter === 'mistakes' ? null : filter.trueClass,
        predictedClass: filter === 'mistakes' ? null : filter.predictedClass,
        mistakesOnly: filter === 'mistakes',
        sort: this.sort,
        offset: this.offset,
        limit: GALLERY_PAGE_SIZE,
      })
      if (token !== this.#pageToken) return
      this.page = page
      this.pageError = null
    } catch (err) {
      if (token === this.#pageToken) this.pageError = messageOf(err)
    } finally {
      if (token === this.#pageToken) this.pageLoading = false
    }
  }

  async #loadMistakes(id: number): Promise<void> {
    try {
      const mistakes = await api['evaluation:samples']({
        id,
        trueClass: null,
        predictedClass: null,
        mistakesOnly: true,
        sort: 'confidenceDesc',
        offset: 0,
        limit: MISTAKES_SHOWN,
      })
      if (id !== this.runId) return
      this.mistakes = mistakes
      this.mistakesError = null
    } catch (err) {
      if (id === this.runId) this.mistakesError = messageOf(err)
    }
  }

  async #loadCompare(): Promise<void> {
    const a = this.runId
    const b = this.compareId
    if (a === null || b === null) return
    const token = ++this.#compareToken
    this.compareLoading = true
    try {
      const result = await api['evaluation:disagreements']({ a, b, limit: DISAGREEMENTS_SHOWN })
      if (token !== this.#compareToken) return
      this.disagreements = result
      this.compareError = null
    } catch (err) {
      if (token === this.#compareToken) this.compareError = messageOf(err)
    } finally {
      if (token === this.#compareToken) this.compareLoading = false
    }
  }
}

export const evaluateState = new EvaluateState()

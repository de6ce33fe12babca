import { SvelteMap, SvelteSet } from 'svelte/reactivity'
import type { InputScale } from '../../../shared/input-scale'
import type { RunStatus, RunDetail, RunSummary } from '../../../shared/runs'
import {
  compareBlocker,
  filterRuns,
  runDurationMs,
  sortRuns,
  summarizeArchitecture,
  toggleSort,
  type RunRow,
  type RunSort,
  type RunSortKey,
} from '../../../shared/run-table'
import type { MessageKey, MessageParams } from '../../../shared/i18n'
import { api, ApiError } from '../lib/api.svelte'
import { i18n } from '../lib/i18n.svelte'
import { runsState } from './runs.svelte'

/** Lazy `runs:get` calls at once: enough to fill a screen quickly without flooding main. */
const FETCH_CONCURRENCY = 3

type DetailEntry =
  { state: 'loading' } | { state: 'ready'; detail: RunDetail } | { state: 'error'; message: string }

/** A short confirmation or failure; kept as a key so it follows the language switch. */
export interface Notice {
  kind: 'ok' | 'error'
  key: MessageKey
  params: MessageParams
}

function messageOf(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err)
}

/**
 * What the Runs view remembers: sort, filters, search and selection survive switching views. Run
 * details (the spec behind the architecture column, the config for the details panel) are fetched
 * lazily with `runs:get` and cached, since a run's spec and config never change after it starts.
 */
export class RunsViewState {
  sort = $state<RunSort>({ key: 'createdAt', direction: 'desc' })
  statuses = $state.raw<RunStatus[]>([])
  query = $state('')
  readonly selected = new SvelteSet<number>()
  expandedId = $state<number | null>(null)
  renamingId = $state<number | null>(null)
  deleteTarget = $state<RunSummary | null>(null)
  notice = $state<Notice | null>(null)
  /** Ticks once a second while a run trains, so its duration counts up. */
  now = $state(Date.now())

  readonly #details = new SvelteMap<number, DetailEntry>()
  #queue: number[] = []
  #inFlight = 0

  /** Every run with its architecture and duration, in table order before filtering. */
  readonly allRows = $derived.by((): RunRow[] => {
    const formatNumber = (n: number) => n.toLocaleString(i18n.current)
    return runsState.runs.map((run) => {
      const entry = this.#details.get(run.id)
      return {
        ...run,
        architecture:
          entry?.state === 'ready' ? summarizeArchitecture(entry.detail.spec, formatNumber) : null,
        durationMs: runDurationMs(run, this.now),
      }
    })
  })

  readonly rows = $derived.by((): RunRow[] => {
    const collator = new Intl.Collator(i18n.current, { numeric: true, sensitivity: 'base' })
    const shown = filterRuns(this.allRows, { statuses: this.statuses, query: this.query })
    return sortRuns(shown, this.sort, collator)
  })

  readonly filtering = $derived(this.statuses.length > 0 || this.query.trim() !== '')

  /** Selected ids in table order, as the Compare view will list them. */
  readonly selectedIds = $derived(
    this.allRows.filter((row) => this.selected.has(row.id)).map((row) => row.id),
  )

  readonly compareBlocker = $derived(compareBlocker(this.selectedIds.length))

  get hasLiveRun(): boolean {
    return runsState.runs.some((run) => run.status === 'running' || run.status === 'queued')
  }

  detail(id: number): DetailEntry | undefined {
    return this.#details.get(id)
  }

  /** Queues `runs:get` for each run whose details are not cached yet. */
  ensureDetails(ids: readonly number[]): void {
    for (const id of ids) {
      if (this.#details.has(id) || this.#queue.includes(id)) continue
      this.#queue.push(id)
    }
    this.#pump()
  }

  /** Tries again after a failed fetch (the details panel offers this when it opens). */
  retryDetail(id: number): void {
    if (this.#details.get(id)?.state !== 'error') return
    this.#details.delete(id)
    this.ensureDetails([id])
  }

  #pump(): void {
    while (this.#inFlight < FETCH_CONCURRENCY && this.#queue.length > 0) {
      const id = this.#queue.shift() as number
      this.#inFlight++
      this.#details.set(id, { state: 'loading' })
      api['runs:get']({ id })
        .then((detail) => this.#details.set(id, { state: 'ready', detail }))
        .catch((err: unknown) => this.#details.set(id, { state: 'error', message: messageOf(err) }))
        .finally(() => {
          this.#inFlight--
          this.#pump()
        })
    }
  }

  /** Drops cached details and selection of runs that no longer exist. */
  forgetMissing(): void {
    const exists = (id: number) => runsState.runs.some((run) => run.id === id)
    for (const id of [...this.#details.keys()]) if (!exists(id)) this.#details.delete(id)
    for (const id of [...this.selected]) if (!exists(id)) this.selected.delete(id)
    if (this.expandedId !== null && !exists(this.expandedId)) this.expandedId = null
  }

  sortBy(key: RunSortKey): void {
    this.sort = toggleSort(this.sort, key)
  }

  toggleStatus(status: RunStatus): void {
    this.statuses = this.statuses.includes(status)
      ? this.statuses.filter((s) => s !== status)
      : [...this.statuses, status]
  }

  clearFilters(): void {
    this.statuses = []
    this.query = ''
  }

  toggleSelected(id: number): void {
    if (this.selected.has(id)) this.selected.delete(id)
    else this.selected.add(id)
  }

  toggleExpanded(id: number): void {
    this.expandedId = this.expandedId === id ? null : id
    if (this.expandedId !== null) this.retryDetail(id)
  }

  /**
   * Applies a change through `runs:update`; the list refreshes from the `runs:changed` event.
   * Returns false (with the server's message in `notice`) when it fails.
   */
  async update(
    run: RunSummary,
    patch: {
      name?: string
      notes?: string | null
      tags?: string[]
      pinned?: boolean
      inputScale?: InputScale
    },
    success: MessageKey,
  ): Promise<boolean> {
    try {
      await api['runs:update']({ id: run.id, ...patch })
      // The details hold the convention and the score it dropped: fetch them again.
      if (patch.inputScale !== undefined) {
        this.#details.delete(run.id)
        this.ensureDetails([run.id])
      }
      this.notice = { kind: 'ok', key: success, params: { name: patch.name ?? run.name } }
      await runsState.refresh()
      return true
    } catch (err) {
      this.notice = {
        kind: 'error',
        key: 'runlist.actionFailed',
        params: { detail: messageOf(err) },
      }
      return false
    }
  }

  /** Deletes a run for good; throws the server's error (e.g. the run is still training). */
  async delete(run: RunSummary): Promise<void> {
    await api['runs:delete']({ id: run.id })
    this.selected.delete(run.id)
    this.#details.delete(run.id)
    if (this.expandedId === run.id) this.expandedId = null
    this.notice = { kind: 'ok', key: 'runlist.deleted', params: { name: run.name } }
    await runsState.refresh()
  }
}

export const runsView = new RunsViewState()

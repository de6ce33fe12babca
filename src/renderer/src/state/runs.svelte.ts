import type { AppInfo } from '../../../shared/ipc-contract'
import type { RunSummary } from '../../../shared/runs'
import { api, onEvent } from '../lib/api.svelte'

/** App info and the runs list, kept fresh by main's events; shared by every view. */
export class RunsState {
  info = $state.raw<AppInfo | null>(null)
  /** Replaced on every load, never mutated. */
  runs = $state.raw<RunSummary[]>([])
  loaded = $state(false)
  error = $state<string | null>(null)

  #loading: Promise<void> | null = null
  #stale = false

  async loadInfo(): Promise<void> {
    try {
      this.info = await api['app:info']({})
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err)
    }
  }

  /** Reloads the runs; calls during a load coalesce into one more load after it. */
  refresh(): Promise<void> {
    if (this.#loading) {
      this.#stale = true
      return this.#loading
    }
    this.#loading = this.#loadUntilFresh().finally(() => {
      this.#loading = null
    })
    return this.#loading
  }

  async #loadUntilFresh(): Promise<void> {
    do {
      this.#stale = false
      try {
        this.runs = await api['runs:list']({})
        this.error = null
      } catch (err) {
        this.error = err instanceof Error ? err.message : String(err)
      }
    } while (this.#stale)
    this.loaded = true
  }

  /** Subscribes to the events that change the list; returns the unsubscribe function. */
  connect(): () => void {
    const reload = () => void this.refresh()
    const unsubscribers = [
      onEvent('runs:changed', reload),
      onEvent('training:started', reload),
      onEvent('training:epoch', reload),
      onEvent('training:finished', reload),
    ]
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe())
  }
}

export const runsState = new RunsState()

import { SvelteMap } from 'svelte/reactivity'
import type { OodHolder, OodStatus } from '../../../shared/ood'
import { api, onEvent } from '../lib/api.svelte'

/** Below this many seconds of computing, no time left is guessed: the first batches are noisy. */
const ETA_AFTER_S = 3

interface Tracked extends OodStatus {
  /** When this computation was first seen (ms, performance.now()), and how far it was then. */
  since: number
  doneSince: number
}

/**
 * Where each run's out-of-distribution judgement stands in this session (main's `ood:status`
 * events), and which runs the views want judged. Predictions answer at once; their verdict
 * follows when the run's status turns ready (`onReady`).
 */
export class OodState {
  readonly statuses = new SvelteMap<number, Tracked>()
  #readyListeners: ((runId: number) => void)[] = []

  /** Follows main's status events; returns the unsubscribe function. */
  connect(): () => void {
    return onEvent('ood:status', (status) => this.update(status))
  }

  /** The runs `holder` shows now: their judgements are prepared, the others it held cancelled. */
  async want(holder: OodHolder, runIds: number[]): Promise<void> {
    try {
      const statuses = await api['ood:want']({ holder, runIds })
      for (const status of statuses) this.update(status)
    } catch {
      // Predictions still work; their cards say the judgement is not ready.
    }
  }

  /** Calls `listener` with each run whose judgement becomes ready; returns the unsubscribe. */
  onReady(listener: (runId: number) => void): () => void {
    this.#readyListeners.push(listener)
    return () => {
      this.#readyListeners = this.#readyListeners.filter((other) => other !== listener)
    }
  }

  update(status: OodStatus, now = performance.now()): void {
    const before = this.statuses.get(status.runId)
    // The pace is measured again after a pause: the time waiting for a training says nothing.
    const same =
      before?.state === 'computing' &&
      status.state === 'computing' &&
      before.paused !== true &&
      status.paused !== true
    const since = same ? before.since : now
    const doneSince = same ? before.doneSince : status.done
    this.statuses.set(status.runId, { ...status, since, doneSince })
    if (status.state === 'ready' && before?.state !== 'ready') {
      for (const listener of this.#readyListeners) listener(status.runId)
    }
  }

  /**
   * A rough number of seconds left for a run's bank, from its pace so far; null while too early
   * to say (or not computing).
   */
  secondsLeft(runId: number, now = performance.now()): number | null {
    const status = this.statuses.get(runId)
    if (!status || status.state !== 'computing' || status.paused || status.total <= 0) return null
    const elapsed = (now - status.since) / 1000
    const done = status.done - status.doneSince
    if (elapsed < ETA_AFTER_S || done <= 0) return null
    return Math.max(1, Math.round((elapsed * (status.total - status.done)) / done))
  }
}

export const oodState = new OodState()

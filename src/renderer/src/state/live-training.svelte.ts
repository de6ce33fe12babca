import type { ErrorInfo } from '../../../shared/errors'
import type { PriorEstimate } from '../../../shared/eta'
import type { BackendName, EpochMetrics, RunStatus, TrainingProgress } from '../../../shared/runs'
import { api, onEvent } from '../lib/api.svelte'

/**
 * The live picture of the current (or last) training, kept at app level so that switching views
 * never loses it, and rebuilt from `training:active` after a reload.
 */
export class LiveTraining {
  runId = $state<number | null>(null)
  backend = $state<BackendName | null>(null)
  status = $state<RunStatus | null>(null)
  error = $state<ErrorInfo | null>(null)
  progress = $state.raw<TrainingProgress | null>(null)
  /** Per-batch points (~10 a second); replaced, never mutated, so charts see each change. */
  progressLog = $state.raw<TrainingProgress[]>([])
  history = $state.raw<EpochMetrics[]>([])
  startedAt = $state<number | null>(null)
  /** The builder's estimate for a run it started, until the run's own pace replaces it. */
  private prior = $state.raw<{ runId: number; estimate: PriorEstimate } | null>(null)

  /** The estimate measured before the current run, if the builder measured one for it. */
  get estimate(): PriorEstimate | null {
    return this.prior && this.prior.runId === this.runId ? this.prior.estimate : null
  }

  /** Keeps the builder's estimate for run `runId`, the ETA's first figure. */
  expect(runId: number, estimate: PriorEstimate): void {
    this.prior = { runId, estimate }
  }

  get running(): boolean {
    return this.status === 'running' || this.status === 'queued'
  }

  async load(): Promise<void> {
    const active = await api['training:active']({})
    if (!active) return
    this.runId = active.runId
    this.backend = active.backend
    this.status = 'running'
    this.error = null
    this.progress = active.progress
    this.progressLog = active.progressLog
    this.history = active.history
    this.startedAt = Date.now()
  }

  /**
   * Shows a run as queued the moment `training:start` answers, before the worker reports that it
   * started (loading the dataset takes a moment); a no-op if its events already arrived.
   */
  queue(runId: number): void {
    if (this.runId === runId) return
    this.runId = runId
    this.backend = null
    this.status = 'queued'
    this.error = null
    this.progress = null
    this.progressLog = []
    this.history = []
    this.startedAt = Date.now()
  }

  /** Subscribes to training events; returns the unsubscribe function. */
  connect(): () => void {
    const offs = [
      onEvent('training:started', (e) => {
        this.runId = e.runId
        this.backend = e.backend
        this.status = 'running'
        this.error = null
        this.progress = null
        this.progressLog = []
        this.history = []
        this.startedAt = Date.now()
      }),
      onEvent('training:progress', (p) => {
        if (p.runId !== this.runId) return
        this.progress = p
        this.progressLog = [...this.progressLog, p]
      }),
      onEvent('training:epoch', (e) => {
        if (e.runId !== this.runId) return
        this.history = [...this.history, e.metrics]
      }),
      onEvent('training:finished', (e) => {
        if (e.runId !== this.runId) return
        this.status = e.status
        this.error = e.error
      }),
    ]
    return () => offs.forEach((off) => off())
  }
}

export const liveTraining = new LiveTraining()

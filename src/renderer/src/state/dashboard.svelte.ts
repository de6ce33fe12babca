import { api } from '../lib/api.svelte'

/**
 * Dashboard state that must outlive the view: a stop request stays visible ("stopping after this
 * batch…") when the student switches views and comes back before the batch ends.
 */
export class DashboardState {
  /** The run a stop was requested for; it stays set, and only counts while that run trains. */
  stoppingRunId = $state<number | null>(null)
  stopError = $state<string | null>(null)

  /** Asks main to stop the run after the current batch. */
  async stop(runId: number): Promise<void> {
    this.stoppingRunId = runId
    this.stopError = null
    try {
      const { stopping } = await api['training:stop']({ runId })
      if (!stopping) this.stoppingRunId = null
    } catch (err) {
      this.stoppingRunId = null
      this.stopError = err instanceof Error ? err.message : String(err)
    }
  }
}

export const dashboard = new DashboardState()

import type { RunStatus } from '../../../shared/runs'
import { getPreset } from '../../../shared/presets'
import { api, onEvent } from '../lib/api.svelte'
import { i18n } from '../lib/i18n.svelte'
import { MNIST_RACE, mnistRaceConfig } from '../lib/learn/mnist-race'
import { liveTraining } from './live-training.svelte'
import { router } from './router.svelte'

/**
 * The race on MNIST: real runs, one after another (the trainer takes one at a time), each waited
 * for until it finishes, then all of them opened in Compare.
 */
export class MnistRaceState {
  running = $state(false)
  /** Index of the run being trained, for "2 of 4". */
  current = $state(0)
  runIds = $state.raw<number[]>([])
  error = $state<string | null>(null)

  async start(limit: number): Promise<void> {
    if (this.running) return
    this.running = true
    this.error = null
    this.runIds = []
    // Plain records, not reactive state: they only connect events to the awaiting loop. A run
    // can finish before `training:start` answers, so finished statuses are kept too.
    const finished: Record<number, RunStatus> = {}
    const waiters: Record<number, (status: RunStatus) => void> = {}
    const off = onEvent('training:finished', (e) => {
      finished[e.runId] = e.status
      waiters[e.runId]?.(e.status)
    })
    try {
      for (const [index, entry] of MNIST_RACE.entries()) {
        this.current = index
        const { runId } = await api['training:start']({
          name: i18n.t('learn.optimizers.raceRunName', {
            optimizer: i18n.t(`learn.optimizers.name.${entry.key}`),
          }),
          spec: getPreset('tutorial-mlp').spec,
          config: mnistRaceConfig(entry, limit),
          dataset: 'mnist',
        })
        liveTraining.queue(runId)
        this.runIds = [...this.runIds, runId]
        const status =
          finished[runId] ?? (await new Promise<RunStatus>((resolve) => (waiters[runId] = resolve)))
        if (status !== 'completed') {
          this.error = i18n.t('learn.optimizers.raceStopped', { id: runId, status })
          return
        }
      }
      router.go('compare', { ids: this.runIds.join(',') })
    } catch (err) {
      this.error = i18n.t('learn.optimizers.raceFailed', {
        detail: err instanceof Error ? err.message : String(err),
      })
    } finally {
      off()
      this.running = false
    }
  }
}

export const mnistRace = new MnistRaceState()

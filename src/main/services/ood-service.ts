import { isAbsolute, join } from 'node:path'
import { toErrorInfo } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import type { Emit } from '../../shared/ipc-contract'
import type { OodHolder, OodStatus } from '../../shared/ood'
import type { RunDetail } from '../../shared/runs'
import type { DataPaths } from '../paths'
import type { RunsRepo } from '../store/runs-repo'
import type { TrainingEngine } from '../training/engine'
import { isOodCancelled, type OodJob } from '../training/ood-banks'

export interface OodServiceDeps {
  repo: RunsRepo
  engine: TrainingEngine
  paths: DataPaths
  emit: Emit
  locale: Locale
}

/** Who wants a run's calibration: the views showing it, or the app itself after a training. */
type Holder = OodHolder | 'app'

interface Tracked {
  job: OodJob
  status: OodStatus
  holders: Set<Holder>
}

/**
 * Prepares the out-of-distribution judgement of the runs the views show, in the background: the
 * tester and the X-ray say which runs they show (`want`), each one's neighbour bank is computed
 * in the worker with progress sent as `ood:status` events, and a run no view shows any more is
 * cancelled at the worker's next batch. Predictions never wait for it (they say `oodPending`).
 * A finished training or an import prepares its run at once (`prepareNow`), so the threshold is
 * written beside the model before the tester is first opened.
 */
export function createOodService(deps: OodServiceDeps) {
  const { repo, engine, paths, emit, locale } = deps
  const tracked = new Map<number, Tracked>()
  const wanted = new Map<Holder, Set<number>>()

  function jobOf(run: RunDetail): OodJob | null {
    if (!run.model) return null
    const [h, w, c] = run.spec.inputShape
    if (h !== 28 || w !== 28 || c !== 1) return null
    const modelDir = isAbsolute(run.model.path) ? run.model.path : join(paths.root, run.model.path)
    return {
      modelDir,
      sha256: run.model.sha256,
      dataset: run.dataset,
      inputScale: run.inputScale,
    }
  }

  const sameJob = (a: OodJob, b: OodJob) =>
    a.modelDir === b.modelDir &&
    a.sha256 === b.sha256 &&
    a.dataset === b.dataset &&
    a.inputScale === b.inputScale

  function publish(entry: Tracked): void {
    emit('ood:status', { ...entry.status })
  }

  /** Starts the run's calibration unless it is running or ready; null for a run without one. */
  function ensure(runId: number, holder: Holder | null): OodStatus | null {
    const run = repo.get(runId)
    const job = run ? jobOf(run) : null
    const known = tracked.get(runId)
    // A new pixel convention (or model) is another calibration: the old one is dropped.
    if (known && (!job || !sameJob(known.job, job))) {
      tracked.delete(runId)
      if (known.status.state === 'computing') engine.cancelOod(known.job).catch(() => {})
    } else if (known) {
      if (holder) known.holders.add(holder)
      return { ...known.status }
    }
    if (!job) return null
    const entry: Tracked = {
      job,
      status: { runId, state: 'computing', done: 0, total: 0, error: null },
      holders: new Set(holder ? [holder] : []),
    }
    tracked.set(runId, entry)
    engine
      .prepareOod(job, (progress) => {
        if (tracked.get(runId) !== entry) return
        entry.status = {
          ...entry.status,
          done: progress.done,
          total: progress.total,
          paused: progress.paused === true,
        }
        publish(entry)
      })
      .then(
        (prepared) => {
          if (tracked.get(runId) !== entry) return
          const state = prepared.threshold === null ? 'unavailable' : 'ready'
          entry.status = { ...entry.status, state, done: entry.status.total, paused: false }
          publish(entry)
        },
        (err: unknown) => {
          if (tracked.get(runId) !== entry) return
          if (isOodCancelled(err)) {
            tracked.delete(runId)
            return
          }
          entry.status = {
            ...entry.status,
            state: 'failed',
            error: toErrorInfo(err, locale).message,
          }
          publish(entry)
          // A later view may try again (the dataset may be back).
          tracked.delete(runId)
        },
      )
    return { ...entry.status }
  }

  function release(runId: number, holder: Holder): void {
    const entry = tracked.get(runId)
    if (!entry) return
    entry.holders.delete(holder)
    if (entry.holders.size > 0 || entry.status.state !== 'computing') return
    // Nobody shows this run any more: its bank stops at the worker's next batch.
    tracked.delete(runId)
    engine.cancelOod(entry.job).catch(() => {})
  }

  return {
    /**
     * The runs `holder` shows now (replacing what it asked before): their calibrations start, the
     * ones only it wanted and still running are cancelled. Returns the status of each run that can
     * be judged.
     */
    want(holder: OodHolder, runIds: number[]): OodStatus[] {
      const before = wanted.get(holder) ?? new Set<number>()
      const now = new Set(runIds)
      wanted.set(holder, now)
      for (const runId of before) if (!now.has(runId)) release(runId, holder)
      const statuses: OodStatus[] = []
      for (const runId of now) {
        const status = ensure(runId, holder)
        if (status) statuses.push(status)
      }
      return statuses
    },

    /** Prepares a run's calibration now (after its training or import); nobody cancels it. */
    prepareNow(runId: number): void {
      ensure(runId, 'app')
    },

    /**
     * A prediction found the run's calibration missing in the worker (never asked for, or dropped
     * from its memory): compute it again and say so with events.
     */
    missing(runId: number): void {
      const entry = tracked.get(runId)
      if (entry?.status.state === 'computing') return
      tracked.delete(runId)
      ensure(runId, null)
      const again = tracked.get(runId)
      if (!again) return
      for (const holder of entry?.holders ?? []) again.holders.add(holder)
      publish(again)
    },
  }
}

export type OodService = ReturnType<typeof createOodService>

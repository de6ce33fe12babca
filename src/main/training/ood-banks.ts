import type { LayersModel } from '@tensorflow/tfjs-layers'
import type { DatasetRef } from '../../shared/dataset'
import { AppError } from '../../shared/errors'
import { DEFAULT_INPUT_SCALE, type InputScale } from '../../shared/input-scale'
import type { Tf } from './backend'
import type { ImageSet } from './datasets/types'
import { calibrateOod, type OodCalibration, type OodProgress, type OodThreshold } from './ood'

/** Which model's judgement: its folder, hash, pixel convention and training dataset. */
export interface OodJob {
  modelDir: string
  sha256: string | null
  dataset: DatasetRef
  inputScale?: InputScale
}

export interface OodBanksDeps {
  tf: Tf
  /** A copy of the saved model of its own: the calibration disposes it when done. */
  loadModel(dir: string, sha256: string | null): Promise<LayersModel>
  loadTrain(dataset: DatasetRef): Promise<ImageSet>
  readThreshold(dir: string, key: string): Promise<OodThreshold | null>
  writeThreshold(dir: string, calibration: OodThreshold, key: string): Promise<void>
  /** Lets the worker's other requests run between batches (a macrotask in the worker). */
  yieldNow(): Promise<void>
  /**
   * Resolves once no training runs (at once when none does). A bank waits for it before each
   * batch: on two cores its batches would slow every epoch of the training down.
   */
  idle?(): Promise<void> | null
  /** Banks kept in memory, the least recently used dropped first (each up to 10 MB). */
  capacity: number
}

interface Entry {
  key: string
  promise: Promise<OodCalibration | null>
  /** Set once the promise has settled with a value. */
  value: OodCalibration | null | undefined
  progress: OodProgress
  listeners: Set<(progress: OodProgress) => void>
  cancelled: boolean
}

/** The key a calibration is kept under; null when the model has no hash to tie it to. */
export function oodKey(job: OodJob): string | null {
  if (job.sha256 === null) return null
  return `${job.sha256}:${job.inputScale ?? DEFAULT_INPUT_SCALE}:${String(job.dataset)}`
}

/** Thrown by a calibration cancelled before it finished. */
export function isOodCancelled(err: unknown): boolean {
  return err instanceof AppError && err.code === 'CANCELLED'
}

/**
 * The worker's out-of-distribution calibrations: each model's neighbour bank (its features of
 * 20,000 training images) and threshold, computed one at a time in the background. A bank takes
 * seconds (about 15 under load), so it runs batch by batch and yields between batches: the
 * worker keeps answering predictions meanwhile, and a bank nobody wants any more is cancelled at
 * its next batch with nothing left behind (its model copy and tensors are disposed).
 */
export function createOodBanks(deps: OodBanksDeps) {
  const { tf } = deps
  /** By folder and key, the most recently used last. */
  const entries = new Map<string, Entry>()
  /** The computation running or last queued: banks are computed one after another. */
  let queue: Promise<unknown> = Promise.resolve()

  const entryKey = (job: OodJob, key: string) => `${job.modelDir}|${key}`

  function touch(entry: Entry): void {
    entries.delete(entry.key)
    entries.set(entry.key, entry)
  }

  function evict(): void {
    for (const [key, entry] of entries) {
      if (entries.size <= deps.capacity) break
      // A bank still being computed is not dropped: someone is waiting for it.
      if (entry.value === undefined) continue
      entries.delete(key)
    }
  }

  async function compute(job: OodJob, key: string | null, entry: Entry | null) {
    const progress: OodProgress = entry?.progress ?? { done: 0, total: 0 }
    const report = () => entry?.listeners.forEach((listener) => listener({ ...progress }))
    const checkCancelled = () => {
      if (entry?.cancelled) throw new AppError('CANCELLED', 'tester.ood.cancelled', {})
    }
    const waitForIdle = async () => {
      const idle = deps.idle?.()
      if (!idle) return
      progress.paused = true
      report()
      await idle
      checkCancelled()
      progress.paused = false
      report()
    }
    checkCancelled()
    await waitForIdle()
    const scale = job.inputScale ?? DEFAULT_INPUT_SCALE
    const stored = key === null ? null : await deps.readThreshold(job.modelDir, key)
    const train = await deps.loadTrain(job.dataset)
    checkCancelled()
    const model = await deps.loadModel(job.modelDir, job.sha256)
    try {
      const calibration = await calibrateOod(tf, model, train, scale, stored, {
        onTotal(total) {
          progress.total = total
          report()
        },
        async pace(done) {
          progress.done += done
          report()
          await deps.yieldNow()
          checkCancelled()
          await waitForIdle()
        },
      })
      // A read-only model folder only costs a recalibration next time.
      if (calibration && key !== null && calibration.threshold !== stored?.threshold) {
        await deps.writeThreshold(job.modelDir, calibration, key).catch(() => {})
      }
      return calibration
    } finally {
      model.dispose()
    }
  }

  function start(job: OodJob): Entry | null {
    const key = oodKey(job)
    if (key === null) return null
    const id = entryKey(job, key)
    const known = entries.get(id)
    if (known) {
      touch(known)
      return known
    }
    const entry: Entry = {
      key: id,
      promise: Promise.resolve(null),
      value: undefined,
      progress: { done: 0, total: 0 },
      listeners: new Set(),
      cancelled: false,
    }
    const run = queue.then(() => compute(job, key, entry))
    queue = run.catch(() => {})
    entry.promise = run
    run.then(
      (value) => {
        entry.value = value
        evict()
      },
      () => {
        if (entries.get(id) === entry) entries.delete(id)
      },
    )
    entries.set(id, entry)
    evict()
    return entry
  }

  return {
    /**
     * The model's calibration, computed if needed (queued behind any other): from memory, else
     * the bank from its dataset with the threshold from its folder, or computed too and written
     * beside the model. Null when the model has no Dense layer to take features from. Rejects
     * with CANCELLED when `cancel` stops it.
     */
    prepare(job: OodJob, onProgress?: (progress: OodProgress) => void) {
      const entry = start(job)
      // No hash to tie a calibration to: computed for this call alone.
      if (!entry) {
        const run = queue.then(() => compute(job, null, null))
        queue = run.catch(() => {})
        return run
      }
      if (onProgress) {
        const listener = onProgress
        entry.listeners.add(listener)
        onProgress({ ...entry.progress })
        const remove = () => entry.listeners.delete(listener)
        entry.promise.then(remove, remove)
      }
      return entry.promise
    },

    /**
     * The calibration if it is ready (null: the model cannot be judged); undefined while it is
     * still being computed or was never asked for.
     */
    ready(job: OodJob): OodCalibration | null | undefined {
      const key = oodKey(job)
      const entry = key === null ? undefined : entries.get(entryKey(job, key))
      if (entry?.value !== undefined) touch(entry)
      return entry?.value
    },

    /** Stops the model's calibration at its next batch if it is still being computed. */
    cancel(job: OodJob): boolean {
      const key = oodKey(job)
      const entry = key === null ? undefined : entries.get(entryKey(job, key))
      if (!entry || entry.value !== undefined) return false
      entry.cancelled = true
      entries.delete(entry.key)
      return true
    },

    /** Calibrations in memory (ready or being computed), for tests. */
    size: () => entries.size,
  }
}

export type OodBanks = ReturnType<typeof createOodBanks>

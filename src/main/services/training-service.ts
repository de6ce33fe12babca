import { join, relative } from 'node:path'
import { AppError, toErrorInfo, type ErrorInfo } from '../../shared/errors'
import { isMessageKey, translate, type Locale } from '../../shared/i18n'
import type { ActiveTraining, Emit, TrainingEstimate } from '../../shared/ipc-contract'
import type { LayerSpec, ModelSpec } from '../../shared/model-spec'
import {
  checkRunName,
  type BackendName,
  type EpochMetrics,
  type RunDetail,
  type TrainingProgress,
} from '../../shared/runs'
import { KERAS_CLASS_NAMES } from '../../shared/spec-shapes'
import { validateModelSpec } from '../../shared/spec-validation'
import { validateTrainConfig } from '../../shared/train-config'
import type { DataPaths } from '../paths'
import { HEARTBEAT_MS } from '../store/process-liveness'
import { INTERRUPTED_ERROR, type OwnerCheck, type RunsRepo } from '../store/runs-repo'
import type { TrainingEngine } from '../training/engine'
import { describeDataset } from './dataset-info'
import { SpecError } from './spec-error'

export interface TrainingServiceDeps {
  repo: RunsRepo
  engine: TrainingEngine
  paths: DataPaths
  emit: Emit
  locale: Locale
  owner: { pid: number; token: string; startId: string | null }
  checkOwner: OwnerCheck
  /** Heartbeat period; process-liveness's HEARTBEAT_MS unless a test shortens it. */
  heartbeatMs?: number
  /**
   * Where a trained model goes when the data folder refuses it (read-only, full): a folder the
   * user owns, named in the message (`run-<uid>` inside it).
   */
  fallbackDir: string
  /** Called with a run whose model was just saved in the data folder (its judgement is prepared). */
  onModelReady?: (runId: number) => void
}

export interface StartInput {
  name?: string
  spec: unknown
  config: unknown
  dataset: string
}

interface ActiveRun {
  runId: number
  stop: () => void
  backend: BackendName | null
  progress: TrainingProgress | null
  progressLog: TrainingProgress[]
  history: EpochMetrics[]
  done: Promise<unknown>
  /** Someone asked it to stop: if the worker then dies or is ended, the run counts as stopped. */
  stopRequested: boolean
  /** Recorded as stopped without waiting for the worker (quitting): nothing more is written. */
  abandoned: boolean
}

/** Enough within-epoch points for a long run's live chart after a reload, at ~10 a second. */
const PROGRESS_LOG_CAP = 6000

function describeLayer(layer: LayerSpec): string {
  switch (layer.type) {
    case 'dense':
      return `Dense ${layer.units}`
    case 'conv2d':
      return `Conv2D ${layer.filters}×${layer.kernelSize}`
    case 'maxPooling2d':
      return `MaxPool ${layer.poolSize}`
    case 'averagePooling2d':
      return `AvgPool ${layer.poolSize}`
    case 'dropout':
      return `Dropout ${layer.rate}`
    case 'batchNormalization':
      return 'BatchNorm'
    case 'reshape':
      return 'Reshape'
    case 'activation':
      return layer.activation
    default:
      return KERAS_CLASS_NAMES[layer.type]
  }
}

/** A default run name anyone can read in a list: the architecture itself. */
export function describeArchitecture(spec: ModelSpec): string {
  return spec.layers
    .filter((l) => l.type !== 'flatten')
    .map(describeLayer)
    .join(' → ')
}

/**
 * Starts, watches and stops trainings: validates the spec, records the run, drives the worker and
 * commits each finished epoch as it arrives, so a crash never loses finished work.
 */
export function createTrainingService(deps: TrainingServiceDeps) {
  const { repo, engine, paths, emit, locale } = deps
  let active: ActiveRun | null = null
  /** Runs whose trained model the data folder refused; the worker keeps it in memory. */
  const unsaved = new Map<number, { modelDir: string; uid: string; detail: string }>()

  /** Checks a spec and config against a dataset; returns them cleaned, or throws every issue. */
  async function validate(input: Omit<StartInput, 'name'>) {
    const configResult = validateTrainConfig(input.config)
    if (!configResult.ok) throw new SpecError(configResult.issues)
    const info = await describeDataset(input.dataset)
    const specResult = validateModelSpec(input.spec, {
      classCount: info.classNames.length,
      imageShape: info.imageShape,
    })
    if (!specResult.ok) throw new SpecError(specResult.issues)
    return { info, config: configResult.config, spec: specResult.spec, summary: specResult.summary }
  }

  /** Predicts seconds per epoch by timing a few real steps; refused while a training runs. */
  async function estimate(input: Omit<StartInput, 'name'>): Promise<TrainingEstimate> {
    const { info, config, spec } = await validate(input)
    if (active) throw new AppError('BUSY', 'error.busy', { id: active.runId })
    return engine.estimate({ spec, config, dataset: info.ref })
  }

  /**
   * Validates and starts a training in the worker. Resolves once the run is recorded; `done`
   * settles with the finished run (completed, stopped or failed).
   */
  async function start(input: StartInput): Promise<{ runId: number; done: Promise<RunDetail> }> {
    const { info, config, spec, summary } = await validate(input)
    if (input.name !== undefined) checkRunName(input.name)
    if (active) throw new AppError('BUSY', 'error.busy', { id: active.runId })
    // Another process (the app or a CLI) may be training: its run counts only while its owner
    // lives, and the check and the insert are one transaction.
    const created = repo.createWhenIdle(
      {
        name: input.name?.trim() || describeArchitecture(spec),
        kind: 'trained',
        status: 'queued',
        dataset: info.ref,
        spec,
        config,
        seed: config.seed,
        paramCount: summary.totalParams,
        ownerPid: deps.owner.pid,
        ownerToken: deps.owner.token,
        ownerStartId: deps.owner.startId,
      },
      deps.checkOwner,
    )
    if ('busyId' in created) throw new AppError('BUSY', 'error.busy', { id: created.busyId })
    const { run } = created
    const runId = run.id
    const modelDir = join(paths.models, `run-${run.uid}`)
    const current: ActiveRun = {
      runId,
      stop: () => {},
      backend: null,
      progress: null,
      progressLog: [],
      history: [],
      done: Promise.resolve(),
      stopRequested: false,
      abandoned: false,
    }
    active = current
    emit('runs:changed', { runId })
    // The heartbeat comes from a timer on this thread, not from the worker's progress, so a long
    // epoch, evaluation or save never looks like silence. If another process has meanwhile marked
    // the run interrupted (this process was paused past STALE_AFTER_MS), the run is no longer
    // ours: stop, so two trainings never run at once. A failed write (busy, disk full) is retried
    // at the next beat.
    const heartbeat = setInterval(() => {
      try {
        if (!repo.heartbeat(runId, deps.owner.token)) current.stop()
      } catch {
        // Retried at the next beat; a run that cannot beat for a minute is judged silent.
      }
    }, deps.heartbeatMs ?? HEARTBEAT_MS)
    heartbeat.unref()

    let handle: ReturnType<TrainingEngine['train']>
    try {
      handle = engine.train(
        { runId, spec, config, dataset: info.ref, modelDir },
        {
          onStart: (s) => {
            current.backend = s.backend
            repo.markRunning(runId, { backend: s.backend })
            emit('training:started', {
              runId,
              backend: s.backend,
              trainCount: s.trainCount,
              valCount: s.valCount,
            })
            emit('runs:changed', { runId })
          },
          onProgress: (p) => {
            current.progress = p
            current.progressLog.push(p)
            if (current.progressLog.length > PROGRESS_LOG_CAP) {
              // Thin the log by half rather than dropping the start: the chart keeps its shape.
              current.progressLog = current.progressLog.filter((_, i) => i % 2 === 0)
            }
            emit('training:progress', p)
          },
          onEpoch: (m) => {
            repo.addEpoch(runId, m)
            current.history = [...current.history, m]
            emit('training:epoch', { runId, metrics: m })
          },
        },
      )
    } catch (err) {
      active = null
      clearInterval(heartbeat)
      finishRun(runId, 'failed', toErrorInfo(err, locale))
      throw err
    }
    current.stop = handle.stop

    const done = handle.done
      .then((outcome) => {
        if (current.abandoned) return
        if (outcome.model) {
          repo.saveModel(runId, {
            ...outcome.model,
            path: relative(paths.root, outcome.model.path),
          })
        }
        if (outcome.weightsEpoch !== null) repo.setWeightsEpoch(runId, outcome.weightsEpoch)
        if (outcome.evaluation) repo.saveEvaluation(runId, outcome.evaluation)
        if (outcome.unsaved) {
          unsaved.set(runId, {
            modelDir,
            uid: run.uid,
            detail: String(outcome.error?.params.detail ?? ''),
          })
        }
        const error = outcome.error
          ? {
              code: outcome.error.code,
              message: translate(locale, outcome.error.key, outcome.error.params),
            }
          : null
        finishRun(runId, outcome.status, error)
        if (outcome.model && outcome.status === 'completed') deps.onModelReady?.(runId)
      })
      .catch((err: unknown) => {
        if (current.abandoned) return
        // A worker ended while stopping (quitting with a hung worker) leaves a stopped run with
        // its finished epochs, not a failure.
        if (current.stopRequested) finishRun(runId, 'stopped', null)
        else finishRun(runId, 'failed', toErrorInfo(err, locale))
      })
      .finally(() => clearInterval(heartbeat))
      .then(() => {
        if (active === current) active = null
        if (current.abandoned) throw new AppError('INTERNAL', 'training.workerClosed')
        const detail = repo.get(runId)
        if (!detail) throw new AppError('NOT_FOUND', 'error.runNotFound', { id: runId })
        return detail
      })
    current.done = done.catch(() => {})
    return { runId, done }
  }

  function finishRun(
    runId: number,
    status: 'completed' | 'stopped' | 'failed',
    error: ErrorInfo | null,
  ) {
    if (repo.finish(runId, status, error?.message ?? null)) {
      emit('training:finished', { runId, status, error })
    } else {
      // Another process marked the run interrupted while this one was silent; its verdict stands.
      const stored = repo.get(runId)
      const reason = stored?.error && isMessageKey(stored.error) ? stored.error : INTERRUPTED_ERROR
      emit('training:finished', {
        runId,
        status: 'interrupted',
        error: { code: 'TRAINING_FAILED', message: translate(locale, reason) },
      })
    }
    emit('runs:changed', { runId })
  }

  /**
   * Saves a trained model the data folder refused, still in the worker's memory: into the data
   * folder if it accepts it now, else into `fallbackDir`. The run then points at it (predict,
   * evaluate and export work) and its note says where it went.
   */
  async function saveUnsavedModel(runId: number): Promise<{ path: string }> {
    const pending = unsaved.get(runId)
    if (!pending)
      throw new AppError('MODEL_MISSING', 'training.modelNoLongerInMemory', { id: runId })
    let failure: unknown = null
    for (const dir of [pending.modelDir, join(deps.fallbackDir, `run-${pending.uid}`)]) {
      try {
        const model = await engine.saveUnsaved({ runId, modelDir: dir })
        const inDataDir = dir === pending.modelDir
        repo.saveModel(runId, { ...model, path: inDataDir ? relative(paths.root, dir) : dir })
        repo.setError(
          runId,
          inDataDir
            ? null
            : translate(locale, 'training.modelSavedElsewhere', {
                detail: pending.detail,
                path: dir,
              }),
        )
        unsaved.delete(runId)
        emit('runs:changed', { runId })
        return { path: dir }
      } catch (err) {
        if (err instanceof AppError && err.code === 'MODEL_MISSING') throw err
        failure = err
      }
    }
    throw failure
  }

  /** Asks the worker to stop after the current batch; finished epochs are kept. */
  function stop(runId: number): { stopping: boolean } {
    if (!active || active.runId !== runId) return { stopping: false }
    active.stopRequested = true
    active.stop()
    return { stopping: true }
  }

  /**
   * Records the active run as stopped now, without waiting for the worker, and forgets it: the
   * last step of quitting when the worker does not answer. Its finished epochs are already saved.
   */
  function abandon(): void {
    const current = active
    if (!current) return
    current.abandoned = true
    active = null
    finishRun(current.runId, 'stopped', null)
  }

  function current(): ActiveTraining | null {
    if (!active) return null
    const { runId, backend, progress, progressLog, history } = active
    return { runId, backend, progress, progressLog: [...progressLog], history }
  }

  /** Settles when the given run, if it is the active one, has finished and been recorded. */
  async function wait(runId: number): Promise<void> {
    if (active?.runId === runId) await active.done
  }

  return {
    start,
    estimate,
    stop,
    abandon,
    wait,
    current,
    isActive: (runId: number) => active?.runId === runId,
    saveUnsavedModel,
    /** Whether the run's trained model was refused by the data folder and is still in memory. */
    hasUnsavedModel: (runId: number) => unsaved.has(runId),
  }
}

export type TrainingService = ReturnType<typeof createTrainingService>

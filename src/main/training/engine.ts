import { Worker } from 'node:worker_threads'
import { AppError } from '../../shared/errors'
import type {
  BackendName,
  EpochMetrics,
  Evaluation,
  ModelFile,
  TrainingProgress,
} from '../../shared/runs'
import type {
  EstimateJob,
  EvaluateJob,
  InsightJob,
  InspectJob,
  JudgedPredictJob,
  JudgedPredictions,
  OodJob,
  OodPrepared,
  PredictJob,
  SamplePredictions,
  SaveUnsavedJob,
  TrainEstimate,
  TrainJob,
  TrainOutcome,
  TrainStartInfo,
  UnitJob,
  WorkerEvent,
  WorkerInit,
  WorkerRequest,
  WorkerResults,
} from './worker-protocol'
import type { OodProgress } from './ood'
import { tsxWorkerUrl } from './tsx-worker'

export type {
  EstimateJob,
  EvaluateJob,
  InsightJob,
  InspectJob,
  JudgedPredictJob,
  JudgedPredictions,
  OodJob,
  OodPrepared,
  PredictJob,
  SamplePredictions,
  TrainEstimate,
  TrainJob,
  TrainOutcome,
  TrainStartInfo,
  UnitJob,
  WorkerError,
} from './worker-protocol'

export interface TrainingEngineOptions {
  /** The worker's entry: worker.ts under tsx, the bundled worker file in the app. */
  workerUrl: URL
  /** Node flags for the worker; `['--import', 'tsx']` when running TypeScript directly. */
  execArgv?: string[]
  /** Force a backend instead of choosing automatically. */
  backend?: BackendName
  /** False keeps the automatic backend choice off tfjs-node (the desktop app; see backend.ts). */
  nativeBackend?: boolean
}

export interface TrainCallbacks {
  onStart?(info: TrainStartInfo): void
  onProgress(progress: TrainingProgress): void
  onEpoch(metrics: EpochMetrics): void
}

export interface TrainHandle {
  /** Settles when the job ends; rejects only if the worker dies or the engine is closed. */
  done: Promise<TrainOutcome>
  /** Ask the job to stop after its current batch; finished epochs are kept. */
  stop(): void
}

export interface TrainingEngine {
  /** The backend the worker runs (starts the worker if needed). */
  backend(): Promise<BackendName>
  /** Starts a training job; throws AppError BUSY while another one runs. */
  train(job: TrainJob, callbacks: TrainCallbacks): TrainHandle
  /** Scores a saved model on the dataset's test set. */
  evaluate(job: EvaluateJob): Promise<Evaluation>
  /**
   * What the saved model predicts for each test sample (class, confidence, probability of the
   * true class); the worker also saves them in the model folder for next time.
   */
  testPredictions(job: EvaluateJob): Promise<SamplePredictions>
  /** Class probabilities for each input image, from a saved model (kept loaded between calls). */
  predict(job: PredictJob): Promise<number[][]>
  /**
   * The same probabilities, plus whether each input looks like the model's training images
   * (calibrated on the dataset at the first call, then kept beside the model).
   */
  predictJudged(job: JudgedPredictJob): Promise<JudgedPredictions>
  /**
   * Computes the model's out-of-distribution calibration in the background (the worker keeps
   * answering meanwhile), reporting progress; rejects with CANCELLED if `cancelOod` stops it.
   */
  prepareOod(job: OodJob, onProgress?: (progress: OodProgress) => void): Promise<OodPrepared>
  /** Stops a calibration still being computed; false when there was none. */
  cancelOod(job: OodJob): Promise<boolean>
  /** Every layer's output, the prediction, saliency and occlusion maps for one input. */
  inspect(job: InspectJob): Promise<WorkerResults['inspect']>
  /** Conv filters, first-layer templates and dead/saturated units over a batch of test images. */
  insight(job: InsightJob): Promise<WorkerResults['insight']>
  /** The test images that excite one unit most. */
  unitExamples(job: UnitJob): Promise<WorkerResults['unit']>
  /**
   * Times a few real training steps of the job's model in the worker (about a second) and
   * predicts one epoch's duration. Rejects with AppError BUSY while a training runs.
   */
  estimate(job: EstimateJob): Promise<TrainEstimate>
  /** Writes a trained model the data folder refused, still in the worker's memory, to `modelDir`. */
  saveUnsaved(job: SaveUnsavedJob): Promise<ModelFile>
  /** Terminates the worker; pending calls reject. The engine can be used again afterwards. */
  close(): Promise<void>
}

interface Pending {
  worker: Worker
  resolve(value: WorkerResults[keyof WorkerResults]): void
  reject(error: AppError): void
  onEvent?(event: WorkerEvent): void
}

/** How to start the worker from TypeScript sources (tests, `node --import tsx`). */
export function nodeWorkerOptions(): { workerUrl: URL; execArgv: string[] } {
  return { workerUrl: tsxWorkerUrl(new URL('./worker.ts', import.meta.url)), execArgv: [] }
}

/**
 * The main-side client of the training worker. The worker starts on first use and is reused; if
 * it crashes, pending calls reject with a clear error and the next call starts a fresh one. The
 * worker does not keep the process alive while no call is pending.
 */
export function createTrainingEngine(opts: TrainingEngineOptions): TrainingEngine {
  let worker: Worker | null = null
  const pending = new Map<number, Pending>()
  let nextId = 1
  let training: { runId: number } | null = null

  function start(): Worker {
    if (worker) return worker
    const init: WorkerInit = { backend: opts.backend, native: opts.nativeBackend }
    const created = new Worker(opts.workerUrl, { execArgv: opts.execArgv, workerData: init })
    created.on('message', (event: WorkerEvent) => dispatch(event))
    created.on('error', (err) => abandon(created, crashed(err.message)))
    created.on('exit', (code) => abandon(created, crashed(`exit code ${code}`)))
    created.unref()
    worker = created
    return created
  }

  function dispatch(event: WorkerEvent): void {
    const entry = pending.get(event.id)
    if (!entry) return
    if (event.type === 'result') {
      settle(event.id)
      entry.resolve(event.value)
    } else if (event.type === 'error') {
      settle(event.id)
      entry.reject(new AppError(event.error.code, event.error.key, event.error.params))
    } else {
      entry.onEvent?.(event)
    }
  }

  function settle(id: number): void {
    const entry = pending.get(id)
    pending.delete(id)
    // An idle worker must not keep a CLI process alive; a busy one must.
    if (entry && ![...pending.values()].some((p) => p.worker === entry.worker)) {
      entry.worker.unref()
    }
  }

  /** Rejects every call pending on `dead`, and forgets it so the next call starts a new one. */
  function abandon(dead: Worker, error: AppError): void {
    if (worker === dead) worker = null
    for (const [id, entry] of pending) {
      if (entry.worker !== dead) continue
      pending.delete(id)
      entry.reject(error)
    }
  }

  function request<T extends WorkerRequest['type']>(
    message: Omit<Extract<WorkerRequest, { type: T }>, 'id'>,
    onEvent?: (event: WorkerEvent) => void,
  ): Promise<WorkerResults[T]> {
    const target = start()
    const id = nextId++
    return new Promise<WorkerResults[T]>((resolve, reject) => {
      pending.set(id, {
        worker: target,
        resolve: resolve as (value: WorkerResults[keyof WorkerResults]) => void,
        reject,
        onEvent,
      })
      target.ref()
      target.postMessage({ ...message, id })
    })
  }

  return {
    backend: () => request<'backend'>({ type: 'backend' }),

    train(job, callbacks) {
      if (training) throw new AppError('BUSY', 'error.busy', { id: training.runId })
      const stopFlag = new SharedArrayBuffer(4)
      const stop = () => Atomics.store(new Int32Array(stopFlag), 0, 1)
      // A throwing callback (say, the database is gone) must not crash the process from inside
      // the message handler: the job stops and `done` rejects with that error.
      let callbackError: unknown = null
      const outcome = request<'train'>({ type: 'train', job, stopFlag }, (event) => {
        try {
          if (event.type === 'start') callbacks.onStart?.(event.info)
          else if (event.type === 'progress') callbacks.onProgress(event.progress)
          else if (event.type === 'epoch') callbacks.onEpoch(event.metrics)
        } catch (err) {
          callbackError ??= err
          stop()
        }
      })
      // Marked busy only once the request is out: starting the worker can throw.
      const current = { runId: job.runId }
      training = current
      const release = () => {
        if (training === current) training = null
      }
      const done = outcome.then((value) => {
        release()
        if (callbackError !== null) throw callbackError
        return value
      })
      outcome.catch(release)
      return { done, stop }
    },

    evaluate: (job) => request<'evaluate'>({ type: 'evaluate', job }),

    predict: (job) => request<'predict'>({ type: 'predict', job }),

    predictJudged: (job) => request<'predictJudged'>({ type: 'predictJudged', job }),

    prepareOod: (job, onProgress) =>
      request<'oodPrepare'>({ type: 'oodPrepare', job }, (event) => {
        if (event.type === 'oodProgress') onProgress?.(event.progress)
      }),

    cancelOod: (job) => request<'oodCancel'>({ type: 'oodCancel', job }),

    testPredictions: (job) => request<'predictions'>({ type: 'predictions', job }),

    inspect: (job) => request<'inspect'>({ type: 'inspect', job }),

    insight: (job) => request<'insight'>({ type: 'insight', job }),

    unitExamples: (job) => request<'unit'>({ type: 'unit', job }),
    saveUnsaved: (job) => request<'saveUnsaved'>({ type: 'saveUnsaved', job }),

    estimate(job) {
      if (training) {
        return Promise.reject(new AppError('BUSY', 'error.busy', { id: training.runId }))
      }
      return request<'estimate'>({ type: 'estimate', job })
    },

    async close() {
      const current = worker
      if (!current) return
      worker = null
      abandon(current, new AppError('INTERNAL', 'training.workerClosed'))
      await current.terminate()
    },
  }
}

function crashed(detail: string): AppError {
  return new AppError('INTERNAL', 'training.workerCrashed', { detail })
}

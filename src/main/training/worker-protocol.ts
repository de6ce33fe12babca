import type { DatasetRef } from '../../shared/dataset'
import type { ErrorCode } from '../../shared/errors'
import type { MessageKey, MessageParams } from '../../shared/i18n'
import type { InspectResult, ModelInsight, UnitExample } from '../../shared/inspect'
import type { InputScale } from '../../shared/input-scale'
import type { TrainingEstimate } from '../../shared/ipc-contract'
import type { ModelSpec, TrainConfig } from '../../shared/model-spec'
import type { OodVerdict } from '../../shared/ood'
import type { OodJob } from './ood-banks'
import type { OodProgress } from './ood'
import type {
  BackendName,
  EpochMetrics,
  Evaluation,
  ModelFile,
  TrainingProgress,
} from '../../shared/runs'

/*
 * Messages between the main process and the training worker. Everything here is plain data
 * (structured-clone friendly: numbers, strings, typed arrays), never tensors or class instances.
 */

/** What the worker receives as `workerData` when it starts. */
export interface WorkerInit {
  /** Force this backend; otherwise SINAPSE_BACKEND or automatic choice. */
  backend?: BackendName
  /** False keeps the automatic choice off the native binding (see BackendOptions). */
  native?: boolean
}

export interface TrainJob {
  runId: number
  spec: ModelSpec
  config: TrainConfig
  dataset: DatasetRef
  /** Folder the trained model is saved to (replaced atomically). */
  modelDir: string
}

/** An AppError in transit: the code plus what it takes to say it in any language. */
export interface WorkerError {
  code: ErrorCode
  key: MessageKey
  params: MessageParams
}

export interface TrainStartInfo {
  backend: BackendName
  trainCount: number
  valCount: number
  batchesPerEpoch: number
}

export interface TrainOutcome {
  status: 'completed' | 'stopped' | 'failed'
  error: WorkerError | null
  /** The saved model: after completion, or after a stop with at least one finished epoch. */
  model: ModelFile | null
  /** The trained model's score on the test set (whenever it was kept, saved or not). */
  evaluation: Evaluation | null
  backend: BackendName
  /**
   * The epoch whose weights were put back (restoreBestWeights) before the save and the test
   * score; null when the model holds the weights from the end of training.
   */
  weightsEpoch: number | null
  /**
   * The data folder refused the trained model (`error` says why): the worker keeps it in memory
   * until a `saveUnsaved` request writes it somewhere else.
   */
  unsaved: boolean
}

/** Where to write a model the worker kept in memory after the data folder refused it. */
export interface SaveUnsavedJob {
  runId: number
  modelDir: string
}

export interface EvaluateJob {
  modelDir: string
  sha256: string | null
  dataset: DatasetRef
  /** The pixel convention the model expects (default '1'). */
  inputScale?: InputScale
}

export interface PredictJob {
  modelDir: string
  sha256: string | null
  /** One image each, height × width × channels values in [0, 1]. */
  inputs: Float32Array[]
  /** The pixel convention the model expects: the inputs are converted to it (default '1'). */
  inputScale?: InputScale
}

/** A prediction that also judges whether each input looks like the model's training data. */
export interface JudgedPredictJob extends PredictJob {
  /** The dataset the model was trained on: its images calibrate the judgement. */
  dataset: DatasetRef
  /**
   * False: answer at once, without verdicts (`oodPending`) while the model's calibration is not
   * ready (`oodPrepare` computes it). True or absent: wait for the calibration.
   */
  wait?: boolean
}

export interface JudgedPredictions {
  probabilities: number[][]
  /** One verdict per input; null when the model has no Dense layer, or not ready (`oodPending`). */
  ood: OodVerdict[] | null
  oodPending: boolean
}

/** A model whose out-of-distribution calibration to compute or cancel. */
export type { OodJob } from './ood-banks'

/** A calibration computed: its threshold, or null when the model cannot be judged. */
export interface OodPrepared {
  threshold: number | null
}

/** A saved model and an input to X-ray: a test image, or 28×28 values in [0, 1]. */
export interface InspectJob {
  modelDir: string
  sha256: string | null
  dataset: DatasetRef
  input: { testIndex: number } | { values: Float32Array }
  inputScale?: InputScale
  /** Judge the input too, without waiting for a calibration that is not ready. */
  judge?: boolean
}

/** A saved model whose weights and health over the first `batch` test images to describe. */
export interface InsightJob {
  modelDir: string
  sha256: string | null
  dataset: DatasetRef
  batch: number
  inputScale?: InputScale
}

/** The test images that excite one unit of one layer most. */
export interface UnitJob {
  modelDir: string
  sha256: string | null
  dataset: DatasetRef
  layer: number
  unit: number
  limit: number
  inputScale?: InputScale
}

/** A model and recipe to time before training it (nothing is saved). */
export interface EstimateJob {
  spec: ModelSpec
  config: TrainConfig
  dataset: DatasetRef
}

/** How long training would take, from real steps timed in the worker. */
export type TrainEstimate = TrainingEstimate

/** What a model made of each test sample, by test index. */
export interface SamplePredictions {
  /** The argmax class of each sample. */
  predicted: Uint8Array
  /** The probability of the predicted class. */
  confidence: Float32Array
  /** The probability the model gave the true class. */
  trueProbability: Float32Array
}

/** Each request's result type, by request type. */
export interface WorkerResults {
  backend: BackendName
  train: TrainOutcome
  evaluate: Evaluation
  predict: number[][]
  predictJudged: JudgedPredictions
  estimate: TrainEstimate
  predictions: SamplePredictions
  inspect: Omit<InspectResult, 'warnings'>
  insight: ModelInsight
  unit: UnitExample[]
  saveUnsaved: ModelFile
  oodPrepare: OodPrepared
  oodCancel: boolean
}

export type WorkerRequest =
  | { type: 'backend'; id: number }
  | {
      type: 'train'
      id: number
      job: TrainJob
      /** Int32Array view over it: element 0 becomes non-zero when the job should stop. */
      stopFlag: SharedArrayBuffer
    }
  | { type: 'evaluate'; id: number; job: EvaluateJob }
  | { type: 'predict'; id: number; job: PredictJob }
  | { type: 'predictJudged'; id: number; job: JudgedPredictJob }
  | { type: 'estimate'; id: number; job: EstimateJob }
  /** Per-sample predictions on the test set (also saved next to the model). */
  | { type: 'predictions'; id: number; job: EvaluateJob }
  | { type: 'inspect'; id: number; job: InspectJob }
  | { type: 'insight'; id: number; job: InsightJob }
  | { type: 'unit'; id: number; job: UnitJob }
  | { type: 'saveUnsaved'; id: number; job: SaveUnsavedJob }
  /** Computes a model's calibration in the background, with `oodProgress` events. */
  | { type: 'oodPrepare'; id: number; job: OodJob }
  | { type: 'oodCancel'; id: number; job: OodJob }

export type WorkerEvent =
  | { type: 'start'; id: number; info: TrainStartInfo }
  | { type: 'progress'; id: number; progress: TrainingProgress }
  | { type: 'epoch'; id: number; metrics: EpochMetrics }
  | { type: 'oodProgress'; id: number; progress: OodProgress }
  | { type: 'result'; id: number; value: WorkerResults[keyof WorkerResults] }
  | { type: 'error'; id: number; error: WorkerError }

import { AppError } from './errors'
import type { DatasetRef } from './dataset'
import type { InputScale } from './input-scale'
import type { ModelSpec, Monitor, TrainConfig } from './model-spec'

export const RUN_STATUSES = [
  'queued',
  'running',
  'completed',
  'stopped',
  'failed',
  'interrupted',
] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** Where a run came from: trained here, or a model imported from a file. */
export type RunKind = 'trained' | 'imported'

export type BackendName = 'tensorflow' | 'wasm' | 'cpu'

/** One finished epoch, as Keras's `history` keeps it. */
export interface EpochMetrics {
  epoch: number
  loss: number
  accuracy: number
  valLoss: number | null
  valAccuracy: number | null
  durationMs: number
}

/** The epoch field each of Keras's monitor names (early stopping, restore_best_weights) reads. */
export const MONITOR_FIELDS = {
  loss: 'loss',
  accuracy: 'accuracy',
  val_loss: 'valLoss',
  val_accuracy: 'valAccuracy',
} as const satisfies Record<Monitor, keyof EpochMetrics>

export interface ClassMetrics {
  precision: number
  recall: number
}

/** A model's score on a test set. `confusionMatrix[true][predicted]` counts samples. */
export interface Evaluation {
  loss: number
  accuracy: number
  confusionMatrix: number[][]
  perClass: ClassMetrics[]
  sampleCount: number
  createdAt: string
}

/** A saved model folder (TensorFlow.js layers format) under the data folder. */
export interface ModelFile {
  path: string
  sha256: string
  sizeBytes: number
  createdAt: string
}

export interface RunSummary {
  id: number
  uid: string
  name: string
  kind: RunKind
  status: RunStatus
  dataset: DatasetRef
  backend: BackendName | null
  seed: number
  paramCount: number
  /** Count of finished epochs. */
  epochs: number
  bestValAccuracy: number | null
  testAccuracy: number | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  error: string | null
  notes: string | null
  tags: string[]
  pinned: boolean
  /** The name or pseudonym a student handed the run in under (lesson packs); null otherwise. */
  student: string | null
  /** The lesson pack the run was handed in for; null otherwise. */
  lessonId: string | null
}

export interface RunDetail extends RunSummary {
  spec: ModelSpec
  config: TrainConfig
  /** The pixel convention the model expects; every place that feeds it converts to it. */
  inputScale: InputScale
  /**
   * The epoch whose weights the model holds when training put the best epoch's back
   * (`config.restoreBestWeights`); null when it holds the weights from the end of training.
   */
  weightsEpoch: number | null
  history: EpochMetrics[]
  evaluation: Evaluation | null
  model: ModelFile | null
}

/** Within-epoch progress, throttled by the worker to about 10 per second. */
export interface TrainingProgress {
  runId: number
  epoch: number
  epochs: number
  batch: number
  batches: number
  loss: number
  accuracy: number
  /** Samples per second over the epoch so far. */
  samplesPerSec: number
  /** Milliseconds since this epoch started, measured where the batches run. */
  elapsedMs: number
}

export interface Prediction {
  digit: number
  probabilities: number[]
}

/**
 * Control characters (C0, DEL, C1): in a terminal they move the cursor, clear the screen or set
 * the window title, so a run name must not hold them. With them, the invisible marks that change
 * text direction (U+061C, U+200E/F, U+202A–E, U+2066–9): printed raw, a right-to-left override
 * reverses the rest of the terminal line, so a name could make the columns after it read as
 * another score.
 */
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/** The most characters a run's name may have (the app's and the CLI's alike). */
export const MAX_RUN_NAME_CHARS = 200

/** True when `text` holds a control character. */
export function hasControlChars(text: string): boolean {
  return text.search(CONTROL_CHARS) >= 0
}

/** Refuses a name for a run that holds control characters or is too long. */
export function checkRunName(name: string): void {
  if (hasControlChars(name)) throw new AppError('INVALID_INPUT', 'runs.nameControlChars', {})
  if (name.trim().length > MAX_RUN_NAME_CHARS) {
    throw new AppError('INVALID_INPUT', 'runs.nameTooLong', {
      length: name.trim().length,
      max: MAX_RUN_NAME_CHARS,
    })
  }
}

/** `text` with each control character shown as `\xNN` (`\uNNNN` above U+00FF), for printing names from outside. */
export function escapeControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, (c) => {
    const code = c.charCodeAt(0)
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`
  })
}

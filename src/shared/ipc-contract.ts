import { z } from 'zod'
import type { ClassBoard } from './board'
import type { DatasetInfo } from './dataset'
import type { ErrorInfo } from './errors'
import type { Locale } from './i18n'
import { IMPORT_DATASETS, INPUT_SCALES, type ImportDataset, type InputScale } from './input-scale'
import type { InspectResult, ModelInsight, UnitExample } from './inspect'
import { MAX_LESSON_VERSION, type Lesson } from './lesson'
import { OOD_HOLDERS, type OodStatus, type OodVerdict } from './ood'
import type {
  BackendName,
  EpochMetrics,
  Evaluation,
  RunDetail,
  RunStatus,
  RunSummary,
  TrainingProgress,
} from './runs'

/**
 * A command's input schema (checked at the one registration point) and its output type (carried
 * as a phantom: never read at run time).
 */
export interface CommandDef<I extends z.ZodType, O> {
  input: I
  output: O
}

function command<O>() {
  return <I extends z.ZodType>(input: I): CommandDef<I, O> => ({ input, output: undefined as O })
}

const runId = z.number().int().positive()
const empty = z.object({}).strict()

/** Raw pixels decoded by the renderer; main never parses dropped files itself. */
const pixelImage = z
  .object({
    width: z.number().int().min(1).max(8192),
    height: z.number().int().min(1).max(8192),
    channels: z.union([z.literal(1), z.literal(3), z.literal(4)]),
    data: z.instanceof(Uint8Array),
  })
  .strict()
  .refine((img) => img.data.length === img.width * img.height * img.channels, {
    message: 'data length must equal width × height × channels',
  })

export interface AppInfo {
  version: string
  dataDir: string
  backend: BackendName | null
  locale: Locale
}

/** The live picture of the running training, so a reloaded window can redraw it whole. */
export interface ActiveTraining {
  runId: number
  backend: BackendName | null
  progress: TrainingProgress | null
  /** Within-epoch progress since the start (about 10 points a second, capped). */
  progressLog: TrainingProgress[]
  history: EpochMetrics[]
}

/**
 * How long training would take, from real steps of the model timed before the run (the builder's
 * estimate). Rough by nature: the run's own batches refine it (eta.ts).
 */
export interface TrainingEstimate {
  backend: BackendName
  /** Median milliseconds of one training step at the config's batch size, warm-up excluded. */
  msPerBatch: number
  batchesPerEpoch: number
  /** One epoch: every training batch, scoring the validation samples and the shuffle. */
  secPerEpoch: number
  /** False when the steps were still speeding up when the warm-up budget ran out: rougher. */
  settled: boolean
}

export interface PixelPrediction {
  digit: number
  probabilities: number[]
  /** The 28×28 image the network saw, values 0–255. */
  input: number[]
  warnings: string[]
  /** Whether the image looks like the model's training data (null: the model cannot tell). */
  ood: OodVerdict | null
  /**
   * The judgement is not ready yet (the model's neighbour bank is still being computed): `ood`
   * is null for now, and an `ood:status` event says when asking again gives it.
   */
  oodPending: boolean
}

/** One test image with what a model made of it; pixels are the 28×28 bytes (0–255). */
export interface TestSample {
  index: number
  trueClass: number
  predictedClass: number
  confidence: number
  pixels: Uint8Array
}

export interface EvaluationSamples {
  /** How many test images match the filter in all (the page holds at most `limit`). */
  total: number
  samples: TestSample[]
}

/** Test images one run got right and the other wrong, both ways. */
export interface Disagreements {
  countOnlyA: number
  countOnlyB: number
  onlyA: TestSample[]
  onlyB: TestSample[]
}

/** One image of a dataset's test set, as its bytes (0–255, row-major, height×width×channels). */
export interface DatasetImage {
  index: number
  label: number
  pixels: Uint8Array
}

/** Test images picked by index, with the facts needed to draw them. */
export interface DatasetTestImages {
  /** How many images the test set holds: valid indices are 0 … total − 1. */
  total: number
  width: number
  height: number
  channels: number
  classNames: string[]
  images: DatasetImage[]
}

/** At most this many test images per call: one page of a picker, far under the wire's cap. */
export const MAX_TEST_IMAGES = 64

/** Where a student's data lives on this computer (nothing is ever sent anywhere). */
export interface PrivacyInfo {
  dataDir: string
  databaseFile: string
  modelsDir: string
  /** Where trained models go when the data folder refuses them (only if it exists). */
  fallbackModelsDir: string
  runCount: number
  modelCount: number
  /** Bytes under the data folder (database and models). */
  sizeBytes: number
}

/**
 * What became of one file of an import of many: imported as a new run, already here (nothing
 * changed), or refused with the reason. The CLI prints these as they are with `--json`.
 */
export type BundleImportOutcome =
  | {
      file: string
      runId: number
      dataset?: ImportDataset
      inputScale?: InputScale
      inputNote?: string | null
    }
  | { file: string; duplicate: true; runId: number }
  | { file: string; error: ErrorInfo }

/** A tag the user types: what `runs:update` accepts for one tag. */
export const tagSchema = z.string().trim().min(1).max(40)

/** A file produced in main for the user to save (a download in the page). */
export interface ExportedFile {
  fileName: string
  bytes: Uint8Array
}

/** An imported model's new run, the pixel convention it is fed, and what was found about it. */
export interface ImportResult {
  runId: number
  /** The dataset the model is evaluated and tested on: declared at import or found. */
  dataset: ImportDataset
  inputScale: InputScale
  /** Sentences for the student when the dataset is not MNIST or the convention not plain [0, 1]. */
  inputNote: string | null
}

const inputScale = z.enum(INPUT_SCALES)

const classIndex = z.number().int().min(0).max(255)
/**
 * Model and bundle files are small for MNIST-sized models; the cap keeps a bad drop harmless. It
 * holds for one file and for all files of one import together, so one command's message stays
 * under the browser-mode WebSocket's cap (see wire.ts).
 */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024
const uploadedFile = z
  .object({
    name: z.string().min(1).max(255),
    bytes: z.instanceof(Uint8Array).refine((b) => b.length <= MAX_UPLOAD_BYTES, {
      message: 'file larger than 50 MB',
    }),
  })
  .strict()

export const commands = {
  'app:info': command<AppInfo>()(empty),
  'datasets:info': command<DatasetInfo>()(z.object({ ref: z.string().min(1).max(4096) }).strict()),
  /** Test images by index, without a run (the Learn labs work on real digits). */
  'datasets:testImages': command<DatasetTestImages>()(
    z
      .object({
        ref: z.string().min(1).max(4096),
        indices: z.array(z.number().int().min(0)).min(1).max(MAX_TEST_IMAGES),
      })
      .strict(),
  ),
  'runs:list': command<RunSummary[]>()(empty),
  'runs:get': command<RunDetail>()(z.object({ id: runId }).strict()),
  /** Rename, annotate, tag or pin a run; absent fields stay as they are. */
  'runs:update': command<RunSummary>()(
    z
      .object({
        id: runId,
        name: z.string().trim().min(1).max(200).optional(),
        notes: z.string().max(10_000).nullable().optional(),
        tags: z.array(tagSchema).max(20).optional(),
        pinned: z.boolean().optional(),
        inputScale: inputScale.optional(),
      })
      .strict(),
  ),
  'runs:delete': command<{ deleted: boolean }>()(z.object({ id: runId }).strict()),
  'runs:evaluate': command<Evaluation>()(z.object({ id: runId }).strict()),
  /** Spec and config are checked by the shared validators, whose messages a student reads. */
  'training:start': command<{ runId: number }>()(
    z
      .object({
        name: z.string().trim().max(200).optional(),
        spec: z.unknown(),
        config: z.unknown(),
        dataset: z.string().min(1).max(4096),
      })
      .strict(),
  ),
  /** Times a few real training steps of this spec to predict the seconds per epoch. */
  'training:estimate': command<TrainingEstimate>()(
    z
      .object({ spec: z.unknown(), config: z.unknown(), dataset: z.string().min(1).max(4096) })
      .strict(),
  ),
  'training:stop': command<{ stopping: boolean }>()(z.object({ runId }).strict()),
  'training:active': command<ActiveTraining | null>()(empty),
  /**
   * Saves a trained model the data folder refused and the training process still holds in memory:
   * into the data folder if it accepts it now, else into a folder of the user (named in `path`).
   */
  'training:saveModel': command<{ path: string }>()(z.object({ runId }).strict()),
  /** Test images filtered by a confusion-matrix cell (or all mistakes), sorted by confidence. */
  'evaluation:samples': command<EvaluationSamples>()(
    z
      .object({
        id: runId,
        trueClass: classIndex.nullable(),
        predictedClass: classIndex.nullable(),
        mistakesOnly: z.boolean(),
        sort: z.enum(['confidenceDesc', 'confidenceAsc']),
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(200),
      })
      .strict(),
  ),
  'evaluation:disagreements': command<Disagreements>()(
    z.object({ a: runId, b: runId, limit: z.number().int().min(1).max(200) }).strict(),
  ),
  /** A TensorFlow.js folder (model.json + weights), a .zip of one, a Keras .h5 or .keras file. */
  'models:import': command<ImportResult>()(
    z
      .object({
        files: z
          .array(uploadedFile)
          .min(1)
          .max(20)
          .refine(
            (files) => files.reduce((sum, f) => sum + f.bytes.length, 0) <= MAX_UPLOAD_BYTES,
            {
              message: 'files larger than 50 MB together',
            },
          ),
        name: z.string().trim().max(200).optional(),
        inputScale: inputScale.optional(),
        dataset: z.enum(IMPORT_DATASETS).optional(),
      })
      .strict(),
  ),
  'models:export': command<ExportedFile>()(
    z.object({ id: runId, format: z.enum(['tfjs-zip', 'h5']) }).strict(),
  ),
  /** A whole run (config, history, evaluation, model) as one file, for another machine. */
  'bundles:export': command<ExportedFile>()(z.object({ id: runId }).strict()),
  'bundles:import': command<{ runId: number; duplicate: boolean }>()(uploadedFile),
  /** A run handed in for a lesson: its bundle plus the student's name and the lesson's id. */
  'bundles:handIn': command<ExportedFile>()(
    z
      .object({
        id: runId,
        student: z.string().max(1000),
        lessonId: z.string().max(100),
        lessonVersion: z.number().int().min(1).max(MAX_LESSON_VERSION),
      })
      .strict(),
  ),
  /** A teacher's lesson as a `.sinapse-aula` file; the shared validator names every problem. */
  'lessons:create': command<ExportedFile>()(z.object({ lesson: z.unknown() }).strict()),
  /** Reads a chosen or dropped `.sinapse-aula` file. */
  'lessons:open': command<Lesson>()(uploadedFile),
  /**
   * The class board of a lesson: given whole (a pack the teacher opened; remembered) or by the id
   * of one opened before. Every handed-in model is re-scored on this machine and ranked. A lesson
   * whose id and version are stored with other content fails with CONFLICT unless `replace`.
   */
  'board:get': command<ClassBoard>()(
    z
      .object({
        lessonId: z.string().min(1).max(100).optional(),
        lesson: z.unknown().optional(),
        /** Replace a stored lesson of the same id and version whose content differs. */
        replace: z.boolean().optional(),
      })
      .strict()
      .refine((v) => (v.lessonId === undefined) !== (v.lesson === undefined), {
        message: 'give either lessonId or lesson',
      }),
  ),
  /** Lessons opened on the board before, newest first. */
  'board:lessons': command<Lesson[]>()(empty),
  /** What Sinapse keeps on this computer and where, for the privacy statement. */
  'privacy:info': command<PrivacyInfo>()(empty),
  /**
   * Deletes every run, model and the stored settings' server side; `confirmation` must be the
   * word the dialog asks the user to type, so no stray call can wipe a student's work.
   */
  'privacy:deleteAll': command<{ runsDeleted: number; foldersDeleted: number }>()(
    z.object({ confirmation: z.string().max(100) }).strict(),
  ),
  /**
   * One file of a many-file import: a bundle or a zip of bundles, each bundle imported whole or
   * not at all and reported; `tag` is added to every run it creates. The page sends the files one
   * by one, so it can show progress and no message exceeds the upload cap.
   */
  'bundles:importMany': command<BundleImportOutcome[]>()(
    z.object({ file: uploadedFile, tag: tagSchema.optional() }).strict(),
  ),
  'predict:pixels': command<PixelPrediction[]>()(
    z
      .object({
        runId,
        images: z.array(pixelImage).min(1).max(64),
        /** 'plain' is the tutorial's resize without crop or centring; MNIST-style by default. */
        preprocessing: z.enum(['mnist', 'plain']).optional(),
      })
      .strict(),
  ),
  /**
   * Shows a file this app saved (an export, named by a `files:saved` event) in the system's file
   * manager. Desktop only: browser mode refuses, and so does the desktop for any other path.
   */
  'files:reveal': command<void>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
  /**
   * The runs a view shows (replacing what that view asked before): their out-of-distribution
   * judgements are prepared in the background, a run no view wants any more is cancelled.
   * Progress and readiness arrive as `ood:status` events; the current status of each is returned.
   */
  'ood:want': command<OodStatus[]>()(
    z.object({ holder: z.enum(OOD_HOLDERS), runIds: z.array(runId).max(8) }).strict(),
  ),
  /** The X-ray of one input: a test image by index, or pixels the renderer decoded or drew. */
  'inspect:input': command<InspectResult>()(
    z
      .object({
        runId,
        source: z.union([
          z.object({ kind: z.literal('test'), index: z.number().int().min(0) }).strict(),
          z.object({ kind: z.literal('pixels'), image: pixelImage }).strict(),
        ]),
      })
      .strict(),
  ),
  /** Conv filters, first-layer templates, dead and saturated units of a run's model. */
  'inspect:model': command<ModelInsight>()(z.object({ runId }).strict()),
  /** The test images that excite one unit of one layer most. */
  'inspect:unit': command<UnitExample[]>()(
    z
      .object({
        runId,
        layer: z.number().int().min(0).max(1000),
        unit: z.number().int().min(0),
        limit: z.number().int().min(1).max(64),
      })
      .strict(),
  ),
}

export type Commands = typeof commands
export type CommandName = keyof Commands
export type CommandInput<K extends CommandName> = z.infer<Commands[K]['input']>
export type CommandOutput<K extends CommandName> = Commands[K]['output']
export const COMMAND_NAMES = Object.keys(commands) as CommandName[]

/** Events main pushes to every window, in order. */
export interface Events {
  'training:started': { runId: number; backend: BackendName; trainCount: number; valCount: number }
  'training:progress': TrainingProgress
  'training:epoch': { runId: number; metrics: EpochMetrics }
  'training:finished': { runId: number; status: RunStatus; error: ErrorInfo | null }
  'runs:changed': { runId: number | null }
  /** The class board's re-scoring: `done` of `total` hand-ins judged so far. */
  'board:progress': { lessonId: string; done: number; total: number }
  /** Desktop only: an export (any download of the page) was written, at `path` (absolute). */
  'files:saved': { fileName: string; path: string }
  /** A run's out-of-distribution judgement: its bank's progress, then ready or not possible. */
  'ood:status': OodStatus
}
export type EventName = keyof Events
export const EVENT_NAMES: EventName[] = [
  'training:started',
  'training:progress',
  'training:epoch',
  'training:finished',
  'runs:changed',
  'board:progress',
  'files:saved',
  'ood:status',
]

/** The renderer's view of the contract: one async function per command. */
export type Api = {
  [K in CommandName]: (input: CommandInput<K>) => Promise<CommandOutput<K>>
}

export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void

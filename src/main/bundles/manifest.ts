import { z } from 'zod'
import { isDatasetRef, type DatasetRef } from '../../shared/dataset'
import { AppError } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import { MAX_LESSON_VERSION, isUuid, normalizeStudentName, type HandIn } from '../../shared/lesson'
import { INPUT_SCALES, type InputScale } from '../../shared/input-scale'
import type { ModelSpec, TrainConfig } from '../../shared/model-spec'
import {
  RUN_STATUSES,
  type BackendName,
  type EpochMetrics,
  type Evaluation,
  type RunKind,
  type RunStatus,
} from '../../shared/runs'
import {
  MAX_PARAMS,
  formatSpecIssue,
  validateModelSpec,
  type SpecContext,
  type SpecIssue,
} from '../../shared/spec-validation'
import { MAX_EPOCHS, MAX_SEED, validateTrainConfig } from '../../shared/train-config'
import { BUNDLE_FORMAT, sha256Hex, type BundleFile } from './format'
import { checkBundleModel } from './model-check'

export const MODEL_JSON = 'model.json'

/** Everything about a run except its model's bytes, as a bundle carries it. */
export interface BundleRun {
  uid: string
  name: string
  kind: RunKind
  status: RunStatus
  dataset: DatasetRef
  spec: ModelSpec
  config: TrainConfig
  seed: number
  paramCount: number
  backend: BackendName | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  error: string | null
  notes: string | null
  tags: string[]
  /** The pixel convention the model expects; absent in bundles from before it was recorded ('1'). */
  inputScale?: InputScale
  /**
   * The epoch whose weights the model holds after restore-best-weights. Written only when there
   * is one, so bundles of other runs still open in versions that do not know the field; absent:
   * the last epoch's weights.
   */
  weightsEpoch?: number
}

export interface BundleModel {
  /** Over the files' bytes in `files` order: model.json, then the weights in manifest order. */
  sha256: string
  sizeBytes: number
  createdAt: string
  files: string[]
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT
  version: number
  createdAt: string
  appVersion: string
  run: BundleRun
  history: EpochMetrics[]
  evaluation: Evaluation | null
  model: BundleModel | null
  /** Present when the bundle is a student's hand-in for a lesson; absent in older bundles. */
  handIn: HandIn | null
}

/** A validated bundle: its manifest and, when the run has a model, the model's files in order. */
export interface ValidatedBundle {
  manifest: BundleManifest
  modelFiles: BundleFile[]
}

const timestamp = z
  .string()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)))
// A diverged training really reports NaN; the encoder wrote non-finite numbers as strings.
const metric = z.union([
  z.number(),
  z.enum(['NaN', 'Infinity', '-Infinity']).transform((s) => Number(s)),
])
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const MAX_CLASSES = 1000
const MAX_TEXT = 10_000

const runSchema = z
  .object({
    uid: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(['trained', 'imported']),
    status: z.enum(RUN_STATUSES),
    dataset: z.string().min(1).max(4096),
    spec: z.unknown(),
    config: z.unknown(),
    seed: z.number().int().min(0).max(MAX_SEED),
    paramCount: z.number().int().min(0).max(MAX_PARAMS),
    backend: z.enum(['tensorflow', 'wasm', 'cpu']).nullable(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    error: z.string().max(MAX_TEXT).nullable(),
    notes: z.string().max(MAX_TEXT).nullable(),
    tags: z.array(z.string().trim().min(1).max(40)).max(20),
    inputScale: z.enum(INPUT_SCALES).optional(),
    weightsEpoch: z.number().int().min(1).max(MAX_EPOCHS).optional(),
  })
  .strict()

const epochSchema = z
  .object({
    epoch: z.number().int().min(0).max(MAX_EPOCHS),
    loss: metric,
    accuracy: metric,
    valLoss: metric.nullable(),
    valAccuracy: metric.nullable(),
    durationMs: z.number().min(0),
  })
  .strict()

const evaluationSchema = z
  .object({
    loss: metric,
    accuracy: metric,
    confusionMatrix: z.array(z.array(count).max(MAX_CLASSES)).max(MAX_CLASSES),
    perClass: z.array(z.object({ precision: metric, recall: metric }).strict()).max(MAX_CLASSES),
    sampleCount: count,
    createdAt: timestamp,
  })
  .strict()

const modelSchema = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    sizeBytes: count,
    createdAt: timestamp,
    files: z.array(z.string()).min(2).max(16),
  })
  .strict()

// A hand-in names the student as they chose (a pseudonym is fine) and the lesson it answers.
const handInSchema = z
  .object({
    student: z.string().refine((s) => normalizeStudentName(s) === s),
    lessonId: z.string().refine(isUuid),
    lessonVersion: z.number().int().min(1).max(MAX_LESSON_VERSION),
    handedInAt: timestamp,
  })
  .strict()

const manifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    version: z.number().int(),
    createdAt: timestamp,
    appVersion: z.string().max(50),
    run: runSchema,
    history: z.array(epochSchema).max(MAX_EPOCHS + 1),
    evaluation: evaluationSchema.nullable(),
    model: modelSchema.nullable(),
    // Optional: bundles written before lessons existed have no such field and still import.
    handIn: handInSchema.nullable().optional(),
    // The file table, already checked by decodeBundle.
    files: z.array(z.unknown()),
  })
  .strict()

/** A spec or config in a bundle that the shared validators refuse: every issue, localized. */
export class BundleSpecError extends AppError {
  constructor(
    name: string,
    readonly issues: SpecIssue[],
  ) {
    super('INVALID_SPEC', 'modelfiles.bundle.invalidSpec', { name, count: issues.length })
    this.message = this.localized('en')
  }

  override localized(locale: Locale): string {
    return [
      super.localized(locale),
      ...this.issues.map((i) => `- ${formatSpecIssue(i, locale)}`),
    ].join('\n')
  }
}

/**
 * Checks a decoded bundle's header field by field (schema, spec and config through the shared
 * validators, dataset reference, history order, evaluation shape) and its model files against
 * the manifest (names, sizes, combined sha256, the weights model.json declares), then loads the
 * model and checks it is the spec's (checkBundleModel). Throws AppError.
 */
export function validateBundle(
  header: Record<string, unknown>,
  files: BundleFile[],
  name: string,
): ValidatedBundle {
  const parsed = manifestSchema.safeParse(header)
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => formatPath(i.path)))]
    throw new AppError('INVALID_INPUT', 'modelfiles.bundle.manifestInvalid', {
      name,
      fields: fields.slice(0, 5).join(', '),
    })
  }
  const raw = parsed.data
  if (!isDatasetRef(raw.run.dataset)) {
    throw new AppError('INVALID_INPUT', 'modelfiles.bundle.unknownDataset', {
      name,
      ref: raw.run.dataset.slice(0, 80),
    })
  }
  const dataset = raw.run.dataset as DatasetRef
  const specResult = validateModelSpec(raw.run.spec, bundleSpecContext(dataset, raw.run.spec))
  // An imported model was never trained here, so its run records 0 epochs, which no training
  // accepts; it is checked with 1 and keeps its 0, or such bundles could never be re-imported.
  const untrained = raw.run.kind === 'imported' && hasZeroEpochs(raw.run.config)
  const checked = validateTrainConfig(
    untrained ? { ...(raw.run.config as object), epochs: 1 } : raw.run.config,
  )
  const configResult =
    checked.ok && untrained ? { ...checked, config: { ...checked.config, epochs: 0 } } : checked
  const issues = [
    ...(specResult.ok ? [] : specResult.issues),
    ...(configResult.ok ? [] : configResult.issues),
  ]
  if (!specResult.ok || !configResult.ok) throw new BundleSpecError(name, issues)

  checkHistory(raw.history, name)
  if (
    raw.run.weightsEpoch !== undefined &&
    !raw.history.some((m) => m.epoch === raw.run.weightsEpoch)
  ) {
    throw new AppError('INVALID_INPUT', 'modelfiles.bundle.manifestInvalid', {
      name,
      fields: 'run.weightsEpoch',
    })
  }
  if (raw.evaluation) checkEvaluation(raw.evaluation, name)
  const modelFiles = raw.model ? checkModelFiles(raw.model, files, name) : []
  if (!raw.model && files.length > 0) {
    throw new AppError('INVALID_INPUT', 'modelfiles.bundle.modelFilesMismatch', { name })
  }
  if (modelFiles.length > 0) checkBundleModel(name, specResult.spec, modelFiles)

  return {
    manifest: {
      format: raw.format,
      version: raw.version,
      createdAt: raw.createdAt,
      appVersion: raw.appVersion,
      run: { ...raw.run, dataset, spec: specResult.spec, config: configResult.config },
      history: raw.history,
      evaluation: raw.evaluation,
      model: raw.model,
      handIn: raw.handIn ?? null,
    },
    modelFiles,
  }
}

function hasZeroEpochs(config: unknown): boolean {
  return typeof config === 'object' && config !== null && 'epochs' in config && config.epochs === 0
}

/**
 * The shape and class count the spec must fit. MNIST and Fashion-MNIST are fixed; an IDX folder
 * is on the other machine, so there the spec is only checked to be consistent with itself.
 */
/**
 * The dataset facts a bundle's spec is checked against. A folder dataset's classes are not in
 * the bundle, so they are read from the model: the last layer with `units` (a model may end in
 * a Softmax or Activation layer after its Dense, which has none).
 */
export function bundleSpecContext(dataset: DatasetRef, spec: unknown): SpecContext {
  if (dataset === 'mnist' || dataset === 'fashion-mnist') {
    return { classCount: 10, imageShape: [28, 28, 1] }
  }
  const candidate = spec as { inputShape?: unknown; layers?: unknown } | null
  const imageShape = Array.isArray(candidate?.inputShape) ? (candidate.inputShape as number[]) : []
  const layers = Array.isArray(candidate?.layers) ? (candidate.layers as unknown[]) : []
  const withUnits = [...layers]
    .reverse()
    .find((l) => typeof (l as { units?: unknown } | null)?.units === 'number') as
    { units: number } | undefined
  return { classCount: withUnits?.units ?? 0, imageShape }
}

function checkHistory(history: EpochMetrics[], name: string): void {
  for (let i = 1; i < history.length; i++) {
    if (history[i].epoch <= history[i - 1].epoch) {
      throw new AppError('INVALID_INPUT', 'modelfiles.bundle.manifestInvalid', {
        name,
        fields: `history[${i}].epoch`,
      })
    }
  }
}

function checkEvaluation(evaluation: Evaluation, name: string): void {
  const size = evaluation.confusionMatrix.length
  const square = evaluation.confusionMatrix.every((row) => row.length === size)
  if (!square || evaluation.perClass.length !== size) {
    throw new AppError('INVALID_INPUT', 'modelfiles.bundle.manifestInvalid', {
      name,
      fields: 'evaluation.confusionMatrix, evaluation.perClass',
    })
  }
}

function checkModelFiles(model: BundleModel, files: BundleFile[], name: string): BundleFile[] {
  const byName = new Map(files.map((f) => [f.name, f]))
  const ordered = model.files.map((file) => byName.get(file))
  const complete =
    model.files[0] === MODEL_JSON &&
    files.length === model.files.length &&
    ordered.every((f) => f !== undefined)
  if (!complete) {
    throw new AppError('INVALID_INPUT', 'modelfiles.bundle.modelFilesMismatch', { name })
  }
  const modelFiles = ordered as BundleFile[]
  const size = modelFiles.reduce((sum, f) => sum + f.bytes.length, 0)
  if (size !== model.sizeBytes || sha256Hex(...modelFiles.map((f) => f.bytes)) !== model.sha256) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.bundle.modelTampered', { name })
  }
  checkWeightsManifest(modelFiles, name)
  return modelFiles
}

const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
}

interface WeightsGroup {
  paths: unknown
  weights: unknown
}

/** model.json must name exactly the bundled weight files, and their bytes must fit its weights. */
function checkWeightsManifest(files: BundleFile[], name: string): void {
  const invalid = () => new AppError('MODEL_CORRUPT', 'modelfiles.bundle.modelInvalid', { name })
  let json: { modelTopology?: unknown; weightsManifest?: unknown }
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files[0].bytes)) as {
      modelTopology?: unknown
      weightsManifest?: unknown
    }
  } catch {
    throw invalid()
  }
  if (typeof json?.modelTopology !== 'object' || !Array.isArray(json.weightsManifest)) {
    throw invalid()
  }
  const groups = json.weightsManifest as WeightsGroup[]
  const paths: unknown[] = []
  let expected = 0
  for (const group of groups) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) throw invalid()
    paths.push(...(group.paths as unknown[]))
    for (const weight of group.weights as {
      dtype?: unknown
      shape?: unknown
      quantization?: { dtype?: unknown }
    }[]) {
      const dtype = weight?.quantization?.dtype ?? weight?.dtype
      const bytes = typeof dtype === 'string' ? DTYPE_BYTES[dtype] : undefined
      const shape = weight?.shape
      if (
        bytes === undefined ||
        !Array.isArray(shape) ||
        !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
      ) {
        throw invalid()
      }
      expected += (shape as number[]).reduce((a, b) => a * b, 1) * bytes
    }
  }
  const weightFiles = files.slice(1)
  const samePaths =
    paths.length === weightFiles.length && paths.every((p, i) => p === weightFiles[i].name)
  const actual = weightFiles.reduce((sum, f) => sum + f.bytes.length, 0)
  if (!samePaths || expected !== actual) throw invalid()
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
}

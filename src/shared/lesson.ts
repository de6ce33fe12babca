import type { DatasetRef } from './dataset'
import { translate, type Locale, type MessageKey, type MessageParams } from './i18n'
import { LAYER_TYPES, type LayerType, type ModelSpec, type TrainConfig } from './model-spec'
import type { RunDetail } from './runs'
import { summarizeModel } from './spec-shapes'
import {
  MAX_LAYERS,
  MAX_PARAMS,
  describeValue,
  validateModelSpec,
  type SpecIssue,
} from './spec-validation'
import { MAX_EPOCHS, MAX_SEED, validateTrainConfig } from './train-config'

/**
 * A lesson pack (`.sinapse-aula`): an exercise a teacher hands out. On disk it is the run bundle's
 * container (main/bundles/format.ts: magic, format version, header, checksummed files) with the
 * magic 'SINAPSE-AULA' and one file, `lesson.json`, holding a `Lesson`:
 *
 *   id            a uuid, stable across the teacher's edits; `version` (1, 2, …) counts the edits
 *   title         { 'pt-BR', en } plain text, one of them may be empty (the other is shown)
 *   instructions  { 'pt-BR', en } Markdown (a small subset, rendered as text: never HTML)
 *   dataset       'mnist' or 'fashion-mnist' (an IDX folder does not exist on a student's PC)
 *   model         { spec, mode }: the starting model (null: the student starts from nothing)
 *   config        every training setting's value: the starting value of a free control, the
 *                 fixed value of a locked or hidden one; `config.limit` is the training subset
 *   controls      each LessonControl's mode: 'free' (student edits), 'locked' (shown, disabled),
 *                 'hidden' (fixed and not shown)
 *   seed          fixed; `config.seed` equals it and students cannot change it
 *   goal          { metric, threshold }: e.g. testAccuracy ≥ 0.97; losses are ≤
 *   constraints   { maxParams, maxEpochs, maxLayers, allowedLayers }, each null when unused
 *
 * A hand-in is an ordinary run bundle whose manifest adds `handIn` (student, lesson id and
 * version; see main/bundles/manifest.ts). `checkRunAgainstLesson` judges a run against the
 * lesson, one check per goal, constraint and lock, so the student's live view and the teacher's
 * board agree.
 */
export const LESSON_FORMAT = 'sinapse-lesson'
/** The pack's format version (the container's uint16). A lesson's own edits are `Lesson.version`. */
export const LESSON_FORMAT_VERSION = 1
export const LESSON_EXTENSION = '.sinapse-aula'
export const LESSON_FILE = 'lesson.json'
/** A pack is a few kilobytes of JSON; anything near this is not a lesson. */
export const MAX_LESSON_BYTES = 1024 * 1024
export const MAX_TITLE_CHARS = 200
export const MAX_INSTRUCTIONS_CHARS = 20_000
export const MAX_STUDENT_NAME_CHARS = 80

/** The builder's settings a lesson can fix. The seed is always fixed; the dataset too. */
export const LESSON_CONTROLS = [
  'model',
  'optimizer',
  'learningRate',
  'momentum',
  'loss',
  'epochs',
  'batchSize',
  'validationSplit',
  'splitMode',
  'earlyStopping',
  'limit',
] as const
export type LessonControl = (typeof LESSON_CONTROLS)[number]

export const CONTROL_MODES = ['free', 'locked', 'hidden'] as const
export type ControlMode = (typeof CONTROL_MODES)[number]

export const LESSON_DATASETS = ['mnist', 'fashion-mnist'] as const
export type LessonDataset = (typeof LESSON_DATASETS)[number]

/** What a goal measures. Accuracies must reach the threshold (≥); losses stay under it (≤). */
export const GOAL_METRICS = ['testAccuracy', 'valAccuracy', 'testLoss', 'valLoss'] as const
export type GoalMetric = (typeof GOAL_METRICS)[number]

export interface LocalizedText {
  'pt-BR': string
  en: string
}

export interface LessonGoal {
  metric: GoalMetric
  threshold: number
}

export interface LessonConstraints {
  maxParams: number | null
  maxEpochs: number | null
  maxLayers: number | null
  /** Layer types the student may use; null allows every type. */
  allowedLayers: LayerType[] | null
}

export interface Lesson {
  id: string
  version: number
  title: LocalizedText
  instructions: LocalizedText
  dataset: LessonDataset
  model: { spec: ModelSpec | null; mode: ControlMode }
  config: TrainConfig
  controls: Record<Exclude<LessonControl, 'model'>, ControlMode>
  seed: number
  goal: LessonGoal
  constraints: LessonConstraints
}

/** The lesson a hand-in answers, as the bundle manifest's `handIn` records it. */
export interface HandIn {
  student: string
  lessonId: string
  lessonVersion: number
  handedInAt: string
}

/** One problem in a lesson: the field at fault (`goal.threshold`, `instructions.en`…) and why. */
export interface LessonIssue {
  field: string
  key: MessageKey
  params: MessageParams
}

export type LessonValidation = { ok: true; lesson: Lesson } | { ok: false; issues: LessonIssue[] }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const LESSON_FIELDS = [
  'id',
  'version',
  'title',
  'instructions',
  'dataset',
  'model',
  'config',
  'controls',
  'seed',
  'goal',
  'constraints',
]
const CONSTRAINT_FIELDS = ['maxParams', 'maxEpochs', 'maxLayers', 'allowedLayers']
export const MAX_LESSON_VERSION = 1_000_000
// Tabs and newlines are fine in Markdown; other controls and the text-direction marks are not.
const CONTROL_CHARS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

export function isAccuracyMetric(metric: GoalMetric): boolean {
  return metric === 'testAccuracy' || metric === 'valAccuracy'
}

/** `text` in `locale`, or in the other language when the teacher wrote only that one. */
export function pickLocalized(text: LocalizedText, locale: Locale): string {
  return text[locale].trim() !== '' ? text[locale] : text[locale === 'en' ? 'pt-BR' : 'en']
}

/**
 * Where Markdown holds something that is not Markdown text: an HTML tag or comment (a `<script>`,
 * an `<img onerror>`), or a link to `javascript:`, `vbscript:`, `data:` or `file:`. Returns the
 * 1-based line and what was found, or null. The renderer shows text only anyway; refusing these
 * tells the teacher at once that the pack would not show what they wrote.
 */
export function findUnsafeMarkdown(text: string): { line: number; found: string } | null {
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const tag = /<\s*(\/?[A-Za-z][A-Za-z0-9-]*|!--|!|\?)/.exec(lines[i])
    if (tag) return { line: i + 1, found: lines[i].slice(tag.index, tag.index + 20) }
    const link = /\]\(\s*<?\s*((?:javascript|vbscript|data|file)\s*:)/i.exec(lines[i])
    if (link) return { line: i + 1, found: link[1] }
  }
  return null
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

/**
 * Checks a lesson (from a pack, the teacher's dialog or the CLI) and reports every problem with a
 * message key. On success returns a normalized copy: the spec with its defaults filled in, every
 * control's mode present (a missing one is free).
 */
export function validateLesson(input: unknown): LessonValidation {
  const issues: LessonIssue[] = []
  const report = (field: string, key: MessageKey, params: MessageParams = {}): void => {
    issues.push({ field, key, params: { field, ...params } })
  }
  if (!isRecord(input)) {
    return {
      ok: false,
      issues: [{ field: '', key: 'lesson.notObject', params: { value: describeValue(input) } }],
    }
  }
  for (const field of Object.keys(input)) {
    if (!LESSON_FIELDS.includes(field)) report(field, 'lesson.unknownField')
  }
  if (!isUuid(input.id)) report('id', 'lesson.idInvalid', { value: describeValue(input.id) })
  if (!isIntIn(input.version, 1, MAX_LESSON_VERSION)) {
    report('version', 'lesson.versionInvalid', { value: describeValue(input.version) })
  }
  const title = readText(input.title, 'title', MAX_TITLE_CHARS, report)
  if (title && title['pt-BR'].trim() === '' && title.en.trim() === '') {
    report('title', 'lesson.titleEmpty')
  }
  if (title && /\n/.test(title['pt-BR'] + title.en)) report('title', 'lesson.titleOneLine')
  const instructions = readText(input.instructions, 'instructions', MAX_INSTRUCTIONS_CHARS, report)
  for (const locale of ['pt-BR', 'en'] as const) {
    const unsafe = instructions && findUnsafeMarkdown(instructions[locale])
    if (unsafe) {
      report(`instructions.${locale}`, 'lesson.markdownUnsafe', {
        line: unsafe.line,
        found: unsafe.found,
      })
    }
  }

  const dataset = input.dataset
  if (!(LESSON_DATASETS as readonly unknown[]).includes(dataset)) {
    report('dataset', 'lesson.datasetInvalid', {
      value: describeValue(dataset),
      known: LESSON_DATASETS.join(', '),
    })
  }

  const seed = input.seed
  if (!isIntIn(seed, 0, MAX_SEED)) {
    report('seed', 'lesson.seedInvalid', { value: describeValue(seed), max: MAX_SEED })
  }
  const configResult = validateTrainConfig(input.config)
  if (!configResult.ok) {
    for (const issue of configResult.issues) addSpecIssue('config', issue, issues)
  } else if (isIntIn(seed, 0, MAX_SEED) && configResult.config.seed !== seed) {
    report('config.seed', 'lesson.seedMismatch', { seed, configSeed: configResult.config.seed })
  }

  const controls = readControls(input.controls, report)
  const model = readModel(input.model, report)
  let spec: ModelSpec | null = null
  if (model && model.spec !== null) {
    const checked = validateModelSpec(model.spec, { classCount: 10, imageShape: [28, 28, 1] })
    if (checked.ok) spec = checked.spec
    else for (const issue of checked.issues) addSpecIssue('model.spec', issue, issues)
  }
  if (model && model.spec === null && model.mode !== 'free') {
    report('model.mode', 'lesson.modelModeNeedsSpec', { mode: model.mode })
  }

  const goal = readGoal(input.goal, report)
  const constraints = readConstraints(input.constraints, report)
  const config = configResult.ok ? configResult.config : null
  if (config && constraints?.maxEpochs != null && controls?.epochs !== 'free') {
    if (config.epochs > constraints.maxEpochs) {
      report('config.epochs', 'lesson.fixedBreaksConstraint', {
        value: config.epochs,
        limit: constraints.maxEpochs,
      })
    }
  }

  if (
    issues.length > 0 ||
    !title ||
    !instructions ||
    !config ||
    !controls ||
    !model ||
    !goal ||
    !constraints
  ) {
    return { ok: false, issues }
  }
  return {
    ok: true,
    lesson: {
      id: input.id as string,
      version: input.version as number,
      title,
      instructions,
      dataset: dataset as LessonDataset,
      model: { spec, mode: model.mode },
      config,
      controls,
      seed: seed as number,
      goal,
      constraints,
    },
  }
}

type Report = (field: string, key: MessageKey, params?: MessageParams) => void

function addSpecIssue(prefix: string, issue: SpecIssue, issues: LessonIssue[]): void {
  const where = issue.layerIndex !== null ? `${prefix}.layers[${issue.layerIndex}]` : `${prefix}`
  issues.push({
    field: issue.field ? `${where}.${issue.field}` : where,
    key: issue.key,
    params:
      issue.layerIndex !== null ? { layer: issue.layerIndex + 1, ...issue.params } : issue.params,
  })
}

function readText(
  value: unknown,
  field: string,
  max: number,
  report: Report,
): LocalizedText | null {
  if (!isRecord(value) || typeof value['pt-BR'] !== 'string' || typeof value.en !== 'string') {
    report(field, 'lesson.textInvalid')
    return null
  }
  if (Object.keys(value).some((k) => k !== 'pt-BR' && k !== 'en')) {
    report(field, 'lesson.textInvalid')
    return null
  }
  let ok = true
  for (const locale of ['pt-BR', 'en'] as const) {
    const text = value[locale] as string
    if (text.length > max) {
      report(`${field}.${locale}`, 'lesson.textTooLong', { length: text.length, max })
      ok = false
    } else if (CONTROL_CHARS.test(text)) {
      report(`${field}.${locale}`, 'lesson.textControlChars')
      ok = false
    }
  }
  return ok ? { 'pt-BR': value['pt-BR'] as string, en: value.en as string } : null
}

function readControls(value: unknown, report: Report): Lesson['controls'] | null {
  if (!isRecord(value)) {
    report('controls', 'lesson.controlsInvalid')
    return null
  }
  const controls = {} as Lesson['controls']
  let ok = true
  for (const [name, mode] of Object.entries(value)) {
    if (name === 'model' || !(LESSON_CONTROLS as readonly string[]).includes(name)) {
      report(`controls.${name}`, 'lesson.controlUnknown', {
        known: LESSON_CONTROLS.filter((c) => c !== 'model').join(', '),
      })
      ok = false
    } else if (!(CONTROL_MODES as readonly unknown[]).includes(mode)) {
      report(`controls.${name}`, 'lesson.controlModeInvalid', {
        value: describeValue(mode),
        known: CONTROL_MODES.join(', '),
      })
      ok = false
    }
  }
  for (const name of LESSON_CONTROLS) {
    if (name === 'model') continue
    controls[name] = (value[name] as ControlMode | undefined) ?? 'free'
  }
  return ok ? controls : null
}

function readModel(value: unknown, report: Report): { spec: unknown; mode: ControlMode } | null {
  if (!isRecord(value) || !('spec' in value) || Object.keys(value).length !== 2) {
    report('model', 'lesson.modelInvalid')
    return null
  }
  if (!(CONTROL_MODES as readonly unknown[]).includes(value.mode)) {
    report('model.mode', 'lesson.controlModeInvalid', {
      value: describeValue(value.mode),
      known: CONTROL_MODES.join(', '),
    })
    return null
  }
  return { spec: value.spec, mode: value.mode as ControlMode }
}

function readGoal(value: unknown, report: Report): LessonGoal | null {
  if (!isRecord(value) || Object.keys(value).some((k) => k !== 'metric' && k !== 'threshold')) {
    report('goal', 'lesson.goalInvalid')
    return null
  }
  const metric = value.metric
  if (!(GOAL_METRICS as readonly unknown[]).includes(metric)) {
    report('goal.metric', 'lesson.goalMetricInvalid', {
      value: describeValue(metric),
      known: GOAL_METRICS.join(', '),
    })
    return null
  }
  const threshold = value.threshold
  const accuracy = isAccuracyMetric(metric as GoalMetric)
  const inRange =
    typeof threshold === 'number' &&
    Number.isFinite(threshold) &&
    threshold >= 0 &&
    (!accuracy || threshold <= 1)
  if (!inRange) {
    report('goal.threshold', accuracy ? 'lesson.goalAccuracyRange' : 'lesson.goalLossRange', {
      value: describeValue(threshold),
    })
    return null
  }
  return { metric: metric as GoalMetric, threshold: threshold as number }
}

function readConstraints(value: unknown, report: Report): LessonConstraints | null {
  if (!isRecord(value)) {
    report('constraints', 'lesson.constraintsInvalid')
    return null
  }
  let ok = true
  for (const field of Object.keys(value)) {
    if (!CONSTRAINT_FIELDS.includes(field)) {
      report(`constraints.${field}`, 'lesson.unknownField')
      ok = false
    }
  }
  const limit = (field: string, max: number): number | null => {
    const v = value[field] ?? null
    if (v === null) return null
    if (!isIntIn(v, 1, max)) {
      report(`constraints.${field}`, 'lesson.constraintRange', { value: describeValue(v), max })
      ok = false
    }
    return v as number
  }
  const maxParams = limit('maxParams', MAX_PARAMS)
  const maxEpochs = limit('maxEpochs', MAX_EPOCHS)
  const maxLayers = limit('maxLayers', MAX_LAYERS)
  const allowed = value.allowedLayers ?? null
  if (
    allowed !== null &&
    (!Array.isArray(allowed) ||
      allowed.length === 0 ||
      !allowed.every((t) => (LAYER_TYPES as readonly unknown[]).includes(t)))
  ) {
    report('constraints.allowedLayers', 'lesson.allowedLayersInvalid', {
      value: describeValue(allowed),
      known: LAYER_TYPES.join(', '),
    })
    ok = false
  }
  if (!ok) return null
  return {
    maxParams,
    maxEpochs,
    maxLayers,
    allowedLayers: allowed === null ? null : [...new Set(allowed as LayerType[])],
  }
}

/** What a run achieved, as far as it is known; a missing metric leaves the goal undecided. */
export interface LessonRunMetrics {
  /** The run's dataset; checked when given. */
  dataset?: DatasetRef
  /** Epochs actually trained (early stopping may end sooner); default `trainConfig.epochs`. */
  epochsTrained?: number
  testAccuracy?: number | null
  testLoss?: number | null
  valAccuracy?: number | null
  valLoss?: number | null
}

/**
 * What a stored run achieved, as `checkRunAgainstLesson` reads it: its dataset, the epochs it
 * trained, its test score (if evaluated) and its last epoch's validation metrics.
 */
export function lessonMetricsOfRun(
  run: Pick<RunDetail, 'dataset' | 'history' | 'evaluation'>,
): LessonRunMetrics {
  const last = run.history.at(-1)
  return {
    dataset: run.dataset,
    epochsTrained: run.history.length,
    testAccuracy: run.evaluation?.accuracy ?? null,
    testLoss: run.evaluation?.loss ?? null,
    valAccuracy: last?.valAccuracy ?? null,
    valLoss: last?.valLoss ?? null,
  }
}

export type LessonCheckKind = 'goal' | 'constraint' | 'lock'

/**
 * One rule of the lesson judged on one run. `pass` is null when it cannot be told yet (the goal
 * before the model is evaluated). `key`/`params` say why, in either language.
 */
export interface LessonCheck {
  /** 'goal', 'dataset', 'seed', 'maxParams', 'maxEpochs', 'maxLayers', 'allowedLayers', or a control. */
  id: 'goal' | 'dataset' | 'seed' | keyof LessonConstraints | LessonControl
  kind: LessonCheckKind
  pass: boolean | null
  key: MessageKey
  params: MessageParams
}

/**
 * Judges a run against a lesson: the goal, each constraint that is set, the dataset, the seed,
 * and every locked or hidden control (its value must be the lesson's). Pure, so the student's
 * live goal panel and the teacher's board give the same verdict for the same run.
 */
export function checkRunAgainstLesson(
  lesson: Lesson,
  runSpec: ModelSpec,
  trainConfig: TrainConfig,
  metrics: LessonRunMetrics,
): LessonCheck[] {
  const checks: LessonCheck[] = [checkGoal(lesson.goal, metrics)]
  const constraint = (
    id: LessonCheck['id'],
    pass: boolean,
    key: MessageKey,
    params: MessageParams,
  ): void => void checks.push({ id, kind: 'constraint', pass, key, params })

  if (metrics.dataset !== undefined) {
    constraint(
      'dataset',
      metrics.dataset === lesson.dataset,
      metrics.dataset === lesson.dataset ? 'lesson.check.datasetOk' : 'lesson.check.datasetWrong',
      { value: metrics.dataset, expected: lesson.dataset },
    )
  }
  const { maxParams, maxEpochs, maxLayers, allowedLayers } = lesson.constraints
  if (maxParams !== null) {
    const params = summarizeModel(runSpec).totalParams
    const pass = params <= maxParams
    constraint('maxParams', pass, pass ? 'lesson.check.paramsOk' : 'lesson.check.paramsOver', {
      value: params,
      limit: maxParams,
    })
  }
  if (maxEpochs !== null) {
    const epochs = metrics.epochsTrained ?? trainConfig.epochs
    const pass = epochs <= maxEpochs
    constraint('maxEpochs', pass, pass ? 'lesson.check.epochsOk' : 'lesson.check.epochsOver', {
      value: epochs,
      limit: maxEpochs,
    })
  }
  if (maxLayers !== null) {
    const layers = runSpec.layers.length
    const pass = layers <= maxLayers
    constraint('maxLayers', pass, pass ? 'lesson.check.layersOk' : 'lesson.check.layersOver', {
      value: layers,
      limit: maxLayers,
    })
  }
  if (allowedLayers !== null) {
    const banned = [...new Set(runSpec.layers.map((l) => l.type))].filter(
      (t) => !allowedLayers.includes(t),
    )
    constraint(
      'allowedLayers',
      banned.length === 0,
      banned.length === 0 ? 'lesson.check.layerTypesOk' : 'lesson.check.layerTypesBanned',
      { value: banned.join(', '), allowed: allowedLayers.join(', ') },
    )
  }

  // A fraction (a learning rate, a split) is passed as a number, so the message writes it the
  // reader's way (0,001 in pt-BR); whole numbers (seeds, counts) and other values as written.
  const shown = (v: unknown): string | number =>
    typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v) ? v : describeValue(v)
  const lock = (id: LessonCheck['id'], pass: boolean, value: unknown, expected: unknown): void =>
    void checks.push({
      id,
      kind: 'lock',
      pass,
      key: pass ? 'lesson.check.lockKept' : 'lesson.check.lockChanged',
      params: { control: id, value: shown(value), expected: shown(expected) },
    })
  lock('seed', trainConfig.seed === lesson.seed, trainConfig.seed, lesson.seed)
  if (lesson.model.mode !== 'free' && lesson.model.spec) {
    const same = stableJson(runSpec) === stableJson(lesson.model.spec)
    checks.push({
      id: 'model',
      kind: 'lock',
      pass: same,
      key: same ? 'lesson.check.modelKept' : 'lesson.check.modelChanged',
      params: { control: 'model' },
    })
  }
  for (const control of LESSON_CONTROLS) {
    if (control === 'model' || lesson.controls[control] === 'free') continue
    const value = trainConfig[control]
    const expected = lesson.config[control]
    lock(control, stableJson(value) === stableJson(expected), value, expected)
  }
  return checks
}

function checkGoal(goal: LessonGoal, metrics: LessonRunMetrics): LessonCheck {
  const value = metrics[goal.metric]
  const op = isAccuracyMetric(goal.metric) ? '≥' : '≤'
  const params = { metric: goal.metric, op, threshold: goal.threshold }
  if (value === undefined || value === null || Number.isNaN(value)) {
    return { id: 'goal', kind: 'goal', pass: null, key: 'lesson.check.goalPending', params }
  }
  const pass = isAccuracyMetric(goal.metric) ? value >= goal.threshold : value <= goal.threshold
  return {
    id: 'goal',
    kind: 'goal',
    pass,
    key: pass ? 'lesson.check.goalMet' : 'lesson.check.goalNotMet',
    params: { ...params, value: Math.round(value * 10_000) / 10_000 },
  }
}

/**
 * A check's reason in `locale`, with the metric and setting named in that language (the
 * builder's own labels).
 */
export function formatLessonCheck(check: LessonCheck, locale: Locale): string {
  const params: MessageParams = { ...check.params }
  if (typeof params.metric === 'string') {
    params.metric = translate(locale, `lesson.metric.${params.metric as GoalMetric}`)
  }
  if (typeof params.control === 'string') {
    params.control = translate(locale, controlLabelKey(params.control as LessonCheck['id']))
  }
  return translate(locale, check.key, params)
}

/** The label a setting has in the builder, for messages and the lesson dialog. */
export function controlLabelKey(control: LessonCheck['id']): MessageKey {
  switch (control) {
    case 'model':
      return 'lesson.control.model'
    case 'seed':
      return 'lesson.control.seed'
    case 'dataset':
      return 'lesson.control.dataset'
    case 'goal':
    case 'maxParams':
    case 'maxEpochs':
    case 'maxLayers':
    case 'allowedLayers':
      return 'lesson.control.model'
    default:
      return `builder.settings.${control}`
  }
}

/** A lesson issue in `locale`, prefixed with the field at fault when the message does not name it. */
export function formatLessonIssue(issue: LessonIssue, locale: Locale): string {
  const text = translate(locale, issue.key, issue.params)
  return issue.field && !text.includes(issue.field) ? `${issue.field}: ${text}` : text
}

/** True when every constraint and lock passed (the goal aside): the run kept the lesson's rules. */
export function keptLessonRules(checks: readonly LessonCheck[]): boolean {
  return checks.every((c) => c.kind === 'goal' || c.pass === true)
}

/** JSON with object keys sorted, so two equal specs or configs compare equal as strings. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  )
}

/** The number the goal measures on a run, for ranking (accuracies high first, losses low first). */
export function goalScore(goal: LessonGoal, metrics: LessonRunMetrics): number | null {
  const value = metrics[goal.metric]
  return value === undefined || value === null || Number.isNaN(value) ? null : value
}

/** What a training request is made of, as the builder sends it to `training:start`. */
export interface LessonTrainRequest {
  spec: ModelSpec
  config: TrainConfig
  dataset: DatasetRef
}

/**
 * A training request as a lesson allows it, whatever the form held (a value saved before the
 * lesson was opened, or one changed from the developer tools): the dataset, the seed, every
 * locked or hidden setting and a locked or hidden starting model are the lesson's; free settings
 * stay the student's. The builder applies it where it builds the request; the board still checks
 * every lock of what was handed in, since a bundle can be made anywhere.
 */
export function applyLessonLocks(lesson: Lesson, request: LessonTrainRequest): LessonTrainRequest {
  const config: TrainConfig = { ...request.config, seed: lesson.seed }
  for (const control of LESSON_CONTROLS) {
    if (control === 'model' || lesson.controls[control] === 'free') continue
    const value = lesson.config[control]
    ;(config as unknown as Record<string, unknown>)[control] =
      value !== null && typeof value === 'object' ? { ...value } : value
  }
  const spec =
    lesson.model.mode !== 'free' && lesson.model.spec
      ? (JSON.parse(JSON.stringify(lesson.model.spec)) as ModelSpec)
      : request.spec
  return { spec, config, dataset: lesson.dataset }
}

/** The controls a student may change, in the lesson's order. */
export function isControlFree(lesson: Lesson, control: LessonControl): boolean {
  return control === 'model' ? lesson.model.mode === 'free' : lesson.controls[control] === 'free'
}

/** A student's name or pseudonym as a hand-in carries it: one line, trimmed, 1–80 characters. */
export function normalizeStudentName(name: string): string | null {
  const trimmed = name.replace(/\s+/g, ' ').trim()
  if (trimmed.length === 0 || trimmed.length > MAX_STUDENT_NAME_CHARS) return null
  if (CONTROL_CHARS.test(trimmed)) return null
  return trimmed
}

/**
 * A lesson that starts from `spec` and `config` with every setting free, no constraint and the
 * goal "test accuracy ≥ 0.9": the teacher's dialog and `sinapse lesson create` start from it.
 */
export function draftLesson(
  id: string,
  spec: ModelSpec | null,
  config: TrainConfig,
  dataset: LessonDataset = 'mnist',
): Lesson {
  const controls = Object.fromEntries(
    LESSON_CONTROLS.filter((c) => c !== 'model').map((c) => [c, 'free']),
  ) as Lesson['controls']
  return {
    id,
    version: 1,
    title: { 'pt-BR': '', en: '' },
    instructions: { 'pt-BR': '', en: '' },
    dataset,
    model: { spec, mode: 'free' },
    config: { ...config, earlyStopping: config.earlyStopping && { ...config.earlyStopping } },
    controls,
    seed: config.seed,
    goal: { metric: 'testAccuracy', threshold: 0.9 },
    constraints: { maxParams: null, maxEpochs: null, maxLayers: null, allowedLayers: null },
  }
}

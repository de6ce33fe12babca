import { translate, type Locale, type MessageKey, type MessageParams } from './i18n'
import {
  ACTIVATIONS,
  LAYER_TYPES,
  PADDINGS,
  type Activation,
  type LayerSpec,
  type LayerType,
  type ModelSpec,
  type Padding,
} from './model-spec'
import {
  KERAS_CLASS_NAMES,
  appliesSoftmax,
  countLayerParams,
  inferOutputShape,
  isCompleteSummary,
  summarizeModel,
  zeroPaddingAmounts,
  type CompleteModelSummary,
} from './spec-shapes'

export const MAX_LAYERS = 64
export const MAX_UNITS = 4096
export const MAX_FILTERS = 1024
/** Keeps a model's weights and Adam's two slots well inside the memory of a school PC. */
export const MAX_PARAMS = 20_000_000
export const DEFAULT_BATCH_NORM_MOMENTUM = 0.99
export const DEFAULT_BATCH_NORM_EPSILON = 0.001
/** Keras's LeakyReLU default slope (`negative_slope`, `alpha` in Keras 2). */
export const DEFAULT_LEAKY_RELU_SLOPE = 0.3
/** Zeros added on one side by ZeroPadding2D; more only makes a huge image of nothing. */
export const MAX_ZERO_PADDING = 100

/**
 * One problem found in a model spec or training config. `layerIndex` is 0-based (messages say
 * it 1-based); `field` is the JSON field at fault, if any; `key` and `params` make the message.
 */
export interface SpecIssue {
  layerIndex: number | null
  field: string | null
  key: MessageKey
  params: MessageParams
}

export type SpecValidation =
  { ok: true; spec: ModelSpec; summary: CompleteModelSummary } | { ok: false; issues: SpecIssue[] }

export interface SpecContext {
  classCount: number
  /** One dataset image without the batch axis, e.g. [28, 28, 1]. */
  imageShape: number[]
}

const LAYER_FIELDS: Record<LayerType, readonly string[]> = {
  flatten: ['type'],
  dense: ['type', 'units', 'activation', 'useBias'],
  dropout: ['type', 'rate'],
  conv2d: ['type', 'filters', 'kernelSize', 'strides', 'padding', 'activation', 'useBias'],
  maxPooling2d: ['type', 'poolSize', 'strides', 'padding'],
  averagePooling2d: ['type', 'poolSize', 'strides', 'padding'],
  batchNormalization: ['type', 'momentum', 'epsilon'],
  reshape: ['type', 'targetShape'],
  activation: ['type', 'activation'],
  relu: ['type', 'maxValue', 'negativeSlope', 'threshold'],
  leakyRelu: ['type', 'negativeSlope'],
  softmax: ['type'],
  rescaling: ['type', 'scale', 'offset'],
  zeroPadding2d: ['type', 'padding'],
  globalAveragePooling2d: ['type'],
  globalMaxPooling2d: ['type'],
  spatialDropout2d: ['type', 'rate'],
}

/** Fields that may be left out, per layer type; Keras's default fills them in. */
const OPTIONAL_FIELDS: Partial<Record<LayerType, readonly string[]>> = {
  dense: ['useBias'],
  conv2d: ['useBias'],
  batchNormalization: ['momentum', 'epsilon'],
  relu: ['maxValue', 'negativeSlope', 'threshold'],
  leakyRelu: ['negativeSlope'],
  rescaling: ['offset'],
  zeroPadding2d: ['padding'],
}
const MODEL_FIELDS = ['inputShape', 'layers']

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

/** A short, locale-neutral rendering of what the student wrote, for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number') return String(value)
  const json = JSON.stringify(value) ?? String(value)
  return json.length > 40 ? `${json.slice(0, 37)}...` : json
}

/** `28×28×1`, the way shapes read in prose. */
export function formatShape(shape: readonly number[]): string {
  return shape.join('×')
}

/** `[28, 28, 1]`, the way shapes are written in a spec file. */
function formatShapeJson(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`
}

function isShape(value: unknown, maxRank: number): value is number[] {
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= maxRank &&
    value.every((n) => isIntIn(n, 1, Number.MAX_SAFE_INTEGER))
  )
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i])
}

/** A lowercase, underscore-free form so `Dense`, `max_pooling2d` or `ReLU` find their match. */
function fold(name: string): string {
  return name.toLowerCase().replace(/_/g, '')
}

function suggest<T extends string>(value: unknown, known: readonly T[]): T | undefined {
  if (typeof value !== 'string') return undefined
  return known.find((k) => fold(k) === fold(value))
}

const SUGGESTED_TYPES: Record<string, LayerType> = Object.fromEntries(
  LAYER_TYPES.flatMap((t) => [
    [fold(t), t],
    [fold(KERAS_CLASS_NAMES[t]), t],
  ]),
)

/** A parsed layer, plus the fields that were wrong so later checks don't report them twice. */
interface ParsedLayer {
  /** Null when a field the shape depends on is wrong; shape checks then stop at this layer. */
  spec: LayerSpec | null
  badFields: Set<string>
}

/**
 * Reads one layer's fields, collecting an issue per wrong field. Fields that don't affect shapes
 * (activation, useBias, rate, momentum, epsilon) fall back to a placeholder when wrong, so the
 * shape checks can still run on the layers after this one.
 */
function parseLayer(raw: unknown, index: number, issues: SpecIssue[]): ParsedLayer | null {
  const layer = index + 1
  const badFields = new Set<string>()
  if (!isRecord(raw)) {
    issues.push({
      layerIndex: index,
      field: null,
      key: 'spec.layerNotObject',
      params: { layer, value: describeValue(raw) },
    })
    return null
  }
  const known = LAYER_TYPES.join(', ')
  if (!('type' in raw)) {
    issues.push({
      layerIndex: index,
      field: 'type',
      key: 'spec.layerTypeMissing',
      params: { layer, known },
    })
    return null
  }
  const typeValue = raw.type
  if (typeof typeValue !== 'string' || !(LAYER_TYPES as readonly string[]).includes(typeValue)) {
    const suggestion = typeof typeValue === 'string' ? SUGGESTED_TYPES[fold(typeValue)] : undefined
    issues.push({
      layerIndex: index,
      field: 'type',
      key: suggestion ? 'spec.unknownLayerTypeSuggest' : 'spec.unknownLayerType',
      params: suggestion
        ? { layer, value: describeValue(typeValue), suggestion }
        : { layer, value: describeValue(typeValue), known },
    })
    return null
  }
  const type = typeValue as LayerType
  const typeName = KERAS_CLASS_NAMES[type]
  const fields = LAYER_FIELDS[type]

  for (const field of Object.keys(raw)) {
    if (!fields.includes(field)) {
      issues.push({
        layerIndex: index,
        field,
        key: 'spec.unknownField',
        params: { layer, type: typeName, field, known: fields.join(', ') },
      })
    }
  }
  for (const field of fields) {
    if (!(field in raw) && !OPTIONAL_FIELDS[type]?.includes(field)) {
      badFields.add(field)
      issues.push({
        layerIndex: index,
        field,
        key: 'spec.missingField',
        params: { layer, type: typeName, field },
      })
    }
  }

  const report = (field: string, key: MessageKey, params: MessageParams = {}): void => {
    badFields.add(field)
    issues.push({
      layerIndex: index,
      field,
      key,
      params: { layer, type: typeName, value: describeValue(raw[field]), ...params },
    })
  }
  /** An integer field; without `max` only the lower bound is checked (and said). */
  const intField = (field: string, key: MessageKey, min: number, max?: number): number => {
    const value = raw[field]
    if (!badFields.has(field) && !isIntIn(value, min, max ?? Number.MAX_SAFE_INTEGER)) {
      report(field, key, max === undefined ? { min } : { min, max })
    }
    return value as number
  }
  const paddingField = (): Padding => {
    const value = raw.padding
    if (!badFields.has('padding') && !(PADDINGS as readonly unknown[]).includes(value)) {
      report('padding', 'spec.unknownPadding', { known: PADDINGS.join(', ') })
    }
    return value as Padding
  }
  const activationField = (): Activation => {
    const value = raw.activation
    if (badFields.has('activation')) return 'linear'
    if ((ACTIVATIONS as readonly unknown[]).includes(value)) return value as Activation
    const suggestion = suggest(value, ACTIVATIONS)
    if (suggestion) report('activation', 'spec.unknownActivationSuggest', { suggestion })
    else report('activation', 'spec.unknownActivation', { known: ACTIVATIONS.join(', ') })
    return 'linear'
  }
  const useBiasField = (): boolean => {
    if (!('useBias' in raw)) return true
    if (typeof raw.useBias === 'boolean') return raw.useBias
    report('useBias', 'spec.useBiasType')
    return true
  }
  const numberField = (
    field: string,
    key: MessageKey,
    fallback: number,
    accept: (n: number) => boolean,
  ): number => {
    if (!(field in raw)) return fallback
    const value = raw[field]
    if (typeof value === 'number' && Number.isFinite(value) && accept(value)) return value
    report(field, key)
    return fallback
  }

  let spec: LayerSpec
  switch (type) {
    case 'flatten':
      spec = { type }
      break
    case 'dense': {
      const units = intField('units', 'spec.unitsRange', 1, MAX_UNITS)
      spec = { type, units, activation: activationField(), useBias: useBiasField() }
      break
    }
    case 'dropout':
    case 'spatialDropout2d': {
      const rate = badFields.has('rate')
        ? 0
        : numberField('rate', 'spec.rateRange', 0, (r) => r >= 0 && r < 1)
      spec = { type, rate }
      break
    }
    case 'conv2d': {
      const filters = intField('filters', 'spec.filtersRange', 1, MAX_FILTERS)
      const kernelSize = intField('kernelSize', 'spec.kernelSizeRange', 1)
      const strides = intField('strides', 'spec.stridesRange', 1)
      const padding = paddingField()
      spec = {
        type,
        filters,
        kernelSize,
        strides,
        padding,
        activation: activationField(),
        useBias: useBiasField(),
      }
      break
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const poolSize = intField('poolSize', 'spec.poolSizeRange', 1)
      const strides = intField('strides', 'spec.stridesRange', 1)
      spec = { type, poolSize, strides, padding: paddingField() }
      break
    }
    case 'batchNormalization':
      spec = {
        type,
        momentum: numberField(
          'momentum',
          'spec.momentumRange',
          DEFAULT_BATCH_NORM_MOMENTUM,
          (m) => m > 0 && m < 1,
        ),
        epsilon: numberField(
          'epsilon',
          'spec.epsilonRange',
          DEFAULT_BATCH_NORM_EPSILON,
          (e) => e > 0,
        ),
      }
      break
    case 'reshape': {
      const targetShape = raw.targetShape
      if (!badFields.has('targetShape') && !isShape(targetShape, 3)) {
        report('targetShape', 'spec.targetShapeInvalid')
      }
      spec = { type, targetShape: isShape(targetShape, 3) ? [...targetShape] : [] }
      break
    }
    case 'activation':
      spec = { type, activation: activationField() }
      break
    case 'relu': {
      // Keras refuses a negative cap, slope or threshold; null (or leaving it out) means no cap.
      const maxValue =
        raw.maxValue === null || raw.maxValue === undefined
          ? null
          : numberField('maxValue', 'spec.maxValueRange', 0, (m) => m >= 0)
      spec = {
        type,
        maxValue: badFields.has('maxValue') ? null : maxValue,
        negativeSlope: numberField('negativeSlope', 'spec.negativeSlopeRange', 0, (n) => n >= 0),
        threshold: numberField('threshold', 'spec.thresholdRange', 0, (n) => n >= 0),
      }
      break
    }
    case 'leakyRelu':
      spec = {
        type,
        negativeSlope: numberField(
          'negativeSlope',
          'spec.negativeSlopeRange',
          DEFAULT_LEAKY_RELU_SLOPE,
          (n) => n >= 0,
        ),
      }
      break
    case 'softmax':
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      spec = { type }
      break
    case 'rescaling':
      spec = {
        type,
        scale: badFields.has('scale')
          ? 1
          : numberField('scale', 'spec.scaleInvalid', 1, () => true),
        offset: numberField('offset', 'spec.offsetInvalid', 0, () => true),
      }
      break
    case 'zeroPadding2d': {
      const amounts = 'padding' in raw ? zeroPaddingAmounts(raw.padding) : zeroPaddingAmounts(1)
      if (!amounts || amounts.flat().some((n) => n > MAX_ZERO_PADDING)) {
        report('padding', 'spec.zeroPaddingInvalid', { max: MAX_ZERO_PADDING })
      }
      spec = {
        type,
        padding: amounts ?? [
          [0, 0],
          [0, 0],
        ],
      }
      break
    }
  }
  const shapeFields = [
    'units',
    'filters',
    'kernelSize',
    'strides',
    'padding',
    'poolSize',
    'targetShape',
  ]
  return { spec: shapeFields.some((f) => badFields.has(f)) ? null : spec, badFields }
}

/**
 * Checks how `layer` fits the shape it receives, returning its output shape (null once the chain
 * is broken). Reports wrong-rank inputs, windows larger than their input and Reshape size errors.
 */
function checkLayerInput(
  layer: LayerSpec,
  index: number,
  input: number[],
  issues: SpecIssue[],
): number[] | null {
  const base = { layer: index + 1, type: KERAS_CLASS_NAMES[layer.type] }
  const push = (field: string | null, key: MessageKey, params: MessageParams): void => {
    issues.push({ layerIndex: index, field, key, params: { ...base, ...params } })
  }
  /** Layers that work on an image: false (and one issue) when the input is not one. */
  const takesImage = (): boolean => {
    if (input.length === 1) push(null, 'spec.convAfterFlatten', { size: input[0] })
    else if (input.length !== 3) push(null, 'spec.convNeedsImage', { shape: formatShape(input) })
    return input.length === 3
  }
  switch (layer.type) {
    case 'zeroPadding2d':
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
    case 'spatialDropout2d':
      if (!takesImage()) return null
      break
    case 'dense':
      // Keras would apply Dense to the last axis only; in a classifier that is always a mistake.
      // The chain stops here so the Dense layers after it don't repeat the same advice.
      if (input.length !== 1) {
        push(null, 'spec.denseNeedsFlatten', { shape: formatShape(input) })
        return null
      }
      break
    case 'conv2d':
    case 'maxPooling2d':
    case 'averagePooling2d': {
      if (!takesImage()) return null
      const isConv = layer.type === 'conv2d'
      const size = isConv ? layer.kernelSize : layer.poolSize
      const [height, width] = input
      if (size > Math.min(height, width)) {
        const field = isConv ? 'kernelSize' : 'poolSize'
        const params = { size, height, width }
        if (layer.padding === 'valid') {
          push(field, isConv ? 'spec.kernelVanishes' : 'spec.poolVanishes', params)
          return null
        }
        push(field, isConv ? 'spec.kernelTooLarge' : 'spec.poolTooLarge', params)
      }
      break
    }
    case 'reshape': {
      const size = input.reduce((a, n) => a * n, 1)
      const targetSize = layer.targetShape.reduce((a, n) => a * n, 1)
      if (size !== targetSize) {
        push('targetShape', 'spec.reshapeSize', {
          target: formatShapeJson(layer.targetShape),
          targetSize,
          shape: formatShape(input),
          size,
        })
        return null
      }
      break
    }
    default:
      break
  }
  return inferOutputShape(layer, input)
}

/**
 * The output rule: the model ends in softmax over one value per class, either a Dense layer with
 * softmax or (as Keras 2 models often do) a Softmax or Activation('softmax') layer after one.
 */
function checkOutputLayer(
  parsed: ParsedLayer,
  index: number,
  classCount: number,
  output: number[] | null,
  issues: SpecIssue[],
): void {
  const layer = parsed.spec
  if (!layer) return
  const base = { layer: index + 1, type: KERAS_CLASS_NAMES[layer.type], classes: classCount }
  const push = (field: string | null, key: MessageKey, params: MessageParams = {}): void => {
    issues.push({ layerIndex: index, field, key, params: { ...base, ...params } })
  }
  if (layer.type === 'dense') {
    if (layer.units !== classCount) push('units', 'spec.outputUnits', { units: layer.units })
    if (!parsed.badFields.has('activation') && layer.activation !== 'softmax') {
      push('activation', 'spec.outputActivation', { activation: layer.activation })
    }
    return
  }
  if (layer.type !== 'softmax' && layer.type !== 'activation') {
    push(null, 'spec.outputNotDense')
    return
  }
  if (parsed.badFields.has('activation')) return
  if (layer.type === 'activation' && !appliesSoftmax(layer)) {
    push('activation', 'spec.outputActivation', { activation: layer.activation })
  } else if (output && (output.length !== 1 || output[0] !== classCount)) {
    push(null, 'spec.outputSize', { shape: formatShape(output) })
  }
}

/**
 * Checks a model spec a student wrote (a JSON file or the UI form) against the dataset it will
 * train on. Reports every problem found, each as a message key with parameters, rather than
 * stopping at the first. On success returns a normalized copy (defaults for `useBias`,
 * `momentum` and `epsilon` filled in) and its Keras-style summary.
 */
export function validateModelSpec(input: unknown, ctx: SpecContext): SpecValidation {
  const issues: SpecIssue[] = []
  if (!isRecord(input)) {
    return {
      ok: false,
      issues: [
        {
          layerIndex: null,
          field: null,
          key: 'spec.notObject',
          params: { value: describeValue(input) },
        },
      ],
    }
  }
  for (const field of Object.keys(input)) {
    if (!MODEL_FIELDS.includes(field)) {
      issues.push({ layerIndex: null, field, key: 'spec.unknownModelField', params: { field } })
    }
  }

  const expected = formatShapeJson(ctx.imageShape)
  let inputShape: number[] | null = null
  if (!isShape(input.inputShape, 3)) {
    issues.push({
      layerIndex: null,
      field: 'inputShape',
      key: 'inputShape' in input ? 'spec.inputShapeInvalid' : 'spec.inputShapeMissing',
      params: { value: describeValue(input.inputShape), expected },
    })
  } else {
    inputShape = [...input.inputShape]
    if (!sameShape(inputShape, ctx.imageShape)) {
      issues.push({
        layerIndex: null,
        field: 'inputShape',
        key: 'spec.inputShapeMismatch',
        params: { actual: formatShapeJson(inputShape), expected },
      })
    }
  }

  const rawLayers = input.layers
  if (!Array.isArray(rawLayers)) {
    issues.push({
      layerIndex: null,
      field: 'layers',
      key: 'layers' in input ? 'spec.layersNotList' : 'spec.layersMissing',
      params: { value: describeValue(rawLayers) },
    })
    return { ok: false, issues }
  }
  if (rawLayers.length === 0) {
    issues.push({
      layerIndex: null,
      field: 'layers',
      key: 'spec.noLayers',
      params: { classes: ctx.classCount },
    })
    return { ok: false, issues }
  }
  // Past the cap, per-layer checks would only bury this message under hundreds of others.
  if (rawLayers.length > MAX_LAYERS) {
    issues.push({
      layerIndex: null,
      field: 'layers',
      key: 'spec.tooManyLayers',
      params: { count: rawLayers.length, max: MAX_LAYERS },
    })
    return { ok: false, issues }
  }

  const parsed = rawLayers.map((raw, i) => parseLayer(raw, i, issues))

  let current: number[] | null = inputShape
  let totalParams = 0
  parsed.forEach((p, i) => {
    if (!current) return
    if (!p?.spec) {
      current = null
      return
    }
    const output = checkLayerInput(p.spec, i, current, issues)
    if (output) totalParams += countLayerParams(p.spec, current).params
    current = output
  })

  const last = parsed[parsed.length - 1]
  if (last) checkOutputLayer(last, parsed.length - 1, ctx.classCount, current, issues)

  if (totalParams > MAX_PARAMS) {
    issues.push({
      layerIndex: null,
      field: null,
      key: 'spec.tooManyParams',
      params: { count: totalParams, max: MAX_PARAMS },
    })
  }

  if (issues.length > 0 || !inputShape) return { ok: false, issues }
  const spec: ModelSpec = {
    inputShape,
    layers: parsed.map((p) => p?.spec).filter((l): l is LayerSpec => Boolean(l)),
  }
  const summary = summarizeModel(spec)
  // The checks above mirror every way a shape can fail, so this only guards the type narrowing.
  if (!isCompleteSummary(summary)) {
    return {
      ok: false,
      issues: [{ layerIndex: null, field: null, key: 'spec.shapeUnknown', params: {} }],
    }
  }
  return { ok: true, spec, summary }
}

/**
 * Numbers as the reader's locale writes them: decimal commas in Portuguese, and digit grouping
 * for large counts (20.000.000). Small integers stay bare so "entre 1 e 4096" reads naturally.
 */
function localizeNumber(n: number, locale: Locale): string {
  if (Number.isInteger(n)) {
    return Math.abs(n) >= 10_000 ? new Intl.NumberFormat(locale).format(n) : String(n)
  }
  return locale === 'pt-BR' ? String(n).replace('.', ',') : String(n)
}

/** The issue as one sentence in `locale`, e.g. "Layer 2 (Dense): units must be …". */
export function formatSpecIssue(issue: SpecIssue, locale: Locale): string {
  const params: MessageParams = {}
  for (const [name, value] of Object.entries(issue.params)) {
    params[name] = typeof value === 'number' ? localizeNumber(value, locale) : value
  }
  return translate(locale, issue.key, params)
}

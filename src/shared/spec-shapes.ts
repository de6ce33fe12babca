import type { LayerSpec, LayerType, ModelSpec, Padding, ZeroPadding } from './model-spec'

/**
 * Keras's class name for each layer type. These are identifiers students meet in the tutorial and
 * in Keras's own output, so they are shown untranslated in both languages.
 */
export const KERAS_CLASS_NAMES: Record<LayerType, string> = {
  flatten: 'Flatten',
  dense: 'Dense',
  dropout: 'Dropout',
  conv2d: 'Conv2D',
  maxPooling2d: 'MaxPooling2D',
  averagePooling2d: 'AveragePooling2D',
  batchNormalization: 'BatchNormalization',
  reshape: 'Reshape',
  activation: 'Activation',
  relu: 'ReLU',
  leakyRelu: 'LeakyReLU',
  softmax: 'Softmax',
  rescaling: 'Rescaling',
  zeroPadding2d: 'ZeroPadding2D',
  globalAveragePooling2d: 'GlobalAveragePooling2D',
  globalMaxPooling2d: 'GlobalMaxPooling2D',
  spatialDropout2d: 'SpatialDropout2D',
}

/** The base of Keras's automatic layer names (`dense`, `dense_1`, …). */
export const KERAS_NAME_BASES: Record<LayerType, string> = {
  flatten: 'flatten',
  dense: 'dense',
  dropout: 'dropout',
  conv2d: 'conv2d',
  maxPooling2d: 'max_pooling2d',
  averagePooling2d: 'average_pooling2d',
  batchNormalization: 'batch_normalization',
  reshape: 'reshape',
  activation: 'activation',
  relu: 're_lu',
  leakyRelu: 'leaky_re_lu',
  softmax: 'softmax',
  rescaling: 'rescaling',
  zeroPadding2d: 'zero_padding2d',
  globalAveragePooling2d: 'global_average_pooling2d',
  globalMaxPooling2d: 'global_max_pooling2d',
  spatialDropout2d: 'spatial_dropout2d',
}

/**
 * One row of Keras's `model.summary()`. Shapes exclude the batch axis. A shape or count is null
 * when it cannot be computed (an invalid layer, or any layer after one), so the UI can still draw
 * the rows that are known.
 */
export interface LayerSummary {
  /** 0-based position in `spec.layers`. */
  index: number
  type: LayerType
  /** Keras-style automatic name, numbered per type: `dense`, `dense_1`, … */
  name: string
  inputShape: number[] | null
  outputShape: number[] | null
  params: number | null
  trainableParams: number | null
}

export interface ModelSummary {
  layers: LayerSummary[]
  /** Sums over the layers whose counts are known; exact only when `complete`. */
  totalParams: number
  trainableParams: number
  nonTrainableParams: number
  outputShape: number[] | null
  /** True when every layer's shape and parameter count is known. */
  complete: boolean
}

export interface CompleteLayerSummary extends LayerSummary {
  inputShape: number[]
  outputShape: number[]
  params: number
  trainableParams: number
}

/** What a valid spec summarizes to: every shape and count known. */
export interface CompleteModelSummary extends ModelSummary {
  layers: CompleteLayerSummary[]
  outputShape: number[]
  complete: true
}

export interface ParamCount {
  params: number
  trainableParams: number
}

function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1
}

function product(shape: readonly number[]): number {
  return shape.reduce((acc, n) => acc * n, 1)
}

/**
 * Output length of a sliding window along one axis, as Keras computes it; null when a 'valid'
 * window does not fit, i.e. the output would shrink to nothing.
 */
export function slidingOutputSize(
  size: number,
  window: number,
  strides: number,
  padding: Padding,
): number | null {
  const out =
    padding === 'same' ? Math.ceil(size / strides) : Math.floor((size - window) / strides) + 1
  return out >= 1 ? out : null
}

function windowOutput(
  input: readonly number[],
  window: number,
  strides: number,
  padding: Padding,
  channels: number,
): number[] | null {
  if (input.length !== 3 || !isPositiveInt(window) || !isPositiveInt(strides)) return null
  const h = slidingOutputSize(input[0], window, strides, padding)
  const w = slidingOutputSize(input[1], window, strides, padding)
  return h === null || w === null ? null : [h, w, channels]
}

function isNonNegativeInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0
}

/**
 * ZeroPadding2D's amounts as Keras reads them: one integer for every side, `[rows, columns]`
 * (each added on both sides), or `[[top, bottom], [left, right]]`. Null for anything else.
 */
export function zeroPaddingAmounts(padding: unknown): ZeroPadding | null {
  if (isNonNegativeInt(padding)) {
    return [
      [padding, padding],
      [padding, padding],
    ]
  }
  if (!Array.isArray(padding) || padding.length !== 2) return null
  const [rows, cols] = padding as unknown[]
  if (isNonNegativeInt(rows) && isNonNegativeInt(cols)) {
    return [
      [rows, rows],
      [cols, cols],
    ]
  }
  const pair = (p: unknown): p is [number, number] =>
    Array.isArray(p) && p.length === 2 && p.every(isNonNegativeInt)
  return pair(rows) && pair(cols)
    ? [
        [rows[0], rows[1]],
        [cols[0], cols[1]],
      ]
    : null
}

/** Whether `layer` turns its input into class probabilities with softmax. */
export function appliesSoftmax(layer: LayerSpec): boolean {
  return (
    layer.type === 'softmax' ||
    ((layer.type === 'dense' || layer.type === 'activation') && layer.activation === 'softmax')
  )
}

/**
 * The shape `layer` produces from `input` (both without the batch axis), following Keras; null
 * when Keras would refuse it: a convolution, pooling, padding or spatial dropout without an image
 * input, a 'valid' window larger than its input, a Reshape that changes the number of values, or a
 * non-positive size.
 * Dense on an input of rank > 1 acts on the last axis as in Keras.
 */
export function inferOutputShape(layer: LayerSpec, input: readonly number[]): number[] | null {
  if (input.length === 0 || !input.every(isPositiveInt)) return null
  switch (layer.type) {
    case 'flatten':
      return [product(input)]
    case 'dense':
      return isPositiveInt(layer.units) ? [...input.slice(0, -1), layer.units] : null
    case 'dropout':
    case 'batchNormalization':
    case 'activation':
    case 'relu':
    case 'leakyRelu':
    case 'softmax':
    case 'rescaling':
      return [...input]
    case 'spatialDropout2d':
      return input.length === 3 ? [...input] : null
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return input.length === 3 ? [input[2]] : null
    case 'zeroPadding2d': {
      const amounts = zeroPaddingAmounts(layer.padding)
      if (input.length !== 3 || !amounts) return null
      const [[top, bottom], [left, right]] = amounts
      return [input[0] + top + bottom, input[1] + left + right, input[2]]
    }
    case 'conv2d':
      if (!isPositiveInt(layer.filters)) return null
      return windowOutput(input, layer.kernelSize, layer.strides, layer.padding, layer.filters)
    case 'maxPooling2d':
    case 'averagePooling2d':
      return windowOutput(input, layer.poolSize, layer.strides, layer.padding, input[2])
    case 'reshape': {
      const target = layer.targetShape
      if (!Array.isArray(target) || target.length === 0 || !target.every(isPositiveInt)) return null
      return product(target) === product(input) ? [...target] : null
    }
  }
}

/** The weights `layer` owns given its input shape, counted as Keras's summary counts them. */
export function countLayerParams(layer: LayerSpec, input: readonly number[]): ParamCount {
  const inner = input[input.length - 1]
  switch (layer.type) {
    case 'dense': {
      const params = inner * layer.units + (layer.useBias ? layer.units : 0)
      return { params, trainableParams: params }
    }
    case 'conv2d': {
      const k = layer.kernelSize
      const params = k * k * inner * layer.filters + (layer.useBias ? layer.filters : 0)
      return { params, trainableParams: params }
    }
    // gamma and beta learn; the moving mean and variance are updated, not trained.
    case 'batchNormalization':
      return { params: 4 * inner, trainableParams: 2 * inner }
    default:
      return { params: 0, trainableParams: 0 }
  }
}

/**
 * Keras's `model.summary()` for `spec`: per-layer names, output shapes and parameter counts, and
 * the totals. Never throws; layers whose shape cannot be computed, and every layer after them,
 * get null shapes and counts, and the summary is marked incomplete.
 */
export function summarizeModel(spec: ModelSpec): ModelSummary {
  const seen = new Map<LayerType, number>()
  let current: number[] | null =
    Array.isArray(spec.inputShape) && spec.inputShape.every(isPositiveInt)
      ? [...spec.inputShape]
      : null
  let totalParams = 0
  let trainableParams = 0
  const layers = spec.layers.map((layer, index): LayerSummary => {
    const count = seen.get(layer.type) ?? 0
    seen.set(layer.type, count + 1)
    const base = KERAS_NAME_BASES[layer.type]
    const inputShape = current
    const outputShape = inputShape && inferOutputShape(layer, inputShape)
    const counts = inputShape && outputShape ? countLayerParams(layer, inputShape) : null
    if (counts) {
      totalParams += counts.params
      trainableParams += counts.trainableParams
    }
    current = outputShape
    return {
      index,
      type: layer.type,
      name: count === 0 ? base : `${base}_${count}`,
      inputShape,
      outputShape,
      params: counts?.params ?? null,
      trainableParams: counts?.trainableParams ?? null,
    }
  })
  const complete = current !== null && layers.every((l) => l.outputShape !== null)
  return {
    layers,
    totalParams,
    trainableParams,
    nonTrainableParams: totalParams - trainableParams,
    outputShape: current,
    complete,
  }
}

/** Narrows a summary to one whose every shape and count is known. */
export function isCompleteSummary(summary: ModelSummary): summary is CompleteModelSummary {
  return summary.complete
}

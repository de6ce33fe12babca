import { AppError } from '../../shared/errors'
import type { MessageParams } from '../../shared/i18n'
import { MAX_LAYERS, ModelConfigError, shown, type ConfigReason } from './config-error'
import {
  ACTIVATIONS,
  PADDINGS,
  type Activation,
  type LayerSpec,
  type ModelSpec,
  type Padding,
} from '../../shared/model-spec'
import {
  inferOutputShape,
  KERAS_CLASS_NAMES,
  KERAS_NAME_BASES,
  zeroPaddingAmounts,
} from '../../shared/spec-shapes'
import { DEFAULT_LEAKY_RELU_SLOPE, MAX_PARAMS } from '../../shared/spec-validation'
import { FUNCTIONAL_CLASSES, functionalChain } from './keras-functional'

/** A model read from a file: Sinapse's spec plus each spec layer's weights in Keras order. */
export interface ImportedModel {
  spec: ModelSpec
  /** One entry per spec layer: kernel, bias (Dense, Conv2D); gamma, beta, mean, variance (BN). */
  weights: Float32Array[][]
}

/** A layer of a Keras model config, mapped; `name` finds its weights in the file. */
export interface MappedLayer {
  name: string
  className: string
  layer: LayerSpec
}

export interface MappedConfig {
  /** The model's own input shape, before normalization to the image shape. */
  inputShape: number[]
  layers: MappedLayer[]
}

/** The image every imported model must take once normalized: one MNIST digit. */
export const IMAGE_SHAPE = [28, 28, 1]

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

const bad = (reason: ConfigReason, params?: MessageParams) => new ModelConfigError(reason, params)

/**
 * Maps a Keras (2 or 3) or TensorFlow.js model config — `{class_name: 'Sequential', config}` — to
 * Sinapse's layers. Refuses, naming the layer class, anything that is not a Sequential model of
 * the layers Sinapse supports with options it can reproduce exactly.
 */
export function mapKerasConfig(topology: unknown): MappedConfig {
  let model = topology
  // tfjs-converter output wraps the config: {model_config: {class_name, config}, ...}.
  if (isObject(model) && isObject(model.model_config)) model = model.model_config
  if (!isObject(model)) throw bad('modelfiles.configReason.notObject')
  const rawLayers = modelLayers(model)
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) {
    throw bad('modelfiles.configReason.noLayers')
  }
  if (rawLayers.length > MAX_LAYERS) {
    throw bad('modelfiles.configReason.tooManyLayers', {
      count: rawLayers.length,
      max: MAX_LAYERS,
    })
  }
  let inputShape: number[] | null = null
  const layers: MappedLayer[] = []
  for (const raw of rawLayers) {
    if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config)) {
      throw bad('modelfiles.configReason.layerEntry')
    }
    const className = raw.class_name
    const c = raw.config
    const declared = readBatchShape(c)
    if (declared && inputShape === null && layers.length === 0) inputShape = declared
    if (className === 'InputLayer') {
      if (!declared) throw bad('modelfiles.configReason.inputLayerNoShape')
      continue
    }
    const name = typeof c.name === 'string' && c.name ? c.name : `layer_${layers.length}`
    // Weights are found by layer name: two layers of one name would read the same weights twice
    // (the way a decompression bomb multiplies one dataset), so such a file is refused.
    if (layers.some((l) => l.name === name)) {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.duplicateLayer', { name })
    }
    layers.push({ name, className, layer: mapLayer(className, c) })
  }
  if (!inputShape) throw bad('modelfiles.configReason.noInputShape')
  return { inputShape, layers }
}

/**
 * The raw layer list of a Sequential model, or of a functional model that is a single chain (as
 * the equivalent Sequential model's, input layer first).
 */
function modelLayers(model: Json): unknown {
  const className = String(model.class_name)
  if (FUNCTIONAL_CLASSES.includes(className)) return functionalChain(model.config)
  if (className !== 'Sequential') {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.notSequential', { className })
  }
  const config = model.config
  // Keras 2.0–2.1 stored the layer list directly as the config.
  return Array.isArray(config) ? config : isObject(config) ? config.layers : null
}

function readBatchShape(c: Json): number[] | null {
  const shape = c.batch_shape ?? c.batch_input_shape
  if (!Array.isArray(shape) || shape.length < 2) return null
  const rest = shape.slice(1)
  if (!rest.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw bad('modelfiles.configReason.badInputShape', { shape: shown(shape) })
  }
  return rest as number[]
}

function unsupported(className: string, option: string): AppError {
  return new AppError('MODEL_CORRUPT', 'modelfiles.unsupportedOption', { className, option })
}

function activation(className: string, c: Json): Activation {
  const value = c.activation ?? 'linear'
  if (!(ACTIVATIONS as readonly unknown[]).includes(value)) {
    throw unsupported(className, `activation=${String(value)}`)
  }
  return value as Activation
}

function padding(className: string, c: Json): Padding {
  const value = c.padding ?? 'valid'
  if (!(PADDINGS as readonly unknown[]).includes(value)) {
    throw unsupported(className, `padding=${String(value)}`)
  }
  return value as Padding
}

/** A square window size: Keras stores [k, k] (or k); Sinapse supports square windows only. */
function square(className: string, field: string, value: unknown): number {
  const list = Array.isArray(value) ? value : [value, value]
  if (list.length !== 2 || list[0] !== list[1] || !Number.isInteger(list[0]) || list[0] < 1) {
    throw unsupported(className, `${field}=${JSON.stringify(value)}`)
  }
  return list[0] as number
}

function channelsLast(className: string, c: Json): void {
  if (c.data_format !== undefined && c.data_format !== null && c.data_format !== 'channels_last') {
    throw unsupported(className, `data_format=${String(c.data_format)}`)
  }
}

function mapLayer(className: string, c: Json): LayerSpec {
  switch (className) {
    case 'Dense':
      if (!Number.isInteger(c.units)) throw badField(className, 'units', c.units)
      return {
        type: 'dense',
        units: c.units as number,
        activation: activation(className, c),
        useBias: c.use_bias !== false,
      }
    case 'Flatten':
      channelsLast(className, c)
      return { type: 'flatten' }
    case 'Dropout':
      if (typeof c.rate !== 'number') throw badField(className, 'rate', c.rate)
      if (c.noise_shape !== undefined && c.noise_shape !== null) {
        throw unsupported(className, 'noise_shape')
      }
      return { type: 'dropout', rate: c.rate }
    case 'Reshape':
      if (!Array.isArray(c.target_shape)) throw badField(className, 'target_shape', c.target_shape)
      return { type: 'reshape', targetShape: c.target_shape as number[] }
    case 'Conv2D': {
      channelsLast(className, c)
      if (
        c.dilation_rate !== undefined &&
        square(className, 'dilation_rate', c.dilation_rate) !== 1
      )
        throw unsupported(className, 'dilation_rate')
      if (c.groups !== undefined && c.groups !== 1) throw unsupported(className, 'groups')
      if (!Number.isInteger(c.filters)) throw badField(className, 'filters', c.filters)
      return {
        type: 'conv2d',
        filters: c.filters as number,
        kernelSize: square(className, 'kernel_size', c.kernel_size),
        strides: square(className, 'strides', c.strides ?? 1),
        padding: padding(className, c),
        activation: activation(className, c),
        useBias: c.use_bias !== false,
      }
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      channelsLast(className, c)
      const poolSize = square(className, 'pool_size', c.pool_size ?? 2)
      return {
        type: className === 'MaxPooling2D' ? 'maxPooling2d' : 'averagePooling2d',
        poolSize,
        strides:
          c.strides === null || c.strides === undefined
            ? poolSize
            : square(className, 'strides', c.strides),
        padding: padding(className, c),
      }
    }
    case 'BatchNormalization': {
      const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1]
      if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== 3)) {
        throw unsupported(className, `axis=${JSON.stringify(c.axis)}`)
      }
      if (c.center === false || c.scale === false) throw unsupported(className, 'center/scale')
      return {
        type: 'batchNormalization',
        momentum: typeof c.momentum === 'number' ? c.momentum : 0.99,
        epsilon: typeof c.epsilon === 'number' ? c.epsilon : 0.001,
      }
    }
    case 'Activation':
      return { type: 'activation', activation: activation(className, c) }
    case 'ReLU':
      return {
        type: 'relu',
        maxValue:
          c.max_value === null || c.max_value === undefined ? null : num(c, 'max_value', className),
        negativeSlope: c.negative_slope === undefined ? 0 : num(c, 'negative_slope', className),
        threshold: c.threshold === undefined ? 0 : num(c, 'threshold', className),
      }
    case 'LeakyReLU': {
      // Keras 3 calls the slope negative_slope; Keras 2 and TF.js call it alpha.
      const field = c.negative_slope !== undefined ? 'negative_slope' : 'alpha'
      return {
        type: 'leakyRelu',
        negativeSlope: c[field] === undefined ? DEFAULT_LEAKY_RELU_SLOPE : num(c, field, className),
      }
    }
    case 'Softmax': {
      const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : (c.axis ?? -1)
      if (axis !== -1) throw unsupported(className, `axis=${JSON.stringify(c.axis)}`)
      return { type: 'softmax' }
    }
    case 'Rescaling':
      for (const field of ['scale', 'offset']) {
        if (c[field] !== undefined && typeof c[field] !== 'number') {
          throw unsupported(className, `${field}=${JSON.stringify(c[field])}`)
        }
      }
      return {
        type: 'rescaling',
        scale: num(c, 'scale', className),
        offset: c.offset === undefined ? 0 : num(c, 'offset', className),
      }
    case 'ZeroPadding2D': {
      channelsLast(className, c)
      const padding = zeroPaddingAmounts(c.padding ?? 1)
      if (!padding) throw badField(className, 'padding', c.padding)
      return { type: 'zeroPadding2d', padding }
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      channelsLast(className, c)
      if (c.keepdims === true) throw unsupported(className, 'keepdims=True')
      return {
        type: className === 'GlobalMaxPooling2D' ? 'globalMaxPooling2d' : 'globalAveragePooling2d',
      }
    case 'SpatialDropout2D':
      channelsLast(className, c)
      return { type: 'spatialDropout2d', rate: num(c, 'rate', className) }
    default:
      throw new AppError('MODEL_CORRUPT', 'modelfiles.unknownLayer', {
        className,
        known: ['InputLayer', ...Object.values(KERAS_CLASS_NAMES)].join(', '),
      })
  }
}

/** A layer option that is missing or not of its kind: a damaged or hand-edited config. */
function badField(className: string, field: string, value: unknown): ModelConfigError {
  return value === undefined
    ? bad('modelfiles.configReason.fieldMissing', { className, field })
    : bad('modelfiles.configReason.badField', { className, field, value: shown(value) })
}

/** A finite number field of a layer config; anything else is a damaged config. */
function num(c: Json, field: string, className: string): number {
  const value = c[field]
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badField(className, field, value)
  return value
}

/**
 * Turns a mapped config into a spec taking [28, 28, 1] images: a model that takes 784 values or
 * 28×28 gets a leading Reshape, so it sees exactly the input it was trained on. Returns the spec
 * and, for each spec layer, the index of the mapped layer it came from (null for the Reshape).
 * With `exactInput`, the model must take exactly that shape and is not reshaped.
 */
export function normalizeInput(
  mapped: MappedConfig,
  exactInput?: number[],
): {
  spec: ModelSpec
  origin: (number | null)[]
} {
  const shape = mapped.inputShape
  const key = shape.join('x')
  const layers = mapped.layers.map((l) => l.layer)
  const origin: (number | null)[] = mapped.layers.map((_, i) => i)
  // A model Sinapse saved itself (in a bundle) must take exactly its spec's input, as it is.
  if (exactInput) {
    if (key === exactInput.join('x')) return { spec: { inputShape: [...shape], layers }, origin }
    throw new AppError('MODEL_CORRUPT', 'modelfiles.inputShapeFor', {
      shape: shape.join('×'),
      expected: exactInput.join('×'),
    })
  }
  // Flatten sees the same 784 values in a 28×28 or a 28×28×1 image: no Reshape needed, so the
  // tutorial's MLP exported as (28, 28) comes back as the very model it was.
  const flattensFirst = layers[0]?.type === 'flatten'
  if (key === '28x28x1' || (key === '28x28' && flattensFirst)) {
    return { spec: { inputShape: [...IMAGE_SHAPE], layers }, origin }
  }
  if (key === '784' || key === '28x28') {
    return {
      spec: {
        inputShape: [...IMAGE_SHAPE],
        layers: [{ type: 'reshape', targetShape: shape }, ...layers],
      },
      origin: [null, ...origin],
    }
  }
  throw new AppError('MODEL_CORRUPT', 'modelfiles.inputShape', { shape: shape.join('×') })
}

/** Names of a layer's weights in Keras order (the suffixes Keras and tfjs use). */
export function weightNames(layer: LayerSpec): string[] {
  switch (layer.type) {
    case 'dense':
    case 'conv2d':
      return layer.useBias ? ['kernel', 'bias'] : ['kernel']
    case 'batchNormalization':
      return ['gamma', 'beta', 'moving_mean', 'moving_variance']
    default:
      return []
  }
}

/** The shape of each weight of each spec layer; throws if the spec's shapes do not chain. */
export function expectedWeightShapes(spec: ModelSpec): number[][][] {
  let input: number[] = spec.inputShape
  return spec.layers.map((layer) => {
    const inner = input[input.length - 1]
    let shapes: number[][] = []
    if (layer.type === 'dense') shapes = [[inner, layer.units], [layer.units]]
    if (layer.type === 'conv2d') {
      shapes = [[layer.kernelSize, layer.kernelSize, inner, layer.filters], [layer.filters]]
    }
    if (layer.type === 'batchNormalization') shapes = [[inner], [inner], [inner], [inner]]
    shapes = shapes.slice(0, weightNames(layer).length)
    const output = inferOutputShape(layer, input)
    if (!output)
      throw bad('modelfiles.configReason.cannotTakeInput', {
        layer: layer.type,
        shape: input.join('×'),
      })
    input = output
    return shapes
  })
}

/** Checks that `weights` has exactly the spec's weights with the right sizes. */
export function checkWeights(spec: ModelSpec, weights: Float32Array[][]): void {
  const shapes = expectedWeightShapes(spec)
  shapes.forEach((layerShapes, i) => {
    const got = weights[i] ?? []
    if (got.length !== layerShapes.length) {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.weightCount', {
        layer: i + 1,
        expected: layerShapes.length,
        actual: got.length,
      })
    }
    layerShapes.forEach((shape, j) => {
      const size = shape.reduce((a, b) => a * b, 1)
      if (got[j].length !== size) {
        throw new AppError('MODEL_CORRUPT', 'modelfiles.weightShape', {
          layer: i + 1,
          weight: weightNames(spec.layers[i])[j],
          expected: shape.join('×'),
        })
      }
    })
  })
}

/**
 * Refuses weights holding NaN or an infinity. Such a model answers nonsense, and not the same
 * nonsense everywhere: TF.js's ReLU turns NaN into 0 where NumPy and Keras keep NaN, so Sinapse
 * would score a model its author could not even run.
 */
export function checkFiniteWeights(spec: ModelSpec, weights: Float32Array[][]): void {
  weights.forEach((arrays, i) => {
    arrays.forEach((values, j) => {
      let count = 0
      for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) count += 1
      if (count > 0) {
        throw new AppError('MODEL_CORRUPT', 'modelfiles.weightsNotFinite', {
          layer: i + 1,
          weight: weightNames(spec.layers[i])[j],
          count,
          total: values.length,
        })
      }
    })
  })
}

/** Keras's automatic layer names for a spec: dense, dense_1, conv2d, … */
export function layerNamesOf(spec: ModelSpec): string[] {
  const seen = new Map<string, number>()
  return spec.layers.map((layer) => {
    const stem = KERAS_NAME_BASES[layer.type]
    const n = seen.get(stem) ?? 0
    seen.set(stem, n + 1)
    return n === 0 ? stem : `${stem}_${n}`
  })
}

/** The Keras class name of a spec layer. */
export function kerasClassOf(layer: LayerSpec): string {
  return KERAS_CLASS_NAMES[layer.type]
}

/**
 * The Keras-2-style config of one layer, which tfjs-layers deserializes; the `.h5` export adds
 * Keras 3's extra fields on top of it.
 */
export function tfjsLayerConfig(layer: LayerSpec): Json {
  switch (layer.type) {
    case 'flatten':
      return {}
    case 'dense':
      return { units: layer.units, activation: layer.activation, use_bias: layer.useBias }
    case 'dropout':
      return { rate: layer.rate }
    case 'conv2d':
      return {
        filters: layer.filters,
        kernel_size: [layer.kernelSize, layer.kernelSize],
        strides: [layer.strides, layer.strides],
        padding: layer.padding,
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        activation: layer.activation,
        use_bias: layer.useBias,
      }
    case 'maxPooling2d':
    case 'averagePooling2d':
      return {
        pool_size: [layer.poolSize, layer.poolSize],
        strides: [layer.strides, layer.strides],
        padding: layer.padding,
        data_format: 'channels_last',
      }
    case 'batchNormalization':
      return {
        axis: -1,
        momentum: layer.momentum,
        epsilon: layer.epsilon,
        center: true,
        scale: true,
      }
    case 'reshape':
      return { target_shape: layer.targetShape }
    case 'activation':
      return { activation: layer.activation }
    case 'relu':
      return {
        max_value: layer.maxValue,
        negative_slope: layer.negativeSlope,
        threshold: layer.threshold,
      }
    case 'leakyRelu':
      return { alpha: layer.negativeSlope }
    case 'softmax':
      return { axis: -1 }
    case 'rescaling':
      return { scale: layer.scale, offset: layer.offset }
    case 'zeroPadding2d':
      return { padding: layer.padding, data_format: 'channels_last' }
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return { data_format: 'channels_last' }
    case 'spatialDropout2d':
      return { rate: layer.rate, data_format: 'channels_last' }
  }
}

/**
 * Writes a model in the TensorFlow.js layers format from a spec and its weights: model.json's
 * bytes (topology plus one manifest group naming weights.bin) and weights.bin's bytes.
 */
export function buildTfjsFiles(model: ImportedModel): {
  modelJson: Uint8Array
  weightsBin: Uint8Array
} {
  const { spec, weights } = model
  checkWeights(spec, weights)
  const names = layerNamesOf(spec)
  const shapes = expectedWeightShapes(spec)
  const layers = spec.layers.map((layer, i) => ({
    class_name: KERAS_CLASS_NAMES[layer.type],
    config: {
      ...tfjsLayerConfig(layer),
      name: names[i],
      trainable: true,
      dtype: 'float32',
      ...(i === 0 ? { batch_input_shape: [null, ...spec.inputShape] } : {}),
    },
  }))
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = []
  const parts: Float32Array[] = []
  spec.layers.forEach((layer, i) => {
    weightNames(layer).forEach((w, j) => {
      specs.push({ name: `${names[i]}/${w}`, shape: shapes[i][j], dtype: 'float32' })
      parts.push(weights[i][j])
    })
  })
  const total = parts.reduce((sum, p) => sum + p.length, 0)
  const flat = new Float32Array(total)
  let offset = 0
  for (const p of parts) {
    flat.set(p, offset)
    offset += p.length
  }
  const json = {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'Sinapse',
    convertedBy: null,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  }
  return {
    modelJson: new TextEncoder().encode(JSON.stringify(json)),
    weightsBin: new Uint8Array(flat.buffer),
  }
}

/** A layer's weights as a file holds them: each array's values and its stored shape. */
export interface StoredWeight {
  name: string
  shape: readonly number[]
}

/**
 * Compares a stored weight's shape (from the file's metadata, before its values are read) with
 * the shape the layer needs. Shapes, not element counts: a 128×784 kernel where 784×128 is
 * needed has the right count and the wrong meaning.
 */
export function checkStoredShape(
  layer: MappedLayer,
  stored: StoredWeight,
  expected: number[],
): void {
  const same =
    stored.shape.length === expected.length && stored.shape.every((d, i) => d === expected[i])
  if (!same) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.weightShapeMismatch', {
      layer: layer.name,
      weight: stored.name,
      actual: stored.shape.join('×') || 'scalar',
      expected: expected.join('×'),
    })
  }
}

/**
 * Builds an ImportedModel from a mapped config and a reader of each mapped layer's weights (in
 * Keras order), normalizing the input to one MNIST image. The shapes every weight must have come
 * from the config first, and their total is capped, before the reader is asked for anything: a
 * reader checks each array's stored shape against them before reading its values, so a file can
 * make Sinapse read no more than the model it describes, and no model larger than MAX_PARAMS.
 */
export function assembleModel(
  mapped: MappedConfig,
  weightsOf: (layer: MappedLayer, shapes: number[][]) => Float32Array[],
  exactInput?: number[],
): ImportedModel {
  const { spec, origin } = normalizeInput(mapped, exactInput)
  const shapes = expectedWeightShapes(spec)
  const total = shapes.flat().reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0)
  if (total > MAX_PARAMS) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.tooManyWeights', {
      count: total,
      max: MAX_PARAMS,
    })
  }
  const weights = spec.layers.map((layer, i) => {
    const source = origin[i]
    if (source === null || shapes[i].length === 0) return []
    return weightsOf(mapped.layers[source], shapes[i])
  })
  checkWeights(spec, weights)
  return { spec, weights }
}

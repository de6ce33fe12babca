import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers'
import { AppError } from '../../shared/errors'
import type {
  ConvFilters,
  DenseTemplates,
  HealthActivation,
  InspectLayer,
  LayerHealth,
  LayerHistogram,
} from '../../shared/inspect'
import { DEFAULT_INPUT_SCALE, scaleInPlace, type InputScale } from '../../shared/input-scale'
import type { Tf } from './backend'
import type { ImageSet } from './datasets/types'
import { inputShapeOf } from './evaluate'
import { createForward } from './model-factory'

type Layer = LayersModel['layers'][number]

/** The X-ray works on MNIST-sized inputs: 28×28 pixels, one channel. */
const PIXELS = 28 * 28
const SIDE = 28
/** The square hidden around each pixel for the occlusion map (odd, so it has a centre). */
export const OCCLUSION_PATCH = 5
/** Images per forward pass for batches (occlusion variants, test images). */
const CHUNK = 128
const HISTOGRAM_BINS = 20
/** Sigmoid's derivative s(1 − s) is under 5% of its 0.25 peak past these outputs. */
const SIGMOID_FLAT = 0.5 - Math.sqrt(0.25 - 0.0125)
/** tanh's derivative 1 − t² is under 5% of its peak when |t| passes this. */
const TANH_FLAT = Math.sqrt(0.95)

/** The non-linearity a layer applies, by the names Keras and TF.js serialize. */
export function activationOf(layer: Layer): string | null {
  const className = layer.getClassName()
  if (className === 'ReLU') return 'relu'
  if (className === 'LeakyReLU') return 'leaky_relu'
  if (className === 'Softmax') return 'softmax'
  const activation = layer.getConfig().activation
  return typeof activation === 'string' ? activation : null
}

/** The layers the X-ray shows: every layer but the input placeholder. */
function shownLayers(model: LayersModel): Layer[] {
  return model.layers.filter((layer) => layer.getClassName() !== 'InputLayer')
}

/** Throws a clear error unless the model reads one 28×28 single-channel image. */
export function checkMnistInput(model: LayersModel): number[] {
  const shape = inputShapeOf(model)
  if (shape.reduce((a, b) => a * b, 1) !== PIXELS) {
    throw new AppError('INVALID_INPUT', 'runs.predictShape', { shape: shape.join('×') })
  }
  return shape
}

/** A model that returns every shown layer's output in one forward pass (shares the weights). */
function allOutputsModel(tf: Tf, model: LayersModel): LayersModel {
  return tf.model({
    inputs: model.inputs,
    outputs: shownLayers(model).map((layer) => layer.output as SymbolicTensor),
  })
}

/** Test images `from…from+count−1` as model input: values in [0, 1], then `scale`'s convention. */
export function testInputs(
  set: ImageSet,
  from: number,
  count: number,
  scale: InputScale = DEFAULT_INPUT_SCALE,
): Float32Array {
  const size = set.images.length / set.count
  const bytes = set.images.subarray(from * size, (from + count) * size)
  const out = new Float32Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255
  scaleInPlace(out, scale)
  return out
}

export interface Trace {
  layers: InspectLayer[]
  probabilities: number[]
  histograms: LayerHistogram[]
}

/**
 * Every layer's output for one input (28×28 values in [0, 1]), in inference mode, with the batch
 * dimension dropped; the last layer's output is the prediction, as `predict` computes it.
 */
export function traceLayers(tf: Tf, model: LayersModel, input: Float32Array): Trace {
  const shape = checkMnistInput(model)
  const layers = shownLayers(model)
  const outputs = tf.tidy(() => {
    const x = tf.tensor(input, [1, ...shape])
    const result = allOutputsModel(tf, model).predict(x) as Tensor | Tensor[]
    const list = Array.isArray(result) ? result : [result]
    return list.map((t) => ({ shape: t.shape.slice(1), values: t.dataSync() as Float32Array }))
  })
  const traced = layers.map((layer, i): InspectLayer => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: outputs[i].shape,
    output: Array.from(outputs[i].values),
    activation: activationOf(layer),
  }))
  const histograms: LayerHistogram[] = []
  traced.forEach((layer, i) => {
    if (i === traced.length - 1 || layer.activation === null) return
    histograms.push({
      layer: i,
      name: layer.name,
      activation: layer.activation,
      ...histogram(layer.output),
    })
  })
  return { layers: traced, probabilities: traced[traced.length - 1].output, histograms }
}

function histogram(values: number[]): { min: number; max: number; counts: number[] } {
  let min = Infinity
  let max = -Infinity
  for (const v of values) {
    if (v < min) min = v
    if (v > max) max = v
  }
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  const width = (max - min) / HISTOGRAM_BINS
  for (const v of values) {
    const bin = width > 0 ? Math.floor((v - min) / width) : 0
    counts[Math.min(HISTOGRAM_BINS - 1, bin)]++
  }
  return { min, max, counts }
}

/**
 * |∂ score / ∂ input| for each of the 28×28 pixels, where the score is the class's logit when the
 * model ends in a softmax Dense (the usual saliency map), else its output.
 */
export function saliencyMap(
  tf: Tf,
  model: LayersModel,
  input: Float32Array,
  cls: number,
): number[] {
  const shape = checkMnistInput(model)
  const forward = createForward(tf, model)
  const values = tf.tidy(() => {
    const x = tf.tensor(input, [1, ...shape])
    const score = (v: Tensor) => tf.sum(tf.slice(forward(v, false).output, [0, cls], [1, 1]))
    return tf.abs(tf.grad(score)(x)).dataSync() as Float32Array
  })
  return Array.from(values)
}

/**
 * For each pixel, the predicted class's probability minus its probability when the
 * OCCLUSION_PATCH square centred there is blanked (set to the background, 0).
 */
export function occlusionMap(
  tf: Tf,
  model: LayersModel,
  input: Float32Array,
  cls: number,
  baseline: number,
): number[] {
  const shape = checkMnistInput(model)
  const half = (OCCLUSION_PATCH - 1) / 2
  const map = new Array<number>(PIXELS).fill(0)
  const batch = new Float32Array(CHUNK * PIXELS)
  for (let start = 0; start < PIXELS; start += CHUNK) {
    const n = Math.min(CHUNK, PIXELS - start)
    for (let k = 0; k < n; k++) {
      const centre = start + k
      const row = Math.floor(centre / SIDE)
      const col = centre % SIDE
      const variant = batch.subarray(k * PIXELS, (k + 1) * PIXELS)
      variant.set(input)
      for (let r = Math.max(0, row - half); r <= Math.min(SIDE - 1, row + half); r++) {
        variant.fill(
          0,
          r * SIDE + Math.max(0, col - half),
          r * SIDE + Math.min(SIDE, col + half + 1),
        )
      }
    }
    const probs = tf.tidy(() => {
      const x = tf.tensor(batch.subarray(0, n * PIXELS), [n, ...shape])
      const out = model.predict(x) as Tensor
      return tf.slice(out, [0, cls], [n, 1]).dataSync() as Float32Array
    })
    for (let k = 0; k < n; k++) map[start + k] = baseline - probs[k]
  }
  return map
}

/** The kernels of every Conv2D layer. */
export function convFilters(model: LayersModel): ConvFilters[] {
  const filters: ConvFilters[] = []
  shownLayers(model).forEach((layer, i) => {
    if (layer.getClassName() !== 'Conv2D' || layer.weights.length === 0) return
    const kernel = layer.weights[0].read()
    filters.push({
      layer: i,
      name: layer.name,
      shape: kernel.shape as [number, number, number, number],
      values: Array.from(kernel.dataSync()),
    })
  })
  return filters
}

/**
 * The first layer with weights, when it is a Dense reading the 784 pixels (after Flatten):
 * its kernel [784, units] turned into one 28×28 image per unit.
 */
export function denseTemplates(model: LayersModel): DenseTemplates | null {
  const layers = shownLayers(model)
  const index = layers.findIndex((layer) => layer.weights.length > 0)
  const layer = layers[index]
  if (!layer || layer.getClassName() !== 'Dense') return null
  const kernel = layer.weights[0].read()
  const [inputs, units] = kernel.shape
  if (inputs !== PIXELS) return null
  const w = kernel.dataSync()
  const values = new Array<number>(units * PIXELS)
  for (let u = 0; u < units; u++) {
    for (let p = 0; p < PIXELS; p++) values[u * PIXELS + p] = w[p * units + u]
  }
  return { layer: index, name: layer.name, units, values }
}

/**
 * Over the first `count` test images: the share of ReLU units (neurons, or channels of a
 * convolution) that never fire, and the share of sigmoid/tanh outputs in the curve's flat ends.
 */
export function layerHealth(
  tf: Tf,
  model: LayersModel,
  set: ImageSet,
  count: number,
  scale: InputScale = DEFAULT_INPUT_SCALE,
): LayerHealth[] {
  const shape = checkMnistInput(model)
  const layers = shownLayers(model)
  const watched = layers
    .map((layer, i) => ({ layer, i, activation: activationOf(layer) }))
    .filter(
      (w): w is { layer: Layer; i: number; activation: HealthActivation } =>
        w.i < layers.length - 1 &&
        (w.activation === 'relu' || w.activation === 'sigmoid' || w.activation === 'tanh'),
    )
  if (watched.length === 0) return []
  const n = Math.min(count, set.count)
  const probe = allOutputsModel(tf, model)
  const maxima = new Map<number, Float32Array>()
  const flat = new Map<number, { hits: number; total: number }>()
  for (let start = 0; start < n; start += CHUNK) {
    const m = Math.min(CHUNK, n - start)
    const stats = tf.tidy(() => {
      const x = tf.tensor(testInputs(set, start, m, scale), [m, ...shape])
      const result = probe.predict(x) as Tensor | Tensor[]
      const outputs = Array.isArray(result) ? result : [result]
      return watched.map(({ i, activation }) => {
        const out = outputs[i]
        const units = out.shape[out.shape.length - 1] as number
        if (activation === 'relu') {
          const perUnit = tf.max(tf.reshape(out, [-1, units]), 0)
          return { units, max: perUnit.dataSync() as Float32Array, hits: 0, total: 0 }
        }
        const saturated =
          activation === 'sigmoid'
            ? tf.logicalOr(tf.less(out, SIGMOID_FLAT), tf.greater(out, 1 - SIGMOID_FLAT))
            : tf.greater(tf.abs(out), TANH_FLAT)
        const hits = tf.sum(tf.cast(saturated, 'float32')).dataSync()[0]
        return { units, max: new Float32Array(0), hits, total: out.size }
      })
    })
    stats.forEach((s, k) => {
      const key = watched[k].i
      if (watched[k].activation === 'relu') {
        const prev = maxima.get(key)
        if (!prev) maxima.set(key, s.max)
        else for (let u = 0; u < prev.length; u++) prev[u] = Math.max(prev[u], s.max[u])
      } else {
        const acc = flat.get(key) ?? { hits: 0, total: 0 }
        flat.set(key, { hits: acc.hits + s.hits, total: acc.total + s.total })
      }
    })
  }
  return watched.map(({ layer, i, activation }) => {
    const max = maxima.get(i)
    const sat = flat.get(i)
    const units = layer.outputShape[layer.outputShape.length - 1] as number
    return {
      layer: i,
      name: layer.name,
      activation,
      units,
      images: n,
      deadShare: max ? max.filter((v) => v <= 0).length / max.length : null,
      saturatedShare: sat ? sat.hits / Math.max(1, sat.total) : null,
    }
  })
}

/**
 * The test images that excite unit `unit` of shown layer `layerIndex` most (for a convolution,
 * the channel's strongest response anywhere in the image), strongest first.
 */
export function topActivations(
  tf: Tf,
  model: LayersModel,
  set: ImageSet,
  layerIndex: number,
  unit: number,
  limit: number,
  scale: InputScale = DEFAULT_INPUT_SCALE,
): { index: number; activation: number }[] {
  const shape = checkMnistInput(model)
  const layers = shownLayers(model)
  const layer = layers[layerIndex]
  const units = layer?.outputShape[layer.outputShape.length - 1]
  if (!layer || typeof units !== 'number' || unit < 0 || unit >= units) {
    throw new AppError('INVALID_INPUT', 'inspect.badUnit', {
      layer: layerIndex,
      unit,
      units: typeof units === 'number' ? units : 0,
    })
  }
  const probe = tf.model({ inputs: model.inputs, outputs: layer.output as SymbolicTensor })
  const scores = new Float32Array(set.count)
  for (let start = 0; start < set.count; start += CHUNK * 4) {
    const m = Math.min(CHUNK * 4, set.count - start)
    const best = tf.tidy(() => {
      const x = tf.tensor(testInputs(set, start, m, scale), [m, ...shape])
      const out = probe.predict(x) as Tensor
      const perImage = tf.reshape(out, [m, -1, units])
      return tf.max(tf.slice(perImage, [0, 0, unit], [m, -1, 1]), [1, 2]).dataSync()
    })
    scores.set(best, start)
  }
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b)
  return order.slice(0, limit).map((index) => ({ index, activation: scores[index] }))
}

import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers'
import { DEFAULT_INPUT_SCALE, scaleInPlace, type InputScale } from '../../shared/input-scale'
import type { OodVerdict } from '../../shared/ood'
import type { Tf } from './backend'
import type { ImageSet } from './datasets/types'
import { inputShapeOf } from './evaluate'

/*
 * Does an input look like the images the model was trained on? A softmax always sums to 1, so a
 * letter "A" can get 61% for "4", and 100% is no certainty. The model's own penultimate features
 * say more: training images of each class crowd together there, and an image unlike all of them
 * has no close neighbours. The score is the cosine distance from the image's features to its
 * 3rd nearest neighbour among 20,000 training images (Sun et al., 2022, "Out-of-distribution
 * detection with deep nearest neighbors"); the threshold is the 99th percentile of that score on
 * held-out images of the model's own dataset, so about 1% of real images are flagged.
 * bench/ood.ts compared it with the max softmax probability, the energy score, Mahalanobis and
 * class-mean distances, kNN in the pixels, and combinations: kNN over many training images
 * detected the most non-digits on MLPs and LeNet alike; a 2,000-image bank caught half as many
 * letters on an MLP (RELIABILITY.md, "Images unlike the training data").
 */

/** Share of held-out in-distribution images allowed over the threshold (the false-alarm rate). */
export const OOD_FALSE_ALARM = 0.01
/**
 * Training images whose features are the neighbours: the first ones (always in training). More
 * neighbours catch more non-digits (bench/ood.ts: on a 3-epoch MLP 21% of handwritten letters with
 * 2,000, 47% with 20,000, 50% with 55,000) but cost time at the first judged prediction.
 */
export const OOD_BANK_IMAGES = 20_000
/**
 * The bank holds at most this many feature values (10 MB); a wide Flatten gets fewer images. The
 * bank is never written to disk: it is the model's features of its dataset, computed again when a
 * model is first judged in a session.
 */
const OOD_BANK_VALUES = 2_600_000
/** Held-out images that set the threshold: the last ones, the Keras validation_split's part. */
export const OOD_CALIBRATION_IMAGES = 5_000
/** Which neighbour's distance is the score (the best for a 20,000-image bank in bench/ood.ts). */
export const OOD_K = 3
const BATCH = 512

/** What the judgement needs from a model, kept beside it (see ood-file.ts). */
export interface OodCalibration {
  /** Name of the layer whose input are the features (the last Dense layer). */
  layer: string
  dim: number
  /** Unit-length features of the bank's training images, bankSize × dim. */
  bank: Float32Array
  /** How many training images (the first ones) the bank holds. */
  bankImages: number
  k: number
  threshold: number
  /** Held-out images the threshold came from, for the record. */
  calibrationImages: number
}

type Layer = LayersModel['layers'][number]

/**
 * A model returning the last Dense layer's input (the penultimate features) and the model's
 * output in one pass, or null when the model has no Dense layer or it is reused (no single input).
 */
export function featureModel(
  tf: Tf,
  model: LayersModel,
): { model: LayersModel; layer: Layer } | null {
  const dense = model.layers.filter((layer) => layer.getClassName() === 'Dense')
  const last = dense[dense.length - 1]
  if (!last) return null
  let input: SymbolicTensor
  try {
    input = last.input as SymbolicTensor
  } catch {
    return null
  }
  if (Array.isArray(input)) return null
  const output = model.outputs[0]
  return { model: tf.model({ inputs: model.inputs, outputs: [input, output] }), layer: last }
}

export interface Features {
  /** n × dim features, row-major. */
  values: Float32Array
  dim: number
  /** n × classes output probabilities. */
  probabilities: Float32Array
  classes: number
}

/**
 * The features and output of each input, in inference mode. `inputs` holds n images of the
 * model's input size, values in [0, 1] (converted to `scale`'s convention here).
 */
export function computeFeatures(
  tf: Tf,
  features: LayersModel,
  inputs: Float32Array,
  n: number,
  scale: InputScale = DEFAULT_INPUT_SCALE,
): Features {
  const size = inputShapeOf(features).reduce((a, b) => a * b, 1)
  const out = emptyFeatures()
  for (let start = 0; start < n; start += BATCH) {
    const m = Math.min(BATCH, n - start)
    featureBatch(
      tf,
      features,
      inputs.slice(start * size, (start + m) * size),
      m,
      scale,
      out,
      n,
      start,
    )
  }
  return out
}

/**
 * The same for images `from…from+count−1` of a training set, one batch at a time, awaiting
 * `pace` after each (it reports progress, lets other requests in, or throws to cancel).
 */
export async function computeSetFeatures(
  tf: Tf,
  features: LayersModel,
  set: ImageSet,
  from: number,
  count: number,
  scale: InputScale,
  pace: Pace,
): Promise<Features> {
  const out = emptyFeatures()
  for (let start = 0; start < count; start += BATCH) {
    const m = Math.min(BATCH, count - start)
    featureBatch(tf, features, imagesOf(set, from + start, m), m, scale, out, count, start)
    await pace(m)
  }
  return out
}

function emptyFeatures(): Features {
  return { values: new Float32Array(0), dim: 0, probabilities: new Float32Array(0), classes: 0 }
}

/** Runs m images (`x`, consumed) and writes their rows at `start` of `out`, sized for n at first. */
function featureBatch(
  tf: Tf,
  features: LayersModel,
  x: Float32Array,
  m: number,
  scale: InputScale,
  out: Features,
  n: number,
  start: number,
): void {
  const shape = inputShapeOf(features)
  scaleInPlace(x, scale)
  const [f, p] = tf.tidy(() => {
    const res = features.predict(tf.tensor(x, [m, ...shape])) as Tensor[]
    return [tf.reshape(res[0], [m, -1]).dataSync(), tf.reshape(res[1], [m, -1]).dataSync()] as const
  })
  if (start === 0) {
    out.dim = f.length / m
    out.classes = p.length / m
    out.values = new Float32Array(n * out.dim)
    out.probabilities = new Float32Array(n * out.classes)
  }
  out.values.set(f, start * out.dim)
  out.probabilities.set(p, start * out.classes)
}

/**
 * Awaited after each batch of a long computation with the number of items just done: reports
 * progress, yields to the worker's other requests, and throws to cancel.
 */
export type Pace = (done: number) => Promise<void>

const noPace: Pace = () => Promise.resolve()

/** Images `from…from+count−1` of a set, values in [0, 1]. */
export function imagesOf(set: ImageSet, from: number, count: number): Float32Array {
  const size = set.images.length / set.count
  const bytes = set.images.subarray(from * size, (from + count) * size)
  const out = new Float32Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255
  return out
}

/** The q-quantile (0…1) of `values`, linear between order statistics. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

/** The feature rows scaled to unit length (all-zero rows stay zero). */
export function unitRows(features: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(features.length)
  for (let i = 0; i < features.length; i += dim) {
    let norm = 0
    for (let k = 0; k < dim; k++) norm += features[i + k] * features[i + k]
    norm = Math.sqrt(norm)
    if (norm > 0) for (let k = 0; k < dim; k++) out[i + k] = features[i + k] / norm
  }
  return out
}

/** Rows compared with the bank at a time: a 256 × 20,000 similarity block is 20 MB. */
const KNN_ROWS = 256

/**
 * The cosine distance (0 same direction, 1 orthogonal) from each row's features to its k-th
 * nearest neighbour in `bank` (unit rows). A row with no feature firing is orthogonal to all: 1.
 * One matrix product per block of rows: calibrating 5,000 images against a 20,000-image bank is
 * 13 billion multiply-adds, seconds in the backend, minutes in a JavaScript loop.
 */
export function kthNeighbourDistances(
  tf: Tf,
  features: Float32Array,
  dim: number,
  bank: Float32Array,
  k: number,
): Float64Array {
  const knn = neighbourBlocks(tf, features, dim, bank, k)
  try {
    for (let start = 0; start < knn.n; start += KNN_ROWS) knn.block(start)
  } finally {
    knn.dispose()
  }
  return knn.out
}

/** `kthNeighbourDistances`, awaiting `pace` after each block of rows (see Pace). */
export async function kthNeighbourDistancesPaced(
  tf: Tf,
  features: Float32Array,
  dim: number,
  bank: Float32Array,
  k: number,
  pace: Pace,
): Promise<Float64Array> {
  const knn = neighbourBlocks(tf, features, dim, bank, k)
  try {
    for (let start = 0; start < knn.n; start += KNN_ROWS) await pace(knn.block(start))
  } finally {
    // A cancelled calibration throws from `pace`: the bank's tensor goes all the same.
    knn.dispose()
  }
  return knn.out
}

function neighbourBlocks(
  tf: Tf,
  features: Float32Array,
  dim: number,
  bank: Float32Array,
  k: number,
) {
  const rows = unitRows(features, dim)
  const bankSize = bank.length / dim
  const n = rows.length / dim
  const out = new Float64Array(n)
  const kth = Math.min(k, bankSize)
  const bankTensor = tf.tensor2d(bank, [bankSize, dim])
  return {
    n,
    out,
    /** Fills the rows from `start` on; returns how many. */
    block(start: number): number {
      const m = Math.min(KNN_ROWS, n - start)
      const sims = tf.tidy(() => {
        const block = tf.tensor2d(rows.subarray(start * dim, (start + m) * dim), [m, dim])
        const top = tf.topk(tf.matMul(block, bankTensor, false, true), kth).values
        return tf.slice(top, [0, kth - 1], [m, 1]).dataSync()
      })
      for (let i = 0; i < m; i++) out[start + i] = 1 - sims[i]
      return m
    },
    dispose: () => bankTensor.dispose(),
  }
}

/**
 * Which training images are the neighbours and which calibrate the threshold. The last ones are
 * what Keras's validation_split (and Sinapse's default split) holds out, so for most models the
 * threshold comes from images they never trained on.
 */
export function calibrationRanges(
  count: number,
  dim = 1,
): { bank: [number, number]; calibration: [number, number] } {
  const calibration = Math.max(1, Math.min(OOD_CALIBRATION_IMAGES, Math.floor(count * 0.2)))
  const wanted = Math.min(OOD_BANK_IMAGES, Math.max(200, Math.floor(OOD_BANK_VALUES / dim)))
  const bank = Math.max(1, Math.min(wanted, count - calibration))
  return { bank: [0, bank], calibration: [count - calibration, count] }
}

/** What a calibration file keeps: everything but the bank, which is computed again. */
export type OodThreshold = Omit<OodCalibration, 'bank'>

/** How far a calibration is, in images run through the model plus held-out rows compared. */
export interface OodProgress {
  done: number
  total: number
  /** Waiting for a training to end: a bank computed meanwhile would take its time. */
  paused?: boolean
}

/**
 * The neighbour bank and threshold of `model` on its training set. With `known` (read from the
 * model's folder) only the bank is computed; it is ignored when it does not fit the model.
 * `pace` is awaited after each batch (progress, yielding, cancelling: see Pace); `onTotal` learns
 * how much work there is once the feature size is known.
 */
export async function calibrateOod(
  tf: Tf,
  model: LayersModel,
  train: ImageSet,
  scale: InputScale = DEFAULT_INPUT_SCALE,
  known: OodThreshold | null = null,
  pacing: { pace: Pace; onTotal(total: number): void } = { pace: noPace, onTotal: () => {} },
): Promise<OodCalibration | null> {
  const built = featureModel(tf, model)
  if (!built) return null
  const { pace } = pacing
  const probe = computeFeatures(tf, built.model, imagesOf(train, 0, 1), 1, scale)
  const { bank, calibration } = calibrationRanges(train.count, probe.dim)
  const bankCount = bank[1] - bank[0]
  const calCount = calibration[1] - calibration[0]
  const fits =
    known !== null &&
    known.layer === built.layer.name &&
    known.dim === probe.dim &&
    known.bankImages === bankCount &&
    known.k === OOD_K &&
    known.calibrationImages === calCount
  // Each held-out image is run through the model and then compared with the whole bank.
  pacing.onTotal(bankCount + (fits ? 0 : 2 * calCount))
  const fitted = await computeSetFeatures(tf, built.model, train, bank[0], bankCount, scale, pace)
  const units = unitRows(fitted.values, fitted.dim)
  if (fits) return { ...known, bank: units }
  const held = await computeSetFeatures(
    tf,
    built.model,
    train,
    calibration[0],
    calCount,
    scale,
    pace,
  )
  const scores = await kthNeighbourDistancesPaced(tf, held.values, held.dim, units, OOD_K, pace)
  return {
    layer: built.layer.name,
    dim: fitted.dim,
    bank: units,
    bankImages: bankCount,
    k: OOD_K,
    threshold: quantile(scores, 1 - OOD_FALSE_ALARM),
    calibrationImages: calCount,
  }
}

/** The judgement of each input's features against a calibration. */
export function judgeFeatures(
  tf: Tf,
  features: Float32Array,
  calibration: OodCalibration,
): OodVerdict[] {
  const scores = kthNeighbourDistances(
    tf,
    features,
    calibration.dim,
    calibration.bank,
    calibration.k,
  )
  return Array.from(scores, (score) => ({
    score: round(score),
    threshold: round(calibration.threshold),
    flagged: score > calibration.threshold,
  }))
}

function round(value: number): number {
  return Number(value.toFixed(5))
}

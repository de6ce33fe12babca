import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { AppError } from '../../shared/errors'
import type { ClassMetrics, Evaluation } from '../../shared/runs'
import type { SamplePredictions } from './worker-protocol'
import { DEFAULT_INPUT_SCALE, scaleInPlace, type InputScale } from '../../shared/input-scale'
import type { Tf } from './backend'
import { fillBatch } from './datasets/batch'
import type { ImageSet } from './datasets/types'
import { createDenseStackScorer } from './kernels/dense'
import { createForward, crossEntropy, type ForwardOutput } from './model-factory'

/** Samples per forward pass when scoring: large enough to amortize overhead, small in memory. */
export const SCORE_BATCH_SIZE = 1024

/** A model's mean loss and accuracy over some samples, and its predicted class for each. */
export interface Measurement {
  loss: number
  accuracy: number
  /** argmax of the output for each of the measured indices, in the same order. */
  predicted: Int32Array
}

/** One image's shape without the batch axis, as the model's input layer declares it. */
export function inputShapeOf(model: LayersModel): number[] {
  return model.inputs[0].shape.slice(1).map((dim) => dim ?? 1)
}

/**
 * Scores `model` on `set[indices]` in inference mode (dropout off, batch normalization using its
 * moving statistics), in batches, reading one batch's results back at a time.
 */
export function measureSet(
  tf: Tf,
  model: LayersModel,
  set: ImageSet,
  indices: Uint32Array,
  forward: (x: Tensor, training: boolean) => ForwardOutput = createForward(tf, model),
): Measurement {
  const shape = inputShapeOf(model)
  const sampleSize = shape.reduce((a, b) => a * b, 1)
  const batch = Math.min(SCORE_BATCH_SIZE, Math.max(1, indices.length))
  const predicted = new Int32Array(indices.length)
  let lossSum = 0
  let correct = 0
  // A stack of Dense layers on wasm: each batch scored by one kernel (kernels/dense.ts), which
  // reads the pixel bytes itself.
  const scorer = createDenseStackScorer(tf, model, batch)
  const xBuf = new Float32Array(scorer ? 0 : batch * sampleSize)
  const yBuf = new Int32Array(scorer ? 0 : batch)
  try {
    for (let start = 0; start < indices.length; start += batch) {
      const scored = scorer?.score(set, indices, start)
      const [n, batchLoss, batchPredicted] = scored
        ? [scored.n, scored.lossSum, scored.predicted]
        : tf.tidy(() => {
            const n = fillBatch(set, indices, start, batch, xBuf, yBuf)
            const x = tf.tensor(xBuf.subarray(0, n * sampleSize), [n, ...shape])
            const y = tf.tensor1d(yBuf.subarray(0, n), 'int32')
            const out = forward(x, false)
            return [
              n,
              tf.sum(crossEntropy(tf, out, y)).dataSync()[0],
              tf.argMax(out.output, -1).dataSync() as Int32Array,
            ] as const
          })
      lossSum += batchLoss
      for (let i = 0; i < n; i++) {
        predicted[start + i] = batchPredicted[i]
        if (batchPredicted[i] === set.labels[indices[start + i]]) correct++
      }
    }
  } finally {
    scorer?.dispose()
  }
  const count = Math.max(1, indices.length)
  return { loss: lossSum / count, accuracy: correct / count, predicted }
}

/**
 * Scores `model` on a whole test set: loss, accuracy, the confusion matrix
 * (`confusionMatrix[true][predicted]`) and each class's precision and recall.
 */
export function evaluateModel(
  tf: Tf,
  model: LayersModel,
  set: ImageSet,
  classCount: number,
): Evaluation {
  const indices = new Uint32Array(set.count)
  for (let i = 0; i < indices.length; i++) indices[i] = i
  const { loss, accuracy, predicted } = measureSet(tf, model, set, indices)
  return summarizeEvaluation(set.labels, predicted, loss, accuracy, classCount)
}

/** The confusion matrix and per-class precision and recall of `predicted` against `labels`. */
function summarizeEvaluation(
  labels: Uint8Array,
  predicted: ArrayLike<number>,
  loss: number,
  accuracy: number,
  classCount: number,
): Evaluation {
  const confusionMatrix = Array.from({ length: classCount }, () =>
    new Array<number>(classCount).fill(0),
  )
  for (let i = 0; i < predicted.length; i++) confusionMatrix[labels[i]][predicted[i]]++
  const perClass = confusionMatrix.map((row, cls): ClassMetrics => {
    const truePositives = row[cls]
    const actual = row.reduce((a, b) => a + b, 0)
    const predictedAs = confusionMatrix.reduce((sum, other) => sum + other[cls], 0)
    // Undefined ratios (a class never predicted, or absent from the set) are reported as 0, as
    // scikit-learn does by default, so the values stay plain numbers in JSON and charts.
    return {
      precision: predictedAs === 0 ? 0 : truePositives / predictedAs,
      recall: actual === 0 ? 0 : truePositives / actual,
    }
  })
  return {
    loss,
    accuracy,
    confusionMatrix,
    perClass,
    sampleCount: predicted.length,
    createdAt: new Date().toISOString(),
  }
}

/**
 * Scores a whole test set like `evaluateModel`, in the same single pass also keeping what the
 * model made of each sample (predicted class, its probability, the true class's probability),
 * so a gallery of test images needs no second inference.
 */
export function evaluateWithPredictions(
  tf: Tf,
  model: LayersModel,
  set: ImageSet,
  classCount: number,
  scale: InputScale = DEFAULT_INPUT_SCALE,
): { evaluation: Evaluation; predictions: SamplePredictions } {
  const forward = createForward(tf, model)
  const shape = inputShapeOf(model)
  const sampleSize = shape.reduce((a, b) => a * b, 1)
  const all = new Uint32Array(set.count)
  for (let i = 0; i < all.length; i++) all[i] = i
  const batch = Math.min(SCORE_BATCH_SIZE, Math.max(1, set.count))
  const xBuf = new Float32Array(batch * sampleSize)
  const yBuf = new Int32Array(batch)
  const predicted = new Uint8Array(set.count)
  const confidence = new Float32Array(set.count)
  const trueProbability = new Float32Array(set.count)
  let lossSum = 0
  let correct = 0
  for (let start = 0; start < set.count; start += batch) {
    const n = fillBatch(set, all, start, batch, xBuf, yBuf)
    scaleInPlace(xBuf.subarray(0, n * sampleSize), scale)
    const [batchLoss, probs] = tf.tidy(() => {
      const x = tf.tensor(xBuf.subarray(0, n * sampleSize), [n, ...shape])
      const y = tf.tensor1d(yBuf.subarray(0, n), 'int32')
      const out = forward(x, false)
      const p = out.fromLogits
        ? tf.softmax(out.output)
        : tf.div(out.output, tf.sum(out.output, -1, true))
      return [tf.sum(crossEntropy(tf, out, y)).dataSync()[0], p.dataSync() as Float32Array] as const
    })
    lossSum += batchLoss
    const width = probs.length / n
    for (let i = 0; i < n; i++) {
      const row = probs.subarray(i * width, (i + 1) * width)
      let best = 0
      for (let c = 1; c < width; c++) if (row[c] > row[best]) best = c
      predicted[start + i] = best
      confidence[start + i] = row[best]
      trueProbability[start + i] = row[yBuf[i]] ?? 0
      if (best === yBuf[i]) correct++
    }
  }
  const count = Math.max(1, set.count)
  const evaluation = summarizeEvaluation(
    set.labels,
    predicted,
    lossSum / count,
    correct / count,
    classCount,
  )
  return { evaluation, predictions: { predicted, confidence, trueProbability } }
}

/**
 * The model's output probabilities for each input image. Each input is one image, height × width ×
 * channels values in [0, 1] (see the shared preprocessing), fed in `scale`'s convention; lengths
 * must match the model's input.
 */
export function predictBatch(
  tf: Tf,
  model: LayersModel,
  inputs: Float32Array[],
  scale: InputScale = DEFAULT_INPUT_SCALE,
): number[][] {
  const shape = inputShapeOf(model)
  const sampleSize = shape.reduce((a, b) => a * b, 1)
  const out: number[][] = []
  for (let start = 0; start < inputs.length; start += SCORE_BATCH_SIZE) {
    const chunk = inputs.slice(start, start + SCORE_BATCH_SIZE)
    const x = new Float32Array(chunk.length * sampleSize)
    chunk.forEach((input, i) => {
      if (input.length !== sampleSize) {
        throw new AppError('IMAGE_INVALID', 'training.predictSize', {
          index: start + i,
          actual: input.length,
          expected: sampleSize,
          shape: shape.join('×'),
        })
      }
      x.set(input, i * sampleSize)
    })
    scaleInPlace(x, scale)
    const probs = tf.tidy(
      () =>
        (
          model.apply(tf.tensor(x, [chunk.length, ...shape]), { training: false }) as Tensor
        ).arraySync() as number[][],
    )
    out.push(...probs)
  }
  return out
}

import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core'
import { initBackend, tf } from '../../../src/main/training/backend'
import { sparseSoftmaxCrossEntropy } from '../../../src/main/training/softmax-cross-entropy'
import { createRng } from '../../../src/shared/random'

beforeAll(async () => {
  await initBackend('wasm')
})

afterEach(async () => {
  await tf.setBackend('wasm')
})

/** The loss and its gradient with respect to the logits, by `loss`. */
function lossAndGradient(
  logits: Float32Array,
  labels: number[],
  loss: (z: Tensor, y: Tensor1D) => Tensor1D,
): { loss: Float32Array; gradient: Float32Array } {
  return tf.tidy(() => {
    const z = tf.tensor2d(logits, [labels.length, logits.length / labels.length])
    const y = tf.tensor1d(labels, 'int32')
    // Weighting samples differently checks that the upstream gradient reaches each row.
    const weights = tf.tensor1d(labels.map((_, i) => i + 1))
    const [gradient] = tf.grads((t) => tf.sum(tf.mul(loss(t, y), weights)))([z])
    return {
      loss: loss(z, y).dataSync() as Float32Array,
      gradient: gradient.dataSync() as Float32Array,
    }
  })
}

const opChain = (z: Tensor, y: Tensor1D) =>
  tf.neg(tf.sum(tf.mul(tf.oneHot(y, z.shape[1]!), tf.logSoftmax(z)), -1)) as Tensor1D

describe('sparseSoftmaxCrossEntropy', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`matches tfjs's logSoftmax chain in value and gradient on ${backend}`, async () => {
      await tf.setBackend(backend)
      const rng = createRng(5)
      const labels = Array.from({ length: 13 }, (_, i) => (i * 7) % 10)
      // Ordinary logits, then a row with huge ones that a naive softmax would overflow on.
      const logits = Float32Array.from({ length: 130 }, () => (rng() - 0.5) * 8)
      logits.set([500, -500, 300, 0, 0, 0, 0, 0, 0, 0], 120)
      const before = tf.memory().numTensors
      const fused = lossAndGradient(logits, labels, (z, y) => sparseSoftmaxCrossEntropy(tf, z, y)!)
      const reference = lossAndGradient(logits, labels, opChain)
      expect(tf.memory().numTensors).toBe(before)
      expect(tf.getKernel('SinapseSparseSoftmaxCrossEntropy', backend)).toBeDefined()
      fused.loss.forEach((v, i) => expect(v).toBeCloseTo(reference.loss[i], 4))
      fused.gradient.forEach((v, i) => expect(v).toBeCloseTo(reference.gradient[i], 5))
      // Row 12 has label 4 and logits led by 500: its loss is 500 and its gradient 13·(p − 1).
      expect(fused.loss[12]).toBeCloseTo(500, 3)
      expect(fused.gradient[120]).toBeCloseTo(13, 5)
      expect(fused.gradient[124]).toBeCloseTo(-13, 5)
    })
  }

  it('turns non-finite logits into a NaN loss, so divergence is reported', () => {
    const loss = tf.tidy(() =>
      sparseSoftmaxCrossEntropy(
        tf,
        tf.tensor2d([Infinity, 1, 2, 3], [2, 2]),
        tf.tensor1d([0, 1], 'int32'),
      )!.dataSync(),
    )
    expect(Number.isNaN(loss[0])).toBe(true)
    expect(loss[1]).toBeCloseTo(Math.log(1 + Math.exp(-1)), 6)
  })
})

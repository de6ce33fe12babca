import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core'
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu'
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

  it('registers its kernels once per backend, and they replace tfjs’s op chain there', async () => {
    // Registration happens once per process, in whichever test first needs the kernels: this
    // test starts from none so that it sees what registering does.
    for (const backend of ['wasm', 'cpu']) {
      for (const name of KERNELS) {
        if (tf.getKernel(name, backend)) tf.unregisterKernel(name, backend)
      }
    }
    if (tf.getGradient(KERNELS[0])) tf.unregisterGradient(KERNELS[0])
    const logits = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i) * 3)
    const labels = [2, 7, 0]
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend)
      const fused = lossAndGradient(logits, labels, (z, y) => sparseSoftmaxCrossEntropy(tf, z, y)!)
      const reference = lossAndGradient(logits, labels, opChain)
      fused.loss.forEach((v, i) => expect(v).toBeCloseTo(reference.loss[i], 5))
      fused.gradient.forEach((v, i) => expect(v).toBeCloseTo(reference.gradient[i], 6))
      // The kernels are made at registration, so a second registration would replace them.
      const kernels = KERNELS.map((name) => tf.getKernel(name, backend)!.kernelFunc)
      tf.tidy(() => {
        sparseSoftmaxCrossEntropy(tf, tf.zeros([1, 3]), tf.tensor1d([1], 'int32'))
      })
      KERNELS.forEach((name, i) => expect(tf.getKernel(name, backend)!.kernelFunc).toBe(kernels[i]))
    }
  })

  it('gives the labels a zero gradient, as tfjs’s oneHot does', () => {
    const [fused, reference] = [
      (z: Tensor, y: Tensor1D) => sparseSoftmaxCrossEntropy(tf, z, y)!,
      opChain,
    ].map((loss) =>
      tf.tidy(() => {
        const z = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])
        const y = tf.tensor1d([2, 0], 'int32')
        const [dz, dy] = tf.grads((zi, yi) => tf.sum(loss(zi, yi as Tensor1D)))([z, y])
        return { dz: Array.from(dz.dataSync()), dy: dy.dataSync(), dtype: dy.dtype }
      }),
    )
    fused.dz.forEach((v, i) => expect(v).toBeCloseTo(reference.dz[i], 6))
    expect(fused.dy).toEqual(reference.dy)
    expect(fused.dy).toEqual(new Float32Array([0, 0]))
    expect(fused.dtype).toBe('float32')
  })

  it('leaves a backend without its kernels (not wasm, not cpu) to the op chain', async () => {
    // A third backend, as tfjs-node's 'tensorflow' would be: the cpu backend and its kernels
    // under another name.
    tf.registerBackend('sinapse-other', () => new MathBackendCPU())
    for (const kernel of tf.getKernelsForBackend('cpu')) {
      if (!KERNELS.includes(kernel.kernelName)) {
        tf.registerKernel({ ...kernel, backendName: 'sinapse-other' })
      }
    }
    try {
      await tf.setBackend('sinapse-other')
      const z = tf.tensor2d([1, 2, 3, 4], [2, 2])
      const y = tf.tensor1d([0, 1], 'int32')
      expect(sparseSoftmaxCrossEntropy(tf, z, y)).toBeNull()
      for (const name of KERNELS) expect(tf.getKernel(name, 'sinapse-other')).toBeUndefined()
      tf.dispose([z, y])
    } finally {
      await tf.setBackend('wasm')
      for (const kernel of tf.getKernelsForBackend('sinapse-other')) {
        tf.unregisterKernel(kernel.kernelName, 'sinapse-other')
      }
      tf.removeBackend('sinapse-other')
    }
  })
})

const KERNELS = ['SinapseSparseSoftmaxCrossEntropy', 'SinapseSparseSoftmaxCrossEntropyGrad']

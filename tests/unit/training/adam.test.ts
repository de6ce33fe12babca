import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { asStepOptimizer, createAdam, type StepOptimizer } from '../../../src/main/training/adam'
import { initBackend, tf } from '../../../src/main/training/backend'
import { createRng } from '../../../src/shared/random'

const SETTINGS = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }

beforeAll(async () => {
  await initBackend('wasm')
})

afterEach(async () => {
  await tf.setBackend('wasm')
})

/** Runs `steps` updates on two variables (35 and 130 weights: not multiples of 4) from a seed. */
function runAdam(make: () => StepOptimizer, steps: number): Float32Array[] {
  const rng = createRng(11)
  const random = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1)
  const [w, b] = tf.tidy(() => [
    tf.variable(tf.tensor2d(random(35), [7, 5])),
    tf.variable(tf.tensor1d(random(130))),
  ])
  const optimizer = make()
  try {
    for (let s = 0; s < steps; s++) {
      tf.tidy(() => {
        // Gradients of very different sizes, some exactly zero, as real ones are.
        const gw = tf.tensor2d(
          random(35).map((g, i) => (i % 7 === 0 ? 0 : g * 10 ** (s % 3))),
          [7, 5],
        )
        const gb = tf.tensor1d(random(130).map((g) => g * 1e-3))
        optimizer.applyGradients({ [w.name]: gw, [b.name]: gb })
      })
    }
    return [w.dataSync() as Float32Array, b.dataSync() as Float32Array]
  } finally {
    optimizer.dispose()
    w.dispose()
    b.dispose()
  }
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let max = 0
  a.forEach((values, k) => values.forEach((v, i) => (max = Math.max(max, Math.abs(v - b[k][i])))))
  return max
}

describe('createAdam', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`updates like tf.train.adam on ${backend}, with one fused kernel per variable`, async () => {
      await tf.setBackend(backend)
      const before = tf.memory().numTensors
      const tfjs = runAdam(
        () =>
          asStepOptimizer(
            tf.train.adam(SETTINGS.learningRate, SETTINGS.beta1, SETTINGS.beta2, SETTINGS.epsilon),
          ),
        20,
      )
      const fused = runAdam(() => createAdam(tf, SETTINGS), 20)
      expect(tf.getKernel('SinapseAdamStep', backend)).toBeDefined()
      // 20 steps of lr 0.01 move weights by up to 0.2; the two must agree to float precision.
      expect(maxDifference(fused, tfjs)).toBeLessThan(2e-6)
      expect(
        maxDifference(
          fused,
          runAdam(() => createAdam(tf, SETTINGS), 20),
        ),
      ).toBe(0)
      const moved = maxDifference(
        fused,
        runAdam(() => createAdam(tf, SETTINGS), 0),
      )
      expect(moved).toBeGreaterThan(0.05)
      expect(tf.memory().numTensors).toBe(before)
    })
  }

  it('counts kernels: one per variable and step instead of tfjs’s dozen', async () => {
    const w = tf.variable(tf.zeros([64, 8]))
    const g = tf.ones([64, 8])
    const count = async (optimizer: StepOptimizer) => {
      const info = await tf.profile(() => optimizer.applyGradients({ [w.name]: g }))
      optimizer.dispose()
      return info.kernels.length
    }
    const fused = await count(createAdam(tf, SETTINGS))
    const tfjs = await count(asStepOptimizer(tf.train.adam(0.01)))
    tf.dispose([w, g])
    // The first step also creates the two zero moments.
    expect(fused).toBeLessThanOrEqual(3)
    expect(tfjs).toBeGreaterThan(10)
  })

  it('leaves a backend it has no kernel for (not wasm, not cpu) to tfjs’s Adam', async () => {
    // A third backend, as tfjs-node's 'tensorflow' would be: the cpu backend and its kernels
    // under another name.
    tf.registerBackend('sinapse-other', () => new MathBackendCPU())
    for (const kernel of tf.getKernelsForBackend('cpu')) {
      if (kernel.kernelName !== 'SinapseAdamStep') {
        tf.registerKernel({ ...kernel, backendName: 'sinapse-other' })
      }
    }
    try {
      await tf.setBackend('cpu')
      const tfjs = runAdam(() => asStepOptimizer(tf.train.adam(0.01, 0.9, 0.999, 1e-7)), 5)
      await tf.setBackend('sinapse-other')
      expect(
        maxDifference(
          runAdam(() => createAdam(tf, SETTINGS), 5),
          tfjs,
        ),
      ).toBe(0)
      expect(tf.getKernel('SinapseAdamStep', 'sinapse-other')).toBeUndefined()
    } finally {
      await tf.setBackend('wasm')
      for (const kernel of tf.getKernelsForBackend('sinapse-other')) {
        tf.unregisterKernel(kernel.kernelName, 'sinapse-other')
      }
      tf.removeBackend('sinapse-other')
    }
  })
})

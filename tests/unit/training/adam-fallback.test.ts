import { beforeAll, describe, expect, it } from 'vitest'
import { asStepOptimizer, createAdam } from '../../../src/main/training/adam'
import { initBackend, tf } from '../../../src/main/training/backend'

// createAdam on an engine without the Sinapse wasm kernels (no WebAssembly SIMD): tfjs's own Adam,
// step for step. Vitest runs each file in its own process, so the switch stays in this file
// (kernels-fallback.test.ts checks the same with a whole LeNet training, minutes instead of seconds).
process.env.SINAPSE_WASM_KERNELS = 'off'

const SETTINGS = { learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: 1e-3 }

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm')
})

/** Five steps on one variable; its values after each. */
function steps(make: () => ReturnType<typeof createAdam>): number[][] {
  const w = tf.tidy(() => tf.variable(tf.tensor1d([0.5, -0.25, 1, 0, 2])))
  const optimizer = make()
  const seen: number[][] = []
  try {
    for (let s = 0; s < 5; s++) {
      tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d([1, -2, 0.5, 0, s - 2]) }))
      seen.push(Array.from(w.dataSync()))
    }
    return seen
  } finally {
    optimizer.dispose()
    w.dispose()
  }
}

describe('createAdam without the wasm kernels', () => {
  it("is tfjs's Adam with the given settings, and frees what it made", () => {
    const tfjs = steps(() =>
      asStepOptimizer(
        tf.train.adam(SETTINGS.learningRate, SETTINGS.beta1, SETTINGS.beta2, SETTINGS.epsilon),
      ),
    )
    const before = tf.memory().numTensors
    const ours = steps(() => createAdam(tf, SETTINGS))
    expect(tf.getKernel('SinapseAdamStep', 'wasm')).toBeUndefined()
    expect(tf.memory().numTensors).toBe(before)
    expect(ours).toEqual(tfjs)
    // The settings reached tfjs: its defaults (0.001, 0.9, 0.999, 1e-7) would move less.
    const defaults = steps(() => asStepOptimizer(tf.train.adam()))
    expect(ours).not.toEqual(defaults)
    // First step of Adam moves each weight with a gradient by lr·g/(|g| + ε′): ±0.05 nearly.
    expect(ours[0][0]).toBeCloseTo(0.45, 2)
    expect(ours[0][1]).toBeCloseTo(-0.2, 2)
    expect(ours[0][3]).toBe(0)
  })
})

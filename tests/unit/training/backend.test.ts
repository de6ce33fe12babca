import { beforeAll, describe, expect, it } from 'vitest'
import type { Tensor4D } from '@tensorflow/tfjs-core'
import { initBackend, tf } from '../../../src/main/training/backend'
import { createRng } from '../../../src/shared/random'

interface ConvCase {
  xShape: readonly [number, number, number, number]
  filterShape: readonly [number, number, number, number]
  strides: number
  pad: 'same' | 'valid'
}

/** Both gradients of a convolution: with respect to the filter, then to the input. */
function convGradients(x: Float32Array, c: ConvCase): { values: Float32Array; shape: number[] }[] {
  return tf.tidy(() => {
    const input = tf.tensor4d(x, [...c.xShape])
    const filter = tf.tensor4d(
      Float32Array.from({ length: c.filterShape.reduce((a, b) => a * b, 1) }, (_, i) =>
        Math.sin(i),
      ),
      [...c.filterShape],
    )
    const grads = tf.grads((f, i) =>
      tf.sum(tf.square(tf.conv2d(i as Tensor4D, f as Tensor4D, c.strides, c.pad))),
    )([filter, input])
    return grads.map((g) => ({ values: g.dataSync() as Float32Array, shape: g.shape }))
  })
}

// The kernels Sinapse adds to the wasm backend, against tfjs's cpu reference; wasm is forced so
// that they run here whether or not tfjs-node is installed.
beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm')
})

describe('wasm kernels', () => {
  it('computes conv2d gradients on wasm as the cpu backend does', async () => {
    const rng = createRng(5)
    const cases: ConvCase[] = [
      { xShape: [2, 9, 9, 3], filterShape: [3, 3, 3, 4], strides: 1, pad: 'same' },
      { xShape: [3, 10, 8, 2], filterShape: [5, 5, 2, 6], strides: 2, pad: 'same' },
      { xShape: [2, 12, 12, 1], filterShape: [5, 5, 1, 3], strides: 1, pad: 'valid' },
    ]
    for (const c of cases) {
      const size = c.xShape.reduce((a, b) => a * b, 1)
      const x = Float32Array.from({ length: size }, () => (rng() < 0.3 ? 0 : rng() - 0.5))
      const onWasm = convGradients(x, c)
      await tf.setBackend('cpu')
      try {
        const onCpu = convGradients(x, c)
        for (const [g, expected] of onCpu.entries()) {
          const actual = onWasm[g]
          expect(actual.shape).toEqual(expected.shape)
          for (let i = 0; i < expected.values.length; i++) {
            const tolerance = 1e-4 * Math.max(1, Math.abs(expected.values[i]))
            expect(Math.abs(actual.values[i] - expected.values[i])).toBeLessThan(tolerance)
          }
        }
      } finally {
        await tf.setBackend('wasm')
      }
    }
  })

  it('multiplies transposed operands on wasm exactly as the cpu backend does', async () => {
    const rng = createRng(9)
    const random = (shape: number[]) =>
      tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() - 0.5),
        shape,
      )
    const a = random([3, 7, 5])
    const b = random([3, 7, 4])
    const c = random([6, 4])
    const d = random([5, 6])
    const products = () =>
      tf.tidy(() => [
        tf.matMul(a, b, true, false).arraySync(),
        tf.matMul(b, b, false, true).arraySync(),
        tf.matMul(c, d, true, true).arraySync(),
        tf.matMul(c, c, false, true).arraySync(),
      ])
    const before = tf.memory().numTensors
    const onWasm = products()
    expect(tf.memory().numTensors).toBe(before)
    await tf.setBackend('cpu')
    try {
      const onCpu = products()
      expect(onWasm.flat(3)).toHaveLength(onCpu.flat(3).length)
      onWasm.flat(3).forEach((v, i) => expect(v).toBeCloseTo(onCpu.flat(3)[i] as number, 5))
    } finally {
      await tf.setBackend('wasm')
      tf.dispose([a, b, c, d])
    }
  })

  it('splits large convolution gradients into chunks without changing them', async () => {
    const rng = createRng(11)
    // 6 × 60 × 60 outputs × 400 taps exceed the 8M-float column cap, so the whole batch is
    // computed in two chunks; each half alone fits in one. The filter gradient of the whole batch
    // is the sum of the halves'; the input gradient is theirs side by side.
    const c: ConvCase = {
      xShape: [6, 60, 60, 16],
      filterShape: [5, 5, 16, 1],
      strides: 1,
      pad: 'same',
    }
    const x = Float32Array.from({ length: 6 * 60 * 60 * 16 }, () => rng() - 0.5)
    const half = { ...c, xShape: [3, 60, 60, 16] as const }
    const [whole, first, second] = [
      convGradients(x, c),
      convGradients(x.subarray(0, x.length / 2), half),
      convGradients(x.subarray(x.length / 2), half),
    ]
    const filterSum = first[0].values.map((v, i) => v + second[0].values[i])
    const near = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b))
    expect(whole[0].values.every((v, i) => near(v, filterSum[i]))).toBe(true)
    const inputs = [...first[1].values, ...second[1].values]
    expect(whole[1].values).toHaveLength(inputs.length)
    expect(whole[1].values.every((v, i) => near(v, inputs[i]))).toBe(true)
    expect(filterSum.some((v) => Math.abs(v) > 1)).toBe(true)
  })
})

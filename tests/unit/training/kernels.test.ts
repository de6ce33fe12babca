import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileKernels, KERNELS_MODULE, kernelsModuleText } from '../../../scripts/build-kernels'
import { readKerasH5 } from '../../../src/main/models/keras-h5-import'
import { expectedWeightShapes } from '../../../src/main/models/keras-config'
import { initBackend, tf } from '../../../src/main/training/backend'
import { fusedConv2d, fusedMaxPool } from '../../../src/main/training/kernels/conv'
import { buildModel, createForward } from '../../../src/main/training/model-factory'
import { createRng } from '../../../src/shared/random'
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/train-config'

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm')
})

const random = (rng: () => number, n: number, zeros = 0) =>
  Float32Array.from({ length: n }, () => (rng() < zeros ? 0 : rng() * 2 - 1))

function expectClose(actual: Float32Array, expected: Float32Array, what: string, rel = 1e-4) {
  expect(actual.length, what).toBe(expected.length)
  let worst = 0
  let at = -1
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]))
    if (!(error <= worst)) {
      worst = error
      at = i
    }
  }
  expect(worst, `${what}: worst at ${at}: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(
    rel,
  )
}

interface ConvCase {
  x: [number, number, number, number]
  filter: [number, number, number, number]
  strides: [number, number]
  pad: 'same' | 'valid'
  relu: boolean
  bias: boolean
}

/** The layer's output and the gradients of Σ out·w (w fixed, random) for x, filter and bias. */
function convAndGrads(
  c: ConvCase,
  values: { x: Float32Array; filter: Float32Array; bias: Float32Array; w: Float32Array },
  fused: boolean,
) {
  return tf.tidy(() => {
    const x = tf.tensor4d(values.x, c.x)
    const filter = tf.tensor4d(values.filter, c.filter)
    const bias = tf.tensor1d(values.bias)
    const f = (xi: Tensor, fi: Tensor, bi: Tensor) => {
      const b = c.bias ? bi : null
      let out: Tensor | null = null
      if (fused) out = fusedConv2d(tf, xi as Tensor4D, fi as Tensor4D, b, c.strides, c.pad, c.relu)
      if (fused && !out) throw new Error('fused kernels unavailable')
      if (!out) {
        out = tf.conv2d(xi as Tensor4D, fi as Tensor4D, c.strides, c.pad)
        if (b) out = tf.add(out, b)
        if (c.relu) out = tf.relu(out)
      }
      return out
    }
    const out = f(x, filter, bias)
    const w = tf.tensor(values.w, out.shape)
    const grads = tf.grads((xi, fi, bi) => tf.sum(tf.mul(f(xi, fi, bi ?? bias), w)))(
      c.bias ? [x, filter, bias] : [x, filter],
    )
    return [out, ...grads].map((t) => t.dataSync() as Float32Array)
  })
}

const CONV_CASES: ConvCase[] = [
  // LeNet's two layers.
  { x: [5, 28, 28, 1], filter: [5, 5, 1, 6], strides: [1, 1], pad: 'same', relu: true, bias: true },
  {
    x: [3, 14, 14, 6],
    filter: [5, 5, 6, 16],
    strides: [1, 1],
    pad: 'valid',
    relu: true,
    bias: true,
  },
  // Strides, odd sizes, channel counts that fill no vector evenly, no bias, no ReLU.
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 5], strides: [2, 2], pad: 'same', relu: false, bias: true },
  {
    x: [3, 10, 8, 2],
    filter: [5, 3, 2, 7],
    strides: [2, 1],
    pad: 'valid',
    relu: true,
    bias: false,
  },
  { x: [1, 7, 7, 4], filter: [1, 1, 4, 9], strides: [1, 1], pad: 'same', relu: false, bias: false },
  { x: [2, 6, 6, 8], filter: [4, 4, 8, 4], strides: [3, 3], pad: 'same', relu: true, bias: true },
]

describe('Sinapse wasm kernels', () => {
  it('are built from the AssemblyScript sources: rebuilding reproduces the committed module', async () => {
    const committed = readFileSync(KERNELS_MODULE, 'utf8')
    const rebuilt = kernelsModuleText(await compileKernels())
    // Prettier may re-wrap the generated file; compare the base64 payload byte for byte.
    const payload = (text: string) => /'([A-Za-z0-9+/=]+)'/.exec(text)?.[1]
    expect(payload(committed)).toBeDefined()
    expect(payload(rebuilt)).toBe(payload(committed))
  }, 120_000)

  for (const c of CONV_CASES) {
    const label = `x ${c.x.join('×')}, filter ${c.filter.join('×')}, strides ${c.strides}, ${c.pad}`
    it(`conv2d${c.bias ? ' + bias' : ''}${c.relu ? ' + relu' : ''} and its gradients equal tfjs's (${label})`, async () => {
      const rng = createRng(c.x.reduce((a, b) => a * 31 + b, 7))
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1)
      const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad)
      const values = {
        x: random(rng, size(c.x), 0.2),
        filter: random(rng, size(c.filter)),
        bias: random(rng, c.filter[3]),
        w: random(rng, size(info.outShape)),
      }
      const before = tf.memory().numTensors
      const fused = convAndGrads(c, values, true)
      expect(tf.memory().numTensors).toBe(before)
      const names = ['output', 'dx', 'dfilter', 'dbias']
      for (const backend of ['wasm', 'cpu']) {
        await tf.setBackend(backend)
        try {
          const reference = convAndGrads(c, values, false)
          reference.forEach((r, i) => {
            expectClose(fused[i], r, `${names[i]} vs ${backend}`)
          })
        } finally {
          await tf.setBackend('wasm')
        }
      }
    })
  }

  it('convolves a batch too big for one column buffer in chunks, with the same results', async () => {
    // 200 × 4,096 column floats per sample: 8 samples per chunk, so 12 make two chunks.
    const c: ConvCase = {
      x: [12, 64, 64, 8],
      filter: [5, 5, 8, 4],
      strides: [1, 1],
      pad: 'same',
      relu: true,
      bias: true,
    }
    const rng = createRng(3)
    const values = {
      x: random(rng, 12 * 64 * 64 * 8, 0.5),
      filter: random(rng, 5 * 5 * 8 * 4),
      bias: random(rng, 4),
      w: random(rng, 12 * 64 * 64 * 4),
    }
    const fused = convAndGrads(c, values, true)
    const reference = convAndGrads(c, values, false)
    ;['output', 'dx', 'dfilter', 'dbias'].forEach((name, i) =>
      expectClose(fused[i], reference[i], name, 2e-4),
    )
  })

  for (const [pool, strides, pad, shape] of [
    [[2, 2], [2, 2], 'valid', [3, 28, 28, 6]],
    [[3, 3], [2, 2], 'same', [2, 9, 10, 5]],
    [[2, 3], [1, 2], 'valid', [2, 7, 9, 3]],
  ] as const) {
    it(`max-pools ${shape.join('×')} (pool ${pool}, strides ${strides}, ${pad}) and routes gradients as tfjs does`, async () => {
      const rng = createRng(shape[1])
      // Distinct values, so no window has a tie and the maximum's position is unambiguous.
      const n = shape.reduce((a, b) => a * b, 1)
      const x = Float32Array.from({ length: n }, (_, i) => i * 0.001 - n * 0.0005).sort(
        () => rng() - 0.5,
      )
      const run = (fused: boolean) =>
        tf.tidy(() => {
          const weights = createRng(5)
          const input = tf.tensor4d(x, [...shape])
          const f = (xi: Tensor) =>
            fused
              ? (fusedMaxPool(tf, xi as Tensor4D, [...pool], [...strides], pad) as Tensor4D)
              : tf.maxPool(xi as Tensor4D, [...pool], [...strides], pad)
          const out = f(input)
          const w = tf.tensor(random(weights, out.size), out.shape)
          const [dx] = tf.grads((xi) => tf.sum(tf.mul(f(xi), w)))([input])
          return [out.dataSync(), dx.dataSync()] as Float32Array[]
        })
      const before = tf.memory().numTensors
      const fused = run(true)
      expect(tf.memory().numTensors).toBe(before)
      for (const backend of ['wasm', 'cpu']) {
        await tf.setBackend(backend)
        try {
          const reference = run(false)
          expectClose(fused[0], reference[0], `pooled vs ${backend}`, 0)
          // tfjs-backend-wasm 4.22's own MaxPoolGrad routes no gradient from a window whose
          // maximum is negative (the cpu backend does); ours follows the cpu reference.
          if (backend === 'cpu') expectClose(fused[1], reference[1], 'gradient vs cpu', 1e-6)
        } finally {
          await tf.setBackend('wasm')
        }
      }
    })
  }

  it('gives the Keras-imported CNN the outputs tfjs-layers computes on cpu', async () => {
    const bytes = new Uint8Array(readFileSync('tests/fixtures/keras/mnist_cnn_keras3.h5'))
    const imported = await readKerasH5(bytes, 'mnist_cnn_keras3.h5')
    const model = buildModel(tf, imported.spec, DEFAULT_TRAIN_CONFIG)
    const shapes = expectedWeightShapes(imported.spec)
    model.setWeights(
      imported.weights.flatMap((layer, i) => layer.map((w, j) => tf.tensor(w, shapes[i][j]))),
    )
    const rng = createRng(9)
    const images = Float32Array.from({ length: 16 * 784 }, () => (rng() < 0.6 ? 0 : rng()))
    const ours = tf.tidy(() => {
      const out = createForward(tf, model)(tf.tensor4d(images, [16, 28, 28, 1]), false)
      return (out.fromLogits ? tf.softmax(out.output) : out.output).dataSync() as Float32Array
    })
    await tf.setBackend('cpu')
    try {
      const reference = tf.tidy(
        () =>
          (
            model.predict(tf.tensor4d(images, [16, 28, 28, 1])) as Tensor
          ).dataSync() as Float32Array,
      )
      expectClose(ours, reference, 'probabilities', 1e-4)
    } finally {
      await tf.setBackend('wasm')
    }
    model.dispose()
  })
})

import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { initBackend, tf } from '../../../src/main/training/backend'
import {
  fusedConv2d,
  fusedMaxPool,
  registerConvKernels,
} from '../../../src/main/training/kernels/conv'
import { createRng } from '../../../src/shared/random'

// The conv/pool kernels of kernels/conv.ts on small shapes against tfjs's cpu kernels: seconds a
// run, so that mutation testing can afford it (kernels.test.ts adds LeNet-sized layers, the wasm
// reference and a Keras CNN). Only results are compared, never how they are computed.

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm')
})

type Shape4 = [number, number, number, number]

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1)
const random = (rng: () => number, n: number, zeros = 0) =>
  Float32Array.from({ length: n }, () => (rng() < zeros ? 0 : rng() * 2 - 1))

function expectClose(actual: Float32Array, expected: Float32Array, what: string, rel: number) {
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

/** Runs `body` on the cpu backend and comes back to wasm. */
async function onCpu<T>(body: () => T): Promise<T> {
  await tf.setBackend('cpu')
  try {
    return body()
  } finally {
    await tf.setBackend('wasm')
  }
}

interface ConvCase {
  x: Shape4
  filter: Shape4
  strides: [number, number]
  pad: 'same' | 'valid'
  relu: boolean
  bias: boolean
}

/**
 * The layer's output and the gradients of Σ out·w (w fixed, random) for x, filter and (with a
 * bias) bias: fused on wasm, or tfjs's conv2d, add and relu on the active backend.
 */
function convAndGrads(
  c: ConvCase,
  values: { x: Float32Array; filter: Float32Array; bias: Float32Array; w: Float32Array },
  fused: boolean,
): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(values.x, c.x)
    const filter = tf.tensor4d(values.filter, c.filter)
    const bias = tf.tensor1d(values.bias)
    const f = (xi: Tensor, fi: Tensor, bi: Tensor) => {
      const b = c.bias ? bi : null
      if (fused) {
        const out = fusedConv2d(tf, xi as Tensor4D, fi as Tensor4D, b, c.strides, c.pad, c.relu)
        if (!out) throw new Error('fused kernels unavailable')
        return out
      }
      let out: Tensor = tf.conv2d(xi as Tensor4D, fi as Tensor4D, c.strides, c.pad)
      if (b) out = tf.add(out, b)
      return c.relu ? tf.relu(out) : out
    }
    const out = f(x, filter, bias)
    const w = tf.tensor(values.w, out.shape)
    const grads = tf.grads((xi, fi, bi) => tf.sum(tf.mul(f(xi, fi, bi ?? bias), w)))(
      c.bias ? [x, filter, bias] : [x, filter],
    )
    return [out, ...grads].map((t) => t.dataSync() as Float32Array)
  })
}

async function checkConv(c: ConvCase, seed: number, rel = 1e-4, reference = 'cpu') {
  const rng = createRng(seed)
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
  const expected =
    reference === 'cpu'
      ? await onCpu(() => convAndGrads(c, values, false))
      : convAndGrads(c, values, false)
  expect(fused).toHaveLength(c.bias ? 4 : 3)
  ;['output', 'dx', 'dfilter', 'dbias'].slice(0, fused.length).forEach((name, i) => {
    expectClose(fused[i], expected[i], `${name} vs ${reference}`, rel)
  })
  // The gradients are not trivially zero (a mask or offset error could still agree on zeros).
  for (const g of fused.slice(1)) expect(g.some((v) => Math.abs(v) > 1e-3)).toBe(true)
}

const CASES: ConvCase[] = [
  // `same` with an odd filter: one pixel of padding on every side.
  { x: [2, 5, 6, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 'same', relu: true, bias: true },
  // `valid`, different strides per axis, a rectangular filter, no bias, no ReLU.
  {
    x: [2, 7, 8, 2],
    filter: [3, 2, 2, 5],
    strides: [2, 3],
    pad: 'valid',
    relu: false,
    bias: false,
  },
  // `same` with an even filter and stride 2: padding only after (top 0, bottom 1).
  { x: [3, 6, 6, 1], filter: [2, 2, 1, 3], strides: [2, 2], pad: 'same', relu: true, bias: false },
  // `same` where the padding is uneven the other way: 4×4 filter, stride 1 (1 before, 2 after).
  { x: [1, 5, 7, 2], filter: [4, 4, 2, 2], strides: [1, 1], pad: 'same', relu: false, bias: true },
  // 1×1 filter, one output pixel per input pixel, channels filling no vector evenly.
  { x: [2, 3, 3, 5], filter: [1, 1, 5, 7], strides: [1, 1], pad: 'valid', relu: true, bias: true },
  // A filter as large as the input: one output pixel per sample.
  { x: [3, 4, 3, 2], filter: [4, 3, 2, 3], strides: [1, 1], pad: 'valid', relu: false, bias: true },
]

describe('conv.ts kernels on small shapes, against tfjs cpu', () => {
  for (const [i, c] of CASES.entries()) {
    const label = `x ${c.x.join('×')}, filter ${c.filter.join('×')}, strides ${c.strides}, ${c.pad}`
    it(`conv2d${c.bias ? ' + bias' : ''}${c.relu ? ' + relu' : ''} and its gradients (${label})`, async () => {
      await checkConv(c, 100 + i)
    })
  }

  it('splits a batch too large for one column buffer into chunks, the last one partial', async () => {
    // 5×5×8 = 200 column rows × 4,095 pixels a sample: 10 samples fit in 8 Mi floats, so
    // chunks are 8 samples and the batch of 13 goes as 8 + 5; neither 4,095 pixels nor a chunk
    // are a multiple of 8 columns. The reference is tfjs's own wasm ops here: its cpu kernels
    // take 15-30 s on this size, and they agree with the fused ones on every smaller case above.
    await checkConv(
      {
        x: [13, 63, 65, 8],
        filter: [5, 5, 8, 2],
        strides: [1, 1],
        pad: 'same',
        relu: true,
        bias: true,
      },
      7,
      2e-4,
      'wasm',
    )
  })

  it('gives the gradient of the input alone, and of the filter alone', async () => {
    const c: ConvCase = {
      x: [2, 6, 5, 3],
      filter: [3, 3, 3, 2],
      strides: [2, 1],
      pad: 'same',
      relu: true,
      bias: true,
    }
    const rng = createRng(21)
    const xv = random(rng, size(c.x))
    const fv = random(rng, size(c.filter))
    const bv = random(rng, 2)
    const run = (fused: boolean) =>
      tf.tidy(() => {
        const x = tf.tensor4d(xv, c.x)
        const filter = tf.tensor4d(fv, c.filter)
        const bias = tf.tensor1d(bv)
        const f = (xi: Tensor4D, fi: Tensor4D) =>
          fused
            ? (fusedConv2d(tf, xi, fi, bias, c.strides, c.pad, c.relu) as Tensor4D)
            : tf.relu(tf.add(tf.conv2d(xi, fi, c.strides, c.pad), bias))
        const dx = tf.grad((xi: Tensor) => tf.sum(tf.square(f(xi as Tensor4D, filter))))(x)
        const df = tf.grad((fi: Tensor) => tf.sum(tf.square(f(x, fi as Tensor4D))))(filter)
        return [dx.dataSync(), df.dataSync()] as Float32Array[]
      })
    const before = tf.memory().numTensors
    const fused = run(true)
    expect(tf.memory().numTensors).toBe(before)
    const reference = await onCpu(() => run(false))
    expectClose(fused[0], reference[0], 'dx', 1e-4)
    expectClose(fused[1], reference[1], 'dfilter', 1e-4)
  })

  it('applies ReLU to the output and passes no gradient where it cut', async () => {
    // A constant input and a filter of ones: every output is the window's sum plus the bias,
    // -0.5 + 9·0.1 = 0.4 in the middle; with the bias -1, ReLU leaves nothing.
    const run = (biasValue: number, relu: boolean) =>
      tf.tidy(() => {
        const x = tf.fill([1, 3, 3, 1], 0.1) as Tensor4D
        const filter = tf.ones([3, 3, 1, 1]) as Tensor4D
        const bias = tf.tensor1d([biasValue])
        const f = (xi: Tensor) =>
          fusedConv2d(tf, xi as Tensor4D, filter, bias, [1, 1], 'same', relu) as Tensor4D
        const y = f(x)
        const dx = tf.grad((xi: Tensor) => tf.sum(f(xi)))(x)
        return [Array.from(y.dataSync()), Array.from(dx.dataSync())]
      })
    const [y, dx] = run(-0.5, true)
    // Corners see 4 pixels (0.4 − 0.5 < 0), edges 6 (0.6 − 0.5), the middle 9.
    expect(y.map((v) => Number(v.toFixed(5)))).toEqual([0, 0.1, 0, 0.1, 0.4, 0.1, 0, 0.1, 0])
    // dx at each pixel: how many live outputs' windows hold it.
    expect(dx).toEqual([3, 4, 3, 4, 5, 4, 3, 4, 3])
    const [linear, dxLinear] = run(-0.5, false)
    expect(linear.map((v) => Number(v.toFixed(5)))).toEqual([
      -0.1, 0.1, -0.1, 0.1, 0.4, 0.1, -0.1, 0.1, -0.1,
    ])
    expect(dxLinear).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4])
    const [dead, dxDead] = run(-1, true)
    expect(dead).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0])
    expect(dxDead).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0])
  })

  for (const [pool, strides, pad, shape] of [
    [[2, 2], [2, 2], 'valid', [2, 6, 6, 3]],
    [[3, 3], [2, 2], 'same', [2, 7, 6, 2]],
    [[2, 3], [1, 2], 'valid', [1, 5, 7, 3]],
    [[2, 2], [2, 2], 'same', [1, 5, 5, 1]],
  ] as const) {
    it(`max-pools ${shape.join('×')} (pool ${pool}, strides ${strides}, ${pad}) and routes the gradient`, async () => {
      const rng = createRng(size(shape))
      // Distinct values, negative ones too, so every window has one maximum.
      const n = size(shape)
      const x = Float32Array.from({ length: n }, (_, i) => i * 0.01 - n * 0.005).sort(
        () => rng() - 0.5,
      )
      const weights = random(createRng(5), n)
      const run = (fused: boolean) =>
        tf.tidy(() => {
          const input = tf.tensor4d(x, [...shape])
          const f = (xi: Tensor) =>
            fused
              ? (fusedMaxPool(tf, xi as Tensor4D, [...pool], [...strides], pad) as Tensor4D)
              : tf.maxPool(xi as Tensor4D, [...pool], [...strides], pad)
          const out = f(input)
          const w = tf.tensor(weights.subarray(0, out.size), out.shape)
          const [dx] = tf.grads((xi) => tf.sum(tf.mul(f(xi), w)))([input])
          return [out.shape, out.dataSync(), dx.dataSync()] as const
        })
      const before = tf.memory().numTensors
      const [shapeOut, y, dx] = run(true)
      expect(tf.memory().numTensors).toBe(before)
      const [refShape, refY, refDx] = await onCpu(() => run(false))
      expect(shapeOut).toEqual(refShape)
      expect(Array.from(y)).toEqual(Array.from(refY))
      expectClose(dx as Float32Array, refDx as Float32Array, 'dx', 1e-6)
    })
  }

  it('runs on wasm only: other backends get null and use tfjs’s ops', async () => {
    expect(registerConvKernels(tf)).toBe(true)
    expect(tf.getKernel('SinapseConv2D', 'wasm')).toBeDefined()
    // Registering twice is harmless.
    expect(registerConvKernels(tf)).toBe(true)
    await onCpu(() => {
      const x = tf.zeros([1, 4, 4, 1]) as Tensor4D
      const filter = tf.zeros([2, 2, 1, 1]) as Tensor4D
      expect(registerConvKernels(tf)).toBe(false)
      expect(fusedConv2d(tf, x, filter, null, [1, 1], 'same', true)).toBeNull()
      expect(fusedMaxPool(tf, x, [2, 2], [2, 2], 'valid')).toBeNull()
      tf.dispose([x, filter])
    })
  })
})

const KERNELS = [
  'SinapseConv2D',
  'SinapseConv2DGrad',
  'SinapseConv2DFilterGrad',
  'SinapseConv2DInputGrad',
  'SinapseMaxPool',
  'SinapseMaxPoolGrad',
]

/** Forgets every kernel and gradient conv.ts registered, as in a fresh process. */
function unregisterConvKernels() {
  for (const name of KERNELS) if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm')
  for (const name of ['SinapseConv2D', 'SinapseMaxPool']) {
    if (tf.getGradient(name)) tf.unregisterGradient(name)
  }
}

describe('conv.ts registration and scratch memory (mutation-tested)', () => {
  // Registration runs once per process, inside whichever test first needs the kernels, so these
  // tests register from scratch themselves: that is the only way a test sees what it registers.

  it('registers all six kernels and both gradients once, and a conv → pool step runs through them, not tfjs’s', async () => {
    unregisterConvKernels()
    expect(registerConvKernels(tf)).toBe(true)
    for (const name of KERNELS) expect(tf.getKernel(name, 'wasm'), name).toBeDefined()
    // A second call finds them registered and leaves them be (the gradients are new closures at
    // each registration, so a second one would replace them; tfjs's warning is off in prod mode).
    const names = ['SinapseConv2D', 'SinapseMaxPool']
    const gradients = names.map((name) => tf.getGradient(name))
    expect(registerConvKernels(tf)).toBe(true)
    names.forEach((name, i) => expect(tf.getGradient(name), name).toBe(gradients[i]))
    const rng = createRng(31)
    const xv = random(rng, 2 * 6 * 6 * 2)
    const fv = random(rng, 3 * 3 * 2 * 3)
    const bv = random(rng, 3)
    const wv = random(rng, 2 * 3 * 3 * 3)
    const run = (fused: boolean) =>
      tf.tidy(() => {
        const x = tf.tensor4d(xv, [2, 6, 6, 2])
        const filter = tf.tensor4d(fv, [3, 3, 2, 3])
        const bias = tf.tensor1d(bv)
        const w = tf.tensor4d(wv, [2, 3, 3, 3])
        const f = (xi: Tensor, fi: Tensor, bi: Tensor) => {
          if (fused) {
            const y = fusedConv2d(tf, xi as Tensor4D, fi as Tensor4D, bi, [1, 1], 'same', true)
            return fusedMaxPool(tf, y as Tensor4D, [2, 2], [2, 2], 'valid') as Tensor4D
          }
          const y = tf.relu(tf.add(tf.conv2d(xi as Tensor4D, fi as Tensor4D, 1, 'same'), bi))
          return tf.maxPool(y as Tensor4D, [2, 2], [2, 2], 'valid')
        }
        const grads = tf.grads((xi, fi, bi) => tf.sum(tf.mul(f(xi, fi, bi), w)))([x, filter, bias])
        return grads.map((g) => g.dataSync() as Float32Array)
      })
    const profile = await tf.profile(() => {
      run(true)
    })
    expect([...new Set(profile.kernelNames)].sort()).toEqual(expect.arrayContaining(KERNELS))
    for (const tfjs of ['MaxPool', 'MaxPoolGrad', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) {
      expect(profile.kernelNames).not.toContain(tfjs)
    }
    const fused = run(true)
    const reference = await onCpu(() => run(false))
    ;['dx', 'dfilter', 'dbias'].forEach((name, i) => {
      expectClose(fused[i], reference[i], name, 1e-4)
      expect(
        fused[i].some((v) => Math.abs(v) > 1e-3),
        name,
      ).toBe(true)
    })
  })

  /**
   * The sizes of the scratch buffers over 4 MiB that conv.ts asks the wasm heap for while a
   * layer's output and both gradients are computed, and how many bytes are still held after.
   */
  function scratchOf(xShape: Shape4, filterShape: Shape4) {
    const wasm = (tf.backend() as BackendWasm).wasm
    // Emscripten replaces its lazy `_malloc` wrapper on the first call: make that call first.
    wasm._free(wasm._malloc(8))
    const malloc = wasm._malloc
    const free = wasm._free
    const live = new Map<number, number>()
    const sizes: number[] = []
    const mallocSpy = vi.spyOn(wasm, '_malloc').mockImplementation((bytes: number) => {
      const ptr = malloc.call(wasm, bytes)
      live.set(ptr, bytes)
      if (bytes > 4 * 1024 * 1024) sizes.push(bytes)
      return ptr
    })
    const freeSpy = vi.spyOn(wasm, '_free').mockImplementation((ptr: number) => {
      live.delete(ptr)
      free.call(wasm, ptr)
    })
    try {
      tf.tidy(() => {
        const x = tf.randomUniform(xShape, -1, 1, 'float32', 3) as Tensor4D
        const filter = tf.randomUniform(filterShape, -1, 1, 'float32', 4) as Tensor4D
        tf.grads((xi, fi) =>
          tf.sum(fusedConv2d(tf, xi as Tensor4D, fi as Tensor4D, null, [1, 1], 'same', true)!),
        )([x, filter])
      })
    } finally {
      mallocSpy.mockRestore()
      freeSpy.mockRestore()
    }
    return { sizes, held: [...live.values()].reduce((a, b) => a + b, 0) }
  }

  // Columns for `chunk` samples: depth × (chunk × pixels rounded up to 8) floats, one buffer for
  // the filter gradient and one for the input gradient, each freed when the kernel returns.
  const columns = (depth: number, samples: number, pixels: number) =>
    depth * Math.ceil((samples * pixels) / 8) * 8 * 4

  it('builds the columns of a whole batch that fits in 32 MB at once, and frees them', () => {
    // 5×5×8 = 200 rows × 4,095 pixels: exactly 10 samples fit, the whole batch of 10.
    const { sizes, held } = scratchOf([10, 63, 65, 8], [5, 5, 8, 2])
    expect(sizes).toEqual([columns(200, 10, 4095), columns(200, 10, 4095)])
    expect(held).toBe(0)
  })

  it('builds the columns of a larger batch in chunks of 8 samples, staying under 32 MB', () => {
    // 10 samples fit; chunks are a multiple of 8, so 8 (+ 5 for a batch of 13).
    const { sizes, held } = scratchOf([13, 63, 65, 8], [5, 5, 8, 2])
    expect(sizes).toEqual([columns(200, 8, 4095), columns(200, 8, 4095)])
    expect(held).toBe(0)
  })

  it('takes the largest multiple of 8 samples that fits, not just 8', () => {
    // 5×5×4 = 100 rows × 4,095 pixels: 20 samples fit, so chunks of 16 (+ 5 for a batch of 21).
    const { sizes, held } = scratchOf([21, 63, 65, 4], [5, 5, 4, 2])
    expect(sizes).toEqual([columns(100, 16, 4095), columns(100, 16, 4095)])
    expect(held).toBe(0)
  })

  it('takes chunks of at least 8 samples when fewer fit in 32 MB', () => {
    // 6×6×8 = 288 rows × 4,096 pixels: 7 samples fit, yet chunks are 8 (+ 1 for a batch of 9).
    const { sizes, held } = scratchOf([9, 64, 64, 8], [6, 6, 8, 1])
    expect(sizes).toEqual([columns(288, 8, 4096), columns(288, 8, 4096)])
    expect(held).toBe(0)
  })
})

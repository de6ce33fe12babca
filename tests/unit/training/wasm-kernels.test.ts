import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { initBackend, tf } from '../../../src/main/training/backend'
import {
  instantiateKernels,
  wasmKernels,
  type WasmApi,
} from '../../../src/main/training/kernels/wasm-kernels'

// Loading the kernels is quick; no training here.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const real = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly
const NAMES = [
  'adam',
  'col2im',
  'convStackStep',
  'gemm',
  'gemmNT',
  'im2col',
  'maxPool',
  'maxPoolGrad',
  'pixelDenseScore',
  'pixelDenseStep',
]

/** A stand-in for tfjs-backend-wasm's backend: only `wasm.asm.memory` is read. */
function backendOver(memory: unknown): BackendWasm {
  return { wasm: { asm: { memory } } } as unknown as BackendWasm
}

/** A real WebAssembly.Memory of two pages (@types/node declares the global as types only). */
function freshMemory(): { buffer: ArrayBuffer } {
  const Memory = real.Memory as unknown as new (d: { initial: number }) => { buffer: ArrayBuffer }
  return new Memory({ initial: 2 })
}

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm')
})

afterEach(() => {
  delete process.env.SINAPSE_WASM_KERNELS
})

describe('wasmKernels', () => {
  it("binds the kernels to the wasm backend's own memory, once per backend", () => {
    const backend = tf.backend() as BackendWasm
    const kernels = wasmKernels(backend)
    expect(kernels).not.toBeNull()
    for (const name of [...NAMES, 'transposeGrad']) {
      expect(typeof (kernels as unknown as Record<string, unknown>)[name], name).toBe('function')
    }
    // Same object the second time: instantiated once, not per call.
    expect(wasmKernels(backend)).toBe(kernels)
  })

  it('computes on the memory it was given: the Adam kernel updates four weights', () => {
    const memory = freshMemory()
    const kernels = wasmKernels(backendOver(memory))
    expect(kernels).not.toBeNull()
    // x at 0, g at 16, out at 32, m at 48, v at 64 (bytes).
    const f = new Float32Array(memory.buffer)
    f.set([1, 2, 3, 4], 0)
    f.set([0.5, -1, 0, 2], 4)
    f.set([0.1, 0.2, 0.3, 0.4], 12)
    f.set([0.01, 0.02, 0.03, 0.04], 16)
    const [b1, b2, rate, eps] = [0.9, 0.999, 0.01, 1e-7]
    kernels!.adam(0, 16, 32, 48, 64, 16, b1, 1 - b1, b2, 1 - b2, rate, eps)
    const fr = Math.fround
    for (let i = 0; i < 4; i++) {
      const g = [0.5, -1, 0, 2][i]
      const m = fr(fr(b1) * fr([0.1, 0.2, 0.3, 0.4][i]) + fr(1 - b1) * g)
      const v = fr(fr(b2) * fr([0.01, 0.02, 0.03, 0.04][i]) + fr(1 - b2) * g * g)
      expect(f[12 + i], `m[${i}]`).toBeCloseTo(m, 6)
      expect(f[16 + i], `v[${i}]`).toBeCloseTo(v, 6)
      expect(f[8 + i], `out[${i}]`).toBeCloseTo(
        [1, 2, 3, 4][i] - (rate * m) / (Math.sqrt(v) + eps),
        5,
      )
    }
  })

  it('gives null, and keeps giving it, with SINAPSE_WASM_KERNELS=off', () => {
    const backend = backendOver(freshMemory())
    process.env.SINAPSE_WASM_KERNELS = 'off'
    expect(wasmKernels(backend)).toBeNull()
    delete process.env.SINAPSE_WASM_KERNELS
    // Decided once per backend: the answer does not change under it mid-training.
    expect(wasmKernels(backend)).toBeNull()
    // Another value than 'off' leaves them on.
    process.env.SINAPSE_WASM_KERNELS = 'on'
    expect(wasmKernels(backendOver(freshMemory()))).not.toBeNull()
  })

  it('gives null for a backend build that hides its memory', () => {
    expect(wasmKernels({ wasm: {} } as unknown as BackendWasm)).toBeNull()
    expect(wasmKernels(backendOver(undefined))).toBeNull()
    expect(wasmKernels(backendOver(new ArrayBuffer(65536)))).toBeNull()
  })
})

describe('instantiateKernels', () => {
  it('instantiates the module over a real memory with every kernel exported', () => {
    const kernels = instantiateKernels(freshMemory(), real)
    expect(kernels).not.toBeNull()
    expect(Object.keys(kernels!).sort()).toEqual([...NAMES, 'transposeGrad'].sort())
  })

  it('gives null when the engine rejects the module or the memory is not one', () => {
    const noSimd: WasmApi = {
      ...real,
      Memory: real.Memory,
      Instance: real.Instance,
      Module: class {
        constructor() {
          throw new Error('CompileError: invalid value type v128')
        }
      },
    }
    expect(instantiateKernels(freshMemory(), noSimd)).toBeNull()
    expect(instantiateKernels({}, real)).toBeNull()
    expect(instantiateKernels(new ArrayBuffer(65536), real)).toBeNull()
  })
})

import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { KERNELS_WASM_BASE64 } from './kernels-wasm'

/**
 * The AssemblyScript kernels (./assembly/*.ts, built by scripts/build-kernels.ts) as callable
 * functions. Pointers are byte offsets into tfjs-backend-wasm's heap (`getMemoryOffset`); each
 * function's contract is documented at its source.
 */
export interface WasmKernels {
  adam(
    x: number,
    g: number,
    out: number,
    m: number,
    v: number,
    bytes: number,
    beta1: number,
    keep1: number,
    beta2: number,
    keep2: number,
    rate: number,
    epsilon: number,
  ): void
  im2col(
    x: number,
    cols: number,
    batch: number,
    inH: number,
    inW: number,
    inC: number,
    outH: number,
    outW: number,
    fH: number,
    fW: number,
    strideH: number,
    strideW: number,
    top: number,
    left: number,
    mp: number,
  ): void
  col2im(
    dcols: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    inC: number,
    outH: number,
    outW: number,
    fH: number,
    fW: number,
    strideH: number,
    strideW: number,
    top: number,
    left: number,
    mp: number,
  ): void
  gemm(
    a: number,
    aRow: number,
    aCol: number,
    b: number,
    bStride: number,
    c: number,
    cStride: number,
    rows: number,
    inner: number,
    width: number,
    accumulate: boolean,
  ): void
  gemmNT(
    a: number,
    aStride: number,
    b: number,
    bStride: number,
    c: number,
    rows: number,
    cols: number,
    length: number,
    accumulate: boolean,
  ): void
  transposeGrad(
    dy: number,
    y: number,
    dzT: number,
    dBias: number,
    channels: number,
    count: number,
    mp: number,
    relu: boolean,
  ): void
  maxPool(
    x: number,
    y: number,
    argmax: number,
    batch: number,
    inH: number,
    inW: number,
    channels: number,
    outH: number,
    outW: number,
    pH: number,
    pW: number,
    strideH: number,
    strideW: number,
    top: number,
    left: number,
  ): void
  maxPoolGrad(dy: number, argmax: number, dx: number, count: number, inCount: number): void
  convStackStep(
    blocks: number,
    blockCount: number,
    x: number,
    h: number,
    w: number,
    top: number,
    left: number,
    layers: number,
    count: number,
    labels: number,
    n: number,
    lossAt: number,
    correctAt: number,
    dA: number,
    dB: number,
    colPtr: number,
    idx: number,
    val: number,
    adam: number,
  ): void
  pixelDenseStep(layers: number, count: number, batch: number): void
  pixelDenseScore(layers: number, count: number, batch: number): void
}

/** The part of the WebAssembly global used here (@types/node declares it as types only). */
export interface WasmApi {
  Memory: abstract new (...args: never[]) => object
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
}

const loaded = new WeakMap<object, WasmKernels | null>()

/**
 * The kernels bound to `backend`'s memory, or null where they cannot run: an engine without
 * WebAssembly SIMD (the module then fails to compile), a backend build that hides its memory, or
 * SINAPSE_WASM_KERNELS=off (to measure or test tfjs's own kernels). Instantiated once per backend.
 */
export function wasmKernels(backend: BackendWasm): WasmKernels | null {
  if (loaded.has(backend)) return loaded.get(backend) ?? null
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory
  const kernels =
    process.env.SINAPSE_WASM_KERNELS === 'off' ? null : instantiateKernels(memory, globalWasm())
  loaded.set(backend, kernels)
  return kernels
}

/** Instantiates the kernels over `memory` with `api`; null when that fails for any reason. */
export function instantiateKernels(memory: unknown, api: WasmApi): WasmKernels | null {
  if (!(memory instanceof api.Memory)) return null
  try {
    const bytes = Uint8Array.from(Buffer.from(KERNELS_WASM_BASE64, 'base64'))
    const instance = new api.Instance(new api.Module(bytes), { env: { memory } })
    return instance.exports as unknown as WasmKernels
  } catch {
    return null
  }
}

function globalWasm(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly
}

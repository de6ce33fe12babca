import * as tfCore from '@tensorflow/tfjs-core'
import * as tfLayers from '@tensorflow/tfjs-layers'
import '@tensorflow/tfjs-backend-cpu'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type {
  BatchMatMulAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core'
// Keras layers tfjs lacks, registered before any saved model is loaded.
import './custom-layers'
import { createRequire } from 'node:module'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import type { BackendName } from '../../shared/runs'

/**
 * The TensorFlow.js API the engine uses: core ops plus layers. We import the parts rather than the
 * `@tensorflow/tfjs` umbrella, which would also pull in the WebGL backend that Node cannot use.
 */
export type Tf = typeof tfCore & typeof tfLayers

export const tf: Tf = { ...tfCore, ...tfLayers }

const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu']

/** Facts about the active backend, for logs and the run record. */
export interface BackendDetails {
  name: BackendName
  /** Which WebAssembly binary runs (wasm backend only). */
  wasmBinary: 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | null
}

let active: Promise<BackendName> | null = null
let wasmBinary: BackendDetails['wasmBinary'] = null

export interface BackendOptions {
  /**
   * Whether the automatic choice may load the native binding. The desktop app says no: its
   * worker is a thread of the main process, and a native crash in libtensorflow would take the
   * window down with it. Forcing 'tensorflow' still loads it.
   */
  native?: boolean
}

/** The backends to try, fastest first: the forced one alone, else every allowed one. */
export function backendCandidates(
  forced: BackendName | undefined,
  opts: BackendOptions = {},
): readonly BackendName[] {
  if (forced) return [forced]
  return opts.native === false ? BACKEND_NAMES.filter((n) => n !== 'tensorflow') : BACKEND_NAMES
}

/**
 * Picks and initializes the fastest backend that works: the native TensorFlow binding
 * (`@tensorflow/tfjs-node`, an optional dependency), then WebAssembly, then plain JavaScript.
 * `preferred`, or else the SINAPSE_BACKEND environment variable, forces one backend and fails
 * with a clear error when it cannot start. The first call decides; later calls return the same
 * name, since tfjs keeps one global engine per thread.
 */
export function initBackend(
  preferred?: BackendName,
  opts: BackendOptions = {},
): Promise<BackendName> {
  // Through a promise so that a bad SINAPSE_BACKEND rejects rather than throws synchronously.
  active ??= Promise.resolve().then(() =>
    selectBackend(backendCandidates(preferred ?? readForcedBackend(), opts)),
  )
  return active
}

/** The active backend and, for wasm, which binary it loaded. Call after `initBackend`. */
export function describeBackend(): BackendDetails {
  return { name: tf.getBackend() as BackendName, wasmBinary }
}

function readForcedBackend(): BackendName | undefined {
  const value = process.env.SINAPSE_BACKEND?.trim()
  if (!value) return undefined
  if (!(BACKEND_NAMES as readonly string[]).includes(value)) {
    throw new AppError('INVALID_INPUT', 'training.backendUnknown', {
      backend: value,
      choices: BACKEND_NAMES.join(', '),
    })
  }
  return value as BackendName
}

async function selectBackend(candidates: readonly BackendName[]): Promise<BackendName> {
  // Production mode skips tfjs's debug checks and its console banner urging tfjs-node.
  tf.enableProdMode()
  const failures: string[] = []
  for (const name of candidates) {
    const failure = await tryBackend(name)
    if (failure === null) return name
    failures.push(`${name}: ${failure}`)
  }
  throw new AppError('TRAINING_FAILED', 'training.backendUnavailable', {
    backend: candidates.join(', '),
    detail: failures.join('; '),
  })
}

/** Starts one backend; returns null on success or why it failed. */
async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') await loadNodeBinding()
    if (name === 'wasm') await loadWasm()
    if (!(await tf.setBackend(name))) return 'initialization failed'
    // A backend can register and still compute garbage (a mismatched native binary); check.
    const product = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6], [2, 1])).dataSync(),
    )
    if (product[0] !== 17 || product[1] !== 39) return `wrong result ${Array.from(product)}`
    return null
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

async function loadNodeBinding(): Promise<void> {
  // A variable specifier: the package is optional, absent on most machines, and must not be
  // resolved by TypeScript or the bundler. It registers the 'tensorflow' backend on import.
  const specifier = '@tensorflow/tfjs-node'
  await import(/* @vite-ignore */ specifier)
}

async function loadWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  // In Node the backend reads the .wasm file from disk; point it at the package's dist folder
  // (a file path with a trailing separator, which the backend concatenates with the file name).
  const require = createRequire(import.meta.url)
  const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), path.sep)
  wasm.setWasmPaths(dist)
  speedUpTransposedMatMul()
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2DBackpropFilterWasm,
    })
  }
  if (tf.getKernel('Conv2DBackpropInput', 'wasm')) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm')
  }
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: conv2DBackpropInputWasm,
  })
  // tfjs reports no thread support under Node (the threaded build spawns its pthreads from blob:
  // URLs, which worker_threads refuses), so the single-threaded SIMD binary is the best we get.
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  wasmBinary = simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm'
}

/** Cap on the im2col buffer of the filter gradient, in floats (32 MB). */
const MAX_COLUMNS = 8 * 1024 * 1024

/**
 * What both im2col gradient kernels need: the convolution's geometry, wasm's matMul kernel, and
 * how many samples' columns fit under MAX_COLUMNS at once. NHWC only, the layout Sinapse uses.
 */
function im2colGeometry(
  kernel: string,
  args: {
    xShape: [number, number, number, number]
    filterShape: [number, number, number, number]
    strides: Conv2DBackpropFilterAttrs['strides']
    pad: Conv2DBackpropFilterAttrs['pad']
    dimRoundingMode: Conv2DBackpropFilterAttrs['dimRoundingMode']
    dataFormat: Conv2DBackpropFilterAttrs['dataFormat']
  },
) {
  const info = tf.backend_util.computeConv2DInfo(
    args.xShape,
    args.filterShape,
    args.strides,
    1,
    args.pad,
    args.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(args.dataFormat),
  )
  if (info.dataFormat !== 'channelsLast') throw new Error(`${kernel}: NHWC only`)
  const matMul = tf.getKernel('BatchMatMul', 'wasm')
  if (!matMul) throw new Error(`${kernel}: no BatchMatMul kernel`)
  const depth = info.filterHeight * info.filterWidth * info.inChannels
  const perSample = info.outHeight * info.outWidth
  const chunk = Math.max(1, Math.min(info.batchSize, Math.floor(MAX_COLUMNS / (depth * perSample))))
  return { info, matMul, top: info.padInfo.top, left: info.padInfo.left, depth, perSample, chunk }
}

/**
 * The filter gradient of a 2D convolution, which tfjs-backend-wasm 4.22 lacks (training any conv
 * layer on wasm fails with "Kernel 'Conv2DBackpropFilter' not registered"). As im2col:
 * dW[k][co] = Σₙ cols[k][n] · dy[n][co], with k = (kh, kw, ci) and n = (b, oh, ow); the
 * columns are gathered in JavaScript and multiplied by wasm's own (XNNPACK) matMul, in chunks of
 * samples so the column buffer stays under MAX_COLUMNS. NHWC only, the layout Sinapse uses.
 */
const conv2DBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo }
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs
  const wasm = backend as BackendWasm
  const geometry = im2colGeometry('Conv2DBackpropFilter', {
    xShape: x.shape as [number, number, number, number],
    filterShape,
    strides,
    pad,
    dimRoundingMode,
    dataFormat,
  })
  const { info, matMul, top, left, depth, perSample, chunk } = geometry
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info

  const out = wasm.makeOutput(info.filterShape, 'float32')
  wasm.typedArrayFromHeap(out).fill(0)
  for (let first = 0; first < batchSize; first += chunk) {
    const samples = Math.min(chunk, batchSize - first)
    const n = samples * perSample
    const cols = wasm.makeOutput([1, depth, n], 'float32')
    const dyChunk = wasm.makeOutput([1, n, outChannels], 'float32')
    // Views only after allocating: growing the wasm heap detaches earlier ones.
    const colValues = wasm.typedArrayFromHeap(cols) as Float32Array
    const xs = wasm.typedArrayFromHeap(x) as Float32Array
    const dys = wasm.typedArrayFromHeap(dy) as Float32Array
    ;(wasm.typedArrayFromHeap(dyChunk) as Float32Array).set(
      dys.subarray(first * perSample * outChannels, (first + samples) * perSample * outChannels),
    )
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        for (let ci = 0; ci < inChannels; ci++) {
          let at = ((kh * filterWidth + kw) * inChannels + ci) * n
          for (let b = first; b < first + samples; b++) {
            for (let oh = 0; oh < outHeight; oh++) {
              const ih = oh * strideHeight + kh - top
              const inRow = ih >= 0 && ih < inHeight
              const rowBase = (b * inHeight + ih) * inWidth
              for (let ow = 0; ow < outWidth; ow++, at++) {
                const iw = ow * strideWidth + kw - left
                colValues[at] =
                  inRow && iw >= 0 && iw < inWidth ? xs[(rowBase + iw) * inChannels + ci] : 0
              }
            }
          }
        }
      }
    }
    const partial = matMul.kernelFunc({
      inputs: { a: cols, b: dyChunk },
      backend: wasm,
      attrs: { transposeA: false, transposeB: false },
    }) as TensorInfo
    const dw = wasm.typedArrayFromHeap(out) as Float32Array
    const values = wasm.typedArrayFromHeap(partial) as Float32Array
    for (let i = 0; i < dw.length; i++) dw[i] += values[i]
    wasm.disposeData(partial.dataId)
    wasm.disposeData(cols.dataId)
    wasm.disposeData(dyChunk.dataId)
  }
  return out
}

/**
 * The input gradient of a 2D convolution, replacing tfjs-backend-wasm's direct loop (the largest
 * cost of a LeNet step after the filter gradient): cols[n][k] = Σ_co dy[n][co] · W[k][co] by wasm's
 * matMul, then each column value is added back to the input pixel it came from (col2im).
 */
const conv2DBackpropInputWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo }
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as Conv2DBackpropInputAttrs
  const wasm = backend as BackendWasm
  const geometry = im2colGeometry('Conv2DBackpropInput', {
    xShape: inputShape,
    filterShape: filter.shape as [number, number, number, number],
    strides,
    pad,
    dimRoundingMode,
    dataFormat,
  })
  const { info, matMul, top, left, depth, perSample, chunk } = geometry
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info
  const weights: TensorInfo = {
    dataId: filter.dataId,
    shape: [1, depth, outChannels],
    dtype: 'float32',
  }

  const out = wasm.makeOutput(inputShape, 'float32')
  wasm.typedArrayFromHeap(out).fill(0)
  for (let first = 0; first < batchSize; first += chunk) {
    const samples = Math.min(chunk, batchSize - first)
    const n = samples * perSample
    const dyChunk = wasm.makeOutput([1, n, outChannels], 'float32')
    const dys = wasm.typedArrayFromHeap(dy) as Float32Array
    ;(wasm.typedArrayFromHeap(dyChunk) as Float32Array).set(
      dys.subarray(first * perSample * outChannels, (first + samples) * perSample * outChannels),
    )
    const cols = matMul.kernelFunc({
      inputs: { a: dyChunk, b: weights },
      backend: wasm,
      attrs: { transposeA: false, transposeB: true },
    }) as TensorInfo
    // Views only after allocating: growing the wasm heap detaches earlier ones.
    const colValues = wasm.typedArrayFromHeap(cols) as Float32Array
    const dx = wasm.typedArrayFromHeap(out) as Float32Array
    let at = 0
    for (let b = first; b < first + samples; b++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          for (let kh = 0; kh < filterHeight; kh++) {
            const ih = oh * strideHeight + kh - top
            const inRow = ih >= 0 && ih < inHeight
            for (let kw = 0; kw < filterWidth; kw++, at += inChannels) {
              const iw = ow * strideWidth + kw - left
              if (!inRow || iw < 0 || iw >= inWidth) continue
              const base = ((b * inHeight + ih) * inWidth + iw) * inChannels
              for (let ci = 0; ci < inChannels; ci++) dx[base + ci] += colValues[at + ci]
            }
          }
        }
      }
    }
    wasm.disposeData(cols.dataId)
    wasm.disposeData(dyChunk.dataId)
  }
  return out
}

/**
 * tfjs-backend-wasm multiplies through XNNPACK only when neither operand is transposed; with
 * `transposeA`/`transposeB` it falls back to a loop about 12 times slower (0.3 vs 4 ms for a
 * 32×784 by 784×128 product here). Backpropagation through every Dense layer uses exactly those
 * two transposed products, so the wrapper transposes explicitly (a cheap copy) and multiplies
 * plainly. Must run before `setBackend('wasm')`, which calls each kernel's setup once.
 */
function speedUpTransposedMatMul(): void {
  const original = tf.getKernel('BatchMatMul', 'wasm')
  const transpose = tf.getKernel('Transpose', 'wasm')
  if (!original || !transpose) return
  const swapLastTwo = (info: TensorInfo, backend: BackendWasm): TensorInfo => {
    const perm = info.shape.map((_, i) => i)
    perm.push(...perm.splice(-2).reverse())
    return transpose.kernelFunc({ inputs: { x: info }, backend, attrs: { perm } }) as TensorInfo
  }
  tf.unregisterKernel('BatchMatMul', 'wasm')
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo }
      const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs
      if (!transposeA && !transposeB) return original.kernelFunc(args)
      const wasm = args.backend as BackendWasm
      const plainA = transposeA ? swapLastTwo(a, wasm) : a
      const plainB = transposeB ? swapLastTwo(b, wasm) : b
      try {
        return original.kernelFunc({
          ...args,
          inputs: { a: plainA, b: plainB },
          attrs: { ...args.attrs, transposeA: false, transposeB: false },
        })
      } finally {
        if (plainA !== a) wasm.disposeData(plainA.dataId)
        if (plainB !== b) wasm.disposeData(plainB.dataId)
      }
    },
  })
}

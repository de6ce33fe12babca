import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { backend_util, getKernel } from '@tensorflow/tfjs-core'
import type {
  KernelFunc,
  NamedAttrMap,
  NamedTensorMap,
  Tensor,
  Tensor4D,
  TensorInfo,
} from '@tensorflow/tfjs-core'
import type { Tf } from '../backend'
import { wasmKernels, type WasmKernels } from './wasm-kernels'

/*
 * Conv2D (+ bias + ReLU) and max pooling as kernels of the wasm backend, with gradients computed
 * by the AssemblyScript kernels in ./assembly/conv.ts and registered beside them. NHWC only.
 * tfjs's own path for one LeNet step runs conv2d, add, relu and their three gradients per layer,
 * the filter gradient as im2col in JavaScript, and a max-pool gradient that searches every window
 * again; here each layer is one forward kernel, and its backward pass one preparation (ReLU mask,
 * transpose, bias gradient) plus one SIMD kernel per gradient that is needed.
 */

const CONV = 'SinapseConv2D'
/** dy masked by ReLU's derivative and transposed to [channel][pixel], plus the bias gradient. */
const CONV_GRAD = 'SinapseConv2DGrad'
const CONV_FILTER_GRAD = 'SinapseConv2DFilterGrad'
const CONV_INPUT_GRAD = 'SinapseConv2DInputGrad'
const POOL = 'SinapseMaxPool'
const POOL_GRAD = 'SinapseMaxPoolGrad'

type Pair = [number, number]
type Padding = 'same' | 'valid'
type Shape4 = [number, number, number, number]

interface ConvAttrs {
  strides: Pair
  pad: Padding
  relu: boolean
}

interface PoolAttrs {
  poolSize: Pair
  strides: Pair
  pad: Padding
}

/** Cap on an im2col buffer, in floats (32 MB): bigger batches are done in chunks of samples. */
const MAX_COLUMNS = 8 * 1024 * 1024

const roundUp8 = (n: number) => Math.ceil(n / 8) * 8

/**
 * `act(conv2d(x, filter) + bias)` with act ReLU or identity, through the wasm kernels; null when
 * they are not available on the active backend (another backend, no SIMD), so the caller falls
 * back to tfjs's ops.
 */
export function fusedConv2d(
  tf: Tf,
  x: Tensor4D,
  filter: Tensor4D,
  bias: Tensor | null,
  strides: Pair,
  pad: Padding,
  relu: boolean,
): Tensor4D | null {
  if (!registerConvKernels(tf)) return null
  const inputs: NamedTensorMap = bias ? { x, filter, bias } : { x, filter }
  const attrs: ConvAttrs = { strides, pad, relu }
  return tf.engine().runKernel(CONV, inputs, attrs as unknown as NamedAttrMap) as Tensor4D
}

/** Max pooling through the wasm kernels (remembering each maximum's position), or null. */
export function fusedMaxPool(
  tf: Tf,
  x: Tensor4D,
  poolSize: Pair,
  strides: Pair,
  pad: Padding,
): Tensor4D | null {
  if (!registerConvKernels(tf)) return null
  const attrs: PoolAttrs = { poolSize, strides, pad }
  const [y] = tf.engine().runKernel(POOL, { x }, attrs as unknown as NamedAttrMap) as Tensor[]
  return y as Tensor4D
}

/** True when the kernels run on the active backend; registers them on first use. */
export function registerConvKernels(tf: Tf): boolean {
  if (tf.getBackend() !== 'wasm' || !wasmKernels(tf.backend() as BackendWasm)) return false
  if (tf.getKernel(CONV, 'wasm')) return true
  const kernels: Record<string, KernelFunc> = {
    [CONV]: convForward,
    [CONV_GRAD]: convGrad,
    [CONV_FILTER_GRAD]: convFilterGrad,
    [CONV_INPUT_GRAD]: convInputGrad,
    [POOL]: maxPoolForward,
    [POOL_GRAD]: maxPoolGrad,
  }
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc })
  }
  tf.registerGradient({
    kernelName: CONV,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved
      const { strides, pad, relu } = attrs as unknown as ConvAttrs
      // Shared by the three gradients, so computed here rather than in one of their closures
      // (each of which runs in its own tidy scope).
      const [dzT, dBias] = tf
        .engine()
        .runKernel(CONV_GRAD, { dy: dy as Tensor, y }, { relu }) as Tensor[]
      const geometry = { strides, pad } as unknown as NamedAttrMap
      return {
        x: () =>
          tf
            .engine()
            .runKernel(
              CONV_INPUT_GRAD,
              { dzT, filter },
              { ...geometry, xShape: x.shape },
            ) as Tensor,
        filter: () =>
          tf.engine().runKernel(
            CONV_FILTER_GRAD,
            { x, dzT },
            {
              ...geometry,
              filterShape: filter.shape,
            },
          ) as Tensor,
        bias: () => dBias,
      }
    },
  })
  tf.registerGradient({
    kernelName: POOL,
    inputsToSave: ['x'],
    outputsToSave: [false, true],
    gradFunc: (dys, saved) => {
      const [x, argmax] = saved
      const dy = (dys as Tensor[])[0]
      return {
        x: () => tf.engine().runKernel(POOL_GRAD, { dy, argmax }, { xShape: x.shape }) as Tensor,
      }
    },
  })
  return true
}

interface Scratch {
  ptr: number
  free(): void
}

function allocate(backend: BackendWasm, floats: number): Scratch {
  const ptr = backend.wasm._malloc(floats * 4) >>> 0
  return { ptr, free: () => backend.wasm._free(ptr) }
}

function kernelsOf(backend: BackendWasm): WasmKernels {
  const kernels = wasmKernels(backend)
  if (!kernels) throw new Error('Sinapse wasm kernels unavailable')
  return kernels
}

/** A convolution's geometry and how many samples' columns to build at once. */
function convGeometry(xShape: Shape4, filterShape: Shape4, strides: Pair, pad: Padding) {
  const info = backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad)
  const depth = info.filterHeight * info.filterWidth * info.inChannels
  const perSample = info.outHeight * info.outWidth
  const fit = Math.floor(MAX_COLUMNS / (depth * perSample))
  // Chunks of a multiple of 8 samples keep each chunk's first column at a multiple of 8.
  const chunk = fit >= info.batchSize ? info.batchSize : Math.max(8, fit - (fit % 8))
  const total = info.batchSize * perSample
  return { info, depth, perSample, chunk, total, mp: roundUp8(total) }
}

type Geometry = ReturnType<typeof convGeometry>

/** The im2col arguments shared by im2col and col2im, for `samples` samples. */
function columnArgs(g: Geometry, samples: number, mp: number) {
  const i = g.info
  return [
    samples,
    i.inHeight,
    i.inWidth,
    i.inChannels,
    i.outHeight,
    i.outWidth,
    i.filterHeight,
    i.filterWidth,
    i.strideHeight,
    i.strideWidth,
    i.padInfo.top,
    i.padInfo.left,
    mp,
  ] as const
}

/**
 * The forward pass is tfjs-backend-wasm's own FusedConv2D (XNNPACK, bias and ReLU fused), which
 * measured faster than im2col here; what this kernel adds is the gradient registered for it.
 */
const convForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { strides, pad, relu } = attrs as unknown as ConvAttrs
  const xnnpack = getKernel('FusedConv2D', 'wasm')
  if (!xnnpack) throw new Error('tfjs-backend-wasm has no FusedConv2D kernel')
  return xnnpack.kernelFunc({
    inputs,
    backend,
    attrs: {
      strides,
      pad,
      dilations: [1, 1],
      dataFormat: 'NHWC',
      activation: relu ? 'relu' : 'linear',
    },
  })
}

const convGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo }
  const { relu } = attrs as unknown as { relu: boolean }
  const wasm = backend as BackendWasm
  const channels = dy.shape[3]
  const total = dy.shape[0] * dy.shape[1] * dy.shape[2]
  const mp = roundUp8(total)
  const dzT = wasm.makeOutput([channels, mp], 'float32')
  const dBias = wasm.makeOutput([channels], 'float32')
  const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId)
  kernelsOf(wasm).transposeGrad(at(dy), at(y), at(dzT), at(dBias), channels, total, mp, relu)
  return [dzT, dBias]
}

const convFilterGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dzT } = inputs as { x: TensorInfo; dzT: TensorInfo }
  const { strides, pad, filterShape } = attrs as unknown as ConvAttrs & { filterShape: Shape4 }
  const wasm = backend as BackendWasm
  const k = kernelsOf(wasm)
  const g = convGeometry(x.shape as Shape4, filterShape, strides, pad)
  const { info, depth, perSample, chunk, mp: mpAll } = g
  const out = wasm.makeOutput(filterShape, 'float32')
  const cols = allocate(wasm, depth * roundUp8(Math.min(chunk, info.batchSize) * perSample))
  try {
    const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId)
    const inSample = info.inHeight * info.inWidth * info.inChannels * 4
    for (let first = 0; first < info.batchSize; first += chunk) {
      const samples = Math.min(chunk, info.batchSize - first)
      const mp = roundUp8(samples * perSample)
      k.im2col(at(x) + first * inSample, cols.ptr, ...columnArgs(g, samples, mp))
      const dzChunk = at(dzT) + first * perSample * 4
      k.gemmNT(cols.ptr, mp, dzChunk, mpAll, at(out), depth, info.outChannels, mp, first > 0)
    }
  } finally {
    cols.free()
  }
  return out
}

const convInputGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dzT, filter } = inputs as { dzT: TensorInfo; filter: TensorInfo }
  const { strides, pad, xShape } = attrs as unknown as ConvAttrs & { xShape: Shape4 }
  const wasm = backend as BackendWasm
  const k = kernelsOf(wasm)
  const g = convGeometry(xShape, filter.shape as Shape4, strides, pad)
  const { info, depth, perSample, chunk, mp: mpAll } = g
  const out = wasm.makeOutput(xShape, 'float32')
  const dcols = allocate(wasm, depth * roundUp8(Math.min(chunk, info.batchSize) * perSample))
  try {
    const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId)
    const inSample = info.inHeight * info.inWidth * info.inChannels * 4
    for (let first = 0; first < info.batchSize; first += chunk) {
      const samples = Math.min(chunk, info.batchSize - first)
      const mp = roundUp8(samples * perSample)
      const dzChunk = at(dzT) + first * perSample * 4
      k.gemm(
        at(filter),
        info.outChannels,
        1,
        dzChunk,
        mpAll,
        dcols.ptr,
        mp,
        depth,
        info.outChannels,
        mp,
        false,
      )
      k.col2im(dcols.ptr, at(out) + first * inSample, ...columnArgs(g, samples, mp))
    }
  } finally {
    dcols.free()
  }
  return out
}

const maxPoolForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: TensorInfo }
  const { poolSize, strides, pad } = attrs as unknown as PoolAttrs
  const wasm = backend as BackendWasm
  const info = backend_util.computePool2DInfo(x.shape as Shape4, poolSize, strides, 1, pad)
  const y = wasm.makeOutput(info.outShape, 'float32')
  const argmax = wasm.makeOutput(info.outShape, 'int32')
  const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId)
  kernelsOf(wasm).maxPool(
    at(x),
    at(y),
    at(argmax),
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  )
  return [y, argmax]
}

const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, argmax } = inputs as { dy: TensorInfo; argmax: TensorInfo }
  const { xShape } = attrs as unknown as { xShape: Shape4 }
  const wasm = backend as BackendWasm
  const dx = wasm.makeOutput(xShape, 'float32')
  const at = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId)
  const count = dy.shape.reduce((a, b) => a * b, 1)
  const inCount = xShape.reduce((a, b) => a * b, 1)
  kernelsOf(wasm).maxPoolGrad(at(dy), at(argmax), at(dx), count, inCount)
  return dx
}

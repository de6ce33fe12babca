import type { Padding } from '../../../../shared/model-spec'
import { tf } from './tf'

/** A one-channel image, row-major, as the lab shows it (a digit: 28×28, values 0–1). */
export interface Plane {
  width: number
  height: number
  data: Float32Array
}

/** A square kernel, row-major. */
export interface Kernel {
  size: 3 | 5
  weights: number[]
}

export const KERNEL_PRESETS = ['edges', 'sobelX', 'sobelY', 'blur', 'sharpen'] as const
export type KernelPreset = (typeof KERNEL_PRESETS)[number]

const PRESETS_3: Record<KernelPreset, number[]> = {
  edges: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
  sobelX: [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  sobelY: [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  blur: Array(9).fill(1 / 9),
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
}

/** A preset at either size: 5×5 blur and edges spread over the window; the others keep 3×3 in the middle. */
export function presetKernel(name: KernelPreset, size: 3 | 5): Kernel {
  if (size === 3) return { size, weights: [...PRESETS_3[name]] }
  if (name === 'blur') return { size, weights: Array(25).fill(1 / 25) }
  if (name === 'edges')
    return { size, weights: Array.from({ length: 25 }, (_, i) => (i === 12 ? 24 : -1)) }
  const weights = Array(25).fill(0)
  PRESETS_3[name].forEach((w, i) => (weights[(Math.floor(i / 3) + 1) * 5 + (i % 3) + 1] = w))
  return { size, weights }
}

/** A kernel cell as typed: "0,5" and "-1" are numbers; anything else is refused (null). */
export function parseKernelValue(text: string): number | null {
  const trimmed = text.trim().replace(',', '.')
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return null
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : null
}

/** Output length along one axis, as Keras and the builder compute it. */
export function outputLength(
  input: number,
  window: number,
  stride: number,
  padding: Padding,
): number {
  return padding === 'same'
    ? Math.ceil(input / stride)
    : Math.max(0, Math.floor((input - window) / stride) + 1)
}

/** Zeros added before the first row/column under 'same' (TensorFlow puts the odd one after). */
function padBefore(input: number, window: number, stride: number, padding: Padding): number {
  if (padding === 'valid') return 0
  const total = Math.max(
    (outputLength(input, window, stride, 'same') - 1) * stride + window - input,
    0,
  )
  return Math.floor(total / 2)
}

export interface WindowCell {
  /** Input position, or -1 outside the image (a padded zero). */
  row: number
  col: number
  pixel: number
  weight: number
}

/**
 * The input window under one output pixel and the dot product it makes; `top`/`left` place the
 * window on the input (negative when it starts in the padding).
 */
export function convWindow(
  image: Plane,
  kernel: Kernel,
  stride: number,
  padding: Padding,
  outRow: number,
  outCol: number,
): { cells: WindowCell[]; sum: number; top: number; left: number } {
  const k = kernel.size
  const top = outRow * stride - padBefore(image.height, k, stride, padding)
  const left = outCol * stride - padBefore(image.width, k, stride, padding)
  const cells: WindowCell[] = []
  let sum = 0
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      const row = top + r
      const col = left + c
      const inside = row >= 0 && row < image.height && col >= 0 && col < image.width
      const pixel = inside ? image.data[row * image.width + col] : 0
      const weight = kernel.weights[r * k + c]
      cells.push({ row: inside ? row : -1, col: inside ? col : -1, pixel, weight })
      sum += pixel * weight
    }
  }
  return { cells, sum, top, left }
}

/** The feature map by the definition: one window's dot product per output pixel. */
export function convolve(image: Plane, kernel: Kernel, stride: number, padding: Padding): Plane {
  const height = outputLength(image.height, kernel.size, stride, padding)
  const width = outputLength(image.width, kernel.size, stride, padding)
  const data = new Float32Array(width * height)
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      data[r * width + c] = convWindow(image, kernel, stride, padding, r, c).sum
  return { width, height, data }
}

export type PoolKind = 'max' | 'avg'

/** Max or average pooling; an average over a padded window counts only real pixels, as TF does. */
export function pool(
  image: Plane,
  size: number,
  stride: number,
  padding: Padding,
  kind: PoolKind,
): Plane {
  const height = outputLength(image.height, size, stride, padding)
  const width = outputLength(image.width, size, stride, padding)
  const top0 = padBefore(image.height, size, stride, padding)
  const left0 = padBefore(image.width, size, stride, padding)
  const data = new Float32Array(width * height)
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let best = -Infinity
      let sum = 0
      let count = 0
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          const row = r * stride - top0 + i
          const col = c * stride - left0 + j
          if (row < 0 || row >= image.height || col < 0 || col >= image.width) continue
          const v = image.data[row * image.width + col]
          best = Math.max(best, v)
          sum += v
          count++
        }
      }
      data[r * width + c] = kind === 'max' ? best : sum / count
    }
  }
  return { width, height, data }
}

/** The same feature map from TensorFlow.js's conv2d, which the lab draws. */
export function tfConvolve(image: Plane, kernel: Kernel, stride: number, padding: Padding): Plane {
  return tf.tidy(() => {
    const x = tf.tensor4d(image.data, [1, image.height, image.width, 1])
    const w = tf.tensor4d(kernel.weights, [kernel.size, kernel.size, 1, 1])
    const y = tf.conv2d(x, w, stride, padding)
    return { height: y.shape[1], width: y.shape[2], data: y.dataSync() as Float32Array }
  })
}

/** TensorFlow.js's maxPool / avgPool on a plane. */
export function tfPool(
  image: Plane,
  size: number,
  stride: number,
  padding: Padding,
  kind: PoolKind,
): Plane {
  return tf.tidy(() => {
    const x = tf.tensor4d(image.data, [1, image.height, image.width, 1])
    const y =
      kind === 'max' ? tf.maxPool(x, size, stride, padding) : tf.avgPool(x, size, stride, padding)
    return { height: y.shape[1], width: y.shape[2], data: y.dataSync() as Float32Array }
  })
}

/** A handwritten-looking 7 to start from, drawn by formula so it needs no dataset. */
export function sampleDigit(): Plane {
  const side = 28
  const data = new Float32Array(side * side)
  const ink = (x: number, y: number, d: number) => {
    const v = Math.max(0, Math.min(1, 1.6 - d / 1.1))
    data[y * side + x] = Math.max(data[y * side + x], v)
  }
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      // The top bar from (7, 7) to (21, 6), then the stem down to (12, 22).
      const bar = distanceToSegment(x, y, 7, 7, 21, 6)
      const stem = distanceToSegment(x, y, 21, 6, 12, 22)
      ink(x, y, Math.min(bar, stem))
    }
  }
  return { width: side, height: side, data }
}

function distanceToSegment(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy))
}

/** A test image's bytes (0–255) as a plane of 0–1 values, as the network's first layer sees it. */
export function planeFromBytes(pixels: Uint8Array, width: number, height: number): Plane {
  return {
    width,
    height,
    data: Float32Array.from(pixels.subarray(0, width * height), (v) => v / 255),
  }
}

/** ReLU applied to every value: what a Conv2D with activation 'relu' passes on. */
export function reluPlane(plane: Plane): Plane {
  return { ...plane, data: plane.data.map((v) => (v > 0 ? v : 0)) }
}

export interface ConvSettings {
  kernel: Kernel
  stride: number
  padding: Padding
  relu: boolean
  poolKind: PoolKind
  /** Pooling window side, also its stride (Keras's default), 'valid' padding. */
  poolSize: number
}

/** Everything the lab draws for one input and one setting. */
export interface ConvViews {
  feature: Plane
  activated: Plane
  pooled: Plane
  /** The input pooled directly, for comparison: pooling alone only shrinks. */
  pooledInput: Plane
}

/** The lab's pipeline, conv → (ReLU) → pool, on TensorFlow.js's kernels. */
export function computeViews(image: Plane, s: ConvSettings): ConvViews {
  const feature = tfConvolve(image, s.kernel, s.stride, s.padding)
  const activated = s.relu ? reluPlane(feature) : feature
  const pooled =
    activated.width >= s.poolSize && activated.height >= s.poolSize
      ? tfPool(activated, s.poolSize, s.poolSize, 'valid', s.poolKind)
      : { width: 0, height: 0, data: new Float32Array(0) }
  const pooledInput = tfPool(image, s.poolSize, s.poolSize, 'valid', s.poolKind)
  return { feature, activated, pooled, pooledInput }
}

/** The largest |value| of a plane (1 when all are zero), to colour it symmetrically around 0. */
export function maxAbs(plane: Plane): number {
  let m = 0
  for (const v of plane.data) m = Math.max(m, Math.abs(v))
  return m > 0 ? m : 1
}

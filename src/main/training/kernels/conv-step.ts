import type { Variable } from '@tensorflow/tfjs-core'
import type { Layer } from '@tensorflow/tfjs-layers/dist/engine/topology'
import type { LayersModel } from '@tensorflow/tfjs-layers'

/*
 * The convolutional front of a model that the fused training step (./dense.ts, kernel source
 * ./assembly/conv-step.ts) can run: Conv2D blocks (stride 1, no dilation, 'same' or 'valid', ReLU
 * or linear, channels last), each optionally followed by a non-overlapping 'valid' max pooling,
 * then Flatten. LeNet is such a model. Anything else gets null and trains through tfjs.
 */

/** One convolution block's geometry and weights, as CONV_WORDS in ./assembly/conv-step.ts. */
export interface ConvBlock {
  kernel: Variable
  bias: Variable | null
  /** This block's input, zero-padded: ph × pw × inC, the image at (padTop, padLeft). */
  ph: number
  pw: number
  inC: number
  padTop: number
  padLeft: number
  outH: number
  outW: number
  outC: number
  fh: number
  fw: number
  relu: boolean
  /** Pool size and stride, or 0. */
  pool: number
  /** The block's output: nextH × nextW × outC. */
  nextH: number
  nextW: number
}

/** Words per block in the kernel's descriptor (CONV_WORDS in ./assembly/conv-step.ts). */
export const CONV_WORDS = 33

export interface ConvFront {
  blocks: ConvBlock[]
  /** The raw input image: h × w × c. */
  input: [number, number, number]
  /** The layers after Flatten (the Dense part). */
  rest: Layer[]
  /** Flattened features per sample. */
  features: number
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? v : [v, v]) as [number, number]

/** The model's convolution blocks up to and including Flatten, or null (see above). */
export function convFront(model: LayersModel): ConvFront | null {
  const shape = model.inputs[0].shape.slice(1)
  if (shape.length !== 3 || shape.some((d) => d === null)) return null
  let [h, w, c] = shape as number[]
  const input: [number, number, number] = [h, w, c]
  const layers = model.layers
  const blocks: ConvBlock[] = []
  let i = 0
  while (i < layers.length && layers[i].getClassName() === 'Conv2D') {
    const conv = layers[i++]
    const config = conv.getConfig()
    const [fh, fw] = pair(config.kernelSize)
    const plain =
      conv.trainable &&
      config.dataFormat === 'channelsLast' &&
      pair(config.strides).every((s) => s === 1) &&
      pair(config.dilationRate ?? 1).every((d) => d === 1) &&
      (config.padding === 'same' || config.padding === 'valid') &&
      (config.activation === 'relu' || config.activation === 'linear') &&
      conv.weights.length === (config.useBias ? 2 : 1) &&
      conv.weights.every((v) => v.trainable && v.dtype === 'float32')
    if (!plain) return null
    const kernel = conv.weights[0].read() as Variable
    if (kernel.shape[2] !== c) return null
    const same = config.padding === 'same'
    const padTop = same ? Math.floor((fh - 1) / 2) : 0
    const padLeft = same ? Math.floor((fw - 1) / 2) : 0
    const ph = same ? h + fh - 1 : h
    const pw = same ? w + fw - 1 : w
    const outH = ph - fh + 1
    const outW = pw - fw + 1
    if (outH < 1 || outW < 1) return null
    const outC = kernel.shape[3] as number
    let pool = 0
    if (layers[i]?.getClassName() === 'MaxPooling2D') {
      const p = layers[i].getConfig()
      const [sizeH, sizeW] = pair(p.poolSize)
      const [strideH, strideW] = pair(p.strides ?? p.poolSize)
      const square = sizeH === sizeW && strideH === sizeH && strideW === sizeW
      if (!square || p.padding !== 'valid' || p.dataFormat !== 'channelsLast') return null
      if (outH < sizeH || outW < sizeW) return null
      pool = sizeH
      i++
    }
    blocks.push({
      kernel,
      bias: config.useBias ? (conv.weights[1].read() as Variable) : null,
      ph,
      pw,
      inC: c,
      padTop,
      padLeft,
      outH,
      outW,
      outC,
      fh,
      fw,
      relu: config.activation === 'relu',
      pool,
      nextH: pool ? Math.floor(outH / pool) : outH,
      nextW: pool ? Math.floor(outW / pool) : outW,
    })
    const last = blocks[blocks.length - 1]
    ;[h, w, c] = [last.nextH, last.nextW, outC]
  }
  if (blocks.length === 0 || layers[i]?.getClassName() !== 'Flatten') return null
  return { blocks, input, rest: layers.slice(i + 1), features: h * w * c }
}

/** Floats of scratch each block needs, by part (see the C_* words of the kernel). */
export function blockScratch(b: Omit<ConvBlock, 'kernel' | 'bias'>, n: number, first: boolean) {
  const taps = b.fh * b.fw * b.inC * b.outC
  return {
    p: n * b.ph * b.pw * b.inC,
    z: n * b.outH * b.outW * b.outC,
    arg: n * b.nextH * b.nextW * b.outC,
    dp: first ? 0 : n * b.ph * b.pw * b.inC,
    gwt: taps,
    wt: taps,
    gb: b.outC,
  }
}

export type BlockPart = keyof ReturnType<typeof blockScratch>

/** Byte offsets the kernel reads for one block: its scratch parts and weights' buffers. */
export interface BlockPointers {
  scratch: Record<BlockPart, number>
  dest: number
  ddest: number
  w: number
  b: number
  newW: number
  newB: number
  mw: number
  vw: number
  mb: number
  vb: number
}

/** The words of one block's descriptor; `dest` is where its output goes, of destH × destW. */
export function blockWords(
  b: Omit<ConvBlock, 'kernel' | 'bias'>,
  dest: { h: number; w: number; top: number; left: number },
  at: BlockPointers,
): number[] {
  const s = at.scratch
  return [
    b.ph,
    b.pw,
    b.inC,
    b.outH,
    b.outW,
    b.outC,
    b.fh,
    b.fw,
    b.relu ? 1 : 0,
    b.pool,
    b.nextH,
    b.nextW,
    dest.h,
    dest.w,
    dest.top,
    dest.left,
    s.p,
    s.z,
    s.arg,
    s.dp,
    at.dest,
    at.ddest,
    at.w,
    at.b,
    at.newW,
    at.newB,
    at.mw,
    at.vw,
    at.mb,
    at.vb,
    s.gwt,
    s.wt,
    s.gb,
  ]
}

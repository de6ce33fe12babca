import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type {
  KernelFunc,
  NamedAttrMap,
  NamedTensorMap,
  Tensor,
  TensorInfo,
  Variable,
} from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import type { Layer } from '@tensorflow/tfjs-layers/dist/engine/topology'
import type { AdamSettings } from '../adam'
import type { Tf } from '../backend'
import { fillBatch } from '../datasets/batch'
import type { ImageSet } from '../datasets/types'
import {
  blockScratch,
  blockWords,
  convFront,
  CONV_WORDS,
  type BlockPart,
  type ConvBlock,
  type ConvFront,
} from './conv-step'
import { wasmKernels, type WasmKernels } from './wasm-kernels'

/*
 * The training step of a model that is only Dense layers (after an optional Flatten), ReLU or
 * linear, ending in Dense + softmax, trained with Adam: one call into the AssemblyScript kernel
 * ./assembly/dense.ts per batch, instead of ~50 tfjs kernel launches and their tensors. The
 * tutorial MLP is such a model. The kernel skips the zero entries of each layer's input (most of
 * an MNIST image, about half of a ReLU's outputs), which is where its speed comes from; the
 * arithmetic is tfjs's, summed in another order. A model that starts with convolution blocks and
 * Flatten (LeNet; ./conv-step.ts says which qualify) runs them in the same call, through
 * ./assembly/conv-step.ts, instead of ~100 launches. Other models, backends, optimizers, or an
 * engine without WebAssembly SIMD get null and train through tfjs as before.
 */

/** One Dense layer as the kernel sees it. */
interface DenseLayer {
  kernel: Variable
  bias: Variable | null
  inSize: number
  outSize: number
  relu: boolean
}

/** Words per layer in the kernel's descriptor (LAYER_WORDS in ./assembly/dense.ts). */
const LAYER_WORDS = 12

/** The model as a stack of Dense layers the kernel can train, or null. */
export function denseStack(model: LayersModel): DenseLayer[] | null {
  const sampleSize = model.inputs[0].shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1)
  return denseLayers(model.layers, sampleSize)
}

/** `layers` (an optional Flatten, then Dense layers) on inputs of `sampleSize`, or null. */
function denseLayers(modelLayers: Layer[], sampleSize: number): DenseLayer[] | null {
  const layers: DenseLayer[] = []
  const dense = modelLayers.filter((layer) => layer.getClassName() !== 'Flatten')
  if (dense.length === 0) return null
  // Flatten only before the first Dense (it is a reshape there, and anything else is not).
  const firstDense = modelLayers.indexOf(dense[0])
  if (modelLayers.slice(firstDense).some((layer) => layer.getClassName() === 'Flatten')) {
    return null
  }
  for (const [index, layer] of dense.entries()) {
    if (layer.getClassName() !== 'Dense' || !layer.trainable) return null
    const config = layer.getConfig()
    const isLast = index === dense.length - 1
    const activation = config.activation
    if (isLast ? activation !== 'softmax' : activation !== 'relu' && activation !== 'linear') {
      return null
    }
    const weights = layer.weights
    if (weights.length !== (config.useBias ? 2 : 1) || weights.some((w) => !w.trainable)) {
      return null
    }
    const kernel = weights[0].read() as Variable
    const [inSize, outSize] = kernel.shape
    if (kernel.rank !== 2 || kernel.dtype !== 'float32') return null
    if (index > 0 && inSize !== layers[index - 1].outSize) return null
    layers.push({
      kernel,
      bias: config.useBias ? (weights[1].read() as Variable) : null,
      inSize,
      outSize,
      relu: activation === 'relu',
    })
  }
  return layers[0].inSize === sampleSize ? layers : null
}

/** One training step of the whole model, adding to the running loss and correct-count sums. */
export interface DenseStackStep {
  /** Puts samples order[start …] (at most a batch) in place for `step`; returns how many. */
  fill(set: ImageSet, order: Uint32Array, start: number): number
  /** One step on the samples of the last `fill`, adding to the two running sums. */
  step(lossSum: Variable, correct: Variable): void
  /**
   * Ends writing the weights in place: the next step first gives each weight a buffer of its own
   * again. Called when anything else may use the weights (between epochs, at the end).
   */
  release(): void
  dispose(): void
}

/** The step of a model with convolution blocks, on a batch of floats (FusedDenseStep). */
interface FloatBatchStep {
  step(xBuf: Float32Array, yBuf: Int32Array, n: number, lossSum: Variable, correct: Variable): void
  dispose(): void
}

/** A FloatBatchStep behind DenseStackStep: the batch filled as floats (datasets/batch.ts). */
function floatBatches(
  inner: FloatBatchStep,
  sampleSize: number,
  batchSize: number,
): DenseStackStep {
  const xBuf = new Float32Array(batchSize * sampleSize)
  const yBuf = new Int32Array(batchSize)
  let n = 0
  return {
    fill(set, order, start) {
      n = fillBatch(set, order, start, batchSize, xBuf, yBuf)
      return n
    },
    step: (lossSum, correct) => inner.step(xBuf, yBuf, n, lossSum, correct),
    release() {},
    dispose: () => inner.dispose(),
  }
}

/**
 * The fused step for `model` with Adam `settings` at batches of up to `batchSize`, or null where
 * it does not apply (see above). A model of Dense layers only reads the images' bytes and updates
 * its weights in place (PixelDenseStep); one that starts with convolution blocks (./conv-step.ts)
 * runs them in the same call, on a batch of floats, and assigns the weights new tensors
 * (FusedDenseStep).
 */
export function createDenseStackStep(
  tf: Tf,
  model: LayersModel,
  settings: AdamSettings,
  batchSize: number,
): DenseStackStep | null {
  if (tf.getBackend() !== 'wasm') return null
  const backend = tf.backend() as BackendWasm
  const kernels = wasmKernels(backend)
  if (!kernels) return null
  const front = model.layers[0]?.getClassName() === 'Conv2D' ? convFront(model) : null
  const layers = front ? denseLayers(front.rest, front.features) : denseStack(model)
  if (!layers || (front === null && model.layers[0]?.getClassName() === 'Conv2D')) return null
  if (!front) return new PixelDenseStep(tf, backend, kernels, layers, settings, batchSize)
  registerDenseKernel(tf, kernels)
  const sampleSize = front.input.reduce((a, b) => a * b, 1)
  return floatBatches(
    new FusedDenseStep(tf, backend, front, layers, settings, batchSize),
    sampleSize,
    batchSize,
  )
}

const KERNEL = 'SinapseDenseStep'

/** What the kernel needs besides its input tensors. */
interface StepAttrs {
  n: number
  /** The raw image (h, w, c) before the first block's padding. */
  input: number[]
  /** The convolution blocks (at least one: a Dense-only model runs as PixelDenseStep). */
  blocks: (Omit<ConvBlock, 'kernel' | 'bias'> & { bias: boolean })[]
  /** Float offsets of each block's scratch parts. */
  blockAt: Record<BlockPart, number>[]
  layers: { inSize: number; outSize: number; relu: boolean; bias: boolean }[]
  /** Float offsets into the scratch tensor (see FusedDenseStep's constructor). */
  at: Record<ScratchPart, number>
  hAt: number[]
}

type ScratchPart =
  | 'blocks'
  | 'layers'
  | 'x'
  | 'labels'
  | 'adam'
  | 'dA'
  | 'dB'
  | 'ptr'
  | 'idx'
  | 'val'
  | 'features'
  | 'dFeatures'

/**
 * The kernel: inputs scratch, lossSum, correct and, per weighted layer i (convolution blocks
 * first, then Dense layers), w{i}, m_w{i}, v_w{i} and with a bias b{i}, m_b{i}, v_b{i}; outputs
 * the new weights in that order (kernel, then bias, per layer). Adam's moments, the scratch and
 * the two running sums are written in place: the caller owns them and nothing else reads them.
 * The weights get new buffers, as any tfjs op's outputs: tfjs-backend-wasm caches XNNPACK
 * operators (with the weights packed) per buffer, so writing a weight in place would leave a later
 * matMul on the old values.
 */
function denseStepWasm(
  { inputs, backend, attrs }: Parameters<KernelFunc>[0],
  kernels: WasmKernels,
): TensorInfo[] {
  const wasm = backend as BackendWasm
  const { n, input, blocks, blockAt, layers, at, hAt } = attrs as unknown as StepAttrs
  const offset = (name: string) => wasm.getMemoryOffset((inputs[name] as TensorInfo).dataId)
  const outputs: TensorInfo[] = []
  const withBias = [...blocks.map((b) => b.bias), ...layers.map((l) => l.bias)]
  const news = withBias.map((hasBias, i) => {
    const newW = wasm.makeOutput((inputs[`w${i}`] as TensorInfo).shape, 'float32')
    outputs.push(newW)
    let newB: TensorInfo | null = null
    if (hasBias) {
      newB = wasm.makeOutput((inputs[`b${i}`] as TensorInfo).shape, 'float32')
      outputs.push(newB)
    }
    return [newW, newB] as const
  })
  // After the outputs are allocated: allocating can grow the heap and detach earlier views.
  const base = offset('scratch')
  const f = (floats: number) => base + floats * 4
  const heap = wasm.typedArrayFromHeap(inputs.scratch as TensorInfo) as Float32Array
  const words = new Int32Array(heap.buffer, heap.byteOffset, heap.length)
  const out = (t: TensorInfo | null) => (t ? wasm.getMemoryOffset(t.dataId) : 0)
  const weightWords = (i: number) => {
    const hasBias = withBias[i]
    const [newW, newB] = news[i]
    return {
      w: offset(`w${i}`),
      b: hasBias ? offset(`b${i}`) : 0,
      newW: out(newW),
      newB: out(newB),
      mw: offset(`m_w${i}`),
      vw: offset(`v_w${i}`),
      mb: hasBias ? offset(`m_b${i}`) : 0,
      vb: hasBias ? offset(`v_b${i}`) : 0,
    }
  }
  blocks.forEach((b, i) => {
    const next = blocks[i + 1]
    const last = next === undefined
    const dest = last
      ? { h: b.nextH, w: b.nextW, top: 0, left: 0 }
      : { h: next.ph, w: next.pw, top: next.padTop, left: next.padLeft }
    const scratch = Object.fromEntries(
      Object.entries(blockAt[i]).map(([part, floats]) => [part, floats < 0 ? 0 : f(floats)]),
    ) as Record<BlockPart, number>
    const pointers = {
      scratch,
      dest: last ? f(at.features) : f(blockAt[i + 1].p),
      ddest: last ? f(at.dFeatures) : f(blockAt[i + 1].dp),
      ...weightWords(i),
    }
    words.set(blockWords(b, dest, pointers), at.blocks + i * CONV_WORDS)
  })
  layers.forEach((l, i) => {
    const p = weightWords(blocks.length + i)
    words.set(
      [
        l.inSize,
        l.outSize,
        l.relu ? 1 : 0,
        p.w,
        p.b,
        p.newW,
        p.newB,
        p.mw,
        p.vw,
        p.mb,
        p.vb,
        f(hAt[i]),
      ],
      at.layers + i * LAYER_WORDS,
    )
  })
  const first = blocks[0]
  kernels.convStackStep(
    f(at.blocks),
    blocks.length,
    f(at.x),
    input[0],
    input[1],
    first.padTop,
    first.padLeft,
    f(at.layers),
    layers.length,
    f(at.labels),
    n,
    offset('lossSum'),
    offset('correct'),
    f(at.dA),
    f(at.dB),
    f(at.ptr),
    f(at.idx),
    f(at.val),
    f(at.adam),
  )
  return outputs
}

function registerDenseKernel(tf: Tf, kernels: WasmKernels): void {
  if (tf.getKernel(KERNEL, 'wasm')) return
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'wasm',
    kernelFunc: (args) => denseStepWasm(args, kernels),
  })
}

class FusedDenseStep implements FloatBatchStep {
  /** Adam's m and v for each weight: [m_w0, v_w0, m_b0, v_b0, m_w1, …]. */
  private moments: Tensor[] | null = null
  private scratch: Tensor | null = null
  private t = 0
  private readonly at: Record<ScratchPart, number>
  private readonly blockAt: Record<BlockPart, number>[]
  private readonly hAt: number[]
  private readonly size: number
  private readonly blocks: ConvBlock[]
  /** Floats per sample of the raw input, and its shape with convolution blocks. */
  private readonly sampleSize: number
  private readonly input: number[]

  constructor(
    private readonly tf: Tf,
    private readonly backend: BackendWasm,
    front: ConvFront | null,
    private readonly layers: DenseLayer[],
    private readonly settings: AdamSettings,
    private readonly batchSize: number,
  ) {
    const n = batchSize
    this.blocks = front?.blocks ?? []
    this.sampleSize = front ? front.input.reduce((a, b) => a * b, 1) : layers[0].inSize
    this.input = front ? front.input : []
    const maxIn = Math.max(...layers.map((l) => l.inSize))
    const maxOut = Math.max(...layers.map((l) => l.outSize))
    const maxTaps = Math.max(0, ...this.blocks.map((b) => b.fh * b.fw * b.inC))
    const round4 = (k: number) => Math.ceil(k / 4) * 4
    let next = 0
    const take = (floats: number) => {
      const start = next
      next += round4(floats)
      return start
    }
    this.at = {
      blocks: take(this.blocks.length * CONV_WORDS),
      layers: take(layers.length * LAYER_WORDS),
      x: take(n * this.sampleSize),
      labels: take(n),
      adam: take(6),
      dA: take(n * maxOut),
      dB: take(n * maxOut),
      ptr: take(maxIn + 1),
      idx: take(Math.max(n * maxIn, maxTaps)),
      val: take(Math.max(n * maxIn, maxTaps)),
      features: take(front ? n * front.features : 0),
      dFeatures: take(front ? n * front.features : 0),
    }
    this.blockAt = this.blocks.map((b, i) => {
      const sizes = blockScratch(b, n, i === 0)
      return Object.fromEntries(
        Object.entries(sizes).map(([part, floats]) => [part, floats > 0 ? take(floats) : -1]),
      ) as Record<BlockPart, number>
    })
    this.hAt = layers.map((l) => take(n * l.outSize))
    this.size = next
  }

  step(xBuf: Float32Array, yBuf: Int32Array, n: number, lossSum: Variable, correct: Variable) {
    if (n > this.batchSize) throw new Error(`batch of ${n} over ${this.batchSize}`)
    const { tf, settings } = this
    const params = [...this.blocks, ...this.layers]
    if (!this.scratch) {
      this.scratch = tf.keep(tf.zeros([this.size]))
      const weights = params.flatMap((l) => (l.bias ? [l.kernel, l.bias] : [l.kernel]))
      this.moments = weights.flatMap((w) => [tf.keep(tf.zerosLike(w)), tf.keep(tf.zerosLike(w))])
    }
    this.ownBuffer(lossSum)
    this.ownBuffer(correct)
    this.t++
    const correction2 = Math.sqrt(1 - settings.beta2 ** this.t)
    const rate = (settings.learningRate * correction2) / (1 - settings.beta1 ** this.t)
    const epsilon = settings.epsilon * correction2

    const heap = this.backend.typedArrayFromHeap(this.scratch) as Float32Array
    heap.set(xBuf.subarray(0, n * this.sampleSize), this.at.x)
    new Int32Array(heap.buffer, heap.byteOffset, heap.length).set(
      yBuf.subarray(0, n),
      this.at.labels,
    )
    heap.set(
      [settings.beta1, 1 - settings.beta1, settings.beta2, 1 - settings.beta2, rate, epsilon],
      this.at.adam,
    )
    const inputs: NamedTensorMap = { scratch: this.scratch, lossSum, correct }
    const moments = this.moments as Tensor[]
    let m = 0
    params.forEach((l, i) => {
      inputs[`w${i}`] = l.kernel
      inputs[`m_w${i}`] = moments[m++]
      inputs[`v_w${i}`] = moments[m++]
      if (l.bias) {
        inputs[`b${i}`] = l.bias
        inputs[`m_b${i}`] = moments[m++]
        inputs[`v_b${i}`] = moments[m++]
      }
    })
    const attrs: StepAttrs = {
      n,
      input: this.input,
      blocks: this.blocks.map(({ kernel: _kernel, bias, ...geometry }) => ({
        ...geometry,
        bias: bias !== null,
      })),
      blockAt: this.blockAt,
      layers: this.layers.map((l) => ({ ...l, bias: l.bias !== null })),
      at: this.at,
      hAt: this.hAt,
    }
    const outputs = tf
      .engine()
      .runKernel(KERNEL, inputs, attrs as unknown as NamedAttrMap) as unknown as Tensor[]
    let k = 0
    for (const l of params) {
      for (const w of l.bias ? [l.kernel, l.bias] : [l.kernel]) {
        w.assign(outputs[k])
        outputs[k++].dispose()
      }
    }
  }

  dispose() {
    this.tf.dispose([...(this.moments ?? []), ...(this.scratch ? [this.scratch] : [])])
    this.moments = null
    this.scratch = null
  }

  /** Gives `v` a buffer of its own when another tensor shares it, so writing it in place is safe. */
  private ownBuffer(v: Variable) {
    if (this.backend.refCount(v.dataId) <= 1) return
    const copy = this.tf.tensor(v.dataSync(), v.shape, v.dtype)
    v.assign(copy)
    copy.dispose()
  }
}

/** Words in the kernel's batch header (BATCH_WORDS and the B_* offsets in ./assembly/dense.ts). */
const BATCH_WORDS = 19
const B = {
  pixels: 0,
  table: 1,
  labels: 2,
  n: 3,
  loss: 4,
  correct: 5,
  predicted: 6,
  dA: 7,
  dB: 8,
  xPtr: 9,
  xIdx: 10,
  xVal: 11,
  hPtr: 12,
  hIdx: 13,
  hVal: 14,
  colPtr: 15,
  idx: 16,
  val: 17,
  adam: 18,
} as const
type BatchPart = Exclude<keyof typeof B, 'n'>

/** The input value of each pixel byte, as fillBatch scales it (datasets/batch.ts). */
const BYTE_VALUES = Float32Array.from({ length: 256 }, (_, byte) => byte / 255)

/**
 * One scratch tensor holding, at fixed offsets, everything a kernel call reads and writes besides
 * the weights: the batch header and layer descriptors, the byte table, the batch's pixels and
 * labels, each layer's outputs, the lists of non-zero entries and (training) the gradients.
 */
class Arena {
  readonly scratch: Tensor
  /** Byte offsets in the heap. */
  readonly header: number
  readonly layersAt: number
  private readonly parts: Partial<Record<BatchPart, number>> = {}
  private readonly hAt: number[]

  constructor(
    private readonly tf: Tf,
    private readonly backend: BackendWasm,
    private readonly layers: DenseLayer[],
    readonly batchSize: number,
    training: boolean,
  ) {
    const n = batchSize
    const in0 = layers[0].inSize
    const maxIn = Math.max(...layers.map((l) => l.inSize))
    const maxOut = Math.max(...layers.map((l) => l.outSize))
    const round4 = (k: number) => Math.ceil(k / 4) * 4
    let next = 0
    const take = (floats: number) => {
      const start = next
      next += round4(floats)
      return start
    }
    const header = take(BATCH_WORDS)
    const layersAt = take(layers.length * LAYER_WORDS)
    const floats: Partial<Record<BatchPart, number>> = {
      table: take(256),
      pixels: take(Math.ceil((n * in0) / 4)),
      labels: take(n),
      loss: take(1),
      correct: take(1),
      colPtr: take(maxIn + 1),
      idx: take((training ? n : 1) * maxIn),
      val: take((training ? n : 1) * maxIn),
    }
    if (training) {
      Object.assign(floats, {
        adam: take(6),
        dA: take(n * maxOut),
        dB: take(n * maxOut),
        xPtr: take(n + 1),
        xIdx: take(n * in0),
        xVal: take(n * in0),
        hPtr: take(n + 1),
        hIdx: take(n * maxIn),
        hVal: take(n * maxIn),
      })
    } else {
      floats.predicted = take(n)
    }
    const hAt = layers.map((l) => take(n * l.outSize))
    this.scratch = tf.keep(tf.zeros([next]))
    const base = backend.getMemoryOffset(this.scratch.dataId)
    this.header = base + header * 4
    this.layersAt = base + layersAt * 4
    this.hAt = hAt.map((f) => base + f * 4)
    const words = this.words()
    for (const [part, at] of Object.entries(floats) as [BatchPart, number][]) {
      this.parts[part] = base + at * 4
      words[this.header / 4 + B[part]] = base + at * 4
    }
    this.floats().set(BYTE_VALUES, this.at('table') / 4)
  }

  /** Byte offset of a part of the scratch. */
  at(part: BatchPart): number {
    return this.parts[part] ?? 0
  }

  /** Views of the whole heap, fresh each time: growing the heap detaches earlier ones. */
  words(): Int32Array {
    return new Int32Array(this.backend.wasm.HEAPU8.buffer)
  }

  floats(): Float32Array {
    return new Float32Array(this.backend.wasm.HEAPU8.buffer)
  }

  /**
   * Copies the samples order[start …] (at most a batch) into the scratch: their pixel bytes as
   * stored and their labels. Returns how many.
   */
  fill(set: ImageSet, order: Uint32Array, start: number): number {
    const n = Math.max(0, Math.min(this.batchSize, order.length - start))
    const pixels = set.images.length / set.count
    const bytes = this.backend.wasm.HEAPU8
    const words = this.words()
    const pixelsAt = this.at('pixels')
    const labelsAt = this.at('labels') / 4
    for (let b = 0; b < n; b++) {
      const sample = order[start + b]
      bytes.set(set.images.subarray(sample * pixels, (sample + 1) * pixels), pixelsAt + b * pixels)
      words[labelsAt + b] = set.labels[sample]
    }
    words[this.header / 4 + B.n] = n
    return n
  }

  /**
   * Writes each layer's descriptor: the weights' current buffers and, for training, the moments
   * (`moments[4i…]`: m_w, v_w, m_b, v_b) and in-place updates.
   */
  describe(moments: Tensor[] | null) {
    const words = this.words()
    const offset = (t: Tensor | null) => (t ? this.backend.getMemoryOffset(t.dataId) : 0)
    this.layers.forEach((l, i) => {
      const w = offset(l.kernel)
      const b = offset(l.bias)
      const m = moments ? moments.slice(4 * i, 4 * i + 4).map(offset) : [0, 0, 0, 0]
      words.set(
        [
          l.inSize,
          l.outSize,
          l.relu ? 1 : 0,
          w,
          b,
          moments ? w : 0,
          moments ? b : 0,
          m[0],
          m[1],
          l.bias ? m[2] : 0,
          l.bias ? m[3] : 0,
          this.hAt[i],
        ],
        this.layersAt / 4 + i * LAYER_WORDS,
      )
    })
  }

  dispose() {
    this.scratch.dispose()
  }
}

/**
 * The weights are updated in place, through the variables' own buffers, which tfjs-backend-wasm
 * otherwise never expects: it caches XNNPACK operators (with the weights packed) per buffer, so a
 * matMul before an in-place write and one after would disagree. So the first step after `release`
 * (and the first of all) copies every weight into a new buffer, which no operator has seen; nothing
 * but these kernels reads the weights until the next `release`.
 */
class PixelDenseStep implements DenseStackStep {
  /** Adam's m and v for each weight: [m_w0, v_w0, m_b0, v_b0, m_w1, …] (a zero-size placeholder
   * where a layer has no bias). */
  private moments: Tensor[] | null = null
  private arena: Arena | null = null
  private owned = false
  private t = 0

  constructor(
    private readonly tf: Tf,
    private readonly backend: BackendWasm,
    private readonly kernels: WasmKernels,
    private readonly layers: DenseLayer[],
    private readonly settings: AdamSettings,
    private readonly batchSize: number,
  ) {}

  fill(set: ImageSet, order: Uint32Array, start: number): number {
    this.arena ??= new Arena(this.tf, this.backend, this.layers, this.batchSize, true)
    return this.arena.fill(set, order, start)
  }

  step(lossSum: Variable, correct: Variable) {
    const { tf, settings } = this
    const arena = this.arena
    if (!arena) throw new Error('step before fill')
    if (!this.moments) {
      this.moments = this.layers.flatMap((l) =>
        [l.kernel, l.kernel, l.bias, l.bias].map((w) =>
          tf.keep(w ? tf.zerosLike(w) : tf.zeros([0])),
        ),
      )
    }
    if (!this.owned) {
      for (const l of this.layers) {
        freshBuffer(tf, l.kernel)
        if (l.bias) freshBuffer(tf, l.bias)
      }
      arena.describe(this.moments)
      this.owned = true
    }
    if (this.backend.refCount(lossSum.dataId) > 1) freshBuffer(tf, lossSum)
    if (this.backend.refCount(correct.dataId) > 1) freshBuffer(tf, correct)
    this.t++
    const correction2 = Math.sqrt(1 - settings.beta2 ** this.t)
    const rate = (settings.learningRate * correction2) / (1 - settings.beta1 ** this.t)
    const epsilon = settings.epsilon * correction2
    arena
      .floats()
      .set(
        [settings.beta1, 1 - settings.beta1, settings.beta2, 1 - settings.beta2, rate, epsilon],
        arena.at('adam') / 4,
      )
    const words = arena.words()
    words[arena.header / 4 + B.loss] = this.backend.getMemoryOffset(lossSum.dataId)
    words[arena.header / 4 + B.correct] = this.backend.getMemoryOffset(correct.dataId)
    this.kernels.pixelDenseStep(arena.layersAt, this.layers.length, arena.header)
  }

  release() {
    this.owned = false
  }

  dispose() {
    this.tf.dispose([...(this.moments ?? [])])
    this.arena?.dispose()
    this.moments = null
    this.arena = null
  }
}

/** Gives `v` a buffer of its own, a copy of its values. */
function freshBuffer(tf: Tf, v: Variable) {
  const copy = tf.tensor(v.dataSync(), v.shape, v.dtype)
  v.assign(copy)
  copy.dispose()
}

/** Scores batches of up to a fixed size: the loss summed over the batch and each predicted class. */
export interface BatchScorer {
  /** Scores samples set[indices[start …]] (at most a batch). */
  score(
    set: ImageSet,
    indices: Uint32Array,
    start: number,
  ): { n: number; lossSum: number; predicted: Int32Array }
  dispose(): void
}

/**
 * Inference for the same models as `createDenseStackStep`: the forward pass, the softmax
 * cross-entropy and the argmax of a batch in one kernel call (`pixelDenseScore`), reading the pixel
 * bytes and skipping zero inputs; null where it does not apply. The weights are only read.
 */
export function createDenseStackScorer(
  tf: Tf,
  model: LayersModel,
  batchSize: number,
): BatchScorer | null {
  if (tf.getBackend() !== 'wasm') return null
  const backend = tf.backend() as BackendWasm
  const kernels = wasmKernels(backend)
  const layers = denseStack(model)
  if (!kernels || !layers) return null
  const arena = new Arena(tf, backend, layers, batchSize, false)
  return {
    score(set, indices, start) {
      const n = arena.fill(set, indices, start)
      const floats = arena.floats()
      floats[arena.at('loss') / 4] = 0
      arena.describe(null)
      kernels.pixelDenseScore(arena.layersAt, layers.length, arena.header)
      const at = arena.at('predicted') / 4
      return {
        n,
        lossSum: floats[arena.at('loss') / 4],
        predicted: Int32Array.from(arena.words().subarray(at, at + n)),
      }
    },
    dispose() {
      arena.dispose()
    },
  }
}

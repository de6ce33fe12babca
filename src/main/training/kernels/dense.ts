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
  step(xBuf: Float32Array, yBuf: Int32Array, n: number, lossSum: Variable, correct: Variable): void
  dispose(): void
}

/**
 * The fused step for `model` with Adam `settings` at batches of up to `batchSize`, or null where
 * it does not apply (see above). A model that starts with convolution blocks (./conv-step.ts)
 * runs them in the same call. Each step assigns the weights new tensors, as tfjs's Adam does.
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
  registerDenseKernel(tf, kernels)
  return new FusedDenseStep(tf, backend, front, layers, settings, batchSize)
}

const KERNEL = 'SinapseDenseStep'

/** What the kernel needs besides its input tensors. */
interface StepAttrs {
  n: number
  /** The raw image (h, w, c) before the first block's padding. */
  input: number[]
  /** The convolution blocks, [] for a model of Dense layers only. */
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
  if (blocks.length === 0) {
    kernels.denseStep(
      f(at.layers),
      layers.length,
      f(at.x),
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
  } else {
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
  }
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

class FusedDenseStep implements DenseStackStep {
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

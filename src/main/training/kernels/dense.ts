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
import type { AdamSettings } from '../adam'
import type { Tf } from '../backend'
import { wasmKernels, type WasmKernels } from './wasm-kernels'

/*
 * The training step of a model that is only Dense layers (after an optional Flatten), ReLU or
 * linear, ending in Dense + softmax, trained with Adam: one call into the AssemblyScript kernel
 * ./assembly/dense.ts per batch, instead of ~50 tfjs kernel launches and their tensors. The
 * tutorial MLP is such a model. The kernel skips the zero entries of each layer's input (most of
 * an MNIST image, about half of a ReLU's outputs), which is where its speed comes from; the
 * arithmetic is tfjs's, summed in another order. Other models, backends, optimizers, or an engine
 * without WebAssembly SIMD get null and train through tfjs as before.
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
  const layers: DenseLayer[] = []
  const dense = model.layers.filter((layer) => layer.getClassName() !== 'Flatten')
  if (dense.length === 0) return null
  // Flatten only before the first Dense (it is a reshape there, and anything else is not).
  const firstDense = model.layers.indexOf(dense[0])
  if (model.layers.slice(firstDense).some((layer) => layer.getClassName() === 'Flatten')) {
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
  const sampleSize = model.inputs[0].shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1)
  return layers[0].inSize === sampleSize ? layers : null
}

/** One training step of the whole model, adding to the running loss and correct-count sums. */
export interface DenseStackStep {
  step(xBuf: Float32Array, yBuf: Int32Array, n: number, lossSum: Variable, correct: Variable): void
  dispose(): void
}

/**
 * The fused step for `model` with Adam `settings` at batches of up to `batchSize`, or null where
 * it does not apply (see above). Each step assigns the weights new tensors, as tfjs's Adam does.
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
  const layers = denseStack(model)
  if (!kernels || !layers) return null
  registerDenseKernel(tf, kernels)
  return new FusedDenseStep(tf, backend, layers, settings, batchSize)
}

const KERNEL = 'SinapseDenseStep'

/** What the kernel needs besides its input tensors. */
interface StepAttrs {
  n: number
  layers: { inSize: number; outSize: number; relu: boolean; bias: boolean }[]
  /** Float offsets into the scratch tensor (see FusedDenseStep's constructor). */
  at: Record<ScratchPart, number>
  hAt: number[]
}

type ScratchPart = 'x' | 'labels' | 'adam' | 'dA' | 'dB' | 'ptr' | 'idx' | 'val'

/**
 * The kernel: inputs scratch, lossSum, correct and, per layer i, w{i}, m_w{i}, v_w{i} and with a
 * bias b{i}, m_b{i}, v_b{i}; outputs the new weights in that order (kernel, then bias, per layer).
 * Adam's moments, the scratch and the two running sums are written in place: the caller owns them
 * and nothing else reads them. The weights get new buffers, as any tfjs op's outputs: tfjs-backend-
 * wasm caches XNNPACK operators (with the weights packed) per buffer, so writing a weight in place
 * would leave a later matMul on the old values.
 */
function denseStepWasm(
  { inputs, backend, attrs }: Parameters<KernelFunc>[0],
  kernels: WasmKernels,
): TensorInfo[] {
  const wasm = backend as BackendWasm
  const { n, layers, at, hAt } = attrs as unknown as StepAttrs
  const offset = (name: string) => wasm.getMemoryOffset((inputs[name] as TensorInfo).dataId)
  const outputs: TensorInfo[] = []
  const rows = layers.map((l, i) => {
    const w = inputs[`w${i}`] as TensorInfo
    const newW = wasm.makeOutput(w.shape, 'float32')
    outputs.push(newW)
    let newB: TensorInfo | null = null
    if (l.bias) {
      newB = wasm.makeOutput((inputs[`b${i}`] as TensorInfo).shape, 'float32')
      outputs.push(newB)
    }
    return [newW, newB] as const
  })
  // After the outputs are allocated: allocating can grow the heap and detach earlier views.
  const base = offset('scratch')
  const heap = wasm.typedArrayFromHeap(inputs.scratch as TensorInfo) as Float32Array
  const words = new Int32Array(heap.buffer, heap.byteOffset, heap.length)
  layers.forEach((l, i) => {
    const [newW, newB] = rows[i]
    const out = (t: TensorInfo | null) => (t ? wasm.getMemoryOffset(t.dataId) : 0)
    words.set(
      [
        l.inSize,
        l.outSize,
        l.relu ? 1 : 0,
        offset(`w${i}`),
        l.bias ? offset(`b${i}`) : 0,
        out(newW),
        out(newB),
        offset(`m_w${i}`),
        offset(`v_w${i}`),
        l.bias ? offset(`m_b${i}`) : 0,
        l.bias ? offset(`v_b${i}`) : 0,
        base + hAt[i] * 4,
      ],
      i * LAYER_WORDS,
    )
  })
  const f = (floats: number) => base + floats * 4
  kernels.denseStep(
    base,
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
  private readonly hAt: number[]
  private readonly size: number

  constructor(
    private readonly tf: Tf,
    private readonly backend: BackendWasm,
    private readonly layers: DenseLayer[],
    private readonly settings: AdamSettings,
    private readonly batchSize: number,
  ) {
    const n = batchSize
    const maxIn = Math.max(...layers.map((l) => l.inSize))
    const maxOut = Math.max(...layers.map((l) => l.outSize))
    const round4 = (k: number) => Math.ceil(k / 4) * 4
    let next = round4(layers.length * LAYER_WORDS)
    const take = (floats: number) => {
      const start = next
      next += round4(floats)
      return start
    }
    this.at = {
      x: take(n * layers[0].inSize),
      labels: take(n),
      adam: take(6),
      dA: take(n * maxOut),
      dB: take(n * maxOut),
      ptr: take(maxIn + 1),
      idx: take(n * maxIn),
      val: take(n * maxIn),
    }
    this.hAt = layers.map((l) => take(n * l.outSize))
    this.size = next
  }

  step(xBuf: Float32Array, yBuf: Int32Array, n: number, lossSum: Variable, correct: Variable) {
    if (n > this.batchSize) throw new Error(`batch of ${n} over ${this.batchSize}`)
    const { tf, settings } = this
    if (!this.scratch) {
      this.scratch = tf.keep(tf.zeros([this.size]))
      const weights = this.layers.flatMap((l) => (l.bias ? [l.kernel, l.bias] : [l.kernel]))
      this.moments = weights.flatMap((w) => [tf.keep(tf.zerosLike(w)), tf.keep(tf.zerosLike(w))])
    }
    this.ownBuffer(lossSum)
    this.ownBuffer(correct)
    this.t++
    const correction2 = Math.sqrt(1 - settings.beta2 ** this.t)
    const rate = (settings.learningRate * correction2) / (1 - settings.beta1 ** this.t)
    const epsilon = settings.epsilon * correction2

    const heap = this.backend.typedArrayFromHeap(this.scratch) as Float32Array
    heap.set(xBuf.subarray(0, n * this.layers[0].inSize), this.at.x)
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
    this.layers.forEach((l, i) => {
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
      layers: this.layers.map((l) => ({ ...l, bias: l.bias !== null })),
      at: this.at,
      hAt: this.hAt,
    }
    const outputs = tf
      .engine()
      .runKernel(KERNEL, inputs, attrs as unknown as NamedAttrMap) as unknown as Tensor[]
    let k = 0
    for (const l of this.layers) {
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

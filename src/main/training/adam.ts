import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type {
  KernelFunc,
  NamedAttrMap,
  NamedTensorMap,
  Optimizer,
  Tensor,
  TensorInfo,
} from '@tensorflow/tfjs-core'
import type { Tf } from './backend'

/** What the trainer needs from an optimizer; tfjs's own optimizers fit it through `asStepOptimizer`. */
export interface StepOptimizer {
  /** Updates each named variable from its gradient. */
  applyGradients(grads: NamedTensorMap): void
  dispose(): void
}

export interface AdamSettings {
  learningRate: number
  beta1: number
  beta2: number
  epsilon: number
}

/** One step's constants, in the form that needs one division and one square root per weight. */
interface AdamStep {
  beta1: number
  beta2: number
  /** lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ): the learning rate with both bias corrections folded in. */
  rate: number
  /** ε·√(1 − β₂ᵗ): ε scaled the same way. */
  epsilon: number
}

const KERNEL = 'SinapseAdamStep'

/**
 * Adam, updating each variable with ONE kernel per step instead of tfjs's thirteen element-wise
 * ops plus their scalar constants; on wasm that kernel is a hand-written SIMD loop (see
 * `ADAM_WASM`). The update is tfjs's (and Keras's): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * w ← w − lr·m̂/(√v̂ + ε) with m̂, v̂ bias-corrected, computed as w − rate·m/(√v + ε′). The moments
 * are tensors the optimizer owns and updates in place. Backends without the kernel ('tensorflow',
 * whose native Adam is already fused, or wasm without SIMD) get tfjs's own Adam.
 */
export function createAdam(tf: Tf, settings: AdamSettings): StepOptimizer {
  const tfjsAdam = () =>
    asStepOptimizer(
      tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon),
    )
  if (!registerAdamKernel(tf)) return tfjsAdam()
  const moments = new Map<string, { m: Tensor; v: Tensor }>()
  let t = 0
  return {
    applyGradients(grads) {
      t++
      const correction2 = Math.sqrt(1 - settings.beta2 ** t)
      const step: AdamStep = {
        beta1: settings.beta1,
        beta2: settings.beta2,
        rate: (settings.learningRate * correction2) / (1 - settings.beta1 ** t),
        epsilon: settings.epsilon * correction2,
      }
      const variables = tf.engine().registeredVariables
      tf.tidy(() => {
        for (const [name, g] of Object.entries(grads)) {
          const x = variables[name]
          let state = moments.get(name)
          if (!state) {
            state = { m: tf.keep(tf.zerosLike(x)), v: tf.keep(tf.zerosLike(x)) }
            moments.set(name, state)
          }
          const inputs = { x, g, m: state.m, v: state.v }
          x.assign(tf.engine().runKernel(KERNEL, inputs, step as unknown as NamedAttrMap) as Tensor)
        }
      })
    },
    dispose() {
      for (const { m, v } of moments.values()) tf.dispose([m, v])
      moments.clear()
    },
  }
}

/** Adapts one of tfjs's optimizers to the trainer's interface. */
export function asStepOptimizer(optimizer: Optimizer): StepOptimizer {
  return {
    // tfjs types the argument as variables, yet its own `minimize` passes `variableGrads`'s map.
    applyGradients: (grads) =>
      optimizer.applyGradients(grads as Parameters<Optimizer['applyGradients']>[0]),
    dispose: () => optimizer.dispose(),
  }
}

/** Registers the kernel for the active backend; false when this backend cannot have it. */
function registerAdamKernel(tf: Tf): boolean {
  const backendName = tf.getBackend()
  if (tf.getKernel(KERNEL, backendName)) return true
  let kernelFunc: KernelFunc
  if (backendName === 'cpu') kernelFunc = adamCpu
  else if (backendName === 'wasm') {
    const wasm = tf.backend() as BackendWasm
    const simd = instantiateAdamWasm(wasm)
    if (!simd) return false
    kernelFunc = (args) => adamWasm(args, simd)
  } else return false
  tf.registerKernel({ kernelName: KERNEL, backendName, kernelFunc })
  return true
}

interface AdamInputs {
  x: TensorInfo
  g: TensorInfo
  m: TensorInfo
  v: TensorInfo
}

type AdamSimd = (
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
) => void

function adamWasm({ inputs, backend, attrs }: Parameters<KernelFunc>[0], simd: AdamSimd) {
  const { x, g, m, v } = inputs as unknown as AdamInputs
  const { beta1, beta2, rate, epsilon } = attrs as unknown as AdamStep
  const wasm = backend as BackendWasm
  const out = wasm.makeOutput(x.shape, 'float32')
  const size = x.shape.reduce((a, b) => a * b, 1)
  const vectorized = size - (size % 4)
  const offset = (t: TensorInfo) => wasm.getMemoryOffset(t.dataId)
  simd(
    offset(x),
    offset(g),
    offset(out),
    offset(m),
    offset(v),
    vectorized * 4,
    beta1,
    1 - beta1,
    beta2,
    1 - beta2,
    rate,
    epsilon,
  )
  if (vectorized < size) {
    const [xs, gs, os, ms, vs] = [x, g, out, m, v].map(
      (t) => wasm.typedArrayFromHeap(t) as Float32Array,
    )
    updateAdam(xs, gs, os, ms, vs, attrs as unknown as AdamStep, vectorized)
  }
  return out
}

const adamCpu: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, g, m, v } = inputs as unknown as AdamInputs
  const cpu = backend as MathBackendCPU
  // The cpu backend's own storage: m and v are updated in place.
  const values = (t: TensorInfo) => cpu.data.get(t.dataId).values as Float32Array
  const out = new Float32Array(values(x).length)
  updateAdam(values(x), values(g), out, values(m), values(v), attrs as unknown as AdamStep, 0)
  return { dataId: cpu.write(out, x.shape, 'float32'), shape: x.shape, dtype: 'float32' }
}

/** The scalar update from index `from` on; the same arithmetic as the SIMD loop. */
function updateAdam(
  x: Float32Array,
  g: Float32Array,
  out: Float32Array,
  m: Float32Array,
  v: Float32Array,
  step: AdamStep,
  from: number,
): void {
  const { beta1, beta2, rate, epsilon } = step
  const f = Math.fround
  const [b1, k1, b2, k2, r, e] = [beta1, 1 - beta1, beta2, 1 - beta2, rate, epsilon].map(f)
  for (let i = from; i < x.length; i++) {
    const gi = g[i]
    const mi = f(f(b1 * m[i]) + f(gi * k1))
    const vi = f(f(b2 * v[i]) + f(f(gi * gi) * k2))
    m[i] = mi
    v[i] = vi
    out[i] = x[i] - f(f(mi * r) / f(f(Math.sqrt(vi)) + e))
  }
}

/*
 * The SIMD loop, hand-assembled because the project has no WebAssembly toolchain. As text:
 *
 * (func (export "adam") (param $x i32) (param $g i32) (param $out i32) (param $m i32) (param $v i32)
 *   (param $bytes i32) (param $b1 f32) (param $k1 f32) (param $b2 f32) (param $k2 f32)
 *   (param $rate f32) (param $eps f32)
 *   (local $i i32) (local $B1 v128) … (local $EPS v128) (local $G v128) (local $M v128) (local $V v128)
 *   $B1 = f32x4.splat($b1) … $EPS = f32x4.splat($eps)
 *   block loop
 *     br_if 1 ($i >= $bytes)
 *     $G = load($g + $i)
 *     store($m + $i, $M = load($m + $i)·$B1 + $G·$K1)
 *     store($v + $i, $V = load($v + $i)·$B2 + $G·$G·$K2)
 *     store($out + $i, load($x + $i) − $M·$RATE / (sqrt($V) + $EPS))
 *     $i += 16; br 0
 *   end end)
 *
 * It imports tfjs-backend-wasm's own memory, so it reads and writes tensors where they live.
 */
const OP = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Const: 0x41,
  i32GeU: [0x4f],
  i32Add: [0x6a],
  load: [0xfd, 0x00, 0x04, 0x00],
  store: [0xfd, 0x0b, 0x04, 0x00],
  splat: [0xfd, 0x13],
  sqrt: [0xfd, 0xe3, 0x01],
  add: [0xfd, 0xe4, 0x01],
  sub: [0xfd, 0xe5, 0x01],
  mul: [0xfd, 0xe6, 0x01],
  div: [0xfd, 0xe7, 0x01],
} as const

/** Parameters 0–11 as in `AdamSimd`, then the locals. */
const L = { x: 0, g: 1, out: 2, m: 3, v: 4, bytes: 5, i: 12, G: 19, M: 20, V: 21 } as const
/** The splatted constants: local 13 + k holds parameter 6 + k. */
const [B1, K1, B2, K2, RATE, EPS] = [13, 14, 15, 16, 17, 18]

function assembleAdamWasm(): Uint8Array {
  const get = (local: number) => [OP.get, local]
  const at = (base: number) => [...get(base), ...get(L.i), ...OP.i32Add]
  const body = [
    ...[2, 0x01, 0x7f, 9, 0x7b], // locals: 1 × i32, 9 × v128
    ...[0, 1, 2, 3, 4, 5].flatMap((k) => [...get(6 + k), ...OP.splat, OP.set, 13 + k]),
    ...OP.block,
    ...OP.loop,
    ...get(L.i),
    ...get(L.bytes),
    ...OP.i32GeU,
    OP.brIf,
    1,
    ...at(L.g),
    ...OP.load,
    OP.set,
    L.G,
    ...at(L.m),
    ...at(L.m),
    ...OP.load,
    ...get(B1),
    ...OP.mul,
    ...get(L.G),
    ...get(K1),
    ...OP.mul,
    ...OP.add,
    OP.tee,
    L.M,
    ...OP.store,
    ...at(L.v),
    ...at(L.v),
    ...OP.load,
    ...get(B2),
    ...OP.mul,
    ...get(L.G),
    ...get(L.G),
    ...OP.mul,
    ...get(K2),
    ...OP.mul,
    ...OP.add,
    OP.tee,
    L.V,
    ...OP.store,
    ...at(L.out),
    ...at(L.x),
    ...OP.load,
    ...get(L.M),
    ...get(RATE),
    ...OP.mul,
    ...get(L.V),
    ...OP.sqrt,
    ...get(EPS),
    ...OP.add,
    ...OP.div,
    ...OP.sub,
    ...OP.store,
    ...get(L.i),
    OP.i32Const,
    16,
    ...OP.i32Add,
    OP.set,
    L.i,
    OP.br,
    0,
    ...OP.end,
    ...OP.end,
    ...OP.end,
  ]
  const text = (s: string) => [s.length, ...Buffer.from(s)]
  const section = (id: number, content: number[]) => [id, ...leb128(content.length), ...content]
  const i32 = 0x7f
  const f32 = 0x7d
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 12, ...Array<number>(6).fill(i32), ...Array<number>(6).fill(f32), 0]),
    ...section(2, [1, ...text('env'), ...text('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...text('adam'), 0x00, 0]),
    ...section(10, [1, ...leb128(body.length), ...body]),
  ])
}

function leb128(value: number): number[] {
  const out: number[] = []
  let rest = value
  do {
    const byte = rest & 0x7f
    rest >>>= 7
    out.push(rest ? byte | 0x80 : byte)
  } while (rest)
  return out
}

/**
 * The SIMD Adam bound to the backend's memory, or null where it cannot run: a build that hides
 * its memory (the threaded one shares it differently) or an engine without WebAssembly SIMD.
 */
function instantiateAdamWasm(backend: BackendWasm): AdamSimd | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory
  if (!(memory instanceof Wasm.Memory)) return null
  try {
    const instance = new Wasm.Instance(new Wasm.Module(assembleAdamWasm()), { env: { memory } })
    return instance.exports.adam as AdamSimd
  } catch {
    return null
  }
}

/** The WebAssembly global, which @types/node declares as types only (no DOM lib here). */
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: abstract new () => object
      Module: new (bytes: Uint8Array) => object
      Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
    }
  }
).WebAssembly

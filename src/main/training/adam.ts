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
import { wasmKernels, type WasmKernels } from './kernels/wasm-kernels'

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
 * ops plus their scalar constants; on wasm that kernel is a SIMD loop written in AssemblyScript
 * (kernels/assembly/adam.ts). The update is tfjs's (and Keras's): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
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
    const kernels = wasmKernels(tf.backend() as BackendWasm)
    if (!kernels) return false
    kernelFunc = (args) => adamWasm(args, kernels.adam)
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

function adamWasm(
  { inputs, backend, attrs }: Parameters<KernelFunc>[0],
  simd: WasmKernels['adam'],
) {
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

import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import type { KernelBackend, KernelFunc, Tensor, Tensor1D, TensorInfo } from '@tensorflow/tfjs-core'
import type { Tf } from './backend'

const FORWARD = 'SinapseSparseSoftmaxCrossEntropy'
const GRADIENT = 'SinapseSparseSoftmaxCrossEntropyGrad'

/**
 * Per-sample cross-entropy of integer labels against logits, −log softmax(z)[label], as one kernel
 * whose gradient is one kernel too: (softmax(z) − onehot(label)) · dy. The op chain tfjs would
 * run instead (oneHot, logSoftmax, multiply, sum, negate, and their gradients) is about 35 kernel
 * launches per batch, more than the whole network of the tutorial MLP; here it is two. Computed in
 * double precision with the max subtracted, so it is at least as stable as tfjs's logSoftmax.
 *
 * Returns null on backends without the kernels ('tensorflow'); the caller uses the op chain.
 */
export function sparseSoftmaxCrossEntropy(
  tf: Tf,
  logits: Tensor,
  labels: Tensor1D,
): Tensor1D | null {
  if (!registerKernels(tf)) return null
  return tf.engine().runKernel(FORWARD, { logits, labels }) as Tensor1D
}

/** Readable and writable float/int arrays of the backend's tensors, without copies. */
interface Access {
  values(t: TensorInfo): Float32Array | Int32Array
  output(shape: number[]): { info: TensorInfo; values: () => Float32Array }
}

function accessFor(backend: KernelBackend, name: string): Access {
  if (name === 'wasm') {
    const wasm = backend as BackendWasm
    return {
      values: (t) => wasm.typedArrayFromHeap(t) as Float32Array | Int32Array,
      output: (shape) => {
        const info = wasm.makeOutput(shape, 'float32')
        // A view made only when asked: allocating can grow the heap and detach earlier views.
        return { info, values: () => wasm.typedArrayFromHeap(info) as Float32Array }
      },
    }
  }
  const cpu = backend as MathBackendCPU
  return {
    values: (t) => cpu.data.get(t.dataId).values as Float32Array | Int32Array,
    output: (shape) => {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1))
      const info = { dataId: cpu.write(values, shape, 'float32'), shape, dtype: 'float32' as const }
      return { info, values: () => values }
    },
  }
}

/** A row's largest logit and Σ exp(z − max): log-sum-exp is max + log(sum), without overflow. */
function maxAndSum(z: Float32Array | Int32Array, row: number, classes: number): [number, number] {
  let max = -Infinity
  for (let j = 0; j < classes; j++) max = Math.max(max, z[row + j])
  let sum = 0
  for (let j = 0; j < classes; j++) sum += Math.exp(z[row + j] - max)
  return [max, sum]
}

function registerKernels(tf: Tf): boolean {
  const backendName = tf.getBackend()
  if (backendName !== 'wasm' && backendName !== 'cpu') return false
  if (tf.getKernel(FORWARD, backendName)) return true
  const forward: KernelFunc = ({ inputs, backend }) => {
    const { logits, labels } = inputs as { logits: TensorInfo; labels: TensorInfo }
    const access = accessFor(backend as KernelBackend, backendName)
    const [n, classes] = logits.shape
    const out = access.output([n])
    const z = access.values(logits)
    const y = access.values(labels)
    const loss = out.values()
    for (let i = 0; i < n; i++) {
      const row = i * classes
      const [max, sum] = maxAndSum(z, row, classes)
      loss[i] = max + Math.log(sum) - z[row + y[i]]
    }
    return out.info
  }
  const gradient: KernelFunc = ({ inputs, backend }) => {
    const { logits, labels, dy } = inputs as {
      logits: TensorInfo
      labels: TensorInfo
      dy: TensorInfo
    }
    const access = accessFor(backend as KernelBackend, backendName)
    const [n, classes] = logits.shape
    const out = access.output(logits.shape)
    const z = access.values(logits)
    const y = access.values(labels)
    const upstream = access.values(dy)
    const dz = out.values()
    for (let i = 0; i < n; i++) {
      const row = i * classes
      const [max, sum] = maxAndSum(z, row, classes)
      for (let j = 0; j < classes; j++) {
        const p = Math.exp(z[row + j] - max) / sum
        dz[row + j] = upstream[i] * (p - (j === y[i] ? 1 : 0))
      }
    }
    return out.info
  }
  tf.registerKernel({ kernelName: FORWARD, backendName, kernelFunc: forward })
  tf.registerKernel({ kernelName: GRADIENT, backendName, kernelFunc: gradient })
  if (!tf.getGradient(FORWARD)) {
    tf.registerGradient({
      kernelName: FORWARD,
      inputsToSave: ['logits', 'labels'],
      gradFunc: (dy, saved) => {
        const [logits, labels] = saved
        return {
          logits: () =>
            tf.engine().runKernel(GRADIENT, { logits, labels, dy: dy as Tensor }) as Tensor,
          // float32, as every gradient must be (tfjs's oneHot gives its indices the same zeros)
          labels: () => tf.zeros(labels.shape),
        }
      },
    })
  }
  return true
}

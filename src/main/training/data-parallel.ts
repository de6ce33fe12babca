import type { Scalar, Tensor, Tensor1D, Variable } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { availableParallelism } from 'node:os'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import type { TrainConfig } from '../../shared/model-spec'
import type { StepOptimizer } from './adam'
import type { Tf } from './backend'
import { tsxWorkerUrl } from './tsx-worker'
import { countCorrect, crossEntropy, reseedDropout, type ForwardOutput } from './model-factory'

/*
 * Data parallelism over two threads. Each batch is split in two: the trainer's thread takes the
 * first ⌈n/2⌉ samples, a helper thread (gradient-worker.ts, with its own tfjs engine and its own
 * copy of the model) the rest. Each computes the gradient of its part of the batch's mean loss and
 * writes it to a SharedArrayBuffer; then both add the two gradients (a + b, which IEEE addition
 * makes identical in both threads) and apply the same optimizer step, so both copies of the model
 * stay bit for bit equal without copying weights, and a seed repeats a run exactly. Batch
 * normalization is excluded (each half would normalize with its own statistics and the two
 * copies' moving averages would drift apart); dropout draws each half's masks from its own seed.
 */

/** Indices into the shared control words. */
const CMD = 0
const TRAINER_DONE = 1
const HELPER_DONE = 2
const HELPER_COUNT = 3
const BATCH_COUNT = 4
const STEP = 5
const FAILED = 6
const CONTROL_WORDS = 8
/** Written to CMD: the helper ends its loop. */
const QUIT = -1
/** How long the trainer blocks at a time while waiting for the helper before it yields (ms). */
const WAIT_SLICE_MS = 500
/** A helper not ready by then (it loads tfjs; seconds on a loaded machine) is given up. */
const READY_TIMEOUT_MS = 60_000

/** Where the helper thread's code is and how to start it. */
export interface HelperEntry {
  url: URL
  execArgv: string[]
}

/** The helper's entry beside this module: the bundled gradient-worker.js, or the .ts under tsx. */
export function helperEntry(): HelperEntry {
  const underTsx = import.meta.url.endsWith('.ts')
  // Through a variable so that bundlers leave the URL alone (it is resolved at run time).
  const file = underTsx ? './gradient-worker.ts' : './gradient-worker.js'
  const url = new URL(file, import.meta.url)
  return underTsx ? { url: tsxWorkerUrl(url), execArgv: [] } : { url, execArgv: [] }
}

/**
 * How many threads train `model`. One by default: measured on this 2-core machine under the load
 * of eight engineers, two threads were slower for both presets (LeNet 0.71×, MLP 0.46×; see
 * BENCHMARKS.md, "Both cores"), since each step waits for the slower thread and a busy machine
 * deschedules one of them. SINAPSE_TRAIN_THREADS=2 asks for two where there is a second core and
 * the model allows it (wasm backend, no batch normalization); `npm run bench` measures both.
 */
export function trainThreads(tf: Tf, model: LayersModel): 1 | 2 {
  if (process.env.SINAPSE_TRAIN_THREADS?.trim() !== '2') return 1
  if (availableParallelism() < 2 || tf.getBackend() !== 'wasm') return 1
  if (model.layers.some((layer) => layer.getClassName() === 'BatchNormalization')) return 1
  return 2
}

/** The buffers both threads share, and typed views over them. */
export interface SharedStepBuffers {
  control: SharedArrayBuffer
  stats: SharedArrayBuffer
  x: SharedArrayBuffer
  y: SharedArrayBuffer
  grads: SharedArrayBuffer
}

interface SharedStep {
  control: Int32Array
  /** The helper's part of the step: its loss term and its count of correct predictions. */
  stats: Float64Array
  x: Float32Array
  y: Int32Array
  /** Two slots (steps alternate) × two parts (trainer, helper) × every trainable weight. */
  grads: Float32Array
  paramCount: number
}

function views(buffers: SharedStepBuffers, paramCount: number): SharedStep {
  return {
    control: new Int32Array(buffers.control),
    stats: new Float64Array(buffers.stats),
    x: new Float32Array(buffers.x),
    y: new Int32Array(buffers.y),
    grads: new Float32Array(buffers.grads),
    paramCount,
  }
}

/** Part 0 (trainer) or 1 (helper) of step `seq`'s gradient slot. */
function gradSlot(shared: SharedStep, seq: number, part: 0 | 1): Float32Array {
  const start = ((seq % 2) * 2 + part) * shared.paramCount
  return shared.grads.subarray(start, start + shared.paramCount)
}

/** What the helper thread receives as `workerData`. */
export interface HelperInit {
  backend: string
  /** The model's topology (`model.toJSON(null, false)`) and every weight's values, in order. */
  topology: unknown
  weights: { values: Float32Array; shape: number[] }[]
  /** The recipe's optimizer settings, for `createOptimizer`. */
  config: TrainConfig
  sampleShape: number[]
  buffers: SharedStepBuffers
  paramCount: number
  /** Errors travel here, read synchronously by the trainer with receiveMessageOnPort. */
  errors: MessagePort
}

// A type, not an interface: tf.tidy takes it as a container of tensors.
type Part = {
  grads: Tensor[]
  loss: Scalar
  correct: Scalar
}

/**
 * One thread's part of a step: the gradients of Σ loss over its `n` samples ÷ `total` (the whole
 * batch's size), so that the two parts' gradients add up to the batch mean's gradient. Call inside
 * tf.tidy; returns tensors in `weights` order.
 */
function partGradients(
  tf: Tf,
  forward: (x: Tensor, training: boolean) => ForwardOutput,
  weights: Variable[],
  x: Tensor,
  y: Tensor1D,
  total: number,
): Part {
  const kept: Scalar[] = []
  const { value: loss, grads } = tf.variableGrads(() => {
    const out = forward(x, true)
    kept.push(tf.keep(countCorrect(tf, out.output, y)))
    return tf.div(tf.sum(crossEntropy(tf, out, y)), total) as Scalar
  }, weights)
  // Kept past the gradient pass; a clone puts it under the caller's tidy like the rest.
  const correct = kept[0].clone()
  kept[0].dispose()
  return { grads: weights.map((w) => grads[w.name]), loss, correct }
}

/** Copies a part's gradients, weight after weight, into its slot of the shared buffer. */
function writeGradients(grads: Tensor[], slot: Float32Array): void {
  let offset = 0
  for (const g of grads) {
    const values = g.dataSync() as Float32Array
    slot.set(values, offset)
    offset += values.length
  }
}

/** Adds the other thread's gradients to this thread's and takes one optimizer step. */
function applySum(
  tf: Tf,
  optimizer: StepOptimizer,
  weights: Variable[],
  own: Tensor[],
  other: Float32Array,
): void {
  const summed: Record<string, Tensor> = {}
  let offset = 0
  weights.forEach((w, i) => {
    const size = w.size
    const theirs = tf.tensor(other.subarray(offset, offset + size), w.shape)
    summed[w.name] = tf.add(own[i], theirs)
    offset += size
  })
  optimizer.applyGradients(summed)
}

/** The trainer's side: one data-parallel step, and the helper's lifetime. */
export interface ParallelStep {
  /**
   * Trains on the first `n` samples of the buffers (the trainer's part here, the rest in the
   * helper) and returns this step's loss × n and number of correct predictions as scalars.
   */
  step(xBuf: Float32Array, yBuf: Int32Array, n: number, step: number): Promise<[Scalar, Scalar]>
  dispose(): void
}

export interface ParallelArgs {
  tf: Tf
  model: LayersModel
  forward: (x: Tensor, training: boolean) => ForwardOutput
  weights: Variable[]
  optimizer: StepOptimizer
  config: TrainConfig
  batchSize: number
  entry: HelperEntry
}

/**
 * Starts the helper thread with a copy of `model` (same weights) and resolves once it is ready;
 * rejects if it cannot start. The returned step must be disposed (it ends the helper).
 */
export async function startParallelStep(args: ParallelArgs): Promise<ParallelStep> {
  const { tf, model, forward, weights, optimizer, config, batchSize } = args
  const sampleShape = model.inputs[0].shape.slice(1).map((dim) => dim ?? 1)
  const sampleSize = sampleShape.reduce((a, b) => a * b, 1)
  const paramCount = weights.reduce((a, w) => a + w.size, 0)
  const helperMax = Math.floor(batchSize / 2)
  const buffers: SharedStepBuffers = {
    control: new SharedArrayBuffer(CONTROL_WORDS * 4),
    stats: new SharedArrayBuffer(2 * 8),
    x: new SharedArrayBuffer(Math.max(1, helperMax * sampleSize) * 4),
    y: new SharedArrayBuffer(Math.max(1, helperMax) * 4),
    grads: new SharedArrayBuffer(4 * paramCount * 4),
  }
  const shared = views(buffers, paramCount)
  const { port1: errors, port2: helperErrors } = new MessageChannel()
  const init: HelperInit = {
    backend: tf.getBackend(),
    topology: model.toJSON(null, false),
    weights: model.weights.map((w) => ({
      values: w.read().dataSync() as Float32Array,
      shape: w.shape.map((d) => d ?? 1),
    })),
    config,
    sampleShape,
    buffers,
    paramCount,
    errors: helperErrors,
  }
  const helper = new Worker(args.entry.url, {
    execArgv: args.entry.execArgv,
    workerData: init,
    transferList: [helperErrors],
  })
  let gone: Error | null = null
  helper.on('error', (err) => (gone ??= err))
  helper.on('exit', (code) => (gone ??= new Error(`training helper thread exited (${code})`)))
  try {
    let timer: NodeJS.Timeout | undefined
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('training helper not ready')), READY_TIMEOUT_MS)
      helper.once('message', () => resolve())
      helper.once('error', reject)
      helper.once('exit', (code) => reject(new Error(`training helper thread exited (${code})`)))
    }).finally(() => clearTimeout(timer))
  } catch (err) {
    errors.close()
    await helper.terminate()
    throw err
  }
  const { control } = shared
  let seq = 0

  /** Blocks until the helper has finished step `seq`; yields now and then to notice its death. */
  async function helperDone(): Promise<void> {
    for (;;) {
      const done = Atomics.load(control, HELPER_DONE)
      if (done === seq) break
      if (Atomics.wait(control, HELPER_DONE, done, WAIT_SLICE_MS) === 'timed-out') {
        await yieldToEventLoop()
        if (gone) throw gone
      }
    }
    if (Atomics.load(control, FAILED) !== 0) {
      const message = receiveMessageOnPort(errors)?.message as string | undefined
      throw new Error(`training helper thread failed: ${message ?? 'unknown error'}`)
    }
  }

  return {
    async step(xBuf, yBuf, n, stepIndex) {
      const own = Math.ceil(n / 2)
      const theirs = n - own
      seq++
      shared.x.set(xBuf.subarray(own * sampleSize, n * sampleSize))
      shared.y.set(yBuf.subarray(own, n))
      Atomics.store(control, HELPER_COUNT, theirs)
      Atomics.store(control, BATCH_COUNT, n)
      Atomics.store(control, STEP, stepIndex)
      Atomics.store(control, CMD, seq)
      Atomics.notify(control, CMD)
      const part = tf.tidy(() => {
        const x = tf.tensor(xBuf.subarray(0, own * sampleSize), [own, ...sampleShape])
        const y = tf.tensor1d(yBuf.subarray(0, own), 'int32') as Tensor1D
        const result = partGradients(tf, forward, weights, x, y, n)
        writeGradients(result.grads, gradSlot(shared, seq, 0))
        return result
      })
      Atomics.store(control, TRAINER_DONE, seq)
      Atomics.notify(control, TRAINER_DONE)
      try {
        await helperDone()
        return tf.tidy(() => {
          applySum(tf, optimizer, weights, part.grads, gradSlot(shared, seq, 1))
          const [helperLoss, helperCorrect] = shared.stats
          const sums: [Scalar, Scalar] = [
            tf.mul(tf.add(part.loss, helperLoss), n),
            tf.add(part.correct, helperCorrect),
          ]
          return sums
        })
      } finally {
        tf.dispose([...part.grads, part.loss, part.correct])
      }
    },
    dispose() {
      Atomics.store(control, CMD, QUIT)
      Atomics.notify(control, CMD)
      errors.close()
      helper.unref()
      void helper.terminate().catch(() => {})
    },
  }
}

/**
 * The helper thread's loop (gradient-worker.ts calls it once its model is built): waits for each
 * step, computes its part, exchanges gradients with the trainer and applies the same update.
 * Returns when the trainer says QUIT; an error is reported through the shared flag and `report`.
 */
export function runHelperLoop(
  tf: Tf,
  model: LayersModel,
  forward: (x: Tensor, training: boolean) => ForwardOutput,
  optimizer: StepOptimizer,
  init: HelperInit,
): void {
  const shared = views(init.buffers, init.paramCount)
  const { control } = shared
  const weights = model.trainableWeights.map((w) => w.read() as Variable)
  const sampleSize = init.sampleShape.reduce((a, b) => a * b, 1)
  let seq = 0
  for (;;) {
    Atomics.wait(control, CMD, seq)
    const command = Atomics.load(control, CMD)
    if (command === QUIT) return
    seq = command
    try {
      const n = Atomics.load(control, HELPER_COUNT)
      const total = Atomics.load(control, BATCH_COUNT)
      // Its own dropout masks: the same seed's stream as the trainer's would repeat its half.
      reseedDropout(model, init.config.seed, Atomics.load(control, STEP), 1)
      const part = tf.tidy((): Tensor[] => {
        const slot = gradSlot(shared, seq, 1)
        if (n === 0) {
          slot.fill(0)
          shared.stats.set([0, 0])
          return weights.map((w) => tf.zerosLike(w))
        }
        const x = tf.tensor(shared.x.subarray(0, n * sampleSize), [n, ...init.sampleShape])
        const y = tf.tensor1d(shared.y.subarray(0, n), 'int32') as Tensor1D
        const result = partGradients(tf, forward, weights, x, y, total)
        writeGradients(result.grads, slot)
        shared.stats.set([result.loss.dataSync()[0], result.correct.dataSync()[0]])
        return result.grads
      })
      Atomics.store(control, HELPER_DONE, seq)
      Atomics.notify(control, HELPER_DONE)
      // At least, not equal: the trainer may already have finished its part of the next step
      // (it needs only this thread's gradients to go on), whose gradients use the other slot.
      for (let done = Atomics.load(control, TRAINER_DONE); done < seq;) {
        Atomics.wait(control, TRAINER_DONE, done)
        done = Atomics.load(control, TRAINER_DONE)
      }
      tf.tidy(() => applySum(tf, optimizer, weights, part, gradSlot(shared, seq, 0)))
      tf.dispose(part)
    } catch (err) {
      init.errors.postMessage(err instanceof Error ? err.message : String(err))
      Atomics.store(control, FAILED, 1)
      Atomics.store(control, HELPER_DONE, seq)
      Atomics.notify(control, HELPER_DONE)
      return
    }
  }
}

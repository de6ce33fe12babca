import type { Scalar, Tensor, Tensor1D, Variable } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { AppError } from '../../shared/errors'
import type { MessageKey, MessageParams } from '../../shared/i18n'
import type { EarlyStopping, Monitor, TrainConfig } from '../../shared/model-spec'
import { MONITOR_FIELDS, type EpochMetrics, type TrainingProgress } from '../../shared/runs'
import type { StepOptimizer } from './adam'
import type { Tf } from './backend'
import { startParallelStep, trainThreads, type HelperEntry } from './data-parallel'
import { fillBatch } from './datasets/batch'
import { epochOrder } from './datasets/split'
import type { ImageSet, LoadedDataset, SplitIndices } from './datasets/types'
import { inputShapeOf, measureSet, SCORE_BATCH_SIZE } from './evaluate'
import { createDenseStackStep } from './kernels/dense'
import { createStepClock, type StepClockLimits, type StepClockResult } from './step-timing'
import {
  countCorrect,
  createForward,
  createOptimizer,
  crossEntropy,
  reseedDropout,
  adamSettings,
  type ForwardOutput,
} from './model-factory'

/** At most this often the trainer reads the running loss back and reports progress. */
const PROGRESS_INTERVAL_MS = 100
/** At most this long between yields to the event loop, so stop and other messages arrive. */
const YIELD_INTERVAL_MS = 50

/** Within-epoch progress as the trainer sees it; the worker adds the run id. */
export type TrainerProgress = Omit<TrainingProgress, 'runId'>

export type TrainStatus = 'completed' | 'stopped' | 'failed'

export interface TrainArgs {
  tf: Tf
  model: LayersModel
  dataset: LoadedDataset
  split: SplitIndices
  config: TrainConfig
  /** Polled after every batch; true finishes the current batch and returns 'stopped'. */
  shouldStop: () => boolean
  onProgress: (progress: TrainerProgress) => void
  onEpoch: (metrics: EpochMetrics) => void
  /** Milliseconds clock; injectable for tests. */
  now?: () => number
  /**
   * The entry of the second training thread (data-parallel.ts). With it, models that gain from
   * it train on two threads where the machine has two cores; without it, on this thread alone.
   */
  helper?: HelperEntry
}

export interface TrainResult {
  status: TrainStatus
  /** Why training failed ('failed' only), as a message key and its parameters. */
  error: { key: MessageKey; params: MessageParams } | null
  /** Epochs finished and reported through `onEpoch`. */
  epochs: number
  /** Threads that trained: 2 when each batch was split with a helper thread. */
  threads: 1 | 2
  /**
   * The epoch whose weights the model holds after `restoreBestWeights` put them back; null when
   * it holds the weights from the end of training.
   */
  weightsEpoch: number | null
}

/**
 * Trains `model` in place with a custom loop (not `model.fit`): per batch, the samples are copied
 * into reused buffers, the model runs in training mode (dropout active, batch normalization
 * updating its moving statistics) and the optimizer takes one step. Loss and accuracy are summed on
 * the device and read back at most every 100 ms. After each epoch the validation samples are
 * scored in inference mode and early stopping is checked, as Keras does.
 *
 * Resolves 'completed' (all epochs, or early stopping), 'stopped' (`shouldStop` turned true) or
 * 'failed' (the loss became NaN or infinite). Other errors (a backend failure) are thrown.
 */
export async function trainModel(args: TrainArgs): Promise<TrainResult> {
  const { tf, model, dataset, split, config, shouldStop, onProgress, onEpoch } = args
  const now = args.now ?? (() => performance.now())
  checkInputs(model, dataset, split)

  const batchSize = config.batchSize
  const batches = Math.ceil(split.train.length / batchSize)
  const hasDropout = model.layers.some((layer) => layer.getClassName() === 'Dropout')
  const stepper = await prepareStepper(tf, model, config, args.helper)
  const { lossSum, correctSum, threads } = stepper
  const early = createEarlyStopper(config.earlyStopping)
  const best = config.restoreBestWeights ? createBestWeights(tf, model, config) : null
  /** Every way out of the loop goes through here, so the best weights are back in each case. */
  const end = (status: 'completed' | 'stopped'): TrainResult => ({
    status,
    error: null,
    epochs: finished,
    threads,
    weightsEpoch: best?.restore() ?? null,
  })
  let step = 0
  let lastYield = now()
  let finished = 0

  const readRunning = (): { loss: number; accuracy: number } => ({
    loss: lossSum.dataSync()[0],
    accuracy: correctSum.dataSync()[0],
  })

  try {
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      const started = now()
      const order = epochOrder(split.train, config.seed, epoch)
      tf.tidy(() => {
        lossSum.assign(tf.scalar(0))
        correctSum.assign(tf.scalar(0))
      })
      let seen = 0
      let lastProgress = started
      for (let batch = 1; batch <= batches; batch++) {
        const n = stepper.fill(dataset.train, order, (batch - 1) * batchSize)
        if (hasDropout) reseedDropout(model, config.seed, step)
        await stepper.step(n, step++)
        seen += n

        const time = now()
        if (time - lastProgress >= PROGRESS_INTERVAL_MS || batch === batches) {
          lastProgress = time
          const running = readRunning()
          if (!Number.isFinite(running.loss)) return failNaN(epoch, batch, finished, threads)
          onProgress({
            epoch,
            epochs: config.epochs,
            batch,
            batches,
            loss: running.loss / seen,
            accuracy: running.accuracy / seen,
            samplesPerSec: seen / Math.max(1e-3, (time - started) / 1000),
            elapsedMs: Math.round(time - started),
          })
        }
        if (shouldStop()) return end('stopped')
        if (time - lastYield >= YIELD_INTERVAL_MS) {
          await yieldToEventLoop()
          lastYield = now()
        }
      }

      stepper.release()
      const running = readRunning()
      if (!Number.isFinite(running.loss)) return failNaN(epoch, batches, finished, threads)
      const validation =
        split.validation.length > 0
          ? measureSet(tf, model, dataset.train, split.validation, stepper.forward)
          : null
      const metrics: EpochMetrics = {
        epoch,
        loss: running.loss / seen,
        accuracy: running.accuracy / seen,
        valLoss: validation?.loss ?? null,
        valAccuracy: validation?.accuracy ?? null,
        durationMs: Math.round(now() - started),
      }
      finished = epoch
      onEpoch(metrics)
      best?.record(metrics)
      if (early.shouldStop(metrics)) break
      if (shouldStop()) return end('stopped')
    }
    return end('completed')
  } finally {
    stepper.release()
    stepper.dispose()
  }
}

/**
 * The step training uses for `model`: the fused Dense kernel or the conv kernels where they
 * apply, split with a helper thread where that is on. Training and its estimate both go through
 * here, so the estimate times what training will run.
 */
async function prepareStepper(
  tf: Tf,
  model: LayersModel,
  config: TrainConfig,
  helper: HelperEntry | undefined,
): Promise<Stepper> {
  const stepper = createStepper(tf, model, config)
  if (!helper || trainThreads(tf, model) !== 2) return stepper
  // A helper that cannot start (no second thread allowed, a missing file) costs speed only.
  return splitAcrossThreads(tf, model, config, stepper, helper).catch(() => stepper)
}

interface Stepper {
  forward: (x: Tensor, training: boolean) => ForwardOutput
  weights: Variable[]
  optimizer: StepOptimizer
  /** Sum of per-sample losses and count of correct predictions since the last reset. */
  lossSum: Variable
  correctSum: Variable
  threads: 1 | 2
  /** Puts the samples order[start …] (at most a batch) where `step` reads them; returns how many. */
  fill(set: ImageSet, order: Uint32Array, start: number): number
  /**
   * One optimizer step on the `n` samples of the last `fill` (the run's step number `index`);
   * adds to the running sums.
   */
  step(n: number, index: number): void | Promise<void>
  /** Before anything else uses the weights (validation, callbacks, the end of training). */
  release(): void
  dispose(): void
}

/**
 * `stepper` with each batch split between this thread and a helper thread (data-parallel.ts),
 * once the helper has started with a copy of the model.
 */
async function splitAcrossThreads(
  tf: Tf,
  model: LayersModel,
  config: TrainConfig,
  stepper: Stepper,
  helper: HelperEntry,
): Promise<Stepper> {
  const parallel = await startParallelStep({
    tf,
    model,
    forward: stepper.forward,
    weights: stepper.weights,
    optimizer: stepper.optimizer,
    config,
    batchSize: config.batchSize,
    entry: helper,
  })
  const { lossSum, correctSum } = stepper
  const sampleSize = inputShapeOf(model).reduce((a, b) => a * b, 1)
  const xBuf = new Float32Array(config.batchSize * sampleSize)
  const yBuf = new Int32Array(config.batchSize)
  return {
    ...stepper,
    threads: 2,
    fill: (set, order, start) => fillBatch(set, order, start, config.batchSize, xBuf, yBuf),
    async step(n, index) {
      const [loss, correct] = await parallel.step(xBuf, yBuf, n, index)
      tf.tidy(() => {
        lossSum.assign(tf.add(lossSum, loss))
        correctSum.assign(tf.add(correctSum, correct))
      })
      tf.dispose([loss, correct])
    },
    dispose() {
      parallel.dispose()
      stepper.dispose()
    },
  }
}

/** The optimizer, the running sums and one training step, shared by training and estimating. */
function createStepper(tf: Tf, model: LayersModel, config: TrainConfig): Stepper {
  const shape = inputShapeOf(model)
  const sampleSize = shape.reduce((a, b) => a * b, 1)
  const optimizer = createOptimizer(tf, config)
  const forward = createForward(tf, model)
  // This model's weights only: by default tfjs differentiates with respect to every trainable
  // variable alive in the thread, a cached prediction model's too.
  const weights = model.trainableWeights.map((w) => w.read() as Variable)
  // Inside tidy so the initial scalars go; variables survive tidy.
  const [lossSum, correctSum] = tf.tidy(() => [
    tf.variable(tf.scalar(0), false),
    tf.variable(tf.scalar(0), false),
  ])
  // A model of Dense layers, optionally after convolution blocks (LeNet), with Adam, on wasm: the
  // whole step as one kernel (kernels/dense.ts, kernels/conv-step.ts).
  const fused =
    config.optimizer === 'adam'
      ? createDenseStackStep(tf, model, adamSettings(config), config.batchSize)
      : null
  const xBuf = new Float32Array(fused ? 0 : config.batchSize * sampleSize)
  const yBuf = new Int32Array(fused ? 0 : config.batchSize)
  return {
    forward,
    weights,
    optimizer,
    lossSum,
    correctSum,
    threads: 1,
    fill: (set, order, start) =>
      fused
        ? fused.fill(set, order, start)
        : fillBatch(set, order, start, config.batchSize, xBuf, yBuf),
    step(n) {
      if (fused) return fused.step(lossSum, correctSum)
      tf.tidy(() => {
        const x = tf.tensor(xBuf.subarray(0, n * sampleSize), [n, ...shape])
        const y = tf.tensor1d(yBuf.subarray(0, n), 'int32') as Tensor1D
        const kept: Scalar[] = []
        const { value: loss, grads } = tf.variableGrads(() => {
          const out = forward(x, true)
          // The gradient pass disposes everything but the loss; keep the accuracy count alive.
          kept.push(tf.keep(countCorrect(tf, out.output, y)))
          return tf.mean(crossEntropy(tf, out, y)) as Scalar
        }, weights)
        optimizer.applyGradients(grads)
        lossSum.assign(tf.add(lossSum, tf.mul(loss, n)))
        for (const correct of kept) {
          correctSum.assign(tf.add(correctSum, correct))
          correct.dispose()
        }
      })
    },
    release() {
      fused?.release()
    },
    dispose() {
      lossSum.dispose()
      correctSum.dispose()
      optimizer.dispose()
      fused?.dispose()
    },
  }
}

export interface StepTimingArgs {
  tf: Tf
  model: LayersModel
  dataset: LoadedDataset
  split: SplitIndices
  config: TrainConfig
  /** How long to warm up and to time steps (step-timing.ts). */
  limits: Omit<StepClockLimits, 'maxTimedSteps'>
  /** Milliseconds clock; injectable for tests. */
  now?: () => number
  /** As for `trainModel`: the estimate times two threads where training would use them. */
  helper?: HelperEntry
}

export interface StepTiming extends StepClockResult {
  /** Milliseconds to score one validation sample in inference mode, after a warm-up pass. */
  msPerValidationSample: number
  /** Milliseconds each epoch spends outside the steps and validation: the shuffle. */
  msPerEpochOverhead: number
  /** Threads the steps ran on: 2 where training splits each batch with a helper thread. */
  threads: 1 | 2
}

/** A guard only: the time budget ends the timing (the fused MLP step takes under 1 ms). */
const MAX_TIMED_STEPS = 10_000

/**
 * Times real training steps of `model` as `trainModel` runs them (the same stepper, batch size,
 * shuffled order, dropout seeding), warm-up excluded, then the scoring of up to 1,024 validation
 * samples after one untimed pass, and the per-epoch shuffle. The model's weights change; callers
 * pass a throwaway model. Every tensor is disposed.
 */
export async function timeTrainingSteps(args: StepTimingArgs): Promise<StepTiming> {
  const { tf, model, dataset, split, config } = args
  const now = args.now ?? (() => performance.now())
  checkInputs(model, dataset, split)
  const batchSize = config.batchSize
  const hasDropout = model.layers.some((layer) => layer.getClassName() === 'Dropout')
  const stepper = await prepareStepper(tf, model, config, args.helper)
  const clock = createStepClock({ ...args.limits, maxTimedSteps: MAX_TIMED_STEPS })
  try {
    let started = now()
    const order = epochOrder(split.train, config.seed, 1)
    const msPerEpochOverhead = now() - started
    const batches = Math.ceil(order.length / batchSize)
    for (let step = 0; !clock.done; step++) {
      started = now()
      const n = stepper.fill(dataset.train, order, (step % batches) * batchSize)
      if (hasDropout) reseedDropout(model, config.seed, step)
      await stepper.step(n, step)
      // Reading the running loss waits for the step to finish on asynchronous backends.
      stepper.lossSum.dataSync()
      clock.record(now() - started)
    }
    stepper.release()
    let msPerValidationSample = 0
    if (split.validation.length > 0) {
      // The first pass at the scoring batch size allocates and compiles (5× slower on LeNet).
      const first = split.validation.subarray(0, SCORE_BATCH_SIZE)
      measureSet(tf, model, dataset.train, first, stepper.forward)
      const next = split.validation.subarray(SCORE_BATCH_SIZE, 2 * SCORE_BATCH_SIZE)
      const timed = next.length >= first.length ? next : first
      started = now()
      measureSet(tf, model, dataset.train, timed, stepper.forward)
      msPerValidationSample = (now() - started) / timed.length
    }
    return {
      ...clock.result(),
      msPerValidationSample,
      msPerEpochOverhead,
      threads: stepper.threads,
    }
  } finally {
    stepper.release()
    stepper.dispose()
  }
}

/** Refuses a model whose input does not fit the dataset's images, or no training samples. */
function checkInputs(model: LayersModel, dataset: LoadedDataset, split: SplitIndices): number {
  const shape = inputShapeOf(model)
  const sampleSize = shape.reduce((a, b) => a * b, 1)
  const datasetSampleSize = dataset.info.imageShape.reduce((a, b) => a * b, 1)
  if (sampleSize !== datasetSampleSize) {
    throw new AppError('INVALID_SPEC', 'training.inputMismatch', {
      model: shape.join('×'),
      dataset: dataset.info.imageShape.join('×'),
    })
  }
  if (split.train.length === 0) throw new AppError('INVALID_INPUT', 'training.noSamples')
  return sampleSize
}

function failNaN(epoch: number, batch: number, finished: number, threads: 1 | 2): TrainResult {
  return {
    status: 'failed',
    error: { key: 'training.nanLoss', params: { epoch, batch } },
    epochs: finished,
    threads,
    weightsEpoch: null,
  }
}

/**
 * Tracks the best value of a Keras monitor as Keras does (min_delta 0: strictly better; losses
 * fall, accuracies rise). `improves` records the epoch and says whether it is the new best. A
 * monitor without a value (val_* with no validation split) never improves.
 */
function createMonitorBest(monitor: Monitor): (metrics: EpochMetrics) => boolean {
  const key = MONITOR_FIELDS[monitor]
  const sign = monitor.endsWith('loss') ? 1 : -1
  let best = Infinity
  return (metrics) => {
    const value = metrics[key]
    if (value === null || !(sign * value < best)) return false
    best = sign * value
    return true
  }
}

interface BestWeights {
  /** Records a finished epoch; copies the weights when its monitored value is the best so far. */
  record(metrics: EpochMetrics): void
  /** Puts the best epoch's weights back into the model; returns that epoch, or null if none. */
  restore(): number | null
}

/**
 * Keras's `restore_best_weights=True` (as Keras ≥ 2.11 does it, also when training was not cut
 * short): the weights of the best epoch by early stopping's monitor, or val_loss without early
 * stopping. Copies go to plain arrays, not tensors sharing storage with the variables: the
 * optimizer kernels update some variables in place. Every weight is copied, the non-trainable
 * ones too (batch normalization's moving statistics), as Keras's `get_weights` does.
 */
function createBestWeights(tf: Tf, model: LayersModel, config: TrainConfig): BestWeights {
  const improves = createMonitorBest(config.earlyStopping?.monitor ?? 'val_loss')
  let best: { epoch: number; values: Float32Array[] } | null = null
  return {
    record(metrics) {
      if (!improves(metrics)) return
      best = {
        epoch: metrics.epoch,
        values: model.weights.map((w) => Float32Array.from(w.read().dataSync())),
      }
    },
    restore() {
      if (!best) return null
      const { values } = best
      const tensors = model.weights.map((w, i) =>
        tf.tensor(values[i], w.shape as number[], w.dtype),
      )
      try {
        model.setWeights(tensors)
      } finally {
        tf.dispose(tensors)
      }
      return best.epoch
    },
  }
}

export interface EarlyStopper {
  /** Records one epoch; true when training should end here. */
  shouldStop(metrics: EpochMetrics): boolean
}

/**
 * Keras's EarlyStopping (min_delta 0, no baseline, no weight restore): stop once the monitored
 * value has not improved for `patience` epochs in a row. Losses must fall, accuracies rise. A
 * monitor without a value (val_* with no validation split) never stops training, as in Keras.
 */
export function createEarlyStopper(settings: EarlyStopping | null): EarlyStopper {
  if (!settings) return { shouldStop: () => false }
  const improves = createMonitorBest(settings.monitor)
  const key = MONITOR_FIELDS[settings.monitor]
  let wait = 0
  return {
    shouldStop(metrics) {
      if (metrics[key] === null) return false
      if (improves(metrics)) {
        wait = 0
        return false
      }
      wait++
      return wait >= settings.patience
    },
  }
}

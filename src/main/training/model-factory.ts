import type { LayersModel, Sequential } from '@tensorflow/tfjs-layers'
import type { Scalar, Tensor, Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core'
import type { Activation, LayerSpec, ModelSpec, TrainConfig } from '../../shared/model-spec'
import { createRng } from '../../shared/random'
import { KERAS_NAME_BASES } from '../../shared/spec-shapes'
import { asStepOptimizer, createAdam, type AdamSettings, type StepOptimizer } from './adam'
import type { Tf } from './backend'
import { KerasReLU, SpatialDropout2D } from './custom-layers'
import { fusedConv2d, fusedMaxPool } from './kernels/conv'
import { sparseSoftmaxCrossEntropy } from './softmax-cross-entropy'

/** Keras's backend epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log. */
const EPSILON = 1e-7

/** A 32-bit seed drawn from `seed` and a position, so each layer or step gets its own stream. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let state = seed >>> 0
  for (const part of parts)
    state = Math.floor(createRng(state ^ Math.imul(part + 1, 0x9e3779b1))() * 2 ** 32)
  return state
}

/**
 * Builds the sequential model a spec describes. Kernels use Glorot-uniform like Keras, seeded from
 * `config.seed` and the layer's position, so the same seed gives the same initial weights. The
 * model is not compiled: the trainer runs its own loop with `createOptimizer` and `crossEntropy`.
 */
export function buildModel(tf: Tf, spec: ModelSpec, config: TrainConfig): LayersModel {
  const model = tf.sequential()
  const counts = new Map<string, number>()
  spec.layers.forEach((layer, index) => {
    const stem = KERAS_NAME_BASES[layer.type]
    const seen = counts.get(stem) ?? 0
    counts.set(stem, seen + 1)
    const base = {
      name: seen === 0 ? stem : `${stem}_${seen}`,
      ...(index === 0 ? { inputShape: spec.inputShape } : {}),
    }
    const kernelInitializer = () =>
      tf.initializers.glorotUniform({ seed: deriveSeed(config.seed, index) })
    model.add(createLayer(tf, layer, base, kernelInitializer, deriveSeed(config.seed, index)))
  })
  return model
}

type LayerBase = { name: string; inputShape?: number[] }
type Layer = Parameters<Sequential['add']>[0]

function createLayer(
  tf: Tf,
  layer: LayerSpec,
  base: LayerBase,
  kernelInitializer: () => ReturnType<Tf['initializers']['glorotUniform']>,
  seed: number,
): Layer {
  switch (layer.type) {
    case 'flatten':
      return tf.layers.flatten(base)
    case 'dense':
      return tf.layers.dense({
        ...base,
        units: layer.units,
        activation: layer.activation,
        useBias: layer.useBias,
        kernelInitializer: kernelInitializer(),
      })
    case 'dropout':
      return tf.layers.dropout({ ...base, rate: layer.rate, seed })
    case 'conv2d':
      return tf.layers.conv2d({
        ...base,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: layer.padding,
        activation: layer.activation,
        useBias: layer.useBias,
        kernelInitializer: kernelInitializer(),
      })
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const args = {
        ...base,
        poolSize: layer.poolSize,
        strides: layer.strides,
        padding: layer.padding,
      }
      return layer.type === 'maxPooling2d'
        ? tf.layers.maxPooling2d(args)
        : tf.layers.averagePooling2d(args)
    }
    case 'batchNormalization':
      return tf.layers.batchNormalization({
        ...base,
        momentum: layer.momentum,
        epsilon: layer.epsilon,
      })
    case 'reshape':
      return tf.layers.reshape({ ...base, targetShape: layer.targetShape })
    case 'activation':
      return tf.layers.activation({ ...base, activation: layer.activation })
    case 'relu':
      return new KerasReLU({
        ...base,
        maxValue: layer.maxValue,
        negativeSlope: layer.negativeSlope,
        threshold: layer.threshold,
      })
    case 'leakyRelu':
      return tf.layers.leakyReLU({ ...base, alpha: layer.negativeSlope })
    case 'softmax':
      // tfjs's Softmax defaults to axis 1; Keras's to the last axis.
      return tf.layers.softmax({ ...base, axis: -1 })
    case 'rescaling':
      return tf.layers.rescaling({ ...base, scale: layer.scale, offset: layer.offset })
    case 'zeroPadding2d':
      return tf.layers.zeroPadding2d({ ...base, padding: layer.padding })
    case 'globalAveragePooling2d':
      return tf.layers.globalAveragePooling2d(base)
    case 'globalMaxPooling2d':
      return tf.layers.globalMaxPooling2d(base)
    case 'spatialDropout2d':
      return new SpatialDropout2D({ ...base, rate: layer.rate, seed })
  }
}

/**
 * Gives every Dropout layer a fresh seed for one training step.
 *
 * tfjs's Dropout with a fixed `seed` draws the SAME mask on every call (it seeds a new generator
 * each time), which would silence the same units for the whole run; without a seed it uses
 * Math.random and runs are not reproducible. So the trainer reseeds per step. `seed` is a private
 * field of tfjs-layers' Dropout (read in `call`), hence the cast; the roundtrip test covers it.
 * `part` > 0 gives the second thread of a data-parallel step its own masks (data-parallel.ts).
 */
export function reseedDropout(model: LayersModel, seed: number, step: number, part = 0): void {
  model.layers.forEach((layer, index) => {
    const name = layer.getClassName()
    if (name === 'Dropout' || name === 'SpatialDropout2D') {
      ;(layer as unknown as { seed: number }).seed =
        part === 0 ? deriveSeed(seed, index, step) : deriveSeed(seed, index, step, part)
    }
  })
}

/** Adam's settings for a config: its learning rate and Keras's defaults for the rest. */
export function adamSettings(config: TrainConfig): AdamSettings {
  return { learningRate: config.learningRate, beta1: 0.9, beta2: 0.999, epsilon: EPSILON }
}

/** The optimizer a config names, with Keras's defaults for what the config does not set. */
export function createOptimizer(tf: Tf, config: TrainConfig): StepOptimizer {
  switch (config.optimizer) {
    case 'sgd':
      return asStepOptimizer(
        config.momentum > 0
          ? tf.train.momentum(config.learningRate, config.momentum)
          : tf.train.sgd(config.learningRate),
      )
    case 'adam':
      return createAdam(tf, adamSettings(config))
    case 'rmsprop':
      return asStepOptimizer(tf.train.rmsprop(config.learningRate, 0.9, 0, EPSILON))
  }
}

/** A model's output for a batch: probabilities, or the logits under a final softmax. */
export interface ForwardOutput {
  output: Tensor
  fromLogits: boolean
}

/**
 * Returns a forward pass for `model`. When the last layer is a Dense with softmax, as in every
 * classifier here, or a Softmax (or Activation('softmax')) layer, it stops at the logits: Keras does the same (its softmax hands its logits to the
 * cross-entropy), which is numerically stable. Computing −log(softmax) instead and clipping, as
 * Keras does only without a softmax, silently stalls training once the output saturates (the
 * clip's gradient is zero) instead of reporting a diverging loss.
 *
 * Flatten, Dense and Conv2D run as plain ops (see `createDirectStep`); other layers through
 * `layer.apply`, which honours `training` (dropout, batch normalization).
 */
export function createForward(
  tf: Tf,
  model: LayersModel,
): (x: Tensor, training: boolean) => ForwardOutput {
  const layers = model.layers
  const last = layers[layers.length - 1]
  const config = last?.getConfig() ?? {}
  const lastName = last?.getClassName()
  // Keras 2's way, Dense(10) then Activation('softmax') or Softmax(), ends in logits just the same.
  const softmaxLayer =
    (lastName === 'Activation' && config.activation === 'softmax') ||
    (lastName === 'Softmax' && config.axis === -1)
  const fromLogits =
    softmaxLayer ||
    (lastName === 'Dense' &&
      config.activation === 'softmax' &&
      last.weights.length === (config.useBias ? 2 : 1))
  const steps = layers.map((layer, index): Step => {
    const isLast = index === layers.length - 1
    if (isLast && softmaxLayer) return (h) => h
    return createDirectStep(tf, layer, fromLogits && isLast)
  })
  return (x, training) => {
    let h = x
    for (const step of steps) h = step(h, training)
    return { output: h, fromLogits }
  }
}

type Step = (h: Tensor, training: boolean) => Tensor

const ACTIVATE: Record<Activation, (tf: Tf, x: Tensor) => Tensor> = {
  relu: (tf, x) => tf.relu(x),
  sigmoid: (tf, x) => tf.sigmoid(x),
  tanh: (tf, x) => tf.tanh(x),
  softmax: (tf, x) => tf.softmax(x),
  linear: (_, x) => x,
}

/**
 * One layer's forward pass. Flatten, Dense and Conv2D are computed with plain ops rather than
 * `layer.apply`: tfjs-layers multiplies through `fused.matMul`/`fused.conv2d`, whose custom
 * gradient always computes the gradient of the layer's input too. For the first layer that is the
 * gradient of the images, which nothing needs, and the largest product of the whole backward pass
 * of the tutorial MLP (a 32×128 by 128×784 product per batch). Plain ops compute each input's
 * gradient only when something depends on it. `logits` skips the final softmax.
 */
function createDirectStep(tf: Tf, layer: Layer, logits: boolean): Step {
  const generic: Step = (h, training) => layer.apply(h, { training }) as Tensor
  const config = layer.getConfig()
  const name = layer.getClassName()
  if (name === 'Flatten') return (h) => (h.rank === 2 ? h : tf.reshape(h, [h.shape[0], -1]))
  if (name === 'MaxPooling2D') {
    if (config.dataFormat !== 'channelsLast') return generic
    const poolSize = config.poolSize as [number, number]
    const strides = (config.strides ?? poolSize) as [number, number]
    const padding = config.padding as 'same' | 'valid'
    return (h, training) =>
      fusedMaxPool(tf, h as Tensor4D, poolSize, strides, padding) ?? generic(h, training)
  }
  const activation = config.activation as Activation
  if ((name !== 'Dense' && name !== 'Conv2D') || !(activation in ACTIVATE)) return generic
  const [kernel, bias] = layer.weights
  if (layer.weights.length !== (config.useBias ? 2 : 1)) return generic
  const activate = logits ? ACTIVATE.linear : ACTIVATE[activation]
  const withBias = (z: Tensor) => (bias ? tf.add(z, bias.read()) : z)
  if (name === 'Dense') {
    return (h, training) =>
      h.rank === 2
        ? activate(tf, withBias(tf.matMul(h as Tensor2D, kernel.read() as Tensor2D)))
        : generic(h, training)
  }
  const plainConv =
    config.dataFormat === 'channelsLast' &&
    [config.dilationRate].flat().every((d) => d === 1) &&
    (config.padding === 'same' || config.padding === 'valid')
  if (!plainConv) return generic
  const strides = config.strides as [number, number]
  const padding = config.padding as 'same' | 'valid'
  // ReLU is fused into the wasm kernel; another activation follows it.
  const fuseRelu = !logits && activation === 'relu'
  const after = fuseRelu ? ACTIVATE.linear : activate
  return (h) => {
    const filter = kernel.read() as Tensor4D
    const fused = fusedConv2d(
      tf,
      h as Tensor4D,
      filter,
      bias?.read() ?? null,
      strides,
      padding,
      fuseRelu,
    )
    if (fused) return after(tf, fused)
    return activate(tf, withBias(tf.conv2d(h as Tensor4D, filter, strides, padding)))
  }
}

/**
 * Per-sample cross-entropy against integer labels, as Keras computes it: from logits with a stable
 * log-softmax when available (one fused kernel on wasm and cpu, see softmax-cross-entropy.ts);
 * otherwise from probabilities, renormalized to sum 1, clipped to [1e-7, 1 − 1e-7], then
 * −log p(true class). Sparse and categorical cross-entropy differ in Keras
 * only in the label format, not in the value, so both config losses use this (categorical labels
 * are one-hot encoded here).
 */
export function crossEntropy(tf: Tf, forward: ForwardOutput, labels: Tensor1D): Tensor1D {
  return tf.tidy(() => {
    const { output, fromLogits } = forward
    const fused = fromLogits ? sparseSoftmaxCrossEntropy(tf, output, labels) : null
    if (fused) return fused
    const classCount = output.shape[output.shape.length - 1]
    const oneHot = tf.oneHot(labels, classCount)
    const logProbs = fromLogits
      ? tf.logSoftmax(output)
      : tf.log(tf.clipByValue(tf.div(output, tf.sum(output, -1, true)), EPSILON, 1 - EPSILON))
    return tf.neg(tf.sum(tf.mul(oneHot, logProbs), -1)) as Tensor1D
  })
}

/** How many predictions (argmax of probabilities or logits) equal the labels, as a float scalar. */
export function countCorrect(tf: Tf, output: Tensor, labels: Tensor1D): Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(output, -1), labels), 'float32')))
}

import * as tfc from '@tensorflow/tfjs-core'
import type { Tensor } from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'

/*
 * Two Keras layers TensorFlow.js lacks or implements only in part, written as tfjs layers and
 * registered under Keras's class names, so models holding them save, load and export like any
 * other: tfjs's own ReLU knows only `max_value`, and tfjs has no SpatialDropout2D.
 */

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>
type Kwargs = Record<string, unknown>

function one(inputs: Tensor | Tensor[]): Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs
}

export interface ReLUArgs extends LayerArgs {
  maxValue?: number | null
  negativeSlope?: number
  threshold?: number
}

/**
 * Keras's `relu(x, negative_slope, max_value, threshold)`, step by step as Keras computes it:
 * x where x > threshold (else 0), capped to [0, max_value] when there is a cap, minus
 * negative_slope × relu(threshold − x).
 */
export function kerasRelu(
  x: Tensor,
  maxValue: number | null,
  negativeSlope: number,
  threshold: number,
): Tensor {
  return tfc.tidy(() => {
    let y = threshold !== 0 ? tfc.mul(x, tfc.cast(tfc.greater(x, threshold), x.dtype)) : tfc.relu(x)
    if (maxValue !== null) y = tfc.clipByValue(y, 0, maxValue)
    if (negativeSlope !== 0) {
      y = tfc.sub(y, tfc.mul(negativeSlope, tfc.relu(tfc.sub(threshold, x))))
    }
    return y
  })
}

export class KerasReLU extends tfl.layers.Layer {
  static className = 'ReLU'
  readonly maxValue: number | null
  readonly negativeSlope: number
  readonly threshold: number

  constructor(args: ReLUArgs = {}) {
    super(args)
    this.supportsMasking = true
    this.maxValue = args.maxValue ?? null
    this.negativeSlope = args.negativeSlope ?? 0
    this.threshold = args.threshold ?? 0
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return kerasRelu(one(inputs), this.maxValue, this.negativeSlope, this.threshold)
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
      ...super.getConfig(),
    }
  }
}

export interface SpatialDropout2DArgs extends LayerArgs {
  rate: number
  seed?: number
}

/**
 * Keras's SpatialDropout2D: while training, each channel of each image is dropped whole (noise
 * shape [batch, 1, 1, channels]) and the rest scaled by 1 / (1 − rate); at inference it passes
 * its input through. Like tfjs's Dropout it takes a `seed`, which the trainer renews every step.
 */
export class SpatialDropout2D extends tfl.layers.Layer {
  static className = 'SpatialDropout2D'
  readonly rate: number
  seed: number | undefined

  constructor(args: SpatialDropout2DArgs) {
    super(args)
    this.rate = args.rate
    this.seed = args.seed
    this.inputSpec = [{ ndim: 4 }]
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor {
    return tfc.tidy(() => {
      const x = one(inputs)
      if (kwargs.training !== true || this.rate <= 0) return x
      const [batch, , , channels] = x.shape
      return tfc.dropout(x, this.rate, [batch, 1, 1, channels], this.seed)
    })
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { rate: this.rate, dataFormat: 'channelsLast', ...super.getConfig() }
  }
}

// Registered under Keras's names: replaces tfjs's partial ReLU when a saved model is loaded.
tfc.serialization.registerClass(KerasReLU)
tfc.serialization.registerClass(SpatialDropout2D)

import { ACTIVATIONS, type Activation } from '../../../../shared/model-spec'
import { tf } from './tf'

/** The activations that act on one number at a time; softmax acts on a whole vector. */
export type ElementwiseActivation = Exclude<Activation, 'softmax'>
export const ELEMENTWISE_ACTIVATIONS = ACTIVATIONS.filter(
  (a): a is ElementwiseActivation => a !== 'softmax',
)

function apply(activation: ElementwiseActivation, x: tf.Tensor): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(x)
    case 'sigmoid':
      return tf.sigmoid(x)
    case 'tanh':
      return tf.tanh(x)
    case 'linear':
      return x
  }
}

export interface Curve {
  xs: number[]
  f: number[]
  df: number[]
}

/**
 * f and f′ sampled over [min, max], both from TensorFlow.js: f′ is what `tf.grad` gives, the same
 * slope backpropagation multiplies by.
 */
export function activationCurve(
  activation: ElementwiseActivation,
  min = -5,
  max = 5,
  samples = 201,
): Curve {
  const xs = Array.from({ length: samples }, (_, i) => min + ((max - min) * i) / (samples - 1))
  return tf.tidy(() => {
    const x = tf.tensor1d(xs)
    // Each output depends only on its own input, so the gradient of the sum is f′ at every point.
    const grad = tf.grad((input: tf.Tensor) => tf.sum(apply(activation, input)))
    return {
      xs,
      f: Array.from(apply(activation, x).dataSync()),
      df: Array.from(grad(x).dataSync()),
    }
  })
}

/** f(x) and f′(x) at one input, for the movable marker. */
export function activationAt(
  activation: ElementwiseActivation,
  x: number,
): { f: number; df: number } {
  return tf.tidy(() => {
    const input = tf.scalar(x)
    const grad = tf.grad((v: tf.Tensor) => tf.sum(apply(activation, v)))
    return { f: apply(activation, input).dataSync()[0], df: grad(input).dataSync()[0] }
  })
}

/** softmax(logits / T): a higher temperature flattens the probabilities, a lower one sharpens them. */
export function softmaxWithTemperature(logits: readonly number[], temperature: number): number[] {
  if (!(temperature > 0)) throw new RangeError('temperature must be positive')
  return tf.tidy(() =>
    Array.from(tf.softmax(tf.div(tf.tensor1d([...logits]), temperature)).dataSync()),
  )
}

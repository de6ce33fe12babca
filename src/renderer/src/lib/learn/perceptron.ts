import { createRng } from '../../../../shared/random'
import { tf } from './tf'

export const NEURON_ACTIVATIONS = ['step', 'sigmoid', 'tanh', 'relu'] as const
export type NeuronActivation = (typeof NEURON_ACTIVATIONS)[number]

export const PRESETS = ['and', 'or', 'xor'] as const
export type PerceptronPreset = (typeof PRESETS)[number]

/** The plane the lab draws: both inputs from -0.5 to 1.5, so 0/1 corners sit inside. */
export const PLANE = { min: -0.5, max: 1.5 } as const

export interface LabPoint {
  x1: number
  x2: number
  label: 0 | 1
}

export interface Neuron {
  w1: number
  w2: number
  b: number
  activation: NeuronActivation
}

export function presetPoints(preset: PerceptronPreset): LabPoint[] {
  const truth: Record<PerceptronPreset, (a: number, b: number) => boolean> = {
    and: (a, b) => a === 1 && b === 1,
    or: (a, b) => a === 1 || b === 1,
    xor: (a, b) => a !== b,
  }
  return [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ].map(([x1, x2]) => ({ x1, x2, label: truth[preset](x1, x2) ? 1 : 0 }))
}

export function isInPlane(x1: number, x2: number): boolean {
  return (
    Number.isFinite(x1) &&
    Number.isFinite(x2) &&
    x1 >= PLANE.min &&
    x1 <= PLANE.max &&
    x2 >= PLANE.min &&
    x2 <= PLANE.max
  )
}

/** Adds a point; a point off the plane (or not a number) is refused and the list stays as it was. */
export function addPoint(
  points: readonly LabPoint[],
  point: LabPoint,
): { ok: true; points: LabPoint[] } | { ok: false } {
  if (!isInPlane(point.x1, point.x2)) return { ok: false }
  return { ok: true, points: [...points, point] }
}

export function activate(activation: NeuronActivation, z: number): number {
  switch (activation) {
    case 'step':
      return z >= 0 ? 1 : 0
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z))
    case 'tanh':
      return Math.tanh(z)
    case 'relu':
      return Math.max(0, z)
  }
}

export function derivative(activation: NeuronActivation, z: number): number {
  switch (activation) {
    case 'step':
      return 0
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z))
      return s * (1 - s)
    }
    case 'tanh':
      return 1 - Math.tanh(z) ** 2
    case 'relu':
      return z > 0 ? 1 : 0
  }
}

/** Where the output counts as class 1: halfway between the activation's "no" and "yes". */
export function threshold(activation: NeuronActivation): number {
  return activation === 'tanh' ? 0 : 0.5
}

/** The target an output should reach for a label (tanh's "no" is -1). */
function target(activation: NeuronActivation, label: 0 | 1): number {
  return label === 1 ? 1 : activation === 'tanh' ? -1 : 0
}

export interface NeuronReading {
  z: number
  out: number
  predicted: 0 | 1
}

export function readNeuron(neuron: Neuron, x1: number, x2: number): NeuronReading {
  const z = neuron.w1 * x1 + neuron.w2 * x2 + neuron.b
  const out = activate(neuron.activation, z)
  return { z, out, predicted: out >= threshold(neuron.activation) ? 1 : 0 }
}

/** Share of points a classifier gets right (1 for an empty set: nothing is wrong). */
export function accuracy(
  points: readonly LabPoint[],
  classify: (x1: number, x2: number) => 0 | 1,
): number {
  if (points.length === 0) return 1
  return points.filter((p) => classify(p.x1, p.x2) === p.label).length / points.length
}

/**
 * One pass over the points. The step activation has no slope, so it learns by Rosenblatt's rule
 * (w += η·(y − ŷ)·x); the smooth ones descend the squared error's gradient (the delta rule).
 */
export function trainEpoch(neuron: Neuron, points: readonly LabPoint[], lr: number): Neuron {
  let { w1, w2, b } = neuron
  for (const p of points) {
    const z = w1 * p.x1 + w2 * p.x2 + b
    const out = activate(neuron.activation, z)
    const error =
      neuron.activation === 'step'
        ? p.label - (out >= 0.5 ? 1 : 0)
        : (target(neuron.activation, p.label) - out) * derivative(neuron.activation, z)
    w1 += lr * error * p.x1
    w2 += lr * error * p.x2
    b += lr * error
  }
  return { ...neuron, w1, w2, b }
}

/**
 * A 2 → H (tanh) → 1 (sigmoid) network trained on TensorFlow.js with Adam on the binary
 * cross-entropy; the seed fixes the starting weights, so the same seed learns the same way.
 */
export class HiddenLayerNet {
  readonly hidden: number
  private readonly w1: tf.Variable
  private readonly b1: tf.Variable
  private readonly w2: tf.Variable
  private readonly b2: tf.Variable
  private readonly optimizer: tf.Optimizer
  epochs = 0

  constructor(hidden: number, seed: number, learningRate = 0.1) {
    this.hidden = hidden
    const rng = createRng(seed)
    // Glorot-uniform by hand: the seed must decide the weights the same way on every machine.
    const uniform = (n: number, limit: number) =>
      Float32Array.from({ length: n }, () => (rng() * 2 - 1) * limit)
    // Variables outlive tidy; the tensors they were made from do not.
    ;[this.w1, this.b1, this.w2, this.b2] = tf.tidy(() => [
      tf.variable(tf.tensor2d(uniform(2 * hidden, Math.sqrt(6 / (2 + hidden))), [2, hidden])),
      tf.variable(tf.zeros([hidden])),
      tf.variable(tf.tensor2d(uniform(hidden, Math.sqrt(6 / (hidden + 1))), [hidden, 1])),
      tf.variable(tf.zeros([1])),
    ])
    this.optimizer = tf.train.adam(learningRate)
  }

  private forward(x: tf.Tensor2D): { h: tf.Tensor2D; logit: tf.Tensor2D } {
    const h = tf.tanh(tf.add(tf.matMul(x, this.w1), this.b1)) as tf.Tensor2D
    return { h, logit: tf.add(tf.matMul(h, this.w2), this.b2) as tf.Tensor2D }
  }

  /** `steps` full-batch Adam steps on the points; returns the last loss. */
  train(points: readonly LabPoint[], steps: number): number {
    if (points.length === 0) return 0
    let loss = 0
    tf.tidy(() => {
      const x = tf.tensor2d(
        points.flatMap((p) => [p.x1, p.x2]),
        [points.length, 2],
      )
      const y = tf.tensor2d(
        points.map((p) => p.label),
        [points.length, 1],
      )
      for (let i = 0; i < steps; i++) {
        const cost = this.optimizer.minimize(
          () => tf.losses.sigmoidCrossEntropy(y, this.forward(x).logit) as tf.Scalar,
          true,
        )
        if (i === steps - 1 && cost) loss = cost.dataSync()[0]
        this.epochs++
      }
    })
    return loss
  }

  /** Output probability and each hidden unit's value for many points at once. */
  read(xs: Float32Array): { out: Float32Array; hidden: Float32Array } {
    return tf.tidy(() => {
      const { h, logit } = this.forward(tf.tensor2d(xs, [xs.length / 2, 2]))
      return {
        out: tf.sigmoid(logit).dataSync() as Float32Array,
        hidden: h.dataSync() as Float32Array,
      }
    })
  }

  classify = (x1: number, x2: number): 0 | 1 =>
    this.read(Float32Array.of(x1, x2)).out[0] >= 0.5 ? 1 : 0

  dispose(): void {
    for (const v of [this.w1, this.b1, this.w2, this.b2]) v.dispose()
    this.optimizer.dispose()
  }
}

/** A grid of `side`×`side` points across the plane, row-major from the top (x2 = max) down. */
export function planeGrid(side: number): Float32Array {
  const xs = new Float32Array(side * side * 2)
  const span = PLANE.max - PLANE.min
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = (r * side + c) * 2
      xs[i] = PLANE.min + ((c + 0.5) / side) * span
      xs[i + 1] = PLANE.max - ((r + 0.5) / side) * span
    }
  }
  return xs
}

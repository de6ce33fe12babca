import type { OodVerdict } from './ood'

/*
 * What the X-ray of a run shows: every layer's output for one input, the prediction, where the
 * prediction comes from (saliency, occlusion) and what the weights look like. Plain numbers only:
 * tensors never leave the worker, and the values cross IPC and browser mode's JSON wire as is.
 */

/** The activations whose health the X-ray checks over a batch of test images. */
export type HealthActivation = 'relu' | 'sigmoid' | 'tanh'

/** One layer's output for the inspected input, flat in Keras's layout (channels last). */
export interface InspectLayer {
  name: string
  /** The Keras class name: Conv2D, MaxPooling2D, Flatten, Dense, Dropout… */
  className: string
  /** The output's shape without the batch dimension. */
  outputShape: number[]
  /** Row-major values of that shape. */
  output: number[]
  /** The non-linearity the layer applies (null for layers without one). */
  activation: string | null
}

/** The histogram of one hidden layer's values for the inspected input. */
export interface LayerHistogram {
  layer: number
  name: string
  activation: string | null
  min: number
  max: number
  /** Equal-width bins from min to max. */
  counts: number[]
}

/** Where an inspected input comes from: a test-set image, or pixels the user dropped or drew. */
export type InspectSource =
  | { kind: 'test'; index: number }
  | {
      kind: 'pixels'
      image: { width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array }
    }

/** The X-ray of one input. */
export interface InspectResult {
  /** 28×28 values in [0, 1], row-major: what the network saw. */
  input: number[]
  /** The test image's index and true class, when the input is one. */
  testIndex: number | null
  trueClass: number | null
  prediction: { digit: number; probabilities: number[] }
  layers: InspectLayer[]
  /** |∂ class score / ∂ input| per pixel (28×28, row-major); the score is the logit when known. */
  saliency: number[]
  /**
   * How much the predicted class's probability drops when a small grey square hides the
   * neighbourhood of each pixel (28×28, row-major; negative where hiding helps).
   */
  occlusion: number[]
  /** Hidden layers (activation layers, not the output) and their values' histogram. */
  histograms: LayerHistogram[]
  /** Preprocessing warnings for dropped or drawn images (noInk, multipleBlobs, tinyInk). */
  warnings: string[]
  /** Whether the input looks like the model's training data (null: cannot tell, or not yet). */
  ood: OodVerdict | null
  /** The judgement is still being prepared: ask again after the run's `ood:status` is ready. */
  oodPending: boolean
}

/** One convolution layer's kernels: `values` in TF.js/Keras layout [kh, kw, in, out]. */
export interface ConvFilters {
  layer: number
  name: string
  shape: [number, number, number, number]
  values: number[]
}

/** The first Dense layer fed straight by the pixels: one 28×28 weight image per unit. */
export interface DenseTemplates {
  layer: number
  name: string
  units: number
  /** Unit after unit, each 784 weights row-major over the 28×28 input. */
  values: number[]
}

/** How many units of a hidden layer are dead (ReLU) or saturated (sigmoid, tanh) over a batch. */
export interface LayerHealth {
  layer: number
  name: string
  activation: HealthActivation
  /** Neurons (Dense) or channels (Conv2D). */
  units: number
  /** Test images measured. */
  images: number
  /** ReLU: share of units that output 0 for every image of the batch. */
  deadShare: number | null
  /**
   * Sigmoid and tanh: share of outputs (unit × image × position) in the flat ends of the curve,
   * where the derivative is under 5% of its peak and learning almost stops.
   */
  saturatedShare: number | null
}

/** What the X-ray shows of a run's model independently of the input. */
export interface ModelInsight {
  classNames: string[]
  testCount: number
  filters: ConvFilters[]
  templates: DenseTemplates | null
  health: LayerHealth[]
}

/** A test image that excites a unit, with the unit's output for it. */
export interface UnitExample {
  index: number
  trueClass: number
  activation: number
  pixels: Uint8Array
}

/** Nested arrays of `shape` from row-major values (Keras layout for a tensor's output). */
export function nestValues(values: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length === 0) return values[0]
  const build = (offset: number, dim: number): unknown => {
    const size = shape[dim]
    if (dim === shape.length - 1) return Array.from({ length: size }, (_, i) => values[offset + i])
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1)
    return Array.from({ length: size }, (_, i) => build(offset + i * stride, dim + 1))
  }
  return build(0, 0)
}

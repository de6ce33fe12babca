/**
 * The pixel convention a model was trained with. Sinapse prepares every image as values in
 * [0, 1] (ink bright on a dark background, like MNIST); a model imported from elsewhere may
 * expect raw 0–255 pixels, dark ink on a light background, or values centred on 0 (x/255 − 0.5,
 * as in adversarial-examples code). The run records which, and every place that feeds its model
 * converts the prepared values with `toModelInput`.
 */
export const INPUT_SCALES = ['1', '255', 'inverted', 'centered'] as const
export type InputScale = (typeof INPUT_SCALES)[number]

export const DEFAULT_INPUT_SCALE: InputScale = '1'

export function isInputScale(value: unknown): value is InputScale {
  return (INPUT_SCALES as readonly unknown[]).includes(value)
}

/** Prepared values in [0, 1] as the model expects them (a new array; `values` is untouched). */
export function toModelInput(values: Float32Array, scale: InputScale): Float32Array {
  const out = new Float32Array(values.length)
  if (scale === '255') for (let i = 0; i < values.length; i++) out[i] = values[i] * 255
  else if (scale === 'inverted') for (let i = 0; i < values.length; i++) out[i] = 1 - values[i]
  else if (scale === 'centered') for (let i = 0; i < values.length; i++) out[i] = values[i] - 0.5
  else out.set(values)
  return out
}

/** The same conversion in place, for batch buffers filled many times (allocates nothing). */
export function scaleInPlace(values: Float32Array, scale: InputScale): void {
  if (scale === '255') for (let i = 0; i < values.length; i++) values[i] *= 255
  else if (scale === 'inverted') for (let i = 0; i < values.length; i++) values[i] = 1 - values[i]
  else if (scale === 'centered') for (let i = 0; i < values.length; i++) values[i] -= 0.5
}

/** Test images scored per convention at import: ±2.2 points of accuracy (1σ) at 90%. */
export const DETECTION_SAMPLE = 500
/** Another convention must beat [0, 1] by this much accuracy on the sample to be chosen. */
export const DETECTION_MARGIN = 0.2
/** …and reach this accuracy, so a model that is poor under every convention stays at [0, 1]. */
export const DETECTION_FLOOR = 0.5

/**
 * The convention the sample's accuracies point to. The rule: [0, 1] (Sinapse's own and Keras's
 * tutorial convention) stays unless another convention scores at least `DETECTION_MARGIN` more
 * and at least `DETECTION_FLOOR` — with 500 images that margin is about nine standard errors, so
 * chance never flips it, while a model fed the wrong convention typically falls from ~0.9 to
 * ~0.1. A model that does well under both (some raw-trained ones do) stays at [0, 1]. `clear` is
 * false when nothing reached the floor (an untrained model, or one for another dataset).
 */
export function chooseInputScale(accuracy: Record<InputScale, number>): {
  scale: InputScale
  clear: boolean
} {
  let best: InputScale = DEFAULT_INPUT_SCALE
  for (const scale of INPUT_SCALES) if (accuracy[scale] > accuracy[best]) best = scale
  if (best === DEFAULT_INPUT_SCALE) return { scale: best, clear: true }
  const switches =
    accuracy[best] - accuracy[DEFAULT_INPUT_SCALE] >= DETECTION_MARGIN &&
    accuracy[best] >= DETECTION_FLOOR
  if (switches) return { scale: best, clear: true }
  return { scale: DEFAULT_INPUT_SCALE, clear: accuracy[DEFAULT_INPUT_SCALE] >= DETECTION_FLOOR }
}

/** The Python that turns the tutorial's uint8 arrays into this model's input. */
export function pythonInputLine(scale: InputScale): string {
  if (scale === '255')
    return "x_train, x_test = x_train.astype('float32'), x_test.astype('float32')"
  if (scale === 'inverted') return 'x_train, x_test = 1 - x_train / 255.0, 1 - x_test / 255.0'
  if (scale === 'centered') return 'x_train, x_test = x_train / 255.0 - 0.5, x_test / 255.0 - 0.5'
  return 'x_train, x_test = x_train / 255.0, x_test / 255.0'
}

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

/** Test images scored per convention at import: ±1.6 points of accuracy (1σ) at 90%. */
export const DETECTION_SAMPLE = 1000
/** Another convention must beat [0, 1] by this much accuracy on the sample to be chosen… */
export const DETECTION_MARGIN = 0.2
/** …and reach this accuracy, so a model that is poor under every convention stays at [0, 1]. */
export const DETECTION_FLOOR = 0.5
/**
 * …or, image by image, be right where [0, 1] is wrong this many standard deviations more often
 * than the reverse (McNemar's paired test) while making at most `DETECTION_ERROR_RATIO` of its
 * mistakes.
 */
export const DETECTION_Z = 4
export const DETECTION_ERROR_RATIO = 0.75

/**
 * How a convention's answers differ from [0, 1]'s on the same images: `gained` are images it gets
 * right and [0, 1] wrong, `lost` the reverse. Images both get right or wrong say nothing.
 */
export interface PairedCounts {
  gained: number
  lost: number
}

/** Accuracy and paired counts per convention from each image's right/wrong under each. */
export function summarizeCorrect(correct: Record<InputScale, readonly boolean[]>): {
  accuracy: Record<InputScale, number>
  paired: Record<InputScale, PairedCounts>
} {
  const base = correct[DEFAULT_INPUT_SCALE]
  const accuracy = {} as Record<InputScale, number>
  const paired = {} as Record<InputScale, PairedCounts>
  for (const scale of INPUT_SCALES) {
    const mine = correct[scale]
    let right = 0
    let gained = 0
    let lost = 0
    for (let i = 0; i < mine.length; i++) {
      if (mine[i]) right++
      if (mine[i] && !base[i]) gained++
      if (!mine[i] && base[i]) lost++
    }
    accuracy[scale] = mine.length ? right / mine.length : 0
    paired[scale] = { gained, lost }
  }
  return { accuracy, paired }
}

/**
 * The convention the sample's accuracies point to. The rule: [0, 1] (Sinapse's own and Keras's
 * tutorial convention) stays unless another convention reaches `DETECTION_FLOOR` and either scores
 * at least `DETECTION_MARGIN` more (a model fed the wrong convention typically falls from ~0.9 to
 * ~0.1), or, given `paired` counts, wins image by image by `DETECTION_Z` standard deviations with
 * at most three quarters of [0, 1]'s mistakes — a raw-trained CNN that /255 only dents (0.95 against 0.99)
 * is found that way, while a model that does about as well both ways (some raw-trained ones do)
 * stays at [0, 1]. `clear` is false when nothing reached the floor (an untrained model, or one
 * for another dataset).
 */
export function chooseInputScale(
  accuracy: Record<InputScale, number>,
  paired?: Record<InputScale, PairedCounts>,
): {
  scale: InputScale
  clear: boolean
} {
  let best: InputScale = DEFAULT_INPUT_SCALE
  for (const scale of INPUT_SCALES) if (accuracy[scale] > accuracy[best]) best = scale
  if (best === DEFAULT_INPUT_SCALE) return { scale: best, clear: true }
  const byMargin = accuracy[best] - accuracy[DEFAULT_INPUT_SCALE] >= DETECTION_MARGIN
  const byImages = paired !== undefined && winsImageByImage(paired[best], accuracy, best)
  if (accuracy[best] >= DETECTION_FLOOR && (byMargin || byImages))
    return { scale: best, clear: true }
  return { scale: DEFAULT_INPUT_SCALE, clear: accuracy[DEFAULT_INPUT_SCALE] >= DETECTION_FLOOR }
}

function winsImageByImage(
  counts: PairedCounts,
  accuracy: Record<InputScale, number>,
  best: InputScale,
): boolean {
  const { gained, lost } = counts
  if (gained + lost === 0) return false
  const z = (gained - lost) / Math.sqrt(gained + lost)
  return (
    z >= DETECTION_Z &&
    1 - accuracy[best] <= (1 - accuracy[DEFAULT_INPUT_SCALE]) * DETECTION_ERROR_RATIO
  )
}

/** The datasets an imported model is tried on: 28×28 grey images in 10 classes. */
export const IMPORT_DATASETS = ['mnist', 'fashion-mnist'] as const
export type ImportDataset = (typeof IMPORT_DATASETS)[number]

export function isImportDataset(value: unknown): value is ImportDataset {
  return (IMPORT_DATASETS as readonly unknown[]).includes(value)
}

/**
 * The dataset a model recognises, from its best accuracy (over the conventions) on each dataset
 * it was tried on. MNIST stays unless another dataset scores `DETECTION_MARGIN` more and reaches
 * `DETECTION_FLOOR`: a digit model scores ~0.1 on clothes and a clothes model ~0.1–0.2 on digits,
 * so the right one wins by far, and a model poor on both stays an MNIST model.
 */
export function chooseDataset(best: Partial<Record<ImportDataset, number>>): ImportDataset {
  const mnist = best.mnist ?? 0
  let chosen: ImportDataset = 'mnist'
  for (const dataset of IMPORT_DATASETS) {
    const score = best[dataset]
    if (score === undefined || dataset === 'mnist') continue
    const beats = score - mnist >= DETECTION_MARGIN && score >= DETECTION_FLOOR
    if (beats && score > (best[chosen] ?? 0)) chosen = dataset
  }
  return chosen
}

/** The Python that turns the tutorial's uint8 arrays into this model's input. */
export function pythonInputLine(scale: InputScale): string {
  if (scale === '255')
    return "x_train, x_test = x_train.astype('float32'), x_test.astype('float32')"
  if (scale === 'inverted') return 'x_train, x_test = 1 - x_train / 255.0, 1 - x_test / 255.0'
  if (scale === 'centered') return 'x_train, x_test = x_train / 255.0 - 0.5, x_test / 255.0 - 0.5'
  return 'x_train, x_test = x_train / 255.0, x_test / 255.0'
}

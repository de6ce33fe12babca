/**
 * Whether an input looks like the images a model was trained on: the distance of its features to
 * the nearest class (`score`) against a threshold that flags about 1% of the model's own held-out
 * images. `flagged` means the answer may mean nothing, however high its probability.
 */
export interface OodVerdict {
  score: number
  threshold: number
  flagged: boolean
}

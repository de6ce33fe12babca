import type { ImageSet } from './types'

// A lookup table gives exactly byte / 255 without a division per pixel.
const SCALE = Float32Array.from({ length: 256 }, (_, byte) => byte / 255)

/**
 * Copies up to `size` samples, `indices[start…]`, into `xOut` (pixels scaled to [0, 1]) and
 * `yOut` (labels). Returns how many samples it filled: fewer than `size` at the end of `indices`.
 * Training calls this for every batch, so it allocates nothing.
 */
export function fillBatch(
  set: ImageSet,
  indices: Uint32Array,
  start: number,
  size: number,
  xOut: Float32Array,
  yOut: Int32Array,
): number {
  const filled = Math.max(0, Math.min(size, indices.length - start))
  const pixels = set.images.length / set.count
  if (xOut.length < filled * pixels || yOut.length < filled) {
    throw new RangeError(`batch buffers too small for ${filled} samples of ${pixels} pixels`)
  }
  const images = set.images
  const labels = set.labels
  for (let b = 0; b < filled; b++) {
    const sample = indices[start + b]
    const from = sample * pixels
    const to = b * pixels
    for (let p = 0; p < pixels; p++) xOut[to + p] = SCALE[images[from + p]]
    yOut[b] = labels[sample]
  }
  return filled
}

/** How many samples carry each label, 0…classCount − 1. */
export function countLabels(labels: Uint8Array, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0)
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]
    if (label >= classCount) throw new RangeError(`label ${label} ≥ class count ${classCount}`)
    counts[label]++
  }
  return counts
}

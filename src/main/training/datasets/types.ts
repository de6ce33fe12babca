import type { DatasetInfo } from '../../../shared/dataset'

/** Images as raw bytes (0–255), row-major, `count` images of height×width×channels each. */
export interface ImageSet {
  images: Uint8Array
  labels: Uint8Array
  count: number
}

export interface LoadedDataset {
  info: DatasetInfo
  train: ImageSet
  test: ImageSet
}

/** Indices into the training set: which samples train and which validate. */
export interface SplitIndices {
  train: Uint32Array
  validation: Uint32Array
}

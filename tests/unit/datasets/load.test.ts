import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { encodeIdx } from '../../../src/main/training/datasets/idx'
import {
  FASHION_MNIST_CLASSES,
  cachedDatasetCount,
  clearDatasetCache,
  fashionMnistDir,
  loadDataset,
} from '../../../src/main/training/datasets/load'
import { countLabels } from '../../../src/main/training/datasets/batch'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'idx')
const tiny = join(fixtures, 'tiny')
const tinyGz = join(fixtures, 'tiny-gz')
const NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
]
const FASHION_DIR = fashionMnistDir()
const hasFashion = existsSync(join(FASHION_DIR, 'train-images-idx3-ubyte.gz'))

let scratch: string
let folderCount = 0

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'sinapse-datasets-'))
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

/** A copy of the tiny plain dataset where `replace` overrides some files' bytes. */
async function makeFolder(replace: Record<string, Uint8Array | null> = {}): Promise<string> {
  const folder = join(scratch, `set-${folderCount++}`)
  await mkdir(folder)
  for (const name of NAMES) {
    if (!(name in replace)) await copyFile(join(tiny, name), join(folder, name))
    else if (replace[name]) await writeFile(join(folder, name), replace[name])
  }
  return folder
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError')
}

describe('loadDataset', () => {
  it('loads the bundled MNIST and caches it', async () => {
    const mnist = await loadDataset('mnist')
    expect(mnist.info).toEqual({
      ref: 'mnist',
      name: 'MNIST',
      imageShape: [28, 28, 1],
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      trainCount: 60000,
      testCount: 10000,
    })
    expect(mnist.train.images.length).toBe(60000 * 784)
    expect(mnist.test.images.length).toBe(10000 * 784)
    expect(countLabels(mnist.train.labels, 10)[1]).toBe(6742)
    expect(countLabels(mnist.test.labels, 10)[0]).toBe(980)
    expect(await loadDataset('mnist')).toBe(mnist)
  })

  it('loads a plain idx: folder, naming classes 0..max label', async () => {
    const data = await loadDataset(`idx:${tiny}`)
    expect(data.info).toEqual({
      ref: `idx:${tiny}`,
      name: 'tiny',
      imageShape: [4, 4, 1],
      classNames: ['0', '1', '2'],
      trainCount: 10,
      testCount: 4,
    })
    expect(Array.from(data.test.labels)).toEqual([2, 1, 0, 1])
    expect(data.test.images[16]).toBe(0x01)
  })

  it('loads a gzipped idx: folder with classes.txt to the same bytes', async () => {
    const gz = await loadDataset(`idx:${tinyGz}`)
    const plain = await loadDataset(`idx:${tiny}`)
    expect(gz.info.classNames).toEqual(['frame', 'bar', 'diagonal'])
    expect(Array.from(gz.train.images)).toEqual(Array.from(plain.train.images))
    expect(Array.from(gz.train.labels)).toEqual(Array.from(plain.train.labels))
  })

  it('reads 4-D images as height × width × channels', async () => {
    const folder = await makeFolder({
      'train-images-idx3-ubyte': encodeIdx([10, 2, 2, 3], new Uint8Array(120)),
      't10k-images-idx3-ubyte': encodeIdx([4, 2, 2, 3], new Uint8Array(48)),
    })
    expect((await loadDataset(`idx:${folder}`)).info.imageShape).toEqual([2, 2, 3])
  })

  it('answers "not a dataset folder" when an idx: folder lacks a file, without naming it', async () => {
    const folder = await makeFolder({ 't10k-labels-idx1-ubyte': null })
    const err = await rejection(loadDataset(`idx:${folder}`))
    expect(err.code).toBe('DATASET_NOT_FOUND')
    expect(err.key).toBe('dataset.notADatasetFolder')
    expect(err.params).toEqual({ path: folder })
    expect(err.message).toContain(`${folder} is not a dataset folder`)
  })

  it('gives the same answer for a path that does not exist and for a file', async () => {
    const missing = await rejection(loadDataset(`idx:${join(scratch, 'nowhere')}`))
    expect(missing.key).toBe('dataset.notADatasetFolder')
    const file = join(scratch, 'plain-file')
    await writeFile(file, 'x')
    expect((await rejection(loadDataset(`idx:${file}`))).key).toBe('dataset.notADatasetFolder')
  })

  it('caches by real path and keeps only a few datasets', async () => {
    clearDatasetCache()
    const base = await loadDataset(`idx:${tiny}`)
    const dotted = [`${tiny}/.`, `${tiny}/./.`, `${tiny}/./././`, `${tiny}/../tiny`]
    for (const path of dotted) {
      const again = await loadDataset(`idx:${path}`)
      // Same pixels, but each ref is reported as asked, since runs record it.
      expect(again.train.images).toBe(base.train.images)
      expect(again.info.ref).toBe(`idx:${path}`)
    }
    expect(cachedDatasetCount()).toBe(1)
    for (let i = 0; i < 5; i++) await loadDataset(`idx:${await makeFolder()}`)
    expect(cachedDatasetCount()).toBe(3)
  })

  it('refuses labels and images of different counts', async () => {
    const folder = await makeFolder({
      'train-labels-idx1-ubyte': encodeIdx([9], new Uint8Array(9)),
    })
    const err = await rejection(loadDataset(`idx:${folder}`))
    expect(err.code).toBe('DATASET_CORRUPT')
    expect(err.key).toBe('dataset.countMismatch')
    expect(err.params).toMatchObject({ imageCount: 10, labelCount: 9 })
  })

  it('refuses swapped images and labels', async () => {
    const labels = await readFile(join(tiny, 'train-labels-idx1-ubyte'))
    const images = await readFile(join(tiny, 'train-images-idx3-ubyte'))
    const folder = await makeFolder({
      'train-images-idx3-ubyte': labels,
      'train-labels-idx1-ubyte': images,
    })
    const err = await rejection(loadDataset(`idx:${folder}`))
    expect(err.key).toBe('dataset.notImages')
  })

  it('refuses a label beyond the names in classes.txt', async () => {
    const folder = await makeFolder()
    await writeFile(join(folder, 'classes.txt'), 'frame\nbar\n')
    const err = await rejection(loadDataset(`idx:${folder}`))
    expect(err.key).toBe('dataset.classesTooFew')
    expect(err.params).toMatchObject({ count: 2, label: 2, index: 2 })
  })

  it('refuses a label ≥ 10 in a folder recognized as MNIST', async () => {
    const labels = new Uint8Array(10)
    labels[7] = 10
    const mnistDir = await makeFolder({ 'train-labels-idx1-ubyte': encodeIdx([10], labels) })
    const err = await rejection(loadDataset(`idx:${mnistDir}`, { mnistDir }))
    expect(err.key).toBe('dataset.labelOutOfRange')
    expect(err.params).toMatchObject({ index: 7, label: 10, classCount: 10 })
  })

  it('refuses train and test images of different sizes', async () => {
    const folder = await makeFolder({
      't10k-images-idx3-ubyte': encodeIdx([4, 2, 8], new Uint8Array(64)),
    })
    const err = await rejection(loadDataset(`idx:${folder}`))
    expect(err.key).toBe('dataset.shapeMismatch')
    expect(err.params).toMatchObject({ trainShape: '4×4×1', testShape: '2×8×1' })
  })

  it('reports a corrupt file found in a folder, with its path', async () => {
    const images = await readFile(join(tiny, 't10k-images-idx3-ubyte'))
    const folder = await makeFolder({ 't10k-images-idx3-ubyte': images.subarray(0, 70) })
    const err = await rejection(loadDataset(`idx:${folder}`))
    expect(err.key).toBe('dataset.truncated')
    expect(err.params).toEqual({
      file: join(folder, 't10k-images-idx3-ubyte'),
      expected: 80,
      found: 70,
    })
  })

  it('reports a gzipped file that cannot be unpacked', async () => {
    const gz = await readFile(join(tinyGz, 'train-images-idx3-ubyte.gz'))
    const folder = await makeFolder({ 'train-images-idx3-ubyte': null })
    await writeFile(join(folder, 'train-images-idx3-ubyte.gz'), gz.subarray(0, 30))
    const err = await rejection(loadDataset(`idx:${folder}`))
    expect(err.key).toBe('dataset.gzipCorrupt')
    expect(err.params.file).toBe(join(folder, 'train-images-idx3-ubyte.gz'))
  })

  it('accepts the common train-images.idx3-ubyte spelling', async () => {
    const folder = join(scratch, 'dotted')
    await mkdir(folder)
    for (const name of NAMES) {
      await copyFile(join(tiny, name), join(folder, name.replace('-idx', '.idx')))
    }
    expect((await loadDataset(`idx:${folder}`)).info.testCount).toBe(4)
  })

  it('retries a failed load after the files are fixed', async () => {
    const folder = await makeFolder({ 'train-labels-idx1-ubyte': null })
    await rejection(loadDataset(`idx:${folder}`))
    await copyFile(join(tiny, 'train-labels-idx1-ubyte'), join(folder, 'train-labels-idx1-ubyte'))
    expect((await loadDataset(`idx:${folder}`)).info.trainCount).toBe(10)
  })

  it('tells how to install Fashion-MNIST when its folder is missing', async () => {
    const err = await rejection(
      loadDataset('fashion-mnist', { fashionDir: join(scratch, 'no-fashion') }),
    )
    expect(err.code).toBe('DATASET_NOT_FOUND')
    expect(err.key).toBe('dataset.fashionMissing')
    expect(err.message).toContain('sudo apt install dataset-fashion-mnist')
    expect(err.localized('pt-BR')).toContain('não está instalado')
  })

  it.skipIf(!hasFashion)(
    `loads Debian's Fashion-MNIST (needs apt package dataset-fashion-mnist in ${FASHION_DIR})`,
    async () => {
      const fashion = await loadDataset('fashion-mnist')
      expect(fashion.info).toEqual({
        ref: 'fashion-mnist',
        name: 'Fashion-MNIST',
        imageShape: [28, 28, 1],
        classNames: FASHION_MNIST_CLASSES,
        trainCount: 60000,
        testCount: 10000,
      })
      expect(fashion.info.classNames[0]).toBe('T-shirt/top')
      expect(countLabels(fashion.train.labels, 10)).toEqual(new Array(10).fill(6000))
      expect(countLabels(fashion.test.labels, 10)).toEqual(new Array(10).fill(1000))
      const asIdx = await loadDataset(`idx:${FASHION_DIR}`)
      expect(asIdx.info.name).toBe('Fashion-MNIST')
      expect(asIdx.info.classNames).toEqual(FASHION_MNIST_CLASSES)
    },
  )
})

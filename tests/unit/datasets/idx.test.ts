import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import {
  encodeIdx,
  isGzip,
  MAX_UNZIPPED_BYTES,
  parseIdx,
  readIdxFile,
} from '../../../src/main/training/datasets/idx'
import { mnistDataDir } from '../../../src/main/training/datasets/load'

const tiny = join(import.meta.dirname, '..', '..', 'fixtures', 'idx', 'tiny')
const tinyGz = join(import.meta.dirname, '..', '..', 'fixtures', 'idx', 'tiny-gz')
const tinyImages = readFileSync(join(tiny, 't10k-images-idx3-ubyte'))

function caught(run: () => unknown): AppError {
  try {
    run()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError')
}

describe('parseIdx', () => {
  it('reads a plain IDX file: dims and a view on the data', () => {
    const parsed = parseIdx(tinyImages, 't10k-images-idx3-ubyte')
    expect(parsed.dims).toEqual([4, 4, 4])
    expect(parsed.data.length).toBe(64)
    expect(parsed.data.buffer).toBe(tinyImages.buffer)
    expect(parsed.data[0]).toBe(0xff)
    expect(Array.from(parsed.data.subarray(16, 20))).toEqual([0x01, 0xef, 0xef, 0x01])
  })

  it('reads the gzipped fixture to the same bytes as the plain one', async () => {
    const gz = readFileSync(join(tinyGz, 't10k-images-idx3-ubyte.gz'))
    expect(gz[0]).toBe(0x1f)
    const fromGz = parseIdx(gz, 'x.gz')
    expect(fromGz.dims).toEqual([4, 4, 4])
    expect(Array.from(fromGz.data)).toEqual(Array.from(parseIdx(tinyImages, 'x').data))
    const fromDisk = await readIdxFile(join(tinyGz, 'train-labels-idx1-ubyte.gz'))
    expect(fromDisk.dims).toEqual([10])
    expect(Array.from(fromDisk.data)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
  })

  it('round-trips encodeIdx for 1 to 4 dimensions', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i * 10)
    for (const dims of [[24], [6, 4], [2, 3, 4], [2, 3, 2, 2]]) {
      const parsed = parseIdx(encodeIdx(dims, data), 'x')
      expect(parsed.dims).toEqual(dims)
      expect(Array.from(parsed.data)).toEqual(Array.from(data))
    }
  })

  it('parses the real MNIST files with their known label counts', async () => {
    const dir = mnistDataDir()
    const trainImages = await readIdxFile(join(dir, 'train-images-idx3-ubyte'))
    expect(trainImages.dims).toEqual([60000, 28, 28])
    const trainLabels = await readIdxFile(join(dir, 'train-labels-idx1-ubyte'))
    const testLabels = await readIdxFile(join(dir, 't10k-labels-idx1-ubyte'))
    expect(trainLabels.dims).toEqual([60000])
    expect(testLabels.dims).toEqual([10000])
    expect(Array.from(trainLabels.data.subarray(0, 5))).toEqual([5, 0, 4, 1, 9])
    expect(trainLabels.data.filter((l) => l === 1).length).toBe(6742)
    expect(testLabels.data.filter((l) => l === 0).length).toBe(980)
  })

  it('refuses a file that does not start with the IDX magic', () => {
    const bytes = Uint8Array.from(tinyImages)
    bytes[0] = 0x3d
    const err = caught(() => parseIdx(bytes, 'images'))
    expect(err.code).toBe('DATASET_CORRUPT')
    expect(err.key).toBe('dataset.notIdx')
    expect(err.message).toContain('starts with 3d 00 08 03')
    expect(caught(() => parseIdx(new Uint8Array(0), 'empty')).key).toBe('dataset.emptyFile')
  })

  it('refuses types other than unsigned byte, naming the type code', () => {
    const bytes = Uint8Array.from(tinyImages)
    bytes[2] = 0x0d
    const err = caught(() => parseIdx(bytes, 'floats'))
    expect(err.key).toBe('dataset.unsupportedType')
    expect(err.params).toMatchObject({ file: 'floats', code: '0x0d' })
    expect(err.message).toContain('0x0d')
  })

  it('refuses 0 or more than 4 dimensions', () => {
    for (const count of [0, 5]) {
      const bytes = Uint8Array.from(tinyImages)
      bytes[3] = count
      const err = caught(() => parseIdx(bytes, 'x'))
      expect(err.key).toBe('dataset.badDimCount')
      expect(err.params.count).toBe(count)
    }
  })

  it('says how many bytes a truncated file should have and has', () => {
    const err = caught(() => parseIdx(tinyImages.subarray(0, 50), 't10k-images-idx3-ubyte'))
    expect(err.key).toBe('dataset.truncated')
    expect(err.params).toEqual({ file: 't10k-images-idx3-ubyte', expected: 80, found: 50 })
    expect(err.message).toBe(
      'The file t10k-images-idx3-ubyte is truncated: expected 80 bytes, found 50. ' +
        'The copy or download was probably interrupted: get the file again.',
    )
    expect(err.localized('pt-BR')).toContain('eram esperados 80 bytes, mas há 50')
    expect(caught(() => parseIdx(tinyImages.subarray(0, 10), 'x')).params.expected).toBe(16)
  })

  it('reports a truncated real MNIST header against its full size', () => {
    const head = readFileSync(join(mnistDataDir(), 't10k-images-idx3-ubyte')).subarray(0, 1000)
    const err = caught(() => parseIdx(head, 't10k-images-idx3-ubyte'))
    expect(err.params).toMatchObject({ expected: 7840016, found: 1000 })
  })

  it('refuses trailing bytes after the data', () => {
    const bytes = new Uint8Array(tinyImages.length + 3)
    bytes.set(tinyImages)
    const err = caught(() => parseIdx(bytes, 'x'))
    expect(err.key).toBe('dataset.trailingBytes')
    expect(err.params).toMatchObject({ expected: 80, found: 83, extra: 3 })
  })

  it('accepts exactly the promised length and refuses one byte less or one byte more', async () => {
    expect(parseIdx(tinyImages, 'x').data).toHaveLength(64)
    const short = caught(() => parseIdx(tinyImages.subarray(0, 79), 'x'))
    expect(short.key).toBe('dataset.truncated')
    expect(short.params).toMatchObject({ expected: 80, found: 79 })
    const long = new Uint8Array(81)
    long.set(tinyImages)
    const extra = caught(() => parseIdx(long, 'x'))
    expect(extra.key).toBe('dataset.trailingBytes')
    expect(extra.params).toMatchObject({ expected: 80, found: 81, extra: 1 })
    // A header one byte short of its dimensions, and the same checks through the file reader.
    expect(caught(() => parseIdx(tinyImages.subarray(0, 15), 'x')).params).toMatchObject({
      expected: 16,
      found: 15,
    })
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-idx-'))
    try {
      writeFileSync(join(dir, 'short'), tinyImages.subarray(0, 79))
      writeFileSync(join(dir, 'long'), long)
      writeFileSync(join(dir, 'long.gz'), gzipSync(long))
      await expect(readIdxFile(join(dir, 'short'))).rejects.toMatchObject({
        key: 'dataset.truncated',
      })
      await expect(readIdxFile(join(dir, 'long'))).rejects.toMatchObject({
        key: 'dataset.trailingBytes',
      })
      await expect(readIdxFile(join(dir, 'long.gz'))).rejects.toMatchObject({
        key: 'dataset.trailingBytes',
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('checks the unzipped content of a gzipped file too', () => {
    const err = caught(() => parseIdx(gzipSync(tinyImages.subarray(0, 40)), 'x.gz'))
    expect(err.key).toBe('dataset.truncated')
    const broken = gzipSync(tinyImages).subarray(0, 20)
    expect(caught(() => parseIdx(broken, 'x.gz')).key).toBe('dataset.gzipCorrupt')
  })
})

describe('IDX edges (mutation-tested)', () => {
  it('knows gzip by both magic bytes and nothing less', () => {
    expect(isGzip(Uint8Array.from([0x1f, 0x8b]))).toBe(true)
    expect(isGzip(Uint8Array.from([0x1f, 0x8b, 0x08]))).toBe(true)
    for (const bytes of [
      [],
      [0x1f],
      [0x1f, 0x00],
      [0x00, 0x8b],
      [0x8b, 0x1f],
      [0x00, 0x00, 0x08],
    ]) {
      expect(isGzip(Uint8Array.from(bytes)), bytes.join(' ')).toBe(false)
    }
  })

  it('calls every refusal DATASET_CORRUPT, naming the file', () => {
    const withByte = (i: number, v: number) => {
      const b = Uint8Array.from(tinyImages)
      b[i] = v
      return b
    }
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(0), 'dataset.emptyFile'],
      [withByte(2, 0x0d), 'dataset.unsupportedType'],
      [withByte(3, 0), 'dataset.badDimCount'],
      [tinyImages.subarray(0, 10), 'dataset.truncated'],
      [tinyImages.subarray(0, 79), 'dataset.truncated'],
      [Uint8Array.from([...tinyImages, 0]), 'dataset.trailingBytes'],
      [gzipSync(tinyImages).subarray(0, 20), 'dataset.gzipCorrupt'],
    ]
    for (const [bytes, key] of cases) {
      const err = caught(() => parseIdx(bytes, 'named.idx'))
      expect(err.code, key).toBe('DATASET_CORRUPT')
      expect(err.key).toBe(key)
      expect(err.params.file).toBe('named.idx')
    }
  })

  it('takes a short file for something else unless its first two bytes are zero', () => {
    // Magic 00 00, type 08, one dimension, but no room for its size: truncated, not "not IDX".
    const err = caught(() => parseIdx(Uint8Array.from([0, 0, 8, 1]), 'x'))
    expect(err.key).toBe('dataset.truncated')
    expect(err.params).toMatchObject({ expected: 8, found: 4 })
    for (const bytes of [
      [0, 0, 8],
      [0, 0],
      [7],
      [0, 1, 8, 1, 0, 0, 0, 0],
      [1, 0, 8, 1, 0, 0, 0, 0],
    ]) {
      const notIdx = caught(() => parseIdx(Uint8Array.from(bytes), 'x'))
      expect(notIdx.key, bytes.join(' ')).toBe('dataset.notIdx')
    }
    // An empty one-dimensional IDX (zero items) is a valid file.
    expect(parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 0]), 'x').dims).toEqual([0])
  })

  it("names zlib's reason for a broken gzip file, read from disk too", async () => {
    const broken = gzipSync(tinyImages).subarray(0, 20)
    const err = caught(() => parseIdx(broken, 'x.gz'))
    expect(err.params.detail).toBe('unexpected end of file')
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-idx-'))
    try {
      const file = join(dir, 'broken.gz')
      writeFileSync(file, broken)
      const fromDisk = await readIdxFile(file).catch((e: unknown) => e)
      expect(fromDisk).toBeInstanceOf(AppError)
      expect(fromDisk).toMatchObject({
        code: 'DATASET_CORRUPT',
        key: 'dataset.gzipCorrupt',
        params: { file, detail: 'unexpected end of file' },
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a gzip bomb (unpacking past the cap) by saying so, not as a damaged download', async () => {
    // 3 MiB of zeros in an IDX file: about 3 KB gzipped. The real cap is 1 GiB; a test lowers it.
    const MiB = 2 ** 20
    const bomb = gzipSync(encodeIdx([3 * MiB], new Uint8Array(3 * MiB)))
    expect(bomb.length).toBeLessThan(10_000)
    expect(MAX_UNZIPPED_BYTES).toBe(1024 * MiB)
    expect(parseIdx(bomb, 'x.gz', { maxBytes: 4 * MiB }).dims).toEqual([3 * MiB])
    const err = caught(() => parseIdx(bomb, 'bomb.gz', { maxBytes: MiB }))
    expect(err).toMatchObject({
      code: 'DATASET_CORRUPT',
      key: 'dataset.unzippedTooLarge',
      params: { file: 'bomb.gz', limit: 1 },
    })
    expect(err.message).toBe(
      'The file bomb.gz unpacks to more than 1 MB, far more than any IDX dataset of images or ' +
        'labels: it is not a dataset file. Use the IDX files of the dataset instead.',
    )
    expect(err.localized('pt-BR')).toContain('O arquivo bomb.gz descompactado passa de 1 MB')
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-idx-'))
    try {
      const file = join(dir, 'bomb.gz')
      writeFileSync(file, bomb)
      expect((await readIdxFile(file, { maxBytes: 4 * MiB })).dims).toEqual([3 * MiB])
      await expect(readIdxFile(file, { maxBytes: 2 * MiB })).rejects.toMatchObject({
        key: 'dataset.unzippedTooLarge',
        params: { file, limit: 2 },
      })
      // A plain file over the cap is refused before it is read.
      const plain = join(dir, 'plain')
      writeFileSync(plain, encodeIdx([MiB], new Uint8Array(MiB)))
      expect((await readIdxFile(plain, { maxBytes: MiB + 8 })).dims).toEqual([MiB])
      await expect(readIdxFile(plain, { maxBytes: MiB })).rejects.toMatchObject({
        key: 'error.fileTooLarge',
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

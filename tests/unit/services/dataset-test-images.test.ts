import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { commands, MAX_TEST_IMAGES } from '../../../src/shared/ipc-contract'
import { translate } from '../../../src/shared/i18n'
import { testImages } from '../../../src/main/services/dataset-info'
import { mnistDataDir } from '../../../src/main/training/datasets/load'
import { refusal } from '../refusal'

const tiny = join(import.meta.dirname, '..', '..', 'fixtures', 'idx', 'tiny')
const schema = commands['datasets:testImages'].input

/** The raw bytes of test image `i` and its label, read straight from the IDX files. */
function fromFiles(folder: string, i: number): { pixels: Uint8Array; label: number } {
  const images = readFileSync(join(folder, 't10k-images-idx3-ubyte'))
  const labels = readFileSync(join(folder, 't10k-labels-idx1-ubyte'))
  const rows = images.readUInt32BE(8)
  const cols = images.readUInt32BE(12)
  const size = rows * cols
  return {
    pixels: new Uint8Array(images.subarray(16 + i * size, 16 + (i + 1) * size)),
    label: labels[8 + i],
  }
}

describe('datasets:testImages (test images without a run)', () => {
  it("returns MNIST's test images by index, in the order asked, equal to the IDX files' bytes", async () => {
    const result = await testImages('mnist', [3, 0, 9999, 3])
    expect(result).toMatchObject({ total: 10000, width: 28, height: 28, channels: 1 })
    expect(result.classNames).toHaveLength(10)
    expect(result.images.map((i) => i.index)).toEqual([3, 0, 9999, 3])
    // MNIST's first test digits are 7, 2, 1, 0; the last is a 6.
    expect(result.images.map((i) => i.label)).toEqual([0, 7, 6, 0])
    for (const image of result.images) {
      const expected = fromFiles(mnistDataDir(), image.index)
      expect(image.label).toBe(expected.label)
      expect(image.pixels).toEqual(expected.pixels)
      // A plain array, not a Node Buffer (which would cross the JSON wire as numbers).
      expect(image.pixels.constructor).toBe(Uint8Array)
    }
  })

  it('reads an idx: folder the same way', async () => {
    const result = await testImages(`idx:${tiny}`, [0, 1])
    expect(result.images).toHaveLength(2)
    for (const image of result.images) {
      expect(image.pixels).toEqual(fromFiles(tiny, image.index).pixels)
    }
  })

  it('refuses an index past the end, naming it and the valid range, in both languages', async () => {
    const error = await refusal(testImages('mnist', [0, 10000]))
    expect(error.code).toBe('INVALID_INPUT')
    const en = translate('en', error.key, error.params)
    expect(en).toContain('10000')
    expect(en).toContain('0 to 9999')
    expect(translate('pt-BR', error.key, error.params)).toContain('0 a 9999')
  })

  it('refuses an unknown dataset', async () => {
    const error = await refusal(testImages('imagenet', [0]))
    expect(error.code).toBe('INVALID_INPUT')
    expect(translate('en', error.key, error.params)).toContain('imagenet')
  })

  it('validates its arguments at the contract: indices are 1 to 64 whole numbers ≥ 0', () => {
    expect(schema.safeParse({ ref: 'mnist', indices: [0, 5] }).success).toBe(true)
    const bad = [
      { ref: 'mnist', indices: [] },
      { ref: 'mnist', indices: [-1] },
      { ref: 'mnist', indices: [1.5] },
      { ref: 'mnist', indices: ['3'] },
      { ref: 'mnist', indices: Array.from({ length: MAX_TEST_IMAGES + 1 }, (_, i) => i) },
      { ref: '', indices: [0] },
      { ref: 'mnist' },
      { ref: 'mnist', indices: [0], extra: true },
    ]
    for (const input of bad)
      expect(schema.safeParse(input).success, JSON.stringify(input)).toBe(false)
  })
})

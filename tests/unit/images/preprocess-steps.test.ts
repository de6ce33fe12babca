import { describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import {
  preprocessDigit,
  preprocessFor,
  resizePlain,
  type RawPixels,
} from '../../../src/shared/preprocess'

/*
 * Each step of the preprocessing on small inputs whose result is known exactly: luma weights,
 * alpha compositing, the contrast and inversion thresholds, area averaging, cropping, thickening
 * and placement. Expected values come from the recipe (worked out in the comments), never from
 * the code's own helpers. Small images keep each test in milliseconds (mutation testing runs them
 * hundreds of times).
 */

// No training and no big files here: a hang fails in a minute, not in the 300 s default.
vi.setConfig({ testTimeout: 60_000 })

/** A one-channel image of `paper` with rectangles `[x, y, w, h]` of `ink`. */
function page(
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

/** What the caught error carries, for one assertion on code, key and params together. */
function errorOf(run: () => unknown): { code: string; key: string; params: unknown } {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    const { code, key, params } = e as AppError
    return { code, key, params }
  }
  throw new Error('expected an AppError')
}

/**
 * The 28×28 bytes of a rectangle of full ink covering [x0, x1) × [y0, y1) in output pixels:
 * each pixel holds the area of it that the rectangle covers, times 255.
 */
function coverage(x0: number, x1: number, y0: number, y1: number): number[] {
  const cover = (j: number, a: number, b: number) =>
    Math.max(0, Math.min(b, j + 1) - Math.max(a, j))
  const out: number[] = []
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) out.push(Math.round(cover(x, x0, x1) * cover(y, y0, y1) * 255))
  }
  return out
}

describe('preprocessing refuses pixels that do not make an image', () => {
  it('names width, height, channels and length for each malformed image', () => {
    const cases: [number, number, number, number][] = [
      [0, 1, 1, 0],
      [1, 0, 1, 0],
      [-2, -3, 1, 6],
      [2.5, 2, 1, 5],
      [2, 1.5, 1, 3],
      [2, 2, 2, 8],
      [2, 2, 1, 5],
      [2, 2, 3, 11],
    ]
    for (const [width, height, channels, length] of cases) {
      const img = { width, height, channels, data: new Uint8Array(length) } as RawPixels
      for (const run of [preprocessDigit, resizePlain]) {
        expect(errorOf(() => run(img))).toEqual({
          code: 'IMAGE_INVALID',
          key: 'image.badPixels',
          params: { width, height, channels, length },
        })
      }
    }
  })

  it('accepts exactly 40 megapixels and refuses one pixel more', () => {
    // One row keeps the work small: 800 working pixels after the box averaging.
    const limit = { width: 40_000_000, height: 1, channels: 1 as const }
    const blank = preprocessDigit({ ...limit, data: new Uint8Array(40_000_000) })
    expect(blank.warnings).toEqual(['noInk'])
    expect([blank.steps.gray.width, blank.steps.gray.height]).toEqual([800, 1])
    const over = { width: 40_000_001, height: 1, channels: 1 as const }
    expect(errorOf(() => resizePlain({ ...over, data: new Uint8Array(40_000_001) }))).toEqual({
      code: 'IMAGE_TOO_LARGE',
      key: 'image.tooManyPixels',
      params: { width: '40000001', height: '1', limit: 40 },
    })
  })

  it('takes one, three and four channels', () => {
    for (const channels of [1, 3, 4] as const) {
      const img = { width: 2, height: 2, channels, data: new Uint8Array(4 * channels) }
      expect(preprocessDigit(img).warnings).toEqual(['noInk'])
    }
  })
})

describe('the grey working image', () => {
  it('weighs red, green and blue as Rec. 601 luma in eighths of a byte: 77, 150, 29', () => {
    const img: RawPixels = {
      width: 4,
      height: 1,
      channels: 3,
      data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]),
    }
    // 77·255 >> 8 = 76, 150·255 >> 8 = 149, 29·255 >> 8 = 28, 256·255 >> 8 = 255.
    expect(Array.from(preprocessDigit(img).steps.gray.data)).toEqual([76, 149, 28, 255])
  })

  it('composites partly transparent pixels on white when the strokes are dark', () => {
    const img: RawPixels = {
      width: 4,
      height: 1,
      channels: 4,
      data: new Uint8Array([0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 128, 255, 255, 255, 64]),
    }
    // Opaque black 0; clear 255; half-covered black 255 − 128 = 127; white at alpha 64 on white 255.
    expect(Array.from(preprocessDigit(img).steps.gray.data)).toEqual([0, 255, 127, 255])
  })

  it('composites on black only when over 1 % of the pixels are transparent and the strokes light', () => {
    const canvas = (transparent: number, alpha: number): RawPixels => {
      const data = new Uint8Array(10 * 10 * 4).fill(255)
      for (let i = 0; i < transparent; i++) data.set([0, 0, 0, alpha], i * 4)
      return { width: 10, height: 10, channels: 4, data }
    }
    // One clear pixel of 100 is not over 1 %: the white matte shows through it.
    expect(preprocessDigit(canvas(1, 0)).steps.gray.data[0]).toBe(255)
    // Two are: on a black matte they stay black, and so does a pixel of alpha 127.
    expect(Array.from(preprocessDigit(canvas(2, 0)).steps.gray.data.slice(0, 3))).toEqual([
      0, 0, 255,
    ])
    expect(preprocessDigit(canvas(2, 127)).steps.gray.data[1]).toBe(0)
    // Alpha 128 counts as visible: no matte change, black at half cover on white is 127.
    expect(preprocessDigit(canvas(2, 128)).steps.gray.data[1]).toBe(127)
  })

  it('box-averages a 1600-pixel-wide image by 2 into 800 columns', () => {
    const width = 1600
    const data = new Uint8Array(width * 2)
    for (let x = 0; x < width; x++) {
      data[x] = (x * 7) % 256
      data[width + x] = (x * 13) % 256
    }
    const { gray } = preprocessDigit({ width, height: 2, channels: 1, data }).steps
    expect([gray.width, gray.height]).toEqual([800, 1])
    for (let cx = 0; cx < 800; cx++) {
      const sum = data[2 * cx] + data[2 * cx + 1] + data[width + 2 * cx] + data[width + 2 * cx + 1]
      expect(gray.data[cx]).toBe(Math.round(sum / 4))
    }
  })

  it('samples every second pixel and row when the factor is 4, and rounds the size up', () => {
    // 3,201 columns: factor 5 (⌈3201 / 800⌉), step 3, 641 working columns.
    const odd = preprocessDigit({
      width: 3201,
      height: 1,
      channels: 1,
      data: new Uint8Array(3201),
    })
    expect([odd.steps.gray.width, odd.steps.gray.height]).toEqual([641, 1])
    // Factor 4: the samples of each 4×4 cell are its pixels (0, 0), (2, 0), (0, 2), (2, 2), all
    // 200 here while the cell's other twelve are 0 (a full average would give 50).
    const width = 3200
    const data = new Uint8Array(width * 4)
    for (let y = 0; y < 4; y += 2) for (let x = 0; x < width; x += 2) data[y * width + x] = 200
    const { gray } = preprocessDigit({ width, height: 4, channels: 1, data }).steps
    expect([gray.width, gray.height]).toEqual([800, 1])
    expect(gray.data.every((v) => v === 200)).toBe(true)
  })
})

describe('light or dark background', () => {
  it('falls back to "light from 128 up" on a page without contrast', () => {
    expect(preprocessDigit(page(20, 20, 128, 128, [])).steps.inverted).toBe(true)
    expect(preprocessDigit(page(20, 20, 127, 127, [])).steps.inverted).toBe(false)
    expect(resizePlain(page(20, 20, 128, 128, [])).steps.inverted).toBe(true)
  })

  it('decides by the farther extreme from 16 grey levels of contrast on', () => {
    // Light paper (200) with a lighter mark: 16 levels above the paper say "light ink, keep".
    expect(preprocessDigit(page(40, 40, 200, 216, [[18, 18, 4, 4]])).steps.inverted).toBe(false)
    // 15 levels are not contrast: light paper is then simply inverted.
    expect(preprocessDigit(page(40, 40, 200, 215, [[18, 18, 4, 4]])).steps.inverted).toBe(true)
    // Dark paper (60) with a darker mark 16 levels below: dark ink, invert.
    expect(preprocessDigit(page(40, 40, 60, 44, [[18, 18, 4, 4]])).steps.inverted).toBe(true)
    expect(preprocessDigit(page(40, 40, 60, 45, [[18, 18, 4, 4]])).steps.inverted).toBe(false)
  })

  it('reads the paper from the border band, not from the middle of the page', () => {
    // A big dark block fills most of the page; the border is light, so the block is ink.
    const result = preprocessDigit(page(50, 50, 230, 20, [[3, 3, 44, 44]]))
    expect(result.steps.inverted).toBe(true)
    // A 2-px light frame round a dark page: the band of a 100-px page is 2 px, all light.
    const framed = page(100, 100, 230, 20, [[2, 2, 96, 96]])
    expect(preprocessDigit(framed).steps.inverted).toBe(true)
    expect(resizePlain(framed).steps.inverted).toBe(true)
  })

  it('needs more than a few pixels to call them the darkest or lightest', () => {
    // Four pixels of ink on 1,600 are below the 4-pixel quantile: nothing stands out.
    expect(preprocessDigit(page(40, 40, 255, 0, [[18, 18, 2, 2]])).steps.inverted).toBe(true)
    expect(preprocessDigit(page(40, 40, 0, 255, [[18, 18, 2, 2]])).steps.inverted).toBe(false)
    expect(preprocessDigit(page(40, 40, 0, 255, [[18, 18, 2, 2]])).warnings).toEqual(['noInk'])
    expect(preprocessDigit(page(40, 40, 0, 255, [[18, 18, 5, 1]])).warnings).toEqual(['tinyInk'])
  })
})

describe('resizePlain: the whole image squeezed to 28×28', () => {
  it('averages each 2×2 block of a 56×56 image', () => {
    const data = new Uint8Array(56 * 56)
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 200
    data.fill(0, 0, 56) // a dark top row: the paper is dark, so nothing is inverted
    const border = (i: number) => i % 56 < 2 || i % 56 > 53 || i < 112 || i >= 56 * 54
    for (let i = 0; i < data.length; i++) if (border(i)) data[i] = 0
    const out = resizePlain({ width: 56, height: 56, channels: 1, data })
    expect(out.steps.inverted).toBe(false)
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const at = (dx: number, dy: number) => data[(2 * y + dy) * 56 + 2 * x + dx]
        const expected = Math.round((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4)
        expect(out.steps.centered.data[y * 28 + x]).toBe(expected)
        expect(out.input[y * 28 + x]).toBe(Math.fround(expected / 255))
      }
    }
    expect(out.steps.cropped).toBe(out.steps.centered)
    expect(out.warnings).toEqual([])
  })

  it('repeats each pixel of a 14×7 image over 2×4 and inverts light paper', () => {
    const data = new Uint8Array(14 * 7).fill(250)
    for (let i = 0; i < data.length; i++) if (i % 5 === 0) data[i] = (i * 11) % 250
    const out = resizePlain({ width: 14, height: 7, channels: 1, data })
    expect(out.steps.inverted).toBe(true)
    expect(out.steps.gray.data).toEqual(data)
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const source = data[Math.floor(y / 4) * 14 + Math.floor(x / 2)]
        expect(out.steps.centered.data[y * 28 + x]).toBe(255 - source)
      }
    }
  })

  it('averages 3×1 column groups of an 84×28 image', () => {
    const data = new Uint8Array(84 * 28)
    for (let i = 0; i < data.length; i++) data[i] = i % 84 < 42 ? 0 : i % 3 === 0 ? 90 : 0
    const out = resizePlain({ width: 84, height: 28, channels: 1, data })
    // Columns 0–13 of the result cover the dark half; 14–27 hold one 90 in three: 30.
    const row = Array.from(out.steps.centered.data.subarray(0, 28))
    expect(row).toEqual([...new Array(14).fill(0), ...new Array(14).fill(30)])
  })

  it('is what preprocessFor("plain") runs; "mnist" runs the full recipe', () => {
    expect(preprocessFor('plain')).toBe(resizePlain)
    expect(preprocessFor('mnist')).toBe(preprocessDigit)
  })
})

describe('preprocessDigit on known shapes', () => {
  it('scales a 3×3 block of ink to 20×20 centred on (14, 14), edges at half', () => {
    const result = preprocessDigit(page(40, 30, 0, 255, [[30, 4, 3, 3]]))
    expect(result.steps.inverted).toBe(false)
    expect(result.steps.cropped).toEqual({ width: 3, height: 3, data: new Uint8Array(9).fill(255) })
    // Scaled by 20/3 around its centre of mass: it covers [4.5, 24.5) on both axes.
    expect(Array.from(result.steps.centered.data)).toEqual(coverage(4.5, 24.5, 4.5, 24.5))
    expect(Array.from(result.input)).toEqual(
      Array.from(result.steps.centered.data, (v) => Math.fround(v / 255)),
    )
    expect(result.warnings).toEqual(['tinyInk'])
  })

  it('keeps the aspect of a 3×6 block: 10×20 around (14, 14)', () => {
    const result = preprocessDigit(page(40, 40, 255, 0, [[5, 20, 3, 6]]))
    expect(result.steps.inverted).toBe(true)
    expect([result.steps.cropped.width, result.steps.cropped.height]).toEqual([3, 6])
    expect(Array.from(result.steps.centered.data)).toEqual(coverage(9.5, 19.5, 4.5, 24.5))
  })

  it('calls a digit tiny below 12 working pixels on its longest side', () => {
    expect(preprocessDigit(page(60, 60, 0, 255, [[20, 20, 3, 11]])).warnings).toEqual(['tinyInk'])
    expect(preprocessDigit(page(60, 60, 0, 255, [[20, 20, 3, 12]])).warnings).toEqual([])
    expect(preprocessDigit(page(60, 60, 0, 255, [[20, 20, 12, 3]])).warnings).toEqual([])
  })

  it('clamps the placement so a lopsided shape stays whole in the field', () => {
    // A 6×19 bar with a 1-px arm to the right (20×19 in all, scale 1): its centre of mass is
    // 3.6 px from the left, so centring would push it off the right edge. It lands at x 8..27
    // (the right edge) and, being symmetric vertically around row 9, at y 5..23.
    const shape: [number, number, number, number][] = [
      [10, 10, 6, 19],
      [16, 19, 14, 1],
    ]
    const result = preprocessDigit(page(50, 40, 0, 255, shape))
    expect([result.steps.cropped.width, result.steps.cropped.height]).toEqual([20, 19])
    const expected = new Array(784).fill(0)
    for (const [x, y, w, h] of shape) {
      for (let yy = 0; yy < h; yy++) {
        for (let xx = 0; xx < w; xx++) expected[(y - 10 + 5 + yy) * 28 + x - 10 + 8 + xx] = 255
      }
    }
    expect(Array.from(result.steps.centered.data)).toEqual(expected)
    // Mirrored, the arm points left and the shape sits against the left edge (x 0..19).
    const mirrored = preprocessDigit(
      page(50, 40, 0, 255, [
        [24, 10, 6, 19],
        [10, 19, 14, 1],
      ]),
    )
    const flipped = expected.map((_, i) => expected[i - (i % 28) + 27 - (i % 28)])
    expect(Array.from(mirrored.steps.centered.data)).toEqual(flipped)
  })

  it('widens a 1-px line by 6 px on each side before scaling it down by 5', () => {
    // A 1×100 line: stroke 8·100 / (π·101) = 2.52 px, 0.50 px once scaled to 20: too thin.
    // Radius round((2.5·100 − 20·2.52) / (40 − 5)) = 6, so the crop grows to 13×112, all ink.
    const result = preprocessDigit(page(50, 120, 0, 255, [[25, 10, 1, 100]]))
    expect(result.steps.cropped).toEqual({
      width: 13,
      height: 112,
      data: new Uint8Array(13 * 112).fill(255),
    })
    expect(result.warnings).toEqual([])
  })

  it('leaves strokes alone that are thick enough after scaling', () => {
    // A 4×100 bar: stroke 8·400 / (π·104) = 9.8 px, 1.96 px scaled: above 1.8, no widening.
    const result = preprocessDigit(page(50, 120, 0, 255, [[25, 10, 4, 100]]))
    expect([result.steps.cropped.width, result.steps.cropped.height]).toEqual([4, 100])
  })
})

describe('specks and separate marks', () => {
  /** A 10×10 main mark on black and a second one `[x, y, w, h]`. */
  const withSecond = (second: [number, number, number, number]) =>
    preprocessDigit(page(120, 60, 0, 255, [[20, 20, 10, 10], second]))

  it('erases a speck under 5 % of the main mark and keeps one of 5 %', () => {
    const speck = withSecond([80, 40, 2, 2])
    expect([speck.steps.cropped.width, speck.steps.cropped.height]).toEqual([10, 10])
    const kept = withSecond([80, 40, 5, 1])
    expect([kept.steps.cropped.width, kept.steps.cropped.height]).toEqual([65, 21])
    expect(kept.warnings).toEqual([])
  })

  it('warns of a second mark from 20 % of the main one, apart from it', () => {
    expect(withSecond([80, 40, 19, 1]).warnings).toEqual([])
    expect(withSecond([80, 40, 20, 1]).warnings).toEqual(['multipleBlobs'])
    // Above, below and to the left count as apart too.
    expect(withSecond([20, 2, 20, 1]).warnings).toEqual(['multipleBlobs'])
    expect(withSecond([20, 50, 20, 1]).warnings).toEqual(['multipleBlobs'])
    expect(withSecond([0, 5, 4, 5]).warnings).toEqual(['multipleBlobs'])
  })

  it('sees marks touching at a corner as one (8-connected)', () => {
    const diagonal = withSecond([30, 30, 10, 10])
    expect(diagonal.warnings).toEqual([])
    expect([diagonal.steps.cropped.width, diagonal.steps.cropped.height]).toEqual([20, 20])
  })

  it('does not call a mark apart within a tenth of the main mark’s size', () => {
    // A 100×10 main bar ending at x = 109: the margin is 9.9 px, so a 20×10 mark from x = 118
    // is still part of the same digit, and one from x = 119 is apart.
    const from = (x: number) =>
      preprocessDigit(
        page(180, 40, 0, 255, [
          [10, 10, 100, 10],
          [x, 10, 20, 10],
        ]),
      ).warnings
    expect(from(118)).toEqual([])
    expect(from(119)).toEqual(['multipleBlobs'])
  })

  it('measures the tenth on every side, a mark exactly at it still part of the digit', () => {
    // A 101-px main bar spans 100 px between its first and last pixel: the margin is exactly
    // 10 px, so a mark whose nearest pixel is 10 px beyond the bar's is still the same digit and
    // one at 11 px is apart, on each of the four sides.
    const across = (mark: [number, number, number, number]) =>
      preprocessDigit(page(200, 60, 0, 255, [[50, 20, 101, 10], mark])).warnings
    // Left: the bar starts at x = 50; a 30-px mark (over a fifth of the bar) ending at x = 40 or 39.
    expect(across([11, 20, 30, 10])).toEqual([])
    expect(across([10, 20, 30, 10])).toEqual(['multipleBlobs'])
    // Right: the bar ends at x = 150; a mark starting at x = 160 or 161.
    expect(across([160, 20, 30, 10])).toEqual([])
    expect(across([161, 20, 30, 10])).toEqual(['multipleBlobs'])
    const along = (mark: [number, number, number, number]) =>
      preprocessDigit(page(60, 200, 0, 255, [[20, 50, 10, 101], mark])).warnings
    // Above: the bar starts at y = 50; a 30-px mark ending at y = 40 or 39.
    expect(along([20, 11, 10, 30])).toEqual([])
    expect(along([20, 10, 10, 30])).toEqual(['multipleBlobs'])
    // Below: the bar ends at y = 150; a mark starting at y = 160 or 161.
    expect(along([20, 160, 10, 30])).toEqual([])
    expect(along([20, 161, 10, 30])).toEqual(['multipleBlobs'])
  })
})

describe('the grey working image and the paper, edge by edge (mutation-tested)', () => {
  /** Rec. 601 luma in eighths of a byte, as the recipe defines it. */
  const luma = (r: number, g: number, b: number) => (77 * r + 150 * g + 29 * b) >> 8

  it('box-averages a colour image by 2, a short last row of cells from its one row', () => {
    // 1600×3 RGB: factor 2, so cells of 2×2 pixels and a last row of cells holding row 2 alone.
    const width = 1600
    const height = 3
    const data = new Uint8Array(width * height * 3)
    const rgb = (x: number, y: number): [number, number, number] => [
      (x * 7 + y * 31) % 256,
      (x * 13 + y * 5) % 256,
      (x * 3 + y * 101) % 256,
    ]
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data.set(rgb(x, y), (y * width + x) * 3)
    }
    const { gray } = preprocessDigit({ width, height, channels: 3, data }).steps
    expect([gray.width, gray.height]).toEqual([800, 2])
    for (let cy = 0; cy < 2; cy++) {
      for (let cx = 0; cx < 800; cx++) {
        let sum = 0
        let n = 0
        for (let y = 2 * cy; y < Math.min(height, 2 * cy + 2); y++) {
          for (let x = 2 * cx; x < 2 * cx + 2; x++) {
            sum += luma(...rgb(x, y))
            n++
          }
        }
        expect(gray.data[cy * 800 + cx]).toBe(Math.round(sum / n))
      }
    }
  })

  it('composites grey strokes at partial alpha on the white matte by their coverage', () => {
    // Each pixel: luma·a/255 + 255·(1 − a/255), rounded. An opaque black keeps the strokes dark.
    const pixels: [number, number][] = [
      [0, 255],
      [100, 128],
      [200, 100],
      [50, 200],
      [180, 1],
    ]
    const data = new Uint8Array(pixels.flatMap(([v, a]) => [v, v, v, a]))
    const { gray } = preprocessDigit({ width: pixels.length, height: 1, channels: 4, data }).steps
    // 0; 50.2 + 127 = 177; 78.4 + 155 = 233; 39.2 + 55 = 94; 0.7 + 254 = 255.
    expect(Array.from(gray.data)).toEqual([0, 177, 233, 94, 255])
  })

  it('composites partly transparent cells of a downscaled image on white by their mean alpha', () => {
    // 1600×2 RGBA, factor 2: each cell is 2×2 pixels of one even grey at four alphas of odd sum.
    // Exactly, (Σ luma·a + 255·(255·4 − Σ a)) / (255·4), rounded; with an even grey and an odd
    // sum it never lands on a half, where floating point could round either way.
    const width = 1600
    const data = new Uint8Array(width * 2 * 4)
    const grey = (x: number) => 2 * ((x >> 1) % 100)
    const alpha = (x: number, y: number) => (x * 37 + y * 91 + (x & y & 1)) % 256
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < width; x++) {
        const v = grey(x)
        data.set([v, v, v, alpha(x, y)], (y * width + x) * 4)
      }
    }
    const { gray } = preprocessDigit({ width, height: 2, channels: 4, data }).steps
    expect([gray.width, gray.height]).toEqual([800, 1])
    for (let cx = 0; cx < 800; cx++) {
      let inked = 0
      let cover = 0
      for (const [x, y] of [
        [2 * cx, 0],
        [2 * cx + 1, 0],
        [2 * cx, 1],
        [2 * cx + 1, 1],
      ]) {
        inked += grey(x) * alpha(x, y)
        cover += alpha(x, y)
      }
      expect(gray.data[cx]).toBe(Math.round((inked + 255 * (1020 - cover)) / 1020))
    }
  })

  it('calls strokes light (and composites on black) only above a mean luma of 128', () => {
    // 98 clear pixels and two opaque grey ones: mean visible luma 128 keeps the white matte.
    const canvas = (grey: number): RawPixels => {
      const data = new Uint8Array(10 * 10 * 4)
      data.set([grey, grey, grey, 255, grey, grey, grey, 255], 98 * 4)
      return { width: 10, height: 10, channels: 4, data }
    }
    expect(preprocessDigit(canvas(128)).steps.gray.data[0]).toBe(255)
    expect(preprocessDigit(canvas(129)).steps.gray.data[0]).toBe(0)
  })

  it('reads the paper as the median of exactly the 2-px border band of a 100-px page', () => {
    // The band holds 784 pixels: 393 dark (the bottom rows, the right band and three pixels of
    // the top row) and 391 light (the top rows, the left band), so the median is dark by one
    // pixel. Reading one row or column more or less inside the band, or any pixel twice, tips
    // it to light. Dark paper and the light page inside as ink: not inverted.
    const side = 100
    const data = new Uint8Array(side * side).fill(230)
    const dark = (x: number, y: number) => (data[y * side + x] = 20)
    for (let x = 0; x < side; x++) for (const y of [98, 99]) if (x > 0) dark(x, y)
    for (let y = 2; y < 98; y++) for (const x of [98, 99]) dark(x, y)
    for (const x of [50, 51, 52]) dark(x, 0)
    expect(data.filter((v) => v === 20).length).toBe(393)
    // The same page mirrored, flipped and transposed: the band is the same on every side.
    const at = (f: (x: number, y: number) => number) =>
      Uint8Array.from({ length: side * side }, (_, i) => f(i % side, Math.floor(i / side)))
    const pages = {
      page: data,
      mirrored: at((x, y) => data[y * side + side - 1 - x]),
      flipped: at((x, y) => data[(side - 1 - y) * side + x]),
      transposed: at((x, y) => data[x * side + y]),
    }
    for (const [name, pixels] of Object.entries(pages)) {
      const result = preprocessDigit({ width: side, height: side, channels: 1, data: pixels })
      expect([name, result.steps.inverted]).toEqual([name, false])
    }
  })

  it('takes the band as 2 % of the shorter side: 3 px on 150, 1 px on 150×50', () => {
    // A 150-px page, light, with a dark outer ring of 1 px: the 3-px band is mostly light, so the
    // paper is light and the ring is dark ink on it.
    const ring = (width: number, height: number, paper: number, edge: number): RawPixels => {
      const data = new Uint8Array(width * height).fill(paper)
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (x === 0 || y === 0 || x === width - 1 || y === height - 1) data[y * width + x] = edge
        }
      }
      return { width, height, channels: 1, data }
    }
    expect(preprocessDigit(ring(150, 150, 230, 20)).steps.inverted).toBe(true)
    // 150×50: the band is 1 px (of 50), all light, on a dark page: light paper, dark ink.
    expect(preprocessDigit(ring(150, 50, 20, 230)).steps.inverted).toBe(true)
    expect(resizePlain(ring(150, 50, 20, 230)).steps.inverted).toBe(true)
  })

  it('lets no fewer than 4 pixels be the darkest: three dark specks do not make the ink dark', () => {
    // Paper 200 with a 4×4 light mark (240) and three separate black pixels: the fourth-darkest
    // pixel is paper, so the light mark is the ink and nothing is inverted.
    const img = page(40, 40, 200, 240, [[18, 18, 4, 4]])
    for (const [x, y] of [
      [5, 5],
      [30, 8],
      [8, 30],
    ]) {
      img.data[y * 40 + x] = 0
    }
    expect(preprocessDigit(img).steps.inverted).toBe(false)
  })

  it('keeps the page as it is when ink lies as far above the paper as below it', () => {
    // Paper 128, a mark 64 levels darker and one 64 levels lighter: a tie is not "dark ink".
    const tie = page(40, 40, 128, 64, [[8, 8, 4, 4]])
    for (let y = 26; y < 30; y++) tie.data.fill(192, y * 40 + 26, y * 40 + 30)
    expect(preprocessDigit(tie).steps.inverted).toBe(false)
    expect(resizePlain(tie).steps.inverted).toBe(false)
  })
})

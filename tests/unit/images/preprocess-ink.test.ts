import { describe, expect, it, vi } from 'vitest'
import { preprocessDigit, type RawPixels } from '../../../src/shared/preprocess'
import { mnistDigit } from './mnist-sample'

/*
 * Background removal and stretching, measured on real MNIST digits and on marks whose levels are
 * known: the expected strengths come from the recipe (median and MAD of the page, a noise floor
 * 3.5 σ above the median but at least 10 levels, typical ink at the 75th percentile of the clear
 * ink stretched to 255), computed here with sorting, never with the code's histograms.
 */

// No training and no big files here: a hang fails in a minute, not in the 300 s default.
vi.setConfig({ testTimeout: 60_000 })

/** The `q` quantile as the code defines it: the ⌈q·n⌉-th smallest value (at least the first). */
function nth(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]
}

/**
 * What the recipe makes of a page whose background is flat (its field is the page's paper level,
 * removed along with the median): the crop of the pixels above the noise floor, stretched.
 */
function expectedStrength(
  page: ArrayLike<number>,
  side: number,
): { box: number[]; data: number[] } {
  const values = Array.from(page)
  const median = nth(values, 0.5)
  const sigma =
    1.4826 *
    nth(
      values.map((v) => Math.abs(v - median)),
      0.5,
    )
  const floor = median + Math.max(3.5 * sigma, 10)
  const peak = nth(values, 1 - 4 / values.length)
  const candidate = floor + 0.25 * (peak - floor)
  const full = Math.max(
    nth(
      values.filter((v) => v >= Math.ceil(candidate)),
      0.75,
    ),
    floor + 32,
  )
  const gain = 255 / (full - floor)
  let [x0, y0, x1, y1] = [side, side, -1, -1]
  values.forEach((v, i) => {
    if (v <= floor) return
    const [x, y] = [i % side, Math.floor(i / side)]
    ;[x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)]
  })
  const data: number[] = []
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const v = (page[y * side + x] - floor) * gain
      data.push(Math.round(Math.fround(v <= 0 ? 0 : v >= 255 ? 255 : v)))
    }
  }
  return { box: [x0, y0, x1 - x0 + 1, y1 - y0 + 1], data }
}

const gray = (side: number, data: Uint8Array): RawPixels => ({
  width: side,
  height: side,
  channels: 1,
  data,
})

describe('background removal on real digits', () => {
  it('stretches MNIST digits on black: the floor of 10 levels to 0, typical ink to 255', () => {
    for (const k of [0, 1, 2, 3, 4]) {
      const digit = mnistDigit(k)
      const { box, data } = expectedStrength(digit, 28)
      const { cropped } = preprocessDigit(gray(28, digit)).steps
      expect([k, cropped.width, cropped.height]).toEqual([k, box[2], box[3]])
      expect([k, ...cropped.data]).toEqual([k, ...data])
    }
  })
})

/** MNIST digit `k` at 3/4 of its intensity, at (18, 18) on a 64-px page of `paper(x, y)`. */
function litPage(k: number, paper: (x: number, y: number) => number): RawPixels {
  const digit = mnistDigit(k)
  const data = new Uint8Array(64 * 64)
  for (let y = 0; y < 64; y++) {
    for (let x = 0; x < 64; x++) {
      const [dx, dy] = [x - 18, y - 18]
      const v = dx >= 0 && dy >= 0 && dx < 28 && dy < 28 ? digit[dy * 28 + dx] : 0
      data[y * 64 + x] = paper(x, y) + Math.round(v * 0.75)
    }
  }
  return gray(64, data)
}

describe('background removal under uneven light', () => {
  it('removes a lighting ramp of 64 levels across the page to within a level or two', () => {
    // The field (a low percentile per 8-px block, a 3×3 minimum, a 3×3 mean, interpolated
    // between block centres) follows a linear ramp exactly, a constant below it, so the digit
    // keeps the strengths it has on even paper; only rounding the ramp differs (1 level, 2 on
    // the diagonal). A field that missed the ramp would let up to 63 levels through.
    const ramps: [string, (x: number, y: number) => number, number][] = [
      ['left to right', (x) => x, 1],
      ['right to left', (x) => 63 - x, 1],
      ['top to bottom', (_, y) => y, 1],
      ['diagonal', (x, y) => Math.round((x + y) / 2), 2],
    ]
    for (const k of [0, 1, 2, 3]) {
      const even = preprocessDigit(litPage(k, () => 0)).steps.cropped
      for (const [name, ramp, tolerance] of ramps) {
        const lit = preprocessDigit(litPage(k, ramp)).steps.cropped
        expect([k, name, lit.width, lit.height]).toEqual([k, name, even.width, even.height])
        const worst = Math.max(...lit.data.map((v, i) => Math.abs(v - even.data[i])))
        expect([k, name, worst <= tolerance]).toEqual([k, name, true])
      }
    }
  })

  it('reads the paper as each block’s 10th percentile, not its darkest pixel', () => {
    // Grey paper (40) with black pepper (1 pixel in 16) over its left half only: the pepper is
    // under 10 % of every block, so the field stays 40 everywhere and the digit's crop is the
    // same as on clean paper. Taking each block's darkest pixel would drop the field to 0 on the
    // left half and turn that paper into ink.
    for (const k of [0, 1]) {
      const clean = preprocessDigit(litPage(k, () => 40)).steps.cropped
      const peppered = litPage(k, () => 40)
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 32; x++) {
          if (x % 4 === 1 && y % 4 === 2 && peppered.data[y * 64 + x] === 40)
            peppered.data[y * 64 + x] = 0
        }
      }
      expect(preprocessDigit(peppered).steps.cropped).toEqual(clean)
    }
  })

  it('removes an even grey paper level exactly', () => {
    for (const k of [0, 1]) {
      const even = preprocessDigit(litPage(k, () => 0)).steps.cropped
      expect(preprocessDigit(litPage(k, () => 40)).steps.cropped).toEqual(even)
    }
  })
})

describe('the noise floor and the stretch', () => {
  it('raises the floor to 3.5 σ of the paper’s noise (median and MAD) on a noisy page', () => {
    // Paper alternating 0 and 6 (a checkerboard of sensor noise) under MNIST digits: median 6,
    // MAD 6, σ = 1.4826 · 6, floor 6 + 31.1 = 37.1; the recipe then stretches as on black.
    // (Test image 2, a thin 1, is left out: above that floor its strokes get widened.)
    for (const k of [0, 1, 3]) {
      const page = mnistDigit(k).map((v, i) =>
        v > 0 ? v : ((i % 28) + Math.floor(i / 28)) % 2 ? 6 : 0,
      )
      const { box, data } = expectedStrength(page, 28)
      const { cropped } = preprocessDigit(gray(28, page)).steps
      expect([k, cropped.width, cropped.height]).toEqual([k, box[2], box[3]])
      expect([k, ...cropped.data]).toEqual([k, ...data])
    }
  })

  it('finds ink 32 levels above the noise floor and calls 31 a blank page', () => {
    // Flat black paper: floor 10. A 4×4 mark of 42 stands 32 levels above it; 41 does not.
    const mark = (level: number) => {
      const data = new Uint8Array(40 * 40)
      for (let y = 18; y < 22; y++) data.fill(level, y * 40 + 18, y * 40 + 22)
      return preprocessDigit(gray(40, data))
    }
    expect(mark(42).warnings).toEqual(['tinyInk'])
    expect(mark(42).steps.cropped.data).toEqual(new Uint8Array(16).fill(255))
    expect(mark(41).warnings).toEqual(['noInk'])
  })

  it('stretches by at least 32 levels: faint ink is not made as strong as its darkest spot', () => {
    // A 10×10 mark of 30 with a 2×3 core of 60, on black: floor 10, peak 60, candidate 22.5,
    // the 75th percentile of the ink at or above 23 is 30, below floor + 32 = 42, so 42 is
    // full ink: 30 → (30 − 10) · 255 / 32 = 159.4, and the core (398) is clipped to 255.
    const data = new Uint8Array(40 * 40)
    for (let y = 10; y < 20; y++) data.fill(30, y * 40 + 10, y * 40 + 20)
    for (let y = 14; y < 16; y++) data.fill(60, y * 40 + 14, y * 40 + 17)
    const { cropped } = preprocessDigit(gray(40, data)).steps
    const expected = new Uint8Array(100).fill(159)
    for (let y = 4; y < 6; y++) expected.fill(255, y * 10 + 4, y * 10 + 7)
    expect(cropped).toEqual({ width: 10, height: 10, data: expected })
  })
})

describe('cropping and widening, exactly', () => {
  /** Strokes of `level` along the given pixels on a black page. */
  const strokes = (width: number, height: number, ink: [number, number, number][]): RawPixels => {
    const data = new Uint8Array(width * height)
    for (const [x, y, level] of ink) data[y * width + x] = level
    return { width, height, channels: 1, data }
  }

  it('crops a stroke lying along the left edge or the top edge of the image', () => {
    // A 1-px line down column 0 (rows 0 to 59), and one along row 0: each is its own box, 1 px
    // thick, widened by 3 px on each side (stroke 8·60 / (π·61) = 2.5 px, scaled by 20/60).
    const down: [number, number, number][] = []
    for (let y = 0; y < 60; y++) down.push([0, y, 255])
    const left = preprocessDigit(strokes(40, 60, down)).steps.cropped
    expect([left.width, left.height]).toEqual([7, 66])
    expect(left.data.every((v) => v === 255)).toBe(true)
    const across: [number, number, number][] = down.map(([x, y, v]) => [y, x, v])
    const top = preprocessDigit(strokes(60, 40, across)).steps.cropped
    expect([top.width, top.height]).toEqual([66, 7])
  })

  it('widens hairlines by the recipe’s radius, as the maximum over each (2r+1)² square', () => {
    // An open hairline "4": two verticals of different strength, a crossbar and a diagonal, with
    // gaps wider than the radius, so the widening must forget what left its window.
    const ink: [number, number, number][] = []
    for (let y = 10; y < 60; y++) ink.push([20, y, 140])
    for (let y = 10; y < 90; y++) ink.push([70, y, 255])
    for (let x = 20; x < 90; x++) ink.push([x, 60, 255])
    for (let i = 0; i < 25; i++) ink.push([30 + i, 15 + i, 200])
    const result = preprocessDigit(strokes(100, 100, ink)).steps.cropped
    // The strengths before widening: the recipe on flat black paper.
    const page = strokes(100, 100, ink).data
    const { box, data } = expectedStrength(page, 100)
    expect(box).toEqual([20, 10, 70, 80])
    const [w, h] = [box[2], box[3]]
    // Stroke width: ink area (≥ 128) over half the perimeter (right and lower edges), by 8/π.
    let area = 0
    let edges = 0
    const on = (x: number, y: number) => x < w && y < h && data[y * w + x] >= 128
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        if (on(x, y)) area++
        if (on(x, y) !== on(x + 1, y)) edges++
        if (on(x, y) !== on(x, y + 1)) edges++
      }
    }
    const stroke = (8 * area) / (Math.PI * edges)
    const side = Math.max(w, h)
    expect((stroke * 20) / side).toBeLessThan(1.8)
    const r = Math.max(1, Math.round((2.5 * side - 20 * stroke) / (40 - 2 * 2.5)))
    expect(r).toBe(5)
    expect([result.width, result.height]).toEqual([w + 2 * r, h + 2 * r])
    const at = (x: number, y: number) =>
      x >= r && y >= r && x < w + r && y < h + r ? data[(y - r) * w + x - r] : 0
    const expected: number[] = []
    for (let y = 0; y < h + 2 * r; y++) {
      for (let x = 0; x < w + 2 * r; x++) {
        let max = 0
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) max = Math.max(max, at(x + dx, y + dy))
        expected.push(max)
      }
    }
    expect(Array.from(result.data)).toEqual(expected)
  })
})

describe('a blank page', () => {
  it('gives 784 zeros, a 28×28 black centred image and an empty crop', () => {
    const result = preprocessDigit(gray(40, new Uint8Array(40 * 40).fill(90)))
    expect(result.warnings).toEqual(['noInk'])
    expect(result.input).toEqual(new Float32Array(784))
    expect(result.steps.centered).toEqual({ width: 28, height: 28, data: new Uint8Array(784) })
    expect(result.steps.cropped).toEqual({ width: 0, height: 0, data: new Uint8Array(0) })
  })
})

describe('ink connectivity', () => {
  /** A black page with rectangles `[x, y, w, h]` of full ink. */
  const marks = (side: number, rects: [number, number, number, number][]): RawPixels => {
    const data = new Uint8Array(side * side)
    for (const [x, y, w, h] of rects) {
      for (let yy = y; yy < y + h; yy++) data.fill(255, yy * side + x, yy * side + x + w)
    }
    return gray(side, data)
  }

  it('follows a stroke down and to the left as one mark (8-connected in every direction)', () => {
    // A 3-px "/" from the top right to the bottom left: one mark, no second one apart (62×60,
    // widened by 3 px on each side).
    const slash: [number, number, number, number][] = []
    for (let i = 0; i < 60; i++) slash.push([80 - i, 10 + i, 3, 1])
    const result = preprocessDigit(marks(100, slash))
    expect(result.warnings).toEqual([])
    expect([result.steps.cropped.width, result.steps.cropped.height]).toEqual([68, 66])
  })

  it('keeps a small hook that is reached only by going up from the main stroke', () => {
    // A "J": a 3×100 stem, a foot to the left and a 3×7 tip rising from the foot's end. The tip
    // is 1 % of the ink: were it a mark of its own it would be erased as a speck. The crop (23×100)
    // is widened by 5 px on each side, so the tip's own pixels sit at x 5–7, y 95–101, out of
    // reach of the foot's widening (rows 97 on) only in rows 95 and 96.
    const result = preprocessDigit(
      marks(130, [
        [50, 10, 3, 100],
        [30, 107, 23, 3],
        [30, 100, 3, 7],
      ]),
    )
    const { cropped } = result.steps
    expect([cropped.width, cropped.height]).toEqual([33, 110])
    for (let y = 95; y < 97; y++)
      expect(Array.from(cropped.data.subarray(y * 33 + 5, y * 33 + 8))).toEqual([255, 255, 255])
  })
})

describe('the faint fringe of the strokes', () => {
  it('keeps faint ink within 2 px of a stroke (a square around it) and erases what lies further', () => {
    // A 10×10 block of 255 at (40, 40) with faint arms of 60 running 6 px out on all four sides
    // and two faint dots off its corners, 2 and 3 px out diagonally. Floor 10, full ink 255, so
    // 60 becomes (60 − 10) · 255 / 245 = 52, below the ink level of 89 that joins components:
    // only the fringe within 2 px (a 5×5 square) of the block is kept, so the crop is 14×14.
    const data = new Uint8Array(100 * 100)
    const set = (x: number, y: number, v: number) => (data[y * 100 + x] = v)
    for (let y = 40; y < 50; y++) for (let x = 40; x < 50; x++) set(x, y, 255)
    for (let i = 1; i <= 6; i++) {
      set(44, 40 - i, 60)
      set(44, 49 + i, 60)
      set(40 - i, 45, 60)
      set(49 + i, 45, 60)
    }
    set(51, 51, 60)
    set(37, 37, 60)
    const { cropped } = preprocessDigit(gray(100, data)).steps
    const expected = new Uint8Array(14 * 14)
    for (let y = 2; y < 12; y++) expected.fill(255, y * 14 + 2, y * 14 + 12)
    for (const [x, y] of [
      [6, 0],
      [6, 1],
      [6, 12],
      [6, 13],
      [0, 7],
      [1, 7],
      [12, 7],
      [13, 7],
      [13, 13],
    ]) {
      expected[y * 14 + x] = 52
    }
    expect(cropped).toEqual({ width: 14, height: 14, data: expected })
  })
})

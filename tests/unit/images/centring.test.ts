import { describe, expect, it } from 'vitest'
import { centerOfMass, preprocessDigit, type RawPixels } from '../../../src/shared/preprocess'
import { mnistDigit } from './mnist-sample'

// Centring is checked against centroids worked out here, not with the code's own centerOfMass:
// a bug in that function would otherwise move the digit and agree with itself.

/** The test's own centroid: Σ i·v / Σ v over rows and columns, pixel i at index i. */
function centroid(data: ArrayLike<number>, side: number): { x: number; y: number } {
  const columns = new Array<number>(side).fill(0)
  const rows = new Array<number>(side).fill(0)
  for (let i = 0; i < side * side; i++) {
    columns[i % side] += data[i]
    rows[Math.floor(i / side)] += data[i]
  }
  const mass = columns.reduce((a, b) => a + b, 0)
  const moment = (sums: number[]) => sums.reduce((acc, v, i) => acc + i * v, 0) / mass
  return { x: moment(columns), y: moment(rows) }
}

function gray(width: number, height: number, ink: [number, number, number][]): RawPixels {
  const data = new Uint8Array(width * height)
  for (const [x, y, v] of ink) data[y * width + x] = v
  return { width, height, channels: 1, data }
}

describe('centerOfMass on known inputs', () => {
  it('puts one pixel at its own index', () => {
    const data = new Float32Array(7 * 5)
    data[3 * 7 + 5] = 0.4
    expect(centerOfMass(data, 7, 5)).toEqual({ x: 5, y: 3 })
  })

  it('weighs two pixels by their values', () => {
    // (1, 1) weighing 1 and (5, 3) weighing 3: x = (1 + 15) / 4 = 4, y = (1 + 9) / 4 = 2.5.
    const data = new Float32Array(8 * 6)
    data[1 * 8 + 1] = 1
    data[3 * 8 + 5] = 3
    expect(centerOfMass(data, 8, 6)).toEqual({ x: 4, y: 2.5 })
  })

  it('answers the middle of an empty image', () => {
    expect(centerOfMass(new Float32Array(6 * 4), 6, 4)).toEqual({ x: 2.5, y: 1.5 })
  })

  it('finds the centroid of MNIST test digits as computed outside Sinapse', () => {
    // Σ i·v / Σ v over the raw bytes, computed with NumPy: image 0 (a 7), 1 (a 2), 2 (a 1).
    const known = [
      { x: 14.340847512734367, y: 14.383710848596511 },
      { x: 13.79948006932409, y: 13.925407279029463 },
      { x: 14.143653125316584, y: 14.07435923412015 },
    ]
    known.forEach((expected, k) => {
      const c = centerOfMass(mnistDigit(k), 28, 28)
      expect(c.x).toBeCloseTo(expected.x, 9)
      expect(c.y).toBeCloseTo(expected.y, 9)
      expect(centroid(mnistDigit(k), 28)).toEqual(c)
    })
  })
})

describe('preprocessDigit centres the ink at (14, 14)', () => {
  it('moves a small dot in a corner to pixel (14, 14)', () => {
    const dot: [number, number, number][] = []
    for (let y = 2; y < 5; y++) for (let x = 33; x < 36; x++) dot.push([x, y, 255])
    const result = preprocessDigit(gray(40, 30, dot))
    const c = centroid(result.input, 28)
    expect(c.x).toBeCloseTo(14, 1)
    expect(c.y).toBeCloseTo(14, 1)
  })

  it('centres two dots of unequal weight on their weighted middle, not their midpoint', () => {
    // A heavy 3×3 block and a light one apart: the midpoint of the two is not the centroid.
    const ink: [number, number, number][] = []
    for (let dy = 0; dy < 3; dy++) {
      for (let dx = 0; dx < 3; dx++) {
        ink.push([10 + dx, 10 + dy, 255], [40 + dx, 30 + dy, 120])
      }
    }
    const result = preprocessDigit(gray(60, 50, ink))
    const c = centroid(result.input, 28)
    expect(Math.abs(c.x - 14)).toBeLessThan(0.15)
    expect(Math.abs(c.y - 14)).toBeLessThan(0.15)
  })

  it('centres a square exactly, its edges split over two pixels', () => {
    const ink: [number, number, number][] = []
    for (let y = 5; y < 15; y++) for (let x = 20; x < 30; x++) ink.push([x, y, 255])
    const result = preprocessDigit(gray(50, 40, ink))
    const c = centroid(result.input, 28)
    expect(c.x).toBeCloseTo(14, 2)
    expect(c.y).toBeCloseTo(14, 2)
    // 20 px wide around 14: columns 4 and 24 half covered, 5 to 23 full.
    const row14 = Array.from(result.input.subarray(14 * 28, 15 * 28), (v) => +v.toFixed(2))
    expect(row14.slice(3, 26)).toEqual([0, 0.5, ...new Array(19).fill(1), 0.5, 0])
  })

  it('re-centres real MNIST digits at (14, 14), wherever they were', () => {
    for (let k = 0; k < 3; k++) {
      const result = preprocessDigit({ width: 28, height: 28, channels: 1, data: mnistDigit(k) })
      const c = centroid(result.input, 28)
      expect(Math.abs(c.x - 14)).toBeLessThan(0.1)
      expect(Math.abs(c.y - 14)).toBeLessThan(0.1)
    }
  })
})

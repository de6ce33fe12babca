import { describe, expect, it } from 'vitest'
import { preprocessDigit, resizePlain, type RawPixels } from '../../../src/shared/preprocess'

/** A dark "1" (a bar) drawn near the top-left corner of light paper. */
function offCentreOne(): RawPixels {
  const width = 120
  const height = 120
  const data = new Uint8Array(width * height).fill(235)
  for (let y = 10; y < 60; y++) for (let x = 12; x < 20; x++) data[y * width + x] = 20
  return { width, height, channels: 1, data }
}

function inkCentre(input: Float32Array): { x: number; y: number } {
  let sum = 0
  let sx = 0
  let sy = 0
  input.forEach((value, i) => {
    const v = value > 0.5 ? value : 0
    sum += v
    sx += v * (i % 28)
    sy += v * Math.floor(i / 28)
  })
  return { x: sx / sum, y: sy / sum }
}

describe('resizePlain (the tutorial’s preprocessing)', () => {
  it('keeps an off-centre digit off-centre, where the MNIST recipe centres it', () => {
    const plain = inkCentre(resizePlain(offCentreOne()).input)
    const mnist = inkCentre(preprocessDigit(offCentreOne()).input)
    expect(plain.x).toBeLessThan(5)
    expect(plain.y).toBeLessThan(10)
    expect(Math.abs(mnist.x - 14)).toBeLessThan(1)
    expect(Math.abs(mnist.y - 14)).toBeLessThan(1)
  })

  it('turns light paper into white ink on black, scaled to 28×28 in [0, 1]', () => {
    const out = resizePlain(offCentreOne())
    expect(out.input).toHaveLength(784)
    expect(out.steps.inverted).toBe(true)
    expect(out.input[27 * 28 + 27]).toBeCloseTo(20 / 255, 2)
    expect(Math.max(...out.input)).toBeLessThanOrEqual(1)
  })
})

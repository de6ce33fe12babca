import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  KERNEL_PRESETS,
  computeViews,
  convWindow,
  convolve,
  outputLength,
  maxAbs,
  parseKernelValue,
  planeFromBytes,
  pool,
  presetKernel,
  sampleDigit,
  tfConvolve,
  tfPool,
  type Plane,
} from '../../../../src/renderer/src/lib/learn/convolution'
import { readyTf, tf } from '../../../../src/renderer/src/lib/learn/tf'
import { PADDINGS } from '../../../../src/shared/model-spec'

function expectClose(a: Plane, b: Plane): void {
  expect([a.height, a.width]).toEqual([b.height, b.width])
  a.data.forEach((v, i) => expect(Math.abs(v - b.data[i]), `pixel ${i}`).toBeLessThan(1e-5))
}

describe('convolution lab', () => {
  beforeAll(() => readyTf())
  afterAll(() => expect(tf.memory().numTensors).toBe(0))

  const digit = sampleDigit()
  // An odd-sized, lopsided image catches padding placed on the wrong side.
  const odd: Plane = {
    width: 7,
    height: 5,
    data: Float32Array.from({ length: 35 }, (_, i) => ((i * 37) % 11) / 10 - 0.3),
  }

  it('equals tf.conv2d for every preset, size, stride and padding', () => {
    for (const image of [digit, odd])
      for (const name of KERNEL_PRESETS)
        for (const size of [3, 5] as const)
          for (const stride of [1, 2, 3])
            for (const padding of PADDINGS) {
              const kernel = presetKernel(name, size)
              expectClose(
                convolve(image, kernel, stride, padding),
                tfConvolve(image, kernel, stride, padding),
              )
            }
  })

  it('equals tf.maxPool and tf.avgPool', () => {
    for (const image of [digit, odd])
      for (const size of [2, 3])
        for (const stride of [1, 2])
          for (const padding of PADDINGS)
            for (const kind of ['max', 'avg'] as const)
              expectClose(
                pool(image, size, stride, padding, kind),
                tfPool(image, size, stride, padding, kind),
              )
  })

  it('sizes the output as the builder does', () => {
    expect(outputLength(28, 5, 1, 'same')).toBe(28)
    expect(outputLength(28, 5, 1, 'valid')).toBe(24)
    expect(outputLength(28, 3, 2, 'valid')).toBe(13)
    expect(outputLength(28, 3, 2, 'same')).toBe(14)
  })

  it('shows the window and dot product under an output pixel', () => {
    const kernel = presetKernel('sobelX', 3)
    const { cells } = convWindow(digit, kernel, 1, 'same', 0, 0)
    expect(cells).toHaveLength(9)
    expect(cells[0]).toMatchObject({ row: -1, col: -1, pixel: 0 })
    expect(cells[4]).toMatchObject({ row: 0, col: 0 })
    // The picture places the window from top/left, which lie in the padding here.
    expect(convWindow(digit, kernel, 1, 'same', 0, 0)).toMatchObject({ top: -1, left: -1 })
    const window = convWindow(digit, kernel, 2, 'valid', 3, 4)
    expect(window.cells[0]).toMatchObject({ row: 6, col: 8 })
    expect(window).toMatchObject({ top: 6, left: 8 })
    expect(window.sum).toBeCloseTo(
      window.cells.reduce((s, c) => s + c.pixel * c.weight, 0),
      10,
    )
  })

  it('reads kernel values written either way and refuses what is not a number', () => {
    expect(parseKernelValue('0,5')).toBe(0.5)
    expect(parseKernelValue(' -1 ')).toBe(-1)
    expect(parseKernelValue('2e-1')).toBe(0.2)
    for (const bad of ['', 'abc', '1..2', '1,2,3', 'NaN', 'Infinity', '--1']) {
      expect(parseKernelValue(bad), bad).toBeNull()
    }
  })

  it("runs the screen's pipeline: conv, then ReLU, then pooling, each equal to its definition", () => {
    const kernel = presetKernel('edges', 5)
    const views = computeViews(digit, {
      kernel,
      stride: 1,
      padding: 'valid',
      relu: true,
      poolKind: 'max',
      poolSize: 2,
    })
    const feature = convolve(digit, kernel, 1, 'valid')
    expectClose(views.feature, feature)
    const activated = { ...feature, data: feature.data.map((v) => Math.max(0, v)) }
    expectClose(views.activated, activated)
    expect(views.activated.data.some((v, i) => v !== views.feature.data[i])).toBe(true)
    expectClose(views.pooled, pool(activated, 2, 2, 'valid', 'max'))
    expectClose(views.pooledInput, pool(digit, 2, 2, 'valid', 'max'))
    // Without ReLU the pooled map keeps negative values.
    const raw = computeViews(digit, {
      kernel,
      stride: 3,
      padding: 'same',
      relu: false,
      poolKind: 'avg',
      poolSize: 3,
    })
    expectClose(raw.pooled, pool(convolve(digit, kernel, 3, 'same'), 3, 3, 'valid', 'avg'))
    // A map smaller than the pooling window pools to nothing instead of failing.
    const tiny = computeViews(odd, {
      kernel,
      stride: 3,
      padding: 'valid',
      relu: true,
      poolKind: 'max',
      poolSize: 2,
    })
    expect(tiny.pooled.width * tiny.pooled.height).toBe(0)
  })

  it('scales test-image bytes to 0–1 and colours symmetrically around zero', () => {
    const plane = planeFromBytes(Uint8Array.of(0, 51, 255, 102), 2, 2)
    expect([...plane.data]).toEqual([0, 0.2, 1, 0.4].map((v) => Math.fround(v)))
    expect(maxAbs({ width: 2, height: 1, data: Float32Array.of(-3, 2) })).toBe(3)
    expect(maxAbs({ width: 1, height: 1, data: Float32Array.of(0) })).toBe(1)
  })
})

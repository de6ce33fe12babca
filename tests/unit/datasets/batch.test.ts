import { describe, expect, it } from 'vitest'
import { countLabels, fillBatch } from '../../../src/main/training/datasets/batch'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { epochOrder, splitIndices } from '../../../src/main/training/datasets/split'

describe('fillBatch', () => {
  it('copies MNIST samples scaled to bytes / 255 with their labels', async () => {
    const { train } = await loadDataset('mnist')
    const indices = Uint32Array.from([59999, 0, 12345])
    const x = new Float32Array(3 * 784)
    const y = new Int32Array(3)
    expect(fillBatch(train, indices, 0, 3, x, y)).toBe(3)
    expect(Array.from(y)).toEqual([train.labels[59999], 5, train.labels[12345]])
    for (let b = 0; b < 3; b++) {
      const source = train.images.subarray(indices[b] * 784, indices[b] * 784 + 784)
      const expected = Float32Array.from(source, (byte) => byte / 255)
      expect(x.subarray(b * 784, b * 784 + 784)).toEqual(expected)
    }
    expect(Math.max(...x)).toBe(1)
    expect(Math.min(...x)).toBe(0)
  })

  it('fills a short last batch and reports how many samples it filled', async () => {
    const { train } = await loadDataset('mnist')
    const indices = Uint32Array.from([1, 2, 3, 4, 5])
    const x = new Float32Array(4 * 784).fill(-1)
    const y = new Int32Array(4).fill(-1)
    expect(fillBatch(train, indices, 4, 4, x, y)).toBe(1)
    expect(y[0]).toBe(train.labels[5])
    expect(y[1]).toBe(-1)
    expect(x[784]).toBe(-1)
    expect(fillBatch(train, indices, 5, 4, x, y)).toBe(0)
  })

  it('refuses buffers too small for the batch', async () => {
    const { train } = await loadDataset('mnist')
    const run = () =>
      fillBatch(train, Uint32Array.of(0, 1), 0, 2, new Float32Array(784), new Int32Array(2))
    expect(run).toThrow(RangeError)
  })

  it('prints one epoch of MNIST batch throughput (measurement, not an assertion)', async () => {
    const { train } = await loadDataset('mnist')
    const order = epochOrder(
      splitIndices(train.count, {
        validationSplit: 0.2,
        splitMode: 'last',
        seed: 1,
        limit: null,
      }).train,
      1,
      0,
    )
    const x = new Float32Array(32 * 784)
    const y = new Int32Array(32)
    const started = performance.now()
    let samples = 0
    for (let start = 0; start < order.length; start += 32) {
      samples += fillBatch(train, order, start, 32, x, y)
    }
    const ms = performance.now() - started
    expect(samples).toBe(48000)
    console.log(`fillBatch: 48000 samples in batches of 32 in ${ms.toFixed(1)} ms`)
  })
})

describe('countLabels', () => {
  it('counts each label', () => {
    expect(countLabels(Uint8Array.of(0, 2, 2, 1, 2), 4)).toEqual([1, 1, 3, 0])
    expect(() => countLabels(Uint8Array.of(3), 3)).toThrow(RangeError)
  })
})

import { describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { epochOrder, splitIndices } from '../../../src/main/training/datasets/split'

const keras = { validationSplit: 0.2, splitMode: 'last', seed: 42, limit: null } as const

function isPermutation(values: Uint32Array, n: number): boolean {
  const seen = new Uint8Array(n)
  for (const v of values) {
    if (v >= n || seen[v]) return false
    seen[v] = 1
  }
  return values.length === n
}

function ascending(values: Uint32Array): boolean {
  return values.every((v, i) => i === 0 || values[i - 1] < v)
}

describe('splitIndices', () => {
  it("validates on the last 20% of MNIST's 60000, like Keras's validation_split", () => {
    const { train, validation } = splitIndices(60000, keras)
    expect(train.length).toBe(48000)
    expect(validation.length).toBe(12000)
    expect([train[0], train[47999]]).toEqual([0, 47999])
    expect([validation[0], validation[11999]]).toEqual([48000, 59999])
    expect(ascending(validation)).toBe(true)
  })

  it('applies the limit first', () => {
    const { train, validation } = splitIndices(60000, { ...keras, limit: 6000 })
    expect(train.length).toBe(4800)
    expect(validation.length).toBe(1200)
    expect([validation[0], validation[1199]]).toEqual([4800, 5999])
    expect(splitIndices(100, { ...keras, limit: 1000 }).validation.length).toBe(20)
  })

  it('rounds a fractional share toward validation, as Keras does', () => {
    // Keras: split_at = floor(7 × 0.5) = 3 train samples, 4 validate.
    const { train, validation } = splitIndices(7, { ...keras, validationSplit: 0.5 })
    expect(Array.from(train)).toEqual([0, 1, 2])
    expect(Array.from(validation)).toEqual([3, 4, 5, 6])
  })

  it('keeps every sample for training with a split of 0', () => {
    const { train, validation } = splitIndices(50, { ...keras, validationSplit: 0 })
    expect(train.length).toBe(50)
    expect(validation.length).toBe(0)
  })

  it('picks a reproducible, disjoint, seeded validation set', () => {
    const opts = { ...keras, splitMode: 'seeded', limit: 6000 } as const
    const a = splitIndices(60000, opts)
    const b = splitIndices(60000, opts)
    expect(a.validation.length).toBe(1200)
    expect(a.train.length).toBe(4800)
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation))
    expect(ascending(a.validation) && ascending(a.train)).toBe(true)
    const all = new Uint32Array([...a.train, ...a.validation])
    expect(isPermutation(all, 6000)).toBe(true)
    // Not the Keras tail: the seeded validation spreads over the whole range.
    expect(a.validation[0]).toBeLessThan(100)
    const other = splitIndices(60000, { ...opts, seed: 43 })
    expect(Array.from(other.validation)).not.toEqual(Array.from(a.validation))
  })

  it('refuses a split outside [0, 1), a bad limit, or an empty part', () => {
    const codes = [
      () => splitIndices(100, { ...keras, validationSplit: 1 }),
      () => splitIndices(100, { ...keras, validationSplit: -0.1 }),
      () => splitIndices(100, { ...keras, validationSplit: Number.NaN }),
      () => splitIndices(100, { ...keras, limit: 0 }),
      () => splitIndices(100, { ...keras, limit: 2.5 }),
      () => splitIndices(1, keras),
    ].map((run) => {
      try {
        run()
        return 'no error'
      } catch (err) {
        return err instanceof AppError ? err.key : String(err)
      }
    })
    expect(codes).toEqual([
      'dataset.splitInvalid',
      'dataset.splitInvalid',
      'dataset.splitInvalid',
      'dataset.limitInvalid',
      'dataset.limitInvalid',
      'dataset.splitEmpty',
    ])
  })
})

describe('epochOrder', () => {
  const train = splitIndices(60000, keras).train

  it('is a permutation of the training indices that leaves its input alone', () => {
    const order = epochOrder(train, 7, 0)
    expect(isPermutation(order, 48000)).toBe(true)
    expect(train[0]).toBe(0)
    expect(train[47999]).toBe(47999)
  })

  it('repeats across runs and differs between epochs and seeds', () => {
    const first = Array.from(epochOrder(train, 7, 0).subarray(0, 20))
    expect(Array.from(epochOrder(train, 7, 0).subarray(0, 20))).toEqual(first)
    expect(Array.from(epochOrder(train, 7, 1).subarray(0, 20))).not.toEqual(first)
    expect(Array.from(epochOrder(train, 8, 0).subarray(0, 20))).not.toEqual(first)
    const second = epochOrder(train, 7, 2)
    const samePositions = epochOrder(train, 7, 1).filter((v, i) => v === second[i])
    expect(samePositions.length).toBeLessThan(10)
  })
})

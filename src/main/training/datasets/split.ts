import { AppError } from '../../../shared/errors'
import type { SplitMode } from '../../../shared/model-spec'
import { createRng, shuffleInPlace } from '../../../shared/random'
import type { SplitIndices } from './types'

export interface SplitOptions {
  /** Fraction of the samples that validate, 0 ≤ x < 1 (Keras's `validation_split`). */
  validationSplit: number
  /** 'last' takes the last samples like Keras; 'seeded' picks them with a seeded permutation. */
  splitMode: SplitMode
  seed: number
  /** Use only the first `limit` samples (a quicker run), or all of them when null. */
  limit: number | null
}

/**
 * Splits the training set into train and validation indices. With 'last' this is exactly Keras's
 * `validation_split`: after `limit`, the first floor(n × (1 − split)) samples train and the rest
 * validate, chosen before any shuffling. Both lists come back in ascending order.
 */
export function splitIndices(count: number, opts: SplitOptions): SplitIndices {
  const { validationSplit, splitMode, seed, limit } = opts
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new AppError('INVALID_INPUT', 'dataset.splitInvalid', { value: validationSplit })
  }
  if (limit !== null && !(Number.isInteger(limit) && limit > 0)) {
    throw new AppError('INVALID_INPUT', 'dataset.limitInvalid', { value: limit })
  }
  const n = limit === null ? count : Math.min(limit, count)
  // Keras computes the train size (floor of n × (1 − split)) and validates the remainder, so a
  // fractional share rounds in favour of validation; matching it keeps results comparable.
  const trainCount = validationSplit === 0 ? n : Math.floor(n * (1 - validationSplit))
  if (validationSplit > 0 && (trainCount === 0 || trainCount === n)) {
    throw new AppError('INVALID_INPUT', 'dataset.splitEmpty', {
      count: n,
      split: validationSplit,
    })
  }
  if (splitMode === 'last') {
    return { train: range(0, trainCount), validation: range(trainCount, n) }
  }
  const order = shuffleInPlace(range(0, n), createRng(seed))
  return {
    train: order.slice(n - trainCount).sort(),
    validation: order.slice(0, n - trainCount).sort(),
  }
}

/**
 * The order in which an epoch visits the training samples: a shuffle seeded by `seed` and
 * `epoch`, so each epoch differs and a re-run with the same seed repeats exactly.
 */
export function epochOrder(train: Uint32Array, seed: number, epoch: number): Uint32Array {
  return shuffleInPlace(train.slice(), createRng(mix(seed, epoch)))
}

// Neighbouring seeds would give mulberry32 overlapping streams; hashing both decorrelates them.
function mix(seed: number, epoch: number): number {
  return fmix32((seed >>> 0) ^ fmix32((epoch + 0x9e3779b9) >>> 0))
}

function fmix32(value: number): number {
  let h = value >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

function range(start: number, end: number): Uint32Array {
  const out = new Uint32Array(end - start)
  for (let i = 0; i < out.length; i++) out[i] = start + i
  return out
}

import { getPreset } from '../../../../shared/presets'
import { DEFAULT_LEARNING_RATES } from '../../../../shared/train-config'
import type { OptimizerName, TrainConfig } from '../../../../shared/model-spec'

export interface RaceEntry {
  key: 'sgd' | 'momentum' | 'rmsprop' | 'adam'
  optimizer: OptimizerName
  momentum: number
}

/** The four optimizers the trainer offers, SGD twice (plain and with Momentum). */
export const MNIST_RACE: readonly RaceEntry[] = [
  { key: 'sgd', optimizer: 'sgd', momentum: 0 },
  { key: 'momentum', optimizer: 'sgd', momentum: 0.9 },
  { key: 'rmsprop', optimizer: 'rmsprop', momentum: 0 },
  { key: 'adam', optimizer: 'adam', momentum: 0 },
]

/** Short enough for a lesson: one epoch on a slice of MNIST. */
export const MNIST_RACE_LIMIT = 6000

/**
 * The same tutorial MLP, seed, data and epochs for every entry; only the optimizer (at Keras's
 * default learning rate for it) differs.
 */
export function mnistRaceConfig(entry: RaceEntry, limit = MNIST_RACE_LIMIT): TrainConfig {
  return {
    ...getPreset('tutorial-mlp').config,
    optimizer: entry.optimizer,
    learningRate: DEFAULT_LEARNING_RATES[entry.optimizer],
    momentum: entry.momentum,
    epochs: 1,
    limit,
  }
}

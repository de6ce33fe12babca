import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { splitIndices } from '../../../src/main/training/datasets/split'
import type { LoadedDataset } from '../../../src/main/training/datasets/types'
import { testInputs } from '../../../src/main/training/inspect'
import { buildModel } from '../../../src/main/training/model-factory'
import { loadModel, saveModel } from '../../../src/main/training/model-io'
import { trainModel } from '../../../src/main/training/trainer'
import type { TrainConfig } from '../../../src/shared/model-spec'
import { getPreset } from '../../../src/shared/presets'
import type { EpochMetrics } from '../../../src/shared/runs'

let mnist: LoadedDataset
let probe: Tensor
const dirs: string[] = []
const mlp = getPreset('tutorial-mlp')
/** 480 training images at a high rate: val_loss bottoms out after a few epochs, then rises. */
const OVERFITS: Partial<TrainConfig> = { limit: 600, epochs: 10, learningRate: 0.005 }

beforeAll(async () => {
  await initBackend()
  mnist = await loadDataset('mnist')
  probe = tf.tensor(testInputs(mnist.test, 0, 64), [64, 28, 28, 1])
})

afterAll(() => {
  probe.dispose()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function predict(model: LayersModel): Float32Array {
  return tf.tidy(() => (model.predict(probe) as Tensor).dataSync() as Float32Array)
}

/** Trains on real MNIST, recording the probe images' predictions after every epoch. */
async function train(overrides: Partial<TrainConfig>, stopAfterEpoch?: number) {
  const config: TrainConfig = { ...mlp.config, ...OVERFITS, ...overrides }
  const model = buildModel(tf, mlp.spec, config)
  const split = splitIndices(mnist.train.count, config)
  const epochs: EpochMetrics[] = []
  const byEpoch = new Map<number, Float32Array>()
  const result = await trainModel({
    tf,
    model,
    dataset: mnist,
    split,
    config,
    shouldStop: () => stopAfterEpoch !== undefined && epochs.length >= stopAfterEpoch,
    onProgress: () => {},
    onEpoch: (m) => {
      epochs.push(m)
      byEpoch.set(m.epoch, predict(model))
    },
  })
  return { model, result, epochs, byEpoch }
}

function lowestValLoss(epochs: EpochMetrics[]): number {
  return epochs.reduce((a, m) => (m.valLoss! < a.valLoss! ? m : a)).epoch
}

describe('restoreBestWeights (Keras restore_best_weights=True)', () => {
  it('puts back the lowest-val_loss epoch: the saved model predicts exactly as that epoch did', async () => {
    const { model, result, epochs, byEpoch } = await train({ restoreBestWeights: true })
    try {
      const best = lowestValLoss(epochs)
      // The premise: val_loss rose after its best epoch, so the last weights are not the best.
      expect(best).toBeLessThan(epochs.length)
      expect(epochs.at(-1)!.valLoss!).toBeGreaterThan(epochs[best - 1].valLoss!)
      expect(result).toMatchObject({ status: 'completed', epochs: 10, weightsEpoch: best })

      expect(predict(model)).toEqual(byEpoch.get(best))
      expect(predict(model)).not.toEqual(byEpoch.get(epochs.length))

      const dir = mkdtempSync(join(tmpdir(), 'sinapse-restore-'))
      dirs.push(dir)
      const file = await saveModel(tf, model, join(dir, 'model'))
      const saved = await loadModel(tf, join(dir, 'model'), file.sha256)
      try {
        expect(predict(saved)).toEqual(byEpoch.get(best))
      } finally {
        saved.dispose()
      }
    } finally {
      model.dispose()
    }
  })

  it('keeps the last epoch’s weights when the option is off', async () => {
    const { model, result, epochs, byEpoch } = await train({ restoreBestWeights: false })
    try {
      expect(result.weightsEpoch).toBeNull()
      expect(predict(model)).toEqual(byEpoch.get(epochs.length))
    } finally {
      model.dispose()
    }
  })

  it('restores on a stop too, and follows early stopping’s monitor', async () => {
    const stopped = await train({ restoreBestWeights: true, epochs: 10 }, 6)
    try {
      const best = lowestValLoss(stopped.epochs)
      expect(stopped.result).toMatchObject({ status: 'stopped', epochs: 6, weightsEpoch: best })
      expect(predict(stopped.model)).toEqual(stopped.byEpoch.get(best))
    } finally {
      stopped.model.dispose()
    }

    const monitored = await train({
      restoreBestWeights: true,
      earlyStopping: { monitor: 'val_accuracy', patience: 100 },
    })
    try {
      const bestAccuracy = monitored.epochs.reduce((a, m) =>
        m.valAccuracy! > a.valAccuracy! ? m : a,
      ).epoch
      expect(monitored.result.weightsEpoch).toBe(bestAccuracy)
      expect(predict(monitored.model)).toEqual(monitored.byEpoch.get(bestAccuracy))
    } finally {
      monitored.model.dispose()
    }
  })
})

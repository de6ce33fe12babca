import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { splitIndices } from '../../../src/main/training/datasets/split'
import type { LoadedDataset } from '../../../src/main/training/datasets/types'
import { createTrainingEngine, nodeWorkerOptions } from '../../../src/main/training/engine'
import { buildModel } from '../../../src/main/training/model-factory'
import { timeTrainingSteps } from '../../../src/main/training/trainer'
import type { TrainConfig } from '../../../src/shared/model-spec'
import { getPreset } from '../../../src/shared/presets'
import { expectedBackend } from './expected-backend'

const mlp = getPreset('tutorial-mlp')
const root = mkdtempSync(path.join(tmpdir(), 'sinapse-estimate-'))
const engine = createTrainingEngine(nodeWorkerOptions())
let mnist: LoadedDataset

beforeAll(async () => {
  await initBackend()
  mnist = await loadDataset('mnist')
})

afterAll(async () => {
  await engine.close()
  rmSync(root, { recursive: true, force: true })
})

describe('timeTrainingSteps', () => {
  it('warms up, then times steps until the budget is spent, leaving no tensors', () => {
    const config: TrainConfig = { ...mlp.config, limit: 3000 }
    const model = buildModel(tf, mlp.spec, config)
    const before = tf.memory().numTensors
    // A clock that advances 10 ms per reading: every step "takes" 10 ms.
    let clock = 0
    const timing = timeTrainingSteps({
      tf,
      model,
      dataset: mnist,
      split: splitIndices(mnist.train.count, config),
      config,
      budgetMs: 55,
      now: () => (clock += 10),
    })
    model.dispose()
    expect(timing.steps).toBe(6)
    expect(timing.msPerBatch).toBe(10)
    expect(timing.msPerValidationSample).toBeCloseTo(10 / 600, 10)
    expect(tf.memory().numTensors).toBe(before - model.weights.length)
  })
})

describe('engine.estimate', () => {
  it('times the job in the worker and refuses while a training runs', async () => {
    const job = {
      spec: mlp.spec,
      config: { ...mlp.config, limit: 6000 },
      dataset: 'mnist' as const,
    }
    const estimate = await engine.estimate(job)
    // 6,000 samples, 20% validation: 4,800 train in 150 batches of 32.
    expect(estimate).toMatchObject({ batchesPerEpoch: 150, backend: await expectedBackend() })
    expect(estimate.msPerBatch).toBeGreaterThan(0)
    expect(estimate.secPerEpoch).toBeGreaterThanOrEqual((150 * estimate.msPerBatch) / 1000 - 0.01)

    const handle = engine.train(
      { runId: 3, ...job, config: { ...job.config, epochs: 1, limit: 2000 }, modelDir: root },
      { onProgress: () => {}, onEpoch: () => {} },
    )
    await expect(engine.estimate(job)).rejects.toMatchObject({ code: 'BUSY', params: { id: 3 } })
    await handle.done
    const lenet = getPreset('lenet-cnn')
    const cnn = await engine.estimate({ ...job, spec: lenet.spec })
    expect(cnn.batchesPerEpoch).toBe(150)
    // A convolution step does far more arithmetic than the MLP's.
    expect(cnn.msPerBatch).toBeGreaterThan(estimate.msPerBatch)
  })
})

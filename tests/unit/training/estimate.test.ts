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
import { chunkPaces, median } from '../../../src/main/training/step-timing'
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
  it('warms up, then times steps until the budget is spent, leaving no tensors', async () => {
    const config: TrainConfig = { ...mlp.config, limit: 3000 }
    const model = buildModel(tf, mlp.spec, config)
    const before = tf.memory().numTensors
    // A clock that advances 10 ms per reading: every step "takes" 10 ms.
    let clock = 0
    const timing = await timeTrainingSteps({
      tf,
      model,
      dataset: mnist,
      split: splitIndices(mnist.train.count, config),
      config,
      limits: { minWarmMs: 30, warmBudgetMs: 100, budgetMs: 100 },
      now: () => (clock += 10),
    })
    model.dispose()
    // Warm-up: two chunks of five steps (the pace cannot be judged on two chunks, so the budget
    // ends it); then 100 ms of timed steps.
    expect(timing).toMatchObject({ warmSteps: 10, timedSteps: 10, settled: false, threads: 1 })
    expect(timing.msPerBatch).toBe(10)
    expect(timing.msPerEpochOverhead).toBe(10)
    // The timed validation pass (the first, untimed, warmed it up) over the 600 samples.
    expect(timing.msPerValidationSample).toBeCloseTo(10 / 600, 10)
    expect(tf.memory().numTensors).toBe(before - model.weights.length)
  })

  it('on real timings, leaves the warm-up steps out of the median', async () => {
    const lenet = getPreset('lenet-cnn')
    const config: TrainConfig = { ...lenet.config, limit: 3000 }
    const model = buildModel(tf, lenet.spec, config)
    const stamps: number[] = []
    const timing = await timeTrainingSteps({
      tf,
      model,
      dataset: mnist,
      split: splitIndices(mnist.train.count, config),
      config,
      limits: { minWarmMs: 100, warmBudgetMs: 200, budgetMs: 150 },
      now: () => {
        const t = performance.now()
        stamps.push(t)
        return t
      },
    })
    model.dispose()
    // Readings: the shuffle (2), each step (2), the timed validation pass (2).
    const steps: number[] = []
    for (let i = 2; i < stamps.length - 2; i += 2) steps.push(stamps[i + 1] - stamps[i])
    expect(timing.warmSteps).toBeGreaterThanOrEqual(1)
    expect(timing.timedSteps).toBeGreaterThanOrEqual(1)
    expect(timing.warmSteps + timing.timedSteps).toBe(steps.length)
    expect(timing.msPerBatch).toBe(median(chunkPaces(steps.slice(timing.warmSteps))))
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
    expect(typeof estimate.settled).toBe('boolean')
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

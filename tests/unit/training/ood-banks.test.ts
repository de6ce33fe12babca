import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import {
  createTrainingEngine,
  nodeWorkerOptions,
  type TrainingEngine,
} from '../../../src/main/training/engine'
import { loadModel } from '../../../src/main/training/model-io'
import type { OodProgress } from '../../../src/main/training/ood'
import { createOodBanks, type OodJob } from '../../../src/main/training/ood-banks'
import { OOD_FILE, readOodFile, writeOodFile } from '../../../src/main/training/ood-file'
import { getPreset } from '../../../src/shared/presets'

/*
 * The neighbour bank is computed in the background: batch by batch, with progress, while the
 * worker keeps answering predictions, and cancellable with nothing left behind. A real seeded
 * MLP trained on real MNIST (OOD_TEST_SEED varies the seed).
 */

const SEED = Number(process.env.OOD_TEST_SEED ?? 1)
const root = mkdtempSync(path.join(tmpdir(), 'sinapse-ood-banks-'))
const engines: TrainingEngine[] = []
function startEngine(): TrainingEngine {
  const engine = createTrainingEngine(nodeWorkerOptions())
  engines.push(engine)
  return engine
}
let job: OodJob
/** 28×28 values in [0, 1]: a blank page, and a real test digit. */
const blank = new Float32Array(784)
let digit: Float32Array

beforeAll(async () => {
  await initBackend()
  const engine = startEngine()
  const { spec, config } = getPreset('tutorial-mlp')
  const modelDir = path.join(root, 'run-1')
  const outcome = await engine.train(
    {
      runId: 1,
      spec,
      config: { ...config, epochs: 1, limit: 6000, validationSplit: 0.1, seed: SEED },
      dataset: 'mnist',
      modelDir,
    },
    { onProgress: () => {}, onEpoch: () => {} },
  ).done
  expect(outcome.status).toBe('completed')
  job = { modelDir, sha256: outcome.model!.sha256, dataset: 'mnist' }
  const { test } = await loadDataset('mnist')
  digit = Float32Array.from(test.images.subarray(0, 784), (v) => v / 255)
}, 600_000)

afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()))
  rmSync(root, { recursive: true, force: true })
})

describe('out-of-distribution banks in the worker', () => {
  it('answers predictions at once while the bank is computed, then judges them', async () => {
    const engine = startEngine()
    const progress: OodProgress[] = []
    let ready = false
    const prepared = engine.prepareOod(job, (p) => progress.push(p))
    void prepared.then(() => (ready = true))
    // The first progress report: the worker is inside the bank, between two batches.
    await waitFor(() => progress.some((p) => p.done > 0))
    const early = await engine.predictJudged({ ...job, inputs: [digit, blank], wait: false })
    expect(ready).toBe(false)
    expect(early.oodPending).toBe(true)
    expect(early.ood).toBeNull()
    expect(early.probabilities).toHaveLength(2)
    expect(early.probabilities[0]).toHaveLength(10)

    const { threshold } = await prepared
    expect(threshold).toBeGreaterThan(0)
    expect(threshold).toBeLessThan(1)
    // Bank (20,000 images), then 5,000 held-out images run and compared: 30,000 steps, counted
    // up batch by batch to the end.
    const total = progress.at(-1)!.total
    expect(total).toBe(30_000)
    expect(progress.at(-1)!.done).toBe(total)
    expect(progress.length).toBeGreaterThan(40)
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done)
    }
    // The threshold was written beside the model for the next session.
    expect(existsSync(path.join(job.modelDir, OOD_FILE))).toBe(true)

    const late = await engine.predictJudged({ ...job, inputs: [digit, blank], wait: false })
    expect(late.oodPending).toBe(false)
    expect(late.probabilities).toEqual(early.probabilities)
    expect(late.ood).toHaveLength(2)
    // A blank page is far from every digit; a real test digit is not.
    expect(late.ood![1]).toMatchObject({ flagged: true })
    expect(late.ood![1].score).toBeGreaterThan(late.ood![0].score)
  }, 300_000)

  it('cancels a bank nobody wants at its next batch; asked again, it is computed anew', async () => {
    const engine = startEngine()
    const progress: OodProgress[] = []
    const prepared = engine.prepareOod(job, (p) => progress.push(p))
    const outcome = prepared.then(
      () => 'finished',
      (err: { code?: string }) => err.code,
    )
    await waitFor(() => progress.some((p) => p.done > 0))
    expect(await engine.cancelOod(job)).toBe(true)
    expect(await outcome).toBe('CANCELLED')
    const stoppedAt = progress.at(-1)!
    expect(stoppedAt.done).toBeLessThan(stoppedAt.total)
    // Nothing pending is judged against a half-made bank.
    const after = await engine.predictJudged({ ...job, inputs: [blank], wait: false })
    expect(after.oodPending).toBe(true)
    expect(await engine.cancelOod(job)).toBe(false)
    const again = await engine.prepareOod(job)
    expect(again.threshold).toBeGreaterThan(0)
    const judged = await engine.predictJudged({ ...job, inputs: [blank], wait: false })
    expect(judged.ood?.[0].flagged).toBe(true)
  }, 300_000)

  it('waits while a training runs in the worker and finishes after it ends', async () => {
    const engine = startEngine()
    const { spec, config } = getPreset('tutorial-mlp')
    let started = false
    const training = engine.train(
      {
        runId: 2,
        spec,
        config: { ...config, epochs: 2, limit: 12_000, validationSplit: 0.1, seed: SEED },
        dataset: 'mnist',
        modelDir: path.join(root, 'run-2'),
      },
      { onStart: () => (started = true), onProgress: () => {}, onEpoch: () => {} },
    )
    await waitFor(() => started)
    const progress: OodProgress[] = []
    const prepared = engine.prepareOod(job, (p) => progress.push(p))
    // The tester still answers at once, and says the judgement is not ready.
    const early = await engine.predictJudged({ ...job, inputs: [digit], wait: false })
    expect(early.oodPending).toBe(true)
    expect(early.probabilities[0]).toHaveLength(10)

    const outcome = await training.done
    // Every report the worker sent before the training's answer: none with a batch done.
    const during = progress.slice()
    expect(outcome.status).toBe('completed')
    expect(during.map((p) => p.done)).toEqual(during.map(() => 0))
    expect(during.some((p) => p.paused === true)).toBe(true)
    // The first report is the bank's state when asked; from then on it is paused.
    expect(during.slice(1).every((p) => p.paused === true)).toBe(true)

    const { threshold } = await prepared
    expect(threshold).toBeGreaterThan(0)
    const last = progress.at(-1)
    expect(last?.paused).toBe(false)
    expect(last?.total).toBeGreaterThan(0)
    expect(last?.done).toBe(last?.total)
  }, 600_000)
})

describe('out-of-distribution banks in this thread (tensors counted)', () => {
  function banks(capacity = 4) {
    let yields = 0
    const created = createOodBanks({
      tf,
      loadModel: (dir, sha256) => loadModel(tf, dir, sha256),
      loadTrain: async (dataset) => (await loadDataset(dataset)).train,
      readThreshold: readOodFile,
      writeThreshold: writeOodFile,
      yieldNow: () => {
        yields++
        return new Promise((resolve) => setImmediate(resolve))
      },
      capacity,
    })
    return { banks: created, yields: () => yields }
  }

  it('leaves no tensor behind, finished or cancelled, and computes only the bank when the threshold is stored', async () => {
    const before = tf.memory()
    const stored = existsSync(path.join(job.modelDir, OOD_FILE))
    const { banks: b, yields } = banks()
    expect(b.ready(job)).toBeUndefined()
    const progress: OodProgress[] = []
    const calibration = await b.prepare(job, (p) => progress.push(p))
    expect(calibration?.bankImages).toBe(20_000)
    expect(b.ready(job)).toBe(calibration)
    // With the threshold stored beside the model (by the worker's test) only the bank's 20,000
    // images are run; otherwise 5,000 held-out images are run and compared too.
    const total = stored ? 20_000 : 30_000
    expect(progress.at(-1)).toEqual({ done: total, total })
    expect(yields()).toBeGreaterThanOrEqual(Math.ceil(20_000 / 512))
    expect(tf.memory().numTensors).toBe(before.numTensors)

    const other = banks()
    const seen: OodProgress[] = []
    const cancelled = other.banks.prepare(job, (p) => {
      seen.push(p)
      if (p.done > 5000) other.banks.cancel(job)
    })
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(seen.at(-1)!.done).toBeLessThan(20_000)
    expect(other.banks.size()).toBe(0)
    expect(other.banks.ready(job)).toBeUndefined()
    expect(tf.memory().numTensors).toBe(before.numTensors)
    expect(tf.memory().numBytes).toBe(before.numBytes)
  }, 300_000)

  it('keeps the most recently used banks up to its capacity', async () => {
    const { banks: b } = banks(1)
    const first = await b.prepare(job)
    const scaled = { ...job, inputScale: '255' as const }
    await b.prepare(scaled)
    expect(b.size()).toBe(1)
    expect(b.ready(job)).toBeUndefined()
    expect(b.ready(scaled)).not.toBeNull()
    expect(first).not.toBeNull()
  }, 300_000)
})

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20))
}

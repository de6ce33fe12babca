import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  createTrainingEngine,
  nodeWorkerOptions,
  type TrainingEngine,
} from '../../../src/main/training/engine'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { getPreset } from '../../../src/shared/presets'
import type { EpochMetrics, TrainingProgress } from '../../../src/shared/runs'
import type { TrainStartInfo } from '../../../src/main/training/worker-protocol'

const root = mkdtempSync(path.join(tmpdir(), 'sinapse-engine-'))
// Each test starts its own engine (one closes it on purpose), so each runs alone or in any order.
const engines: TrainingEngine[] = []
function startEngine(): TrainingEngine {
  const engine = createTrainingEngine(nodeWorkerOptions())
  engines.push(engine)
  return engine
}

afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()))
  rmSync(root, { recursive: true, force: true })
})

describe('training engine (real worker)', () => {
  it('trains, saves, evaluates and predicts through the worker', async () => {
    const engine = startEngine()
    const { spec, config } = getPreset('tutorial-mlp')
    const starts: TrainStartInfo[] = []
    const epochs: EpochMetrics[] = []
    const progress: TrainingProgress[] = []
    const modelDir = path.join(root, 'run-1')
    const handle = engine.train(
      { runId: 7, spec, config: { ...config, epochs: 1, limit: 2000 }, dataset: 'mnist', modelDir },
      {
        onStart: (info) => starts.push(info),
        onProgress: (p) => progress.push(p),
        onEpoch: (m) => epochs.push(m),
      },
    )
    expect(() =>
      engine.train(
        { runId: 8, spec, config, dataset: 'mnist', modelDir },
        {
          onProgress: () => {},
          onEpoch: () => {},
        },
      ),
    ).toThrow(expect.objectContaining({ code: 'BUSY', params: { id: 7 } }))

    const outcome = await handle.done
    expect(outcome.status).toBe('completed')
    expect(outcome.error).toBeNull()
    expect(['wasm', 'cpu', 'tensorflow']).toContain(outcome.backend)
    expect(starts).toEqual([
      { backend: outcome.backend, trainCount: 1600, valCount: 400, batchesPerEpoch: 50 },
    ])
    expect(epochs).toHaveLength(1)
    expect(progress.at(-1)).toMatchObject({ runId: 7, epoch: 1, batch: 50, batches: 50 })
    expect(outcome.model).toMatchObject({ path: modelDir })
    expect(outcome.model?.sha256).toMatch(/^[0-9a-f]{64}$/)

    const mnist = await loadDataset('mnist')
    const evaluation = outcome.evaluation!
    expect(evaluation.sampleCount).toBe(mnist.test.count)
    expect(evaluation.confusionMatrix).toHaveLength(10)
    expect(evaluation.confusionMatrix.every((row) => row.length === 10)).toBe(true)
    expect(evaluation.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(mnist.test.count)
    const diagonal = evaluation.confusionMatrix.reduce((sum, row, i) => sum + row[i], 0)
    expect(evaluation.accuracy).toBeCloseTo(diagonal / mnist.test.count, 10)
    expect(evaluation.accuracy).toBeGreaterThan(0.8)

    // The worker is reusable: evaluate the saved model again and predict two test digits.
    const again = await engine.evaluate({
      modelDir,
      sha256: outcome.model!.sha256,
      dataset: 'mnist',
    })
    expect(again.confusionMatrix).toEqual(evaluation.confusionMatrix)
    const inputs = [0, 1].map((i) =>
      Float32Array.from(mnist.test.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255),
    )
    const probs = await engine.predict({ modelDir, sha256: outcome.model!.sha256, inputs })
    expect(probs).toHaveLength(2)
    expect(probs[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
    expect(probs[0].indexOf(Math.max(...probs[0]))).toBe(mnist.test.labels[0])

    await expect(
      engine.predict({ modelDir, sha256: '0'.repeat(64), inputs }),
    ).rejects.toMatchObject({ code: 'MODEL_CORRUPT' })
  })

  it('stops on request and rejects pending calls when closed', async () => {
    const engine = startEngine()
    const { spec, config } = getPreset('tutorial-mlp')
    const epochs: EpochMetrics[] = []
    const handle = engine.train(
      {
        runId: 9,
        spec,
        config: { ...config, epochs: 50, limit: 1000 },
        dataset: 'mnist',
        modelDir: path.join(root, 'run-2'),
      },
      {
        onProgress: () => {},
        onEpoch: (m) => {
          epochs.push(m)
          if (m.epoch === 2) handle.stop()
        },
      },
    )
    const outcome = await handle.done
    expect(outcome.status).toBe('stopped')
    expect(epochs.length).toBeGreaterThanOrEqual(2)
    expect(epochs.length).toBeLessThan(50)
    expect(outcome.model).not.toBeNull()
    expect(outcome.evaluation?.sampleCount).toBe(10000)

    const closed = expect(engine.backend()).rejects.toMatchObject({ key: 'training.workerClosed' })
    await engine.close()
    await closed
    // A closed engine starts a fresh worker on the next call.
    expect(['wasm', 'cpu', 'tensorflow']).toContain(await engine.backend())
  })

  it('stops a LeNet training split across two threads, keeping its finished epoch; closes mid-run', async () => {
    // The worker copies the environment when it starts: two threads even on a one-core runner.
    process.env.SINAPSE_TRAIN_THREADS = '2'
    const engine = createTrainingEngine({ ...nodeWorkerOptions(), backend: 'wasm' })
    engines.push(engine)
    try {
      const { spec, config } = getPreset('lenet-cnn')
      const job = {
        runId: 11,
        spec,
        config: { ...config, epochs: 20, limit: 320 },
        dataset: 'mnist' as const,
      }
      const epochs: EpochMetrics[] = []
      const handle = engine.train(
        { ...job, modelDir: path.join(root, 'run-lenet') },
        {
          onProgress: () => {},
          onEpoch: (m) => {
            epochs.push(m)
            if (m.epoch === 1) handle.stop()
          },
        },
      )
      const outcome = await handle.done
      expect(outcome).toMatchObject({ status: 'stopped', backend: 'wasm' })
      expect(epochs).toHaveLength(1)
      expect(outcome.model).not.toBeNull()
      expect(outcome.evaluation?.sampleCount).toBe(10000)

      // Closing the engine mid-training ends the worker and its helper thread with it.
      let progressed!: () => void
      const running = new Promise<void>((resolve) => (progressed = resolve))
      const second = engine.train(
        { ...job, runId: 12, modelDir: path.join(root, 'run-lenet-2') },
        { onProgress: () => progressed(), onEpoch: () => {} },
      )
      await running
      const rejected = expect(second.done).rejects.toMatchObject({ key: 'training.workerClosed' })
      await engine.close()
      await rejected
      expect(await engine.backend()).toBe('wasm')
    } finally {
      delete process.env.SINAPSE_TRAIN_THREADS
    }
  })

  it('starts the worker on a forced backend', async () => {
    const cpu = createTrainingEngine({ ...nodeWorkerOptions(), backend: 'cpu' })
    try {
      expect(await cpu.backend()).toBe('cpu')
    } finally {
      await cpu.close()
    }
  })
})

/** A stand-in worker, as an ES module in a data: URL, to drive the engine's failure paths. */
function fakeWorker(onMessage: string): URL {
  const code = `import { parentPort } from 'node:worker_threads'
parentPort.on('message', (request) => { ${onMessage} })`
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`)
}

describe('training engine (failures)', () => {
  it('rejects pending calls when the worker dies and starts a new one next time', async () => {
    const crashing = createTrainingEngine({ workerUrl: fakeWorker('process.exit(3)') })
    try {
      await expect(crashing.backend()).rejects.toMatchObject({
        code: 'INTERNAL',
        key: 'training.workerCrashed',
        params: { detail: 'exit code 3' },
      })
      await expect(crashing.backend()).rejects.toMatchObject({ key: 'training.workerCrashed' })
    } finally {
      await crashing.close()
    }
  })

  it('stops the job and rejects `done` when a callback throws', async () => {
    const engine = createTrainingEngine({
      workerUrl: fakeWorker(`
        const metrics = { epoch: 1, loss: 1, accuracy: 0.5, valLoss: null, valAccuracy: null, durationMs: 1 }
        parentPort.postMessage({ type: 'epoch', id: request.id, metrics })
        setTimeout(() => parentPort.postMessage({
          type: 'result',
          id: request.id,
          value: { status: Atomics.load(new Int32Array(request.stopFlag), 0) ? 'stopped' : 'completed',
            error: null, model: null, evaluation: null, backend: 'cpu' },
        }), 50)`),
    })
    try {
      const { spec, config } = getPreset('tutorial-mlp')
      const job = { runId: 1, spec, config, dataset: 'mnist' as const, modelDir: root }
      const handle = engine.train(job, {
        onProgress: () => {},
        onEpoch: () => {
          throw new Error('database is gone')
        },
      })
      await expect(handle.done).rejects.toThrow('database is gone')
      // The engine is free again, and the worker saw the stop request.
      const next = engine.train(job, { onProgress: () => {}, onEpoch: () => {} })
      next.stop()
      await expect(next.done).resolves.toMatchObject({ status: 'stopped' })
    } finally {
      await engine.close()
    }
  })
})

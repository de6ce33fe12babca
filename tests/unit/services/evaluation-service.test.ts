import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { getPreset } from '../../../src/shared/presets'
import type { RunDetail } from '../../../src/shared/runs'
import { createServices, type Services } from '../../../src/main/services'
import type { DatasetRef } from '../../../src/shared/dataset'
import { encodeIdx } from '../../../src/main/training/datasets/idx'
import {
  FASHION_MNIST_PACKAGE,
  fashionMnistDir,
  loadDataset,
} from '../../../src/main/training/datasets/load'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import {
  PREDICTIONS_FILE,
  decodePredictions,
  encodePredictions,
} from '../../../src/main/training/predictions-file'

let services: Services
let dataDir: string
let runA: RunDetail
let runB: RunDetail

async function train(limit: number, seed: number): Promise<RunDetail> {
  const preset = getPreset('tutorial-mlp')
  const { done } = await services.training.start({
    spec: preset.spec,
    config: { ...preset.config, epochs: 1, limit, seed },
    dataset: 'mnist',
  })
  const run = await done
  expect(run.status).toBe('completed')
  return run
}

function modelDir(run: RunDetail): string {
  const path = run.model!.path
  return isAbsolute(path) ? path : join(dataDir, path)
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sinapse-eval-'))
  services = await createServices({
    dataDir,
    locale: 'en',
    emit: () => {},
    ...nodeWorkerOptions(),
  })
  runA = await train(3000, 1)
  runB = await train(1000, 2)
}, 300_000)

afterAll(async () => {
  await services?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('evaluation service', () => {
  it('covers the 10 000 test images cell by cell, each sample in its own cell', async () => {
    const evaluation = runA.evaluation!
    let sum = 0
    const queries: Promise<void>[] = []
    for (let t = 0; t < 10; t++) {
      for (let p = 0; p < 10; p++) {
        const expected = evaluation.confusionMatrix[t][p]
        sum += expected
        queries.push(
          services.evaluation
            .samples({
              id: runA.id,
              trueClass: t,
              predictedClass: p,
              mistakesOnly: false,
              sort: 'confidenceDesc',
              offset: 0,
              limit: 200,
            })
            .then((page) => {
              expect(page.total).toBe(expected)
              expect(page.samples.length).toBe(Math.min(200, expected))
              for (const s of page.samples) {
                expect(s.trueClass).toBe(t)
                expect(s.predictedClass).toBe(p)
                expect(s.pixels.length).toBe(784)
                expect(Object.getPrototypeOf(s.pixels)).toBe(Uint8Array.prototype)
              }
            }),
        )
      }
    }
    await Promise.all(queries)
    expect(sum).toBe(10_000)
  })

  it('returns the real test image bytes and sorts and pages by confidence', async () => {
    const mnist = await loadDataset('mnist')
    const query = {
      id: runA.id,
      trueClass: null,
      predictedClass: null,
      mistakesOnly: true,
      offset: 0,
      limit: 50,
    }
    const desc = await services.evaluation.samples({ ...query, sort: 'confidenceDesc' })
    const asc = await services.evaluation.samples({ ...query, sort: 'confidenceAsc' })
    const wrong = 10_000 - Math.round(runA.evaluation!.accuracy * 10_000)
    expect(desc.total).toBe(wrong)
    expect(asc.total).toBe(wrong)
    const conf = desc.samples.map((s) => s.confidence)
    expect(conf).toEqual([...conf].sort((x, y) => y - x))
    const ascConf = asc.samples.map((s) => s.confidence)
    expect(ascConf).toEqual([...ascConf].sort((x, y) => x - y))
    expect(conf[0]).toBeGreaterThan(ascConf[0])
    for (const s of desc.samples) {
      expect(s.predictedClass).not.toBe(s.trueClass)
      expect(s.trueClass).toBe(mnist.test.labels[s.index])
      expect(Array.from(s.pixels)).toEqual(
        Array.from(mnist.test.images.subarray(s.index * 784, (s.index + 1) * 784)),
      )
    }
    // Pages continue where the last one ended, without overlap.
    const second = await services.evaluation.samples({
      ...query,
      sort: 'confidenceDesc',
      offset: 50,
    })
    expect(second.samples[0].confidence).toBeLessThanOrEqual(conf[conf.length - 1])
    const firstIds = new Set(desc.samples.map((s) => s.index))
    expect(second.samples.some((s) => firstIds.has(s.index))).toBe(false)
  })

  it('finds the digits one run got right and the other wrong, both ways', async () => {
    const all = async (id: number) => {
      const page = await services.evaluation.samples({
        id,
        trueClass: null,
        predictedClass: null,
        mistakesOnly: true,
        sort: 'confidenceDesc',
        offset: 0,
        limit: 200,
      })
      const rest = []
      for (let offset = 200; offset < page.total; offset += 200) {
        rest.push(
          services.evaluation.samples({
            id,
            trueClass: null,
            predictedClass: null,
            mistakesOnly: true,
            sort: 'confidenceDesc',
            offset,
            limit: 200,
          }),
        )
      }
      const pages = [page, ...(await Promise.all(rest))]
      return new Map(pages.flatMap((p) => p.samples).map((s) => [s.index, s]))
    }
    const wrongA = await all(runA.id)
    const wrongB = await all(runB.id)
    const onlyA = [...wrongB.keys()].filter((i) => !wrongA.has(i))
    const onlyB = [...wrongA.keys()].filter((i) => !wrongB.has(i))

    const d = await services.evaluation.disagreements({ a: runA.id, b: runB.id, limit: 200 })
    expect(d.countOnlyA).toBe(onlyA.length)
    expect(d.countOnlyB).toBe(onlyB.length)
    expect(d.countOnlyA).toBeGreaterThan(0)
    expect(d.onlyA.length).toBe(Math.min(200, onlyA.length))
    for (const s of d.onlyA) {
      expect(wrongA.has(s.index)).toBe(false)
      // The sample carries the wrong run's (B's) prediction.
      expect(s.predictedClass).toBe(wrongB.get(s.index)!.predictedClass)
      expect(s.confidence).toBe(wrongB.get(s.index)!.confidence)
    }
    for (const s of d.onlyB) {
      expect(wrongB.has(s.index)).toBe(false)
      expect(s.predictedClass).toBe(wrongA.get(s.index)!.predictedClass)
    }
    const conf = d.onlyA.map((s) => s.confidence)
    expect(conf).toEqual([...conf].sort((x, y) => y - x))

    const swapped = await services.evaluation.disagreements({ a: runB.id, b: runA.id, limit: 5 })
    expect(swapped.countOnlyA).toBe(d.countOnlyB)
    expect(swapped.countOnlyB).toBe(d.countOnlyA)
    expect(swapped.onlyA.map((s) => s.index)).toEqual(d.onlyB.slice(0, 5).map((s) => s.index))
  })

  it('keeps the predictions next to the model and recomputes them when missing', async () => {
    const file = join(modelDir(runB), PREDICTIONS_FILE)
    const stored = readFileSync(file)
    expect(stored.length).toBe(76 + 10_000 * 9)
    const decoded = decodePredictions(stored, runB.model!.sha256, 10_000)!
    expect(decoded).not.toBeNull()
    let correct = 0
    const mnist = await loadDataset('mnist')
    for (let i = 0; i < 10_000; i++) if (decoded.predicted[i] === mnist.test.labels[i]) correct++
    expect(correct / 10_000).toBeCloseTo(runB.evaluation!.accuracy, 6)
    // Tied to its model and its content: another hash or a flipped byte reads as absent.
    expect(decodePredictions(stored, 'ab'.repeat(32), 10_000)).toBeNull()
    const flipped = new Uint8Array(stored)
    flipped[100] ^= 1
    expect(decodePredictions(flipped, runB.model!.sha256, 10_000)).toBeNull()
    expect(
      decodePredictions(encodePredictions(decoded, runB.model!.sha256), runB.model!.sha256, 10_000),
    ).toEqual(decoded)

    // A run evaluated before the file existed: a fresh service computes it through the engine.
    rmSync(file)
    const fresh = await createServices({
      dataDir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    try {
      const page = await fresh.evaluation.samples({
        id: runB.id,
        trueClass: null,
        predictedClass: null,
        mistakesOnly: true,
        sort: 'confidenceDesc',
        offset: 0,
        limit: 10,
      })
      expect(page.total).toBe(10_000 - correct)
      expect(readFileSync(file).equals(stored)).toBe(true)
    } finally {
      await fresh.close()
    }
  }, 300_000)

  // Without Debian's Fashion-MNIST the same checks run on a generated IDX folder: a run with no
  // model on another dataset is refused by name, and comparing across datasets names the other one.
  it('refuses a missing run, a run without a model and runs on a generated IDX dataset', async () => {
    await expectRefusals(`idx:${await makeIdxFolder(dataDir)}`)
  })

  it.skipIf(!hasFashion)(
    `refuses runs on Fashion-MNIST next to MNIST (needs apt package ${FASHION_MNIST_PACKAGE} in ${fashionMnistDir()})`,
    async () => {
      await expectRefusals('fashion-mnist')
    },
  )
})

const hasFashion = existsSync(join(fashionMnistDir(), 'train-images-idx3-ubyte.gz'))

/** Four IDX files of random 28×28 images in ten classes: enough batches to stop in the first. */
async function makeIdxFolder(parent: string): Promise<string> {
  const folder = join(parent, 'generated-idx')
  mkdirSync(folder, { recursive: true })
  let seed = 7
  const byte = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24
  const write = (name: string, count: number) => {
    const images = Uint8Array.from({ length: count * 784 }, byte)
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10)
    writeFileSync(join(folder, `${name}-images-idx3-ubyte`), encodeIdx([count, 28, 28], images))
    writeFileSync(join(folder, `${name}-labels-idx1-ubyte`), encodeIdx([count], labels))
  }
  write('train', 2000)
  write('t10k', 200)
  return folder
}

async function expectRefusals(dataset: DatasetRef): Promise<void> {
  const query = {
    trueClass: null,
    predictedClass: null,
    mistakesOnly: false,
    sort: 'confidenceDesc' as const,
    offset: 0,
    limit: 10,
  }
  await expect(services.evaluation.samples({ id: 999, ...query })).rejects.toMatchObject({
    code: 'NOT_FOUND',
  })
  // Stopped before its first epoch ends: a run without a model, on another dataset.
  const preset = getPreset('tutorial-mlp')
  const started = await services.training.start({
    spec: preset.spec,
    config: { ...preset.config, epochs: 1, limit: 2000 },
    dataset,
  })
  services.training.stop(started.runId)
  const failed = await started.done
  expect(failed.model).toBeNull()
  const err = await services.evaluation.samples({ id: failed.id, ...query }).catch((e) => e)
  expect(err).toBeInstanceOf(AppError)
  expect(err.code).toBe('MODEL_MISSING')
  expect((err as AppError).localized('pt-BR')).toContain(failed.name)
  const mismatch = await services.evaluation
    .disagreements({ a: runA.id, b: failed.id, limit: 5 })
    .catch((e) => e)
  expect(mismatch.code).toBe('INVALID_INPUT')
  expect(mismatch.message).toContain(dataset)
}

import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import type { ImageSet, LoadedDataset } from '../../../src/main/training/datasets/types'
import { evaluateModel, predictBatch } from '../../../src/main/training/evaluate'
import { buildModel, reseedDropout } from '../../../src/main/training/model-factory'
import { copyModelFolder, loadModel, saveModel } from '../../../src/main/training/model-io'
import { getPreset } from '../../../src/shared/presets'

const root = mkdtempSync(path.join(tmpdir(), 'sinapse-model-io-'))
const { spec, config } = getPreset('tutorial-mlp')
let mnist: LoadedDataset
let model: LayersModel
let inputs: Float32Array[]

beforeAll(async () => {
  await initBackend()
  mnist = await loadDataset('mnist')
  model = buildModel(tf, spec, config)
  inputs = [0, 1, 2].map((i) =>
    Float32Array.from(mnist.test.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255),
  )
})

afterAll(() => {
  model.dispose()
  rmSync(root, { recursive: true, force: true })
})

function sha256(...files: string[]): string {
  const hash = createHash('sha256')
  for (const file of files) hash.update(readFileSync(file))
  return hash.digest('hex')
}

describe('buildModel', () => {
  it('names layers like Keras and gives the same initial weights for the same seed', () => {
    expect(model.layers.map((l) => l.name)).toEqual(['flatten', 'dense', 'dense_1'])
    const twin = buildModel(tf, spec, config)
    const other = buildModel(tf, spec, { ...config, seed: config.seed + 1 })
    const kernel = (m: LayersModel) => Array.from(m.getWeights()[0].dataSync())
    expect(kernel(twin)).toEqual(kernel(model))
    expect(kernel(other)).not.toEqual(kernel(model))
    twin.dispose()
    other.dispose()
  })

  it('draws a new dropout mask per step, the same one for the same step', () => {
    const dropout = buildModel(
      tf,
      {
        inputShape: [4],
        layers: [
          { type: 'dropout', rate: 0.5 },
          { type: 'dense', units: 2, activation: 'softmax', useBias: true },
        ],
      },
      config,
    )
    const run = (step: number) =>
      tf.tidy(() => {
        reseedDropout(dropout, 1, step)
        const x = tf.ones([64, 4])
        return Array.from((dropout.layers[0].apply(x, { training: true }) as Tensor).dataSync())
      })
    expect(run(1)).toEqual(run(1))
    expect(run(2)).not.toEqual(run(1))
    expect(run(1).filter((v) => v === 0).length).toBeGreaterThan(64)
    dropout.dispose()
  })
})

describe('saveModel / loadModel', () => {
  it('round-trips a model with identical predictions, atomically replacing the folder', async () => {
    const dir = path.join(root, 'roundtrip')
    const first = await saveModel(tf, buildModel(tf, spec, { ...config, seed: 99 }), dir)
    const saved = await saveModel(tf, model, dir)
    expect(saved.sha256).not.toBe(first.sha256)
    expect(readdirSync(root).sort()).toEqual(['roundtrip'])
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin'])
    const json = path.join(dir, 'model.json')
    const bin = path.join(dir, 'weights.bin')
    expect(saved.sha256).toBe(sha256(json, bin))
    expect(saved.sizeBytes).toBe(readFileSync(json).length + readFileSync(bin).length)
    // Flatten has no weights; dense 784×128 + 128, dense_1 128×10 + 10, float32.
    expect(readFileSync(bin).length).toBe((784 * 128 + 128 + 128 * 10 + 10) * 4)
    const manifest = JSON.parse(readFileSync(json, 'utf8'))
    expect(manifest.format).toBe('layers-model')
    expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin'])
    expect(manifest.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      'dense/kernel',
      'dense/bias',
      'dense_1/kernel',
      'dense_1/bias',
    ])

    const loaded = await loadModel(tf, dir, saved.sha256)
    expect(predictBatch(tf, loaded, inputs)).toEqual(predictBatch(tf, model, inputs))
    loaded.dispose()

    const copy = await copyModelFolder(dir, path.join(root, 'export', 'mnist-mlp'))
    expect(copy.sha256).toBe(saved.sha256)
  })

  it('refuses a tampered, truncated, unsafe or missing model', async () => {
    const dir = path.join(root, 'tamper')
    const saved = await saveModel(tf, model, dir)
    const bin = path.join(dir, 'weights.bin')
    const bytes = readFileSync(bin)
    bytes[100] ^= 0xff
    writeFileSync(bin, bytes)
    await expect(loadModel(tf, dir, saved.sha256)).rejects.toMatchObject({
      code: 'MODEL_CORRUPT',
      key: 'training.modelHashMismatch',
    })

    writeFileSync(bin, bytes.subarray(0, bytes.length - 4))
    await expect(loadModel(tf, dir, null)).rejects.toMatchObject({
      code: 'MODEL_CORRUPT',
      key: 'training.modelWeightsSize',
      params: { expected: bytes.length, actual: bytes.length - 4 },
    })

    const json = path.join(dir, 'model.json')
    const manifest = JSON.parse(readFileSync(json, 'utf8'))
    manifest.weightsManifest[0].paths = ['../../etc/passwd']
    writeFileSync(json, JSON.stringify(manifest))
    await expect(loadModel(tf, dir, null)).rejects.toMatchObject({
      key: 'training.modelUnsafePath',
      params: { file: '../../etc/passwd' },
    })

    await expect(loadModel(tf, path.join(root, 'nowhere'), null)).rejects.toMatchObject({
      code: 'MODEL_MISSING',
      params: { file: 'model.json' },
    })
  })
})

describe('evaluateModel', () => {
  it('counts the confusion matrix and derives precision and recall from it', () => {
    const count = 500
    const subset: ImageSet = {
      images: mnist.test.images.subarray(0, count * 784),
      labels: mnist.test.labels.subarray(0, count),
      count,
    }
    const before = tf.memory().numTensors
    const evaluation = evaluateModel(tf, model, subset, 10)
    expect(tf.memory().numTensors).toBe(before)
    const m = evaluation.confusionMatrix
    expect(evaluation.sampleCount).toBe(count)
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(count)
    for (let c = 0; c < 10; c++) {
      const actual = subset.labels.filter((l) => l === c).length
      expect(m[c].reduce((a, b) => a + b, 0)).toBe(actual)
      const predicted = m.reduce((sum, row) => sum + row[c], 0)
      expect(evaluation.perClass[c].recall).toBeCloseTo(actual ? m[c][c] / actual : 0, 12)
      expect(evaluation.perClass[c].precision).toBeCloseTo(predicted ? m[c][c] / predicted : 0, 12)
    }
    const predictions = predictBatch(
      tf,
      model,
      Array.from({ length: count }, (_, i) =>
        Float32Array.from(subset.images.subarray(i * 784, (i + 1) * 784), (b) => b / 255),
      ),
    )
    const correct = predictions.filter(
      (p, i) => p.indexOf(Math.max(...p)) === subset.labels[i],
    ).length
    expect(evaluation.accuracy).toBeCloseTo(correct / count, 12)
    const loss = predictions.reduce((sum, p, i) => sum - Math.log(p[subset.labels[i]]), 0) / count
    expect(evaluation.loss).toBeCloseTo(loss, 3)
  })
})

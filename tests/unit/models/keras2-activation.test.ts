import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/services'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { nodeWorkerOptions } from '../../../src/main/training/engine'

/*
 * The classic Keras 2 CNN of issue 14: Conv2D(..., activation='linear') followed by an
 * Activation('relu') layer, ending in Dense(10) + Activation('softmax'). Refused before the
 * Activation layer was supported ("uses a Activation layer"); now imported, scored, X-rayed and
 * exported. The file is scripts/make-keras2-fixtures.py's, in Keras 2.10's h5py layout.
 */

const FIXTURE = join(import.meta.dirname, '../../fixtures/keras/mnist_cnn_activation_keras2.h5')
/** What the fixture script's own NumPy forward pass scored on the 10,000 MNIST test images. */
const NUMPY_ACCURACY = 0.9465

describe('a Keras 2 CNN with Activation layers', () => {
  let dir: string
  let services: Services
  let images: Float32Array[]

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sinapse-keras2-activation-'))
    services = await createServices({
      dataDir: dir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    const data = await loadDataset('mnist')
    images = Array.from({ length: 16 }, (_, i) =>
      Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
    )
  }, 300_000)

  afterAll(async () => {
    await services?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const predict = (id: number) => {
    const run = services.runs.get(id)
    return services.engine.predict({
      modelDir: join(services.paths.root, run.model!.path),
      sha256: run.model!.sha256,
      inputs: images,
    })
  }

  it('imports as the same layers and scores what NumPy scored (within 0.002)', async () => {
    const { runId } = await services.modelFiles.importModel({
      files: [{ name: 'cnn.h5', bytes: new Uint8Array(readFileSync(FIXTURE)) }],
    })
    const spec = services.runs.get(runId).spec
    expect(spec.layers.map((l) => l.type)).toEqual([
      'conv2d',
      'activation',
      'maxPooling2d',
      'conv2d',
      'activation',
      'maxPooling2d',
      'flatten',
      'dense',
      'activation',
    ])
    expect(spec.layers[spec.layers.length - 1]).toEqual({
      type: 'activation',
      activation: 'softmax',
    })
    const score = await services.runs.evaluate(runId)
    expect(Math.abs(score.accuracy - NUMPY_ACCURACY)).toBeLessThanOrEqual(0.002)

    // The X-ray sees every layer, the Activation layers by their function.
    const xray = await services.inspect.inspect(runId, { kind: 'test', index: 0 })
    expect(xray.layers.map((l) => [l.className, l.activation])).toEqual([
      ['Conv2D', 'linear'],
      ['Activation', 'relu'],
      ['MaxPooling2D', null],
      ['Conv2D', 'linear'],
      ['Activation', 'relu'],
      ['MaxPooling2D', null],
      ['Flatten', null],
      ['Dense', 'linear'],
      ['Activation', 'softmax'],
    ])
    expect(xray.prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    expect(xray.saliency.some((v) => v > 0)).toBe(true)
    const insight = await services.inspect.insight(runId)
    expect(insight.health.map((h) => h.activation)).toEqual(['relu', 'relu'])

    // Exported as .h5, it comes back as the same model with the same predictions.
    const h5 = await services.modelFiles.exportModel({ id: runId, format: 'h5' })
    const back = await services.modelFiles.importModel({
      files: [{ name: h5.fileName, bytes: h5.bytes }],
    })
    expect(services.runs.get(back.runId).spec).toEqual(spec)
    const original = await predict(runId)
    expect(original).toHaveLength(16)
    const again = await predict(back.runId)
    again.forEach((row, i) =>
      row.forEach((p, j) => expect(Math.abs(p - original[i][j])).toBeLessThanOrEqual(1e-6)),
    )
  }, 300_000)
})

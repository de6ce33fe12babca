import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useImportedRuns } from './imported-runs'

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
  const harness = useImportedRuns('sinapse-keras2-activation-')
  const predict = harness.predict

  it('imports as the same layers and scores what NumPy scored (within 0.002)', async () => {
    const { runId } = await harness.services.modelFiles.importModel({
      files: [{ name: 'cnn.h5', bytes: new Uint8Array(readFileSync(FIXTURE)) }],
    })
    const spec = harness.services.runs.get(runId).spec
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
    const score = await harness.services.runs.evaluate(runId)
    expect(Math.abs(score.accuracy - NUMPY_ACCURACY)).toBeLessThanOrEqual(0.002)

    // The X-ray sees every layer, the Activation layers by their function.
    const xray = await harness.services.inspect.inspect(runId, { kind: 'test', index: 0 })
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
    const insight = await harness.services.inspect.insight(runId)
    expect(insight.health.map((h) => h.activation)).toEqual(['relu', 'relu'])

    // Exported as .h5, it comes back as the same model with the same predictions.
    const h5 = await harness.services.modelFiles.exportModel({ id: runId, format: 'h5' })
    const back = await harness.services.modelFiles.importModel({
      files: [{ name: h5.fileName, bytes: h5.bytes }],
    })
    expect(harness.services.runs.get(back.runId).spec).toEqual(spec)
    const original = await predict(runId)
    expect(original).toHaveLength(16)
    const again = await predict(back.runId)
    again.forEach((row, i) =>
      row.forEach((p, j) => expect(Math.abs(p - original[i][j])).toBeLessThanOrEqual(1e-6)),
    )
  }, 300_000)
})

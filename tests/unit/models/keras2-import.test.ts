import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Group, readH5, readStringAttr } from '../../../src/main/models/h5'
import { readKerasH5 } from '../../../src/main/models/keras-h5-import'
import { cli, tempDataDir } from '../cli/cli-helpers'
import { useImportedRuns } from './imported-runs'

const argmax = (values: number[]) => values.indexOf(Math.max(...values))

const FIXTURES = join(import.meta.dirname, '../../fixtures/keras')
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)))

/** The accuracies scripts/make-keras2-fixtures.py computed with its own NumPy forward pass. */
const NUMPY_ACCURACY = {
  'mnist_functional_keras2.h5': 0.9398,
  'mnist_mlp_barelist_keras2.h5': 0.9173,
}

describe('Keras 2 file details', () => {
  it('reads a Keras 2.3 functional chain saved with its optimizer, ignoring optimizer_weights', async () => {
    const bytes = fixture('mnist_functional_keras2.h5')
    // The file really is what the test is about: Keras 2.3, `:0` names, optimizer state.
    const facts = await readH5(bytes, 'f.h5', (file) => ({
      version: readStringAttr(file, 'keras_version'),
      optimizer: file.get('optimizer_weights') instanceof Group,
      names: readStringAttr(file.get('model_weights/dense_1') as Group, 'weight_names'),
    }))
    expect(facts).toEqual({
      version: '2.3.1',
      optimizer: true,
      names: ['dense_1/kernel:0', 'dense_1/bias:0'],
    })
    const model = await readKerasH5(bytes, 'f.h5')
    expect(model.spec.inputShape).toEqual([28, 28, 1])
    expect(model.spec.layers.map((l) => l.type)).toEqual([
      'conv2d',
      'maxPooling2d',
      'flatten',
      'dense',
      'dropout',
      'dense',
    ])
    expect(model.weights[3].map((w) => w.length)).toEqual([13 * 13 * 8 * 32, 32])
  })

  it('reads a Keras 2.1 Sequential whose config is a bare list with batch_input_shape', async () => {
    const model = await readKerasH5(fixture('mnist_mlp_barelist_keras2.h5'), 'b.h5')
    expect(model.spec.layers).toEqual([
      { type: 'reshape', targetShape: [784] },
      { type: 'dense', units: 32, activation: 'relu', useBias: true },
      { type: 'dense', units: 10, activation: 'softmax', useBias: true },
    ])
  })
})

describe('Keras 2 files imported as runs', () => {
  const harness = useImportedRuns('sinapse-keras2-')
  const predict = harness.predict

  it.each(Object.entries(NUMPY_ACCURACY))(
    'imports %s and scores what NumPy scored (within 0.002)',
    async (name, expected) => {
      const { runId } = await harness.services.modelFiles.importPath(join(FIXTURES, name))
      const score = await harness.services.runs.evaluate(runId)
      expect(Math.abs(score.accuracy - expected)).toBeLessThanOrEqual(0.002)
    },
    300_000,
  )

  it('exports an imported Keras 2 model as .h5 that re-imports with the same predictions', async () => {
    const { runId } = await harness.services.modelFiles.importPath(
      join(FIXTURES, 'mnist_functional_keras2.h5'),
    )
    const h5 = await harness.services.modelFiles.exportModel({ id: runId, format: 'h5' })
    const back = await harness.services.modelFiles.importModel({
      files: [{ name: h5.fileName, bytes: h5.bytes }],
    })
    const original = await predict(runId)
    expect(original).toHaveLength(16)
    expect(await predict(back.runId)).toEqual(original)
    expect(harness.services.runs.get(back.runId).spec).toEqual(
      harness.services.runs.get(runId).spec,
    )

    // The same file through the command line: imported, then X-rayed by `sinapse inspect`.
    const dataDir = tempDataDir()
    const path = join(dataDir, h5.fileName)
    writeFileSync(path, h5.bytes)
    const imported = await cli(dataDir, 'import', path, '--json')
    expect(imported.code).toBe(0)
    const id = String(JSON.parse(imported.stdout).runId)
    const x = await cli(dataDir, 'inspect', id, '--test', '0', '--json')
    expect(x.code).toBe(0)
    const xray = JSON.parse(x.stdout) as { prediction: { digit: number }; layers: unknown[] }
    expect(xray.prediction.digit).toBe(argmax(original[0]))
    expect(xray.layers).toHaveLength(harness.services.runs.get(runId).spec.layers.length)
  }, 300_000)
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { readH5, readStringAttr } from '../../../src/main/models/h5'
import { createServices, type Services } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { chooseInputScale, pythonInputLine, toModelInput } from '../../../src/shared/input-scale'
import { generateKerasScript } from '../../../src/shared/keras-code'
import { getPreset } from '../../../src/shared/presets'
import { cli, tempDataDir } from '../cli/cli-helpers'
import { useServices } from './imported-runs'

const FIXTURES = join(import.meta.dirname, '../../fixtures/keras')
const RAW = join(FIXTURES, 'mnist_mlp_raw255_keras2.h5')
/** scripts/make-keras2-fixtures.py's NumPy accuracies for the raw-pixel MLP, per convention. */
const RAW_ACCURACY = { '255': 0.8968, '1': 0.1448 }

describe('the margin rule', () => {
  it('keeps 0–1 unless another convention is clearly better', () => {
    expect(chooseInputScale({ '1': 0.14, '255': 0.9, inverted: 0.06, centered: 0.1 })).toEqual({
      scale: '255',
      clear: true,
    })
    expect(chooseInputScale({ '1': 0.97, '255': 0.2, inverted: 0.1, centered: 0.9 })).toEqual({
      scale: '1',
      clear: true,
    })
    expect(chooseInputScale({ '1': 0.1, '255': 0.12, inverted: 0.85, centered: 0.1 }).scale).toBe(
      'inverted',
    )
    expect(chooseInputScale({ '1': 0.6, '255': 0.1, inverted: 0.1, centered: 0.95 }).scale).toBe(
      'centered',
    )
    // Better, but not by the margin: a model that works both ways stays at 0–1, clearly.
    expect(chooseInputScale({ '1': 0.984, '255': 0.985, inverted: 0.1, centered: 0.5 })).toEqual({
      scale: '1',
      clear: true,
    })
    // Nothing good enough (an untrained model, another dataset): 0–1, flagged unclear.
    expect(chooseInputScale({ '1': 0.08, '255': 0.4, inverted: 0.1, centered: 0.09 })).toEqual({
      scale: '1',
      clear: false,
    })
  })

  it('converts prepared values and writes the matching Python', () => {
    const v = Float32Array.from([0, 0.5, 1])
    expect([...toModelInput(v, '1')]).toEqual([0, 0.5, 1])
    expect([...toModelInput(v, '255')]).toEqual([0, 127.5, 255])
    expect([...toModelInput(v, 'inverted')]).toEqual([1, 0.5, 0])
    expect([...toModelInput(v, 'centered')]).toEqual([-0.5, 0, 0.5])
    expect([...v]).toEqual([0, 0.5, 1])
    const { spec, config } = getPreset('tutorial-mlp')
    const raw = generateKerasScript(spec, config, {
      datasetRef: 'mnist',
      locale: 'en',
      inputScale: '255',
    })
    expect(raw).toContain('# This model expects pixel values 0–255, as it was trained')
    expect(raw).toContain(pythonInputLine('255'))
    expect(raw).not.toContain('x_test / 255.0')
    const plain = generateKerasScript(spec, config, { datasetRef: 'mnist', locale: 'en' })
    expect(plain).toContain('x_train, x_test = x_train / 255.0, x_test / 255.0')
  })
})

describe('a model trained on raw 0–255 pixels', () => {
  const temp = useServices('sinapse-input-scale-')

  let imported: ReturnType<Services['modelFiles']['importPath']> | null = null
  const importRaw = () => (imported ??= temp.services.modelFiles.importPath(RAW))

  it('is found to expect 0–255 at import, told in both languages, and scores its Keras accuracy', async () => {
    const result = await importRaw()
    expect(result.inputScale).toBe('255')
    expect(result.inputNote).toContain('This model expects pixel values 0–255, as it was trained')
    const run = temp.services.runs.get(result.runId)
    expect(run.inputScale).toBe('255')
    expect(run.notes).toContain('pixel values 0–255')
    const score = await temp.services.runs.evaluate(result.runId)
    expect(Math.abs(score.accuracy - RAW_ACCURACY['255'])).toBeLessThanOrEqual(0.002)

    const pt = await createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sinapse-input-scale-pt-')),
      locale: 'pt-BR',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    try {
      const ptResult = await pt.modelFiles.importPath(RAW)
      expect(ptResult.inputNote).toContain('Este modelo espera valores de pixel 0–255')
    } finally {
      await pt.close()
    }
  }, 300_000)

  it('is fed 0–255 by the X-ray, the unit examples and the evaluation gallery too', async () => {
    const { runId } = await importRaw()
    let right = 0
    for (let index = 0; index < 20; index++) {
      const x = await temp.services.inspect.inspect(runId, { kind: 'test', index })
      // The X-ray shows the image as prepared (0–1), while the model is fed 0–255.
      expect(Math.max(...x.input)).toBeLessThanOrEqual(1)
      if (x.prediction.digit === x.trueClass) right++
    }
    expect(right).toBeGreaterThanOrEqual(16)
    const samples = await temp.services.evaluation.samples({
      id: runId,
      trueClass: null,
      predictedClass: null,
      mistakesOnly: true,
      sort: 'confidenceDesc',
      offset: 0,
      limit: 1,
    })
    expect(Math.abs(samples.total / 10000 - (1 - RAW_ACCURACY['255']))).toBeLessThanOrEqual(0.002)
  }, 300_000)

  it('can be set otherwise, at import and later; a change drops the old score', async () => {
    const forced = await temp.services.modelFiles.importPath(RAW, { inputScale: '1' })
    expect(forced.inputScale).toBe('1')
    expect(forced.inputNote).toContain('Input set at import: pixel values 0–1')
    const wrong = await temp.services.runs.evaluate(forced.runId)
    expect(Math.abs(wrong.accuracy - RAW_ACCURACY['1'])).toBeLessThanOrEqual(0.002)
    const gallery = (mistakesOnly: boolean) =>
      temp.services.evaluation.samples({
        id: forced.runId,
        trueClass: null,
        predictedClass: null,
        mistakesOnly,
        sort: 'confidenceDesc',
        offset: 0,
        limit: 1,
      })
    const before = (await gallery(true)).total
    temp.services.runs.update(forced.runId, { inputScale: '255' })
    expect(temp.services.runs.get(forced.runId).evaluation).toBeNull()
    // The gallery's stored predictions were made under 0–1: they must not be shown for 0–255.
    expect((await gallery(true)).total).toBeLessThan(before / 5)
    const right = await temp.services.runs.evaluate(forced.runId)
    expect(Math.abs(right.accuracy - RAW_ACCURACY['255'])).toBeLessThanOrEqual(0.002)
  }, 300_000)

  it('says so in its .h5 and TF.js exports, and its bundle keeps it', async () => {
    const { runId } = await importRaw()
    const h5 = await temp.services.modelFiles.exportModel({ id: runId, format: 'h5' })
    const attrs = await readH5(h5.bytes, 'x.h5', (file) => ({
      scale: readStringAttr(file, 'sinapse_input_scale'),
      note: readStringAttr(file, 'sinapse_note'),
    }))
    expect(attrs.scale).toBe('255')
    expect(attrs.note).toContain('expects pixel values 0–255')
    const back = await temp.services.modelFiles.importModel({
      files: [{ name: h5.fileName, bytes: h5.bytes }],
    })
    expect(back.inputScale).toBe('255')
    const zip = await temp.services.modelFiles.exportModel({ id: runId, format: 'tfjs-zip' })
    const readme = unzipSync(zip.bytes)['README.txt']
    expect(new TextDecoder().decode(readme)).toContain('expects pixel values 0–255')

    const bundle = await temp.services.bundles.exportBundle({ id: runId })
    const other = await createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sinapse-input-scale-b-')),
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    try {
      const moved = await other.bundles.importBundle({ name: bundle.fileName, bytes: bundle.bytes })
      expect(other.runs.get(moved.runId).inputScale).toBe('255')
      const score = await other.runs.evaluate(moved.runId)
      expect(Math.abs(score.accuracy - RAW_ACCURACY['255'])).toBeLessThanOrEqual(0.002)
    } finally {
      await other.close()
    }
  }, 300_000)
})

describe('sinapse import --input-scale, input-scale and inspect', () => {
  it('imports, shows, changes the convention and X-rays the imported Keras 2 models', async () => {
    const dataDir = tempDataDir()
    const r = await cli(dataDir, 'import', RAW, '--input-scale', '255', '--json')
    expect(r.code).toBe(0)
    const id = String(JSON.parse(r.stdout).runId)
    expect(JSON.parse(r.stdout).inputScale).toBe('255')
    const shown = await cli(dataDir, 'input-scale', id)
    expect(shown.stdout).toContain(`Run #${id} feeds its model pixel values 0–255.`)
    const set = await cli(dataDir, 'input-scale', id, 'inverted', '--json')
    expect(JSON.parse(set.stdout)).toEqual({ id: Number(id), inputScale: 'inverted' })
    const bad = await cli(dataDir, 'input-scale', id, '100')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('Unknown input convention "100"')
    const badImport = await cli(dataDir, 'import', RAW, '--input-scale', 'x')
    expect(badImport.code).not.toBe(0)

    const chain = await cli(
      dataDir,
      'import',
      join(FIXTURES, 'mnist_functional_keras2.h5'),
      '--json',
    )
    const chainId = String(JSON.parse(chain.stdout).runId)
    expect(JSON.parse(chain.stdout)).toMatchObject({ inputScale: '1', inputNote: null })
    const x = await cli(dataDir, 'inspect', chainId, '--test', '0', '--json')
    expect(x.code).toBe(0)
    const result = JSON.parse(x.stdout) as {
      prediction: { digit: number }
      layers: { class: string }[]
    }
    // Test image 0 is a 7; every layer of the chain is shown.
    expect(result.prediction.digit).toBe(7)
    expect(result.layers.map((l) => l.class)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ])
  }, 300_000)
})

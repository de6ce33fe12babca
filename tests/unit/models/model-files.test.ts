import h5wasm, { Dataset, Group } from 'h5wasm'
import { zipSync } from 'fflate'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/services'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { readKerasH5 } from '../../../src/main/models/keras-h5-import'
import { writeKerasH5 } from '../../../src/main/models/keras-h5-export'
import { readH5, writeH5 } from '../../../src/main/models/h5'
import { readKerasArchive, readZip } from '../../../src/main/models/keras-zip'
import { buildTfjsFiles } from '../../../src/main/models/keras-config'
import { readTfjsModel } from '../../../src/main/models/tfjs-import'
import { AppError } from '../../../src/shared/errors'
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/train-config'

const FIXTURES = join(import.meta.dirname, '../../fixtures/keras')
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)))

/** Every group, attribute and dataset of an HDF5 file, with layer names replaced by <layer>. */
async function describeH5(bytes: Uint8Array): Promise<string[]> {
  return readH5(bytes, 'x.h5', (file) => {
    const out: string[] = []
    const layerNames = (file.get('model_weights') as Group).attrs.layer_names.value as string[]
    const generic = (path: string) =>
      path
        .split('/')
        .map((p) =>
          layerNames.includes(p) ? '<layer>' : p.startsWith('sequential') ? '<model>' : p,
        )
        .join('/')
    const walk = (group: Group, path: string) => {
      for (const [name, attr] of Object.entries(group.attrs)) {
        const m = attr.metadata
        out.push(
          `${generic(path)}@${name} type=${m.type} vlen=${m.vlen} rank=${attr.shape?.length}`,
        )
      }
      for (const key of group.keys()) {
        if (path === '' && key === 'optimizer_weights') continue
        const child = group.get(key)
        if (child instanceof Group) walk(child, `${path}/${key}`)
        else if (child instanceof Dataset) {
          out.push(
            `${generic(`${path}/${key}`)} dataset type=${child.metadata.type} size=${child.metadata.size}`,
          )
        }
      }
    }
    walk(file, '')
    return [...new Set(out)].sort()
  })
}

function expectAppError(err: unknown, code: string, key: string): void {
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe(code)
  expect((err as AppError).key).toBe(key)
}

describe('Keras files without a data folder', () => {
  it('maps the Keras 3 MLP and CNN to specs with the right weights', async () => {
    const mlp = await readKerasH5(fixture('mnist_mlp_keras3.h5'), 'mlp.h5')
    expect(mlp.spec.inputShape).toEqual([28, 28, 1])
    expect(mlp.spec.layers.map((l) => l.type)).toEqual([
      'reshape',
      'dense',
      'dropout',
      'dense',
      'dense',
    ])
    expect(mlp.weights[1].map((w) => w.length)).toEqual([784 * 128, 128])
    const cnn = await readKerasH5(fixture('mnist_cnn_keras3.h5'), 'cnn.h5')
    expect(cnn.spec.layers.filter((l) => l.type === 'conv2d')).toHaveLength(3)
    expect(cnn.weights[0][0].length).toBe(3 * 3 * 1 * 32)
  })

  it('reads the .keras archive (layers/<name>/vars/<i>)', async () => {
    const bytes = fixture('mnist_mlp_keras3.keras')
    const model = await readKerasArchive(readZip(bytes, 'm.keras'), 'm.keras')
    // A (28, 28) input flattened first needs no Reshape: Flatten sees the same 784 values.
    expect(model.spec.layers[0]).toEqual({ type: 'flatten' })
    expect(model.weights.flat().map((w) => w.length)).toEqual([
      784 * 128,
      128,
      128 * 64,
      64,
      640,
      10,
    ])
  })

  it('exports .h5 with the fixture layout attribute for attribute, and reads it back', async () => {
    for (const name of ['mnist_mlp_keras3.h5', 'mnist_cnn_keras3.h5']) {
      const original = await readKerasH5(fixture(name), name)
      const exported = await writeKerasH5(original, DEFAULT_TRAIN_CONFIG)
      const theirs = await describeH5(fixture(name))
      const ours = await describeH5(exported)
      // The CNN has layers of every kind in the export's layout; the MLP export adds our Reshape.
      expect(ours).toEqual(theirs)
      const back = await readKerasH5(exported, 'back.h5')
      expect(back.spec).toEqual(original.spec)
      expect(back.weights).toEqual(original.weights)
    }
  })

  it('refuses hostile and broken files with clear errors', async () => {
    const mlp = await readKerasH5(fixture('mnist_mlp_keras3.h5'), 'mlp.h5')
    const { modelJson, weightsBin } = buildTfjsFiles(mlp)
    const json = JSON.parse(new TextDecoder().decode(modelJson))
    json.weightsManifest[0].paths = ['../../etc/passwd']
    const outside = new TextEncoder().encode(JSON.stringify(json))
    await expect(async () =>
      readTfjsModel([
        { name: 'model.json', bytes: outside },
        { name: 'weights.bin', bytes: weightsBin },
      ]),
    ).rejects.toSatisfy((e) => (expectAppError(e, 'MODEL_CORRUPT', 'modelfiles.unsafePath'), true))
    await expect(async () =>
      readTfjsModel([
        { name: 'model.json', bytes: modelJson },
        { name: 'weights.bin', bytes: weightsBin.slice(0, weightsBin.length - 4) },
      ]),
    ).rejects.toSatisfy((e) => (expectAppError(e, 'MODEL_CORRUPT', 'modelfiles.weightsSize'), true))
    const truncated = fixture('mnist_cnn_keras3.h5').slice(0, 20000)
    await expect(readKerasH5(truncated, 't.h5')).rejects.toSatisfy(
      (e) => (expectAppError(e, 'MODEL_CORRUPT', 'modelfiles.h5Damaged'), true),
    )
    const lstm = await craftUnknownLayerH5()
    await expect(readKerasH5(lstm, 'lstm.h5')).rejects.toThrow(/a layer of type LSTM,/)
    const bomb = zipSync({ 'model.json': new Uint8Array(100 * 1024 * 1024) }, { level: 9 })
    expect(bomb.length).toBeLessThan(1024 * 1024)
    expect(() => readZip(bomb, 'bomb.zip')).toThrow(AppError)
  })
})

/** A valid Keras file whose config names an LSTM layer. */
async function craftUnknownLayerH5(): Promise<Uint8Array> {
  await h5wasm.ready
  const config = {
    class_name: 'Sequential',
    config: {
      layers: [
        { class_name: 'InputLayer', config: { batch_shape: [null, 28, 28] } },
        { class_name: 'LSTM', config: { name: 'lstm', units: 10 } },
      ],
    },
  }
  return writeH5((file) => {
    file.create_attribute('model_config', JSON.stringify(config))
    file.create_group('model_weights').create_attribute('layer_names', ['lstm'], [1])
  })
}

describe('model files service', () => {
  let dirA: string
  let dirB: string
  let a: Services
  let b: Services
  let images: Float32Array[]

  beforeAll(async () => {
    dirA = mkdtempSync(join(tmpdir(), 'sinapse-mf-a-'))
    dirB = mkdtempSync(join(tmpdir(), 'sinapse-mf-b-'))
    a = await createServices({
      dataDir: dirA,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    b = await createServices({
      dataDir: dirB,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    const data = await loadDataset('mnist')
    images = Array.from({ length: 8 }, (_, i) =>
      Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
    )
  }, 300_000)

  afterAll(async () => {
    await a?.close()
    await b?.close()
    rmSync(dirA, { recursive: true, force: true })
    rmSync(dirB, { recursive: true, force: true })
  })

  // The CNN import, made by whichever test needs it first: each test also runs alone (`-t`).
  let cnnImport: Promise<{ runId: number }> | null = null
  const importedCnn = () =>
    (cnnImport ??= a.modelFiles.importPath(join(FIXTURES, 'mnist_cnn_keras3.h5')))

  const predict = (s: Services, id: number) => {
    const run = s.runs.get(id)
    return s.engine.predict({
      modelDir: join(s.paths.root, run.model!.path),
      sha256: run.model!.sha256,
      inputs: images,
    })
  }

  it('imports the Keras fixtures and scores what they scored in Keras', async () => {
    const mlp = await a.modelFiles.importModel({
      files: [{ name: 'mnist_mlp_keras3.h5', bytes: fixture('mnist_mlp_keras3.h5') }],
    })
    const run = a.runs.get(mlp.runId)
    expect(run).toMatchObject({
      kind: 'imported',
      status: 'completed',
      name: 'mnist_mlp_keras3',
      epochs: 0,
    })
    const mlpScore = await a.runs.evaluate(mlp.runId)
    expect(mlpScore.accuracy).toBeCloseTo(0.979, 2)
    expect(Math.abs(mlpScore.accuracy - 0.979)).toBeLessThanOrEqual(0.002)
    const cnn = await importedCnn()
    const cnnScore = await a.runs.evaluate(cnn.runId)
    expect(Math.abs(cnnScore.accuracy - 0.993)).toBeLessThanOrEqual(0.002)
    const keras = await a.modelFiles.importPath(join(FIXTURES, 'mnist_mlp_keras3.keras'))
    expect((await a.runs.evaluate(keras.runId)).accuracy).toBeGreaterThan(0.95)
  }, 300_000)

  it('round-trips .h5 and moves a TF.js zip to another data folder with identical predictions', async () => {
    const source = a.runs.get((await importedCnn()).runId)
    expect(source.name).toBe('mnist_cnn_keras3')
    const h5 = await a.modelFiles.exportModel({ id: source.id, format: 'h5' })
    expect(h5.fileName).toBe('mnist_cnn_keras3.h5')
    const back = await a.modelFiles.importModel({ files: [{ name: h5.fileName, bytes: h5.bytes }] })
    expect(await predict(a, back.runId)).toEqual(await predict(a, source.id))

    const zip = await a.modelFiles.exportModel({ id: source.id, format: 'tfjs-zip' })
    expect([...zip.bytes.subarray(0, 2)]).toEqual([0x50, 0x4b])
    const moved = await b.modelFiles.importModel({
      files: [{ name: zip.fileName, bytes: zip.bytes }],
    })
    expect(await predict(b, moved.runId)).toEqual(await predict(a, source.id))
  }, 300_000)

  it('changes nothing when a file is refused', async () => {
    const before = b.runs.list().length
    const entries = () => readdirSync(b.paths.models).sort()
    const folders = entries()
    const bad = [
      { name: 'notes.txt', bytes: new TextEncoder().encode('not a model') },
      { name: 'cut.h5', bytes: fixture('mnist_mlp_keras3.h5').slice(0, 5000) },
      { name: 'lstm.h5', bytes: await craftUnknownLayerH5() },
    ]
    for (const file of bad) {
      await expect(b.modelFiles.importModel({ files: [file] })).rejects.toBeInstanceOf(AppError)
    }
    expect(b.runs.list()).toHaveLength(before)
    expect(entries()).toEqual(folders)
  })
})

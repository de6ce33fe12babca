import { OOD_FILE } from '../../../src/main/training/ood-file'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeBundle,
  encodeBundle,
  MAX_BUNDLE_BYTES,
  sha256Hex,
} from '../../../src/main/bundles/format'
import { validateBundle } from '../../../src/main/bundles/manifest'
import { prepareDataDir, type DataPaths } from '../../../src/main/paths'
import { createBundleService, type BundleService } from '../../../src/main/services/bundle-service'
import { createRunsService, type RunsService } from '../../../src/main/services/runs-service'
import { createTrainingService } from '../../../src/main/services/training-service'
import { openDatabase } from '../../../src/main/store/db'
import { createRunsRepo, INTERRUPTED_ERROR, type RunsRepo } from '../../../src/main/store/runs-repo'
import { loadDataset } from '../../../src/main/training/datasets/load'
import {
  createTrainingEngine,
  nodeWorkerOptions,
  type TrainingEngine,
} from '../../../src/main/training/engine'
import type { EventName } from '../../../src/shared/ipc-contract'
import { getPreset } from '../../../src/shared/presets'
import type { RunDetail } from '../../../src/shared/runs'
import { refusal } from '../refusal'

interface Folder {
  paths: DataPaths
  repo: RunsRepo
  runs: RunsService
  bundles: BundleService
  events: EventName[]
  close(): void
}

let engine: TrainingEngine
const open: Folder[] = []

/** One data folder with the real database and services; the worker is shared between folders. */
function openFolder(wrapRepo: (repo: RunsRepo) => RunsRepo = (r) => r): Folder {
  const paths = prepareDataDir(mkdtempSync(join(tmpdir(), 'sinapse-bundle-')))
  const db = openDatabase(paths.database)
  const repo = wrapRepo(createRunsRepo(db, { now: () => new Date() }))
  const events: EventName[] = []
  const emit = (event: EventName) => void events.push(event)
  const deps = { repo, paths, emit, locale: 'en' as const }
  const folder: Folder = {
    paths,
    repo,
    events,
    runs: createRunsService({ ...deps, engine, isTraining: () => false }),
    bundles: createBundleService({ ...deps, version: '9.9.9' }),
    close: () => db.close(),
  }
  open.push(folder)
  return folder
}

function modelFolders(folder: Folder): string[] {
  return readdirSync(folder.paths.models)
}

let source: Folder
let trained: RunDetail
let bundle: Uint8Array
let testInputs: Float32Array[]

beforeAll(async () => {
  engine = createTrainingEngine(nodeWorkerOptions())
  source = openFolder()
  const training = createTrainingService({
    repo: source.repo,
    engine,
    paths: source.paths,
    emit: () => {},
    locale: 'en',
    owner: { pid: process.pid, token: 'test', startId: null },
    checkOwner: () => null,
    fallbackDir: join(source.paths.root, 'fallback'),
  })
  const preset = getPreset('tutorial-mlp')
  const { done } = await training.start({
    name: 'Trabalho da Ana — MLP',
    spec: preset.spec,
    config: { ...preset.config, epochs: 1, limit: 1500 },
    dataset: 'mnist',
  })
  const run = await done
  expect(run.status).toBe('completed')
  await source.runs.evaluate(run.id)
  source.runs.update(run.id, { notes: 'entregue no pen drive', tags: ['turma-b', 'mlp'] })
  trained = source.repo.get(run.id)!
  bundle = (await source.bundles.exportBundle({ id: run.id })).bytes

  const mnist = await loadDataset('mnist')
  testInputs = [0, 1, 2, 3, 4, 5].map((i) =>
    Float32Array.from(mnist.test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
  )
}, 300_000)

afterAll(async () => {
  for (const folder of open) folder.close()
  await engine.close()
})

describe('run bundles', () => {
  it('exports a named .sinapse file that starts with the signature', async () => {
    const file = await source.bundles.exportBundle({ id: trained.id })
    expect(file.fileName).toMatch(/^Trabalho-da-Ana-MLP-[0-9a-f]{8}\.sinapse$/)
    expect(new TextDecoder().decode(file.bytes.subarray(0, 14))).toBe('SINAPSE-BUNDLE')
    const { header, files } = decodeBundle(file.bytes, file.fileName)
    expect(header.appVersion).toBe('9.9.9')
    expect(files.map((f) => f.name)).toEqual(['model.json', 'weights.bin'])
    expect(files.reduce((s, f) => s + f.bytes.length, 0)).toBe(trained.model!.sizeBytes)
  })

  it('imports into another data folder with the same uid, history, evaluation and predictions', async () => {
    const target = openFolder()
    const result = await target.bundles.importBundle({ name: 'a.sinapse', bytes: bundle })
    expect(result.duplicate).toBe(false)
    expect(target.events).toEqual(['runs:changed'])
    const run = target.repo.get(result.runId)!
    expect(run.uid).toBe(trained.uid)
    expect(run.name).toBe(trained.name)
    expect(run.status).toBe('completed')
    expect(run.kind).toBe('trained')
    expect(run.history).toEqual(trained.history)
    expect(run.history).toHaveLength(1)
    expect(run.evaluation).toEqual(trained.evaluation)
    expect(run.evaluation!.accuracy).toBeGreaterThan(0.7)
    expect(run.spec).toEqual(trained.spec)
    expect(run.config).toEqual(trained.config)
    expect(run.notes).toBe('entregue no pen drive')
    expect(run.tags).toEqual(['turma-b', 'mlp'])
    expect(run.createdAt).toBe(trained.createdAt)
    expect(run.model!.sha256).toBe(trained.model!.sha256)
    expect(run.model!.path).toBe(join('models', `run-${trained.uid}`))

    const before = await engine.predict({
      modelDir: join(source.paths.root, trained.model!.path),
      sha256: trained.model!.sha256,
      inputs: testInputs,
    })
    const after = await engine.predict({
      modelDir: join(target.paths.root, run.model!.path),
      sha256: run.model!.sha256,
      inputs: testInputs,
    })
    expect(after).toEqual(before)
    // The imported run is a full citizen: it can be evaluated again and scores the same.
    const again = await target.runs.evaluate(run.id)
    expect(again.accuracy).toBe(trained.evaluation!.accuracy)
  })

  it('a hand-in is the run bundle plus the student and the lesson, named after the student', async () => {
    const lessonId = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b'
    const file = await source.bundles.exportHandIn({
      id: trained.id,
      student: '  Coruja   Azul ',
      lessonId,
      lessonVersion: 2,
    })
    expect(file.fileName).toMatch(/^Coruja-Azul-Trabalho-da-Ana-MLP-[0-9a-f]{8}\.sinapse$/)
    const { header, files } = decodeBundle(file.bytes, file.fileName)
    const { manifest } = validateBundle(header, files, file.fileName)
    expect(manifest.handIn).toMatchObject({ student: 'Coruja Azul', lessonId, lessonVersion: 2 })
    // The hand-in carries the run exactly as the plain bundle does: same uid, same model.
    expect(manifest.run.uid).toBe(trained.uid)
    expect(manifest.model!.sha256).toBe(trained.model!.sha256)
    const target = openFolder()
    const result = await target.bundles.importBundle({ name: file.fileName, bytes: file.bytes })
    expect(target.repo.get(result.runId)!.uid).toBe(trained.uid)

    const err = await refusal(
      source.bundles.exportHandIn({ id: trained.id, student: ' ', lessonId, lessonVersion: 2 }),
    )
    expect(err.key).toBe('lesson.handIn.studentInvalid')
    const err2 = await refusal(
      source.bundles.exportHandIn({
        id: trained.id,
        student: 'Ana',
        lessonId: 'x',
        lessonVersion: 2,
      }),
    )
    expect(err2.key).toBe('lesson.handIn.lessonInvalid')
  })

  it('images a student tested (a drawing, a photo) are never stored nor put in a bundle', async () => {
    const listing = () => readdirSync(source.paths.root, { recursive: true }).map(String).sort()
    const before = listing()
    const drawing = new Uint8Array(28 * 28).map((_, i) => (i % 28 > 10 && i % 28 < 16 ? 255 : 0))
    const predictions = await source.runs.predictPixels(
      trained.id,
      [{ width: 28, height: 28, channels: 1, data: drawing }],
      'mnist',
    )
    expect(predictions).toHaveLength(1)
    // Nothing was written to the data folder (no image, no cache of it) but the model's own
    // out-of-distribution calibration, made from its training images at the first prediction ...
    expect(listing().filter((f) => !f.includes(OOD_FILE))).toEqual(before)
    // ... and the bundle and hand-in hold exactly the run's record and its model, no image.
    for (const file of [
      await source.bundles.exportBundle({ id: trained.id }),
      await source.bundles.exportHandIn({
        id: trained.id,
        student: 'Ana',
        lessonId: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
        lessonVersion: 1,
      }),
    ]) {
      const { header, files } = decodeBundle(file.bytes, file.fileName)
      expect(files.map((f) => f.name)).toEqual(['model.json', 'weights.bin'])
      expect(Object.keys(header).sort()).toEqual([
        'appVersion',
        'createdAt',
        'evaluation',
        'files',
        'format',
        'handIn',
        'history',
        'model',
        'run',
        'version',
      ])
      expect(Object.keys(header.run as object).sort()).toEqual(
        Object.keys(manifestRunFields).sort(),
      )
    }
  })

  it('importing the same bundle twice returns the existing run and changes nothing', async () => {
    const target = openFolder()
    const first = await target.bundles.importBundle({ name: 'a.sinapse', bytes: bundle })
    const [second, third] = await Promise.all([
      target.bundles.importBundle({ name: 'a.sinapse', bytes: bundle }),
      target.bundles.importBundle({ name: 'a.sinapse', bytes: bundle }),
    ])
    expect(second).toEqual({ runId: first.runId, duplicate: true })
    expect(third).toEqual({ runId: first.runId, duplicate: true })
    expect(target.repo.list()).toHaveLength(1)
    expect(modelFolders(target)).toEqual([`run-${trained.uid}`])
    expect(target.events).toEqual(['runs:changed'])
  })

  it('refuses a bundle whose weights were changed, leaving nothing behind', async () => {
    const target = openFolder()
    const tampered = bundle.slice()
    tampered[tampered.length - 10] ^= 0xff
    const err = await refusal(target.bundles.importBundle({ name: 't.sinapse', bytes: tampered }))
    expect(err.code).toBe('MODEL_CORRUPT')
    expect(err.message).toBe(
      'The file weights.bin inside “t.sinapse” does not match its checksum: the bundle was changed or damaged after it was exported. Nothing was imported; copy the bundle again.',
    )

    // Re-encoded with a fresh file table, the edit is still caught by the model's own hash.
    const { header, files } = decodeBundle(bundle, 'x')
    const weights = files[1].bytes.slice()
    weights[0] ^= 0xff
    const { files: _table, ...manifest } = header
    const forged = encodeBundle(manifest, [files[0], { name: 'weights.bin', bytes: weights }])
    const err2 = await refusal(target.bundles.importBundle({ name: 'f.sinapse', bytes: forged }))
    expect(err2.key).toBe('modelfiles.bundle.modelTampered')

    expect(target.repo.list()).toHaveLength(0)
    expect(modelFolders(target)).toEqual([])
    expect(target.events).toEqual([])
  })

  it('refuses a bundle whose model has a Lambda layer, with valid checksums, leaving nothing behind', async () => {
    const target = openFolder()
    const forged = forgeModel((json) => {
      const layers = topologyLayers(json)
      layers.splice(layers.length - 1, 0, {
        class_name: 'Lambda',
        config: { name: 'lambda', function: 'lambda x: x * 2', trainable: true },
      })
    })
    const err = await refusal(target.bundles.importBundle({ name: 'l.sinapse', bytes: forged }))
    expect(err.code).toBe('MODEL_CORRUPT')
    expect(err.key).toBe('modelfiles.bundle.modelRefused')
    expect(err.message).toContain('“l.sinapse”')
    expect(err.message).toContain('uses a layer of type Lambda, which Sinapse does not support')
    expect(err.localized('pt-BR')).toContain('usa uma camada Lambda')
    expect(target.repo.list()).toHaveLength(0)
    expect(modelFolders(target)).toEqual([])
    expect(target.events).toEqual([])
  })

  it('refuses a bundle whose model differs from its spec, naming the layer and the difference', async () => {
    const target = openFolder()
    // The first Dense layer shrinks from 128 to 64 units, its weights (and the next layer's)
    // resized to match: a loadable model, but not the one the spec and history describe.
    const forged = forgeModel((json) => {
      const dense = topologyLayers(json).filter((l) => l.class_name === 'Dense')
      ;(dense[0].config as { units: number }).units = 64
    })
    const err = await refusal(target.bundles.importBundle({ name: 'u.sinapse', bytes: forged }))
    expect(err.code).toBe('MODEL_CORRUPT')
    expect(err.message).toContain('Layer 2 has units 64 in the model but the spec says 128.')
    expect(err.localized('pt-BR')).toContain(
      'A camada 2 tem units 64 no modelo, mas a especificação diz 128.',
    )
    // An activation changed is refused the same way.
    const relu = forgeModel((json) => {
      const dense = topologyLayers(json).filter((l) => l.class_name === 'Dense')
      ;(dense[1].config as { activation: string }).activation = 'sigmoid'
    })
    const err2 = await refusal(target.bundles.importBundle({ name: 'a.sinapse', bytes: relu }))
    expect(err2.message).toMatch(
      /Layer \d has activation "sigmoid" in the model but the spec says "softmax"\./,
    )
    expect(target.repo.list()).toHaveLength(0)
    expect(modelFolders(target)).toEqual([])
    expect(target.events).toEqual([])
  })

  it('refuses truncated, foreign, oversized and future-version files with their own messages', async () => {
    const target = openFolder()
    const attempt = (bytes: Uint8Array) =>
      refusal(target.bundles.importBundle({ name: 'b.sinapse', bytes }))

    const truncated = await attempt(bundle.subarray(0, bundle.length - 1000))
    expect(truncated.key).toBe('modelfiles.bundle.truncated')
    expect(truncated.params).toEqual({
      name: 'b.sinapse',
      actual: bundle.length - 1000,
      expected: bundle.length,
    })
    expect((await attempt(bundle.subarray(0, 20))).key).toBe('modelfiles.bundle.truncated')

    const png = readFileSync(join(import.meta.dirname, '../../fixtures/digits', pngFixture()))
    const foreign = await attempt(new Uint8Array(png))
    expect(foreign.message).toContain('is not a Sinapse run bundle')

    const big = new Uint8Array(MAX_BUNDLE_BYTES + 1)
    big.set(bundle.subarray(0, 64))
    const oversized = await attempt(big)
    expect(oversized.message).toBe(
      '“b.sinapse” is 50 MB; a run bundle can be at most 50 MB. Make sure you chose the right file.',
    )

    const future = bundle.slice()
    future[15] = 2
    const newer = await attempt(future)
    expect(newer.message).toContain('was made by a newer Sinapse (bundle format 2')
    expect(newer.localized('pt-BR')).toContain('Atualize o Sinapse')

    const extra = new Uint8Array(bundle.length + 3)
    extra.set(bundle)
    expect((await attempt(extra)).key).toBe('modelfiles.bundle.trailingBytes')

    expect(target.repo.list()).toHaveLength(0)
    expect(modelFolders(target)).toEqual([])
  })

  it('refuses a bundle whose spec, status or dataset is invalid, naming the problem', async () => {
    const target = openFolder()
    const { header, files } = decodeBundle(bundle, 'x')
    const { files: _table, ...manifest } = header
    const run = manifest.run as Record<string, unknown>
    const withRun = (patch: Record<string, unknown>) =>
      encodeBundle({ ...manifest, run: { ...run, ...patch } }, files)
    const attempt = (bytes: Uint8Array) =>
      refusal(target.bundles.importBundle({ name: 's.sinapse', bytes }))

    const badSpec = await attempt(
      withRun({ spec: { inputShape: [28, 28, 1], layers: [{ type: 'dense', units: 0 }] } }),
    )
    expect(badSpec.code).toBe('INVALID_SPEC')
    expect(badSpec.message.split('\n').length).toBeGreaterThan(1)
    expect(badSpec.message).toContain('The run in “s.sinapse” has a model or training settings')

    const badStatus = await attempt(withRun({ status: 'exploded' }))
    expect(badStatus.message).toContain('(fields: run.status)')

    const badDataset = await attempt(withRun({ dataset: '../../etc' }))
    expect(badDataset.key).toBe('modelfiles.bundle.unknownDataset')

    const unsafe = encodeBundle(manifest, [
      files[0],
      { name: '../weights.bin', bytes: files[1].bytes },
    ])
    expect((await attempt(unsafe)).key).toBe('modelfiles.bundle.unsafeFileName')

    expect(target.repo.list()).toHaveLength(0)
    expect(modelFolders(target)).toEqual([])
  })

  it('imports a run without a model; a run still training there arrives interrupted', async () => {
    const spec = getPreset('tutorial-mlp').spec
    const config = getPreset('tutorial-mlp').config
    const base = { kind: 'trained' as const, dataset: 'mnist' as const, spec, config, seed: 42 }
    const running = source.repo.create({
      ...base,
      name: 'still running',
      status: 'running',
      paramCount: 101770,
      ownerPid: process.pid,
      ownerToken: 'test',
    })
    source.repo.addEpoch(running.id, {
      epoch: 1,
      loss: Number.NaN,
      accuracy: 0.1,
      valLoss: null,
      valAccuracy: null,
      durationMs: 12,
    })
    const failed = source.repo.create({
      ...base,
      name: 'failed',
      status: 'queued',
      paramCount: 101770,
      ownerPid: null,
      ownerToken: null,
    })
    source.repo.finish(failed.id, 'failed', 'out of memory')

    const target = openFolder()
    const a = await target.bundles.importBundle({
      name: 'r.sinapse',
      bytes: (await source.bundles.exportBundle({ id: running.id })).bytes,
    })
    const b = await target.bundles.importBundle({
      name: 'f.sinapse',
      bytes: (await source.bundles.exportBundle({ id: failed.id })).bytes,
    })
    const interrupted = target.repo.get(a.runId)!
    expect(interrupted.status).toBe('interrupted')
    expect(interrupted.error).toBe(INTERRUPTED_ERROR)
    expect(interrupted.finishedAt).not.toBeNull()
    expect(interrupted.model).toBeNull()
    expect(interrupted.history[0].loss).toBeNaN()
    expect(interrupted.history[0].accuracy).toBe(0.1)
    const failedCopy = target.repo.get(b.runId)!
    expect(failedCopy.status).toBe('failed')
    expect(failedCopy.error).toBe('out of memory')
    expect(modelFolders(target)).toEqual([])
    source.repo.finish(running.id, 'stopped', null)
  })

  it('carries the restore-best-weights epoch both ways; a bundle without it keeps the last', async () => {
    const { spec, config } = getPreset('tutorial-mlp')
    const run = source.repo.create({
      kind: 'trained',
      dataset: 'mnist',
      spec,
      config: { ...config, epochs: 3, restoreBestWeights: true },
      seed: 42,
      name: 'best weights',
      status: 'queued',
      paramCount: 101770,
      ownerPid: null,
      ownerToken: null,
    })
    for (const [epoch, valLoss] of [0.3, 0.2, 0.25].entries()) {
      source.repo.addEpoch(run.id, {
        epoch: epoch + 1,
        loss: 0.4 - epoch * 0.1,
        accuracy: 0.9,
        valLoss,
        valAccuracy: 0.9,
        durationMs: 10,
      })
    }
    source.repo.setWeightsEpoch(run.id, 2)
    source.repo.finish(run.id, 'completed', null)
    const bytes = (await source.bundles.exportBundle({ id: run.id })).bytes
    const { header, files } = decodeBundle(bytes, 'w.sinapse')
    const { files: _table, ...manifest } = header
    const manifestRun = manifest.run as Record<string, unknown>
    expect(manifestRun.weightsEpoch).toBe(2)

    const target = openFolder()
    const imported = await target.bundles.importBundle({ name: 'w.sinapse', bytes })
    expect(target.repo.get(imported.runId)!.weightsEpoch).toBe(2)

    // A bundle written before the field existed imports as holding the last epoch's weights.
    const { weightsEpoch: _, ...older } = manifestRun
    const other = openFolder()
    const old = await other.bundles.importBundle({
      name: 'old.sinapse',
      bytes: encodeBundle({ ...manifest, run: older }, files),
    })
    expect(other.repo.get(old.runId)!.weightsEpoch).toBeNull()
    // An epoch the history does not have is refused.
    const err = await refusal(
      openFolder().bundles.importBundle({
        name: 'bad.sinapse',
        bytes: encodeBundle({ ...manifest, run: { ...manifestRun, weightsEpoch: 7 } }, files),
      }),
    )
    expect(err.key).toBe('modelfiles.bundle.manifestInvalid')
    expect(err.params.fields).toBe('run.weightsEpoch')
  })

  it('leaves no model folder behind when saving the run fails', async () => {
    const target = openFolder((repo) => ({
      ...repo,
      importRun: () => {
        throw new Error('disk full')
      },
    }))
    await expect(target.bundles.importBundle({ name: 'a.sinapse', bytes: bundle })).rejects.toThrow(
      'disk full',
    )
    expect(modelFolders(target)).toEqual([])
    expect(target.repo.list()).toHaveLength(0)
  })

  it('writes and reads bundle files for the CLI', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'sinapse-usb-'))
    const written = await source.bundles.exportBundleToFile(trained.id, outDir)
    expect(readdirSync(outDir)).toEqual([written.path.slice(outDir.length + 1)])
    expect(written.sizeBytes).toBe(readFileSync(written.path).length)
    const target = openFolder()
    const imported = await target.bundles.importBundleFile(written.path)
    expect(target.repo.get(imported.runId)!.uid).toBe(trained.uid)

    const tooBig = join(outDir, 'big.sinapse')
    writeFileSync(tooBig, Buffer.alloc(MAX_BUNDLE_BYTES + 1))
    expect((await refusal(target.bundles.importBundleFile(tooBig))).key).toBe(
      'modelfiles.bundle.tooLarge',
    )
    expect((await refusal(target.bundles.importBundleFile(join(outDir, 'none')))).code).toBe(
      'NOT_FOUND',
    )
  })
})

type KerasLayer = { class_name: string; config: Record<string, unknown> }
type ModelJson = {
  modelTopology: Record<string, unknown>
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[]
}

function topologyLayers(json: ModelJson): KerasLayer[] {
  const top = json.modelTopology as { model_config?: unknown }
  const model = (top.model_config ?? top) as { config: { layers: KerasLayer[] } }
  return model.config.layers
}

/**
 * The valid bundle with its model.json edited by `edit`, every weight resized to what the edited
 * layers need (values taken from the original), and every checksum (the model's and the file
 * table's) recomputed the way the writer does: only the model check can refuse it.
 */
function forgeModel(edit: (json: ModelJson) => void): Uint8Array {
  const { header, files } = decodeBundle(bundle, 'x')
  const json = JSON.parse(new TextDecoder().decode(files[0].bytes)) as ModelJson
  edit(json)
  const layers = topologyLayers(json)
  let input = 0
  for (const layer of layers) {
    const units = layer.config.units as number | undefined
    const shape = layer.config.batch_input_shape as number[] | undefined
    if (shape) input = shape.slice(1).reduce((a, b) => a * b, 1)
    if (units === undefined) continue
    for (const w of json.weightsManifest[0].weights) {
      if (w.name === `${layer.config.name as string}/kernel`) w.shape = [input, units]
      if (w.name === `${layer.config.name as string}/bias`) w.shape = [units]
    }
    input = units
  }
  const count = json.weightsManifest[0].weights.reduce(
    (sum, w) => sum + w.shape.reduce((a, b) => a * b, 1),
    0,
  )
  const weights = new Uint8Array(count * 4)
  weights.set(files[1].bytes.subarray(0, weights.length))
  const modelJson = new TextEncoder().encode(JSON.stringify(json))
  const { files: _table, ...manifest } = header
  const model = manifest.model as { sha256: string; sizeBytes: number }
  return encodeBundle(
    {
      ...manifest,
      model: {
        ...model,
        sha256: sha256Hex(modelJson, weights),
        sizeBytes: modelJson.length + weights.length,
      },
    },
    [
      { name: 'model.json', bytes: modelJson },
      { name: 'weights.bin', bytes: weights },
    ],
  )
}

function pngFixture(): string {
  const dir = join(import.meta.dirname, '../../fixtures/digits')
  return readdirSync(dir).find((f) => f.endsWith('.png'))!
}

/** The run fields a bundle carries: its record, never a tested image. */
const manifestRunFields = {
  uid: 0,
  name: 0,
  kind: 0,
  status: 0,
  dataset: 0,
  spec: 0,
  config: 0,
  seed: 0,
  paramCount: 0,
  backend: 0,
  createdAt: 0,
  startedAt: 0,
  finishedAt: 0,
  error: 0,
  notes: 0,
  tags: 0,
  inputScale: 0,
}

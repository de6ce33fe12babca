import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { AppError } from '../../../src/shared/errors'

const FIXTURE = join(import.meta.dirname, '../../fixtures/keras/mnist_mlp_keras3.h5')

describe('an imported model run', () => {
  let dir: string
  let services: Services

  /** A fresh import of the fixture: each test damages its own copy. */
  async function importRun(): Promise<{ runId: number; modelDir: string }> {
    const bytes = new Uint8Array(readFileSync(FIXTURE))
    const { runId } = await services.modelFiles.importModel({ files: [{ name: 'mlp.h5', bytes }] })
    return { runId, modelDir: join(dir, services.runs.get(runId).model!.path) }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sinapse-mf-missing-'))
    services = await createServices({
      dataDir: dir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
  }, 300_000)

  afterAll(async () => {
    await services?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('travels as a run bundle to another data folder, keeping its 0 epochs', async () => {
    const { runId } = await importRun()
    const bundle = await services.bundles.exportBundle({ id: runId })
    const otherDir = mkdtempSync(join(tmpdir(), 'sinapse-mf-other-'))
    const other = await createServices({
      dataDir: otherDir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    try {
      const imported = await other.bundles.importBundle({ name: bundle.fileName, ...bundle })
      expect(imported.duplicate).toBe(false)
      const run = other.runs.get(imported.runId)
      expect(run).toMatchObject({
        kind: 'imported',
        name: 'mlp',
        uid: services.runs.get(runId).uid,
      })
      expect(run.config.epochs).toBe(0)
      expect(run.model?.sha256).toBe(services.runs.get(runId).model?.sha256)
    } finally {
      await other.close()
      rmSync(otherDir, { recursive: true, force: true })
    }
  })

  it('reports a damaged model.json as MODEL_CORRUPT', async () => {
    const { runId, modelDir } = await importRun()
    writeFileSync(join(modelDir, 'model.json'), '{ not json')
    const err = await services.modelFiles.exportModel({ id: runId, format: 'h5' }).catch((e) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('MODEL_CORRUPT')
    expect((err as AppError).key).toBe('training.modelNotJson')
  })

  it('reports a deleted model folder as MODEL_MISSING, not an internal error', async () => {
    const { runId, modelDir } = await importRun()
    rmSync(modelDir, { recursive: true, force: true })
    for (const format of ['tfjs-zip', 'h5'] as const) {
      const err = await services.modelFiles.exportModel({ id: runId, format }).catch((e) => e)
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).code).toBe('MODEL_MISSING')
      expect((err as AppError).key).toBe('training.modelMissing')
      expect((err as AppError).params).toMatchObject({ file: 'model.json' })
    }
  })
})

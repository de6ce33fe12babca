import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { createServices } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { getPreset } from '../../../src/shared/presets'
import { cli, tempDataDir } from './cli-helpers'

const bin = join(import.meta.dirname, '../../../bin/sinapse.js')
const fixtures = join(import.meta.dirname, '../../fixtures')

describe('a data folder that refuses the trained model mid-training', () => {
  const dataDir = tempDataDir()
  const home = mkdtempSync(join(tmpdir(), 'sinapse-home-'))
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(home, { recursive: true, force: true })
  })

  it('the CLI says so and saves the model, still in memory, in a named folder of the user', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'train', '--epochs', '5', '--limit', '1000', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: home, LANG: 'en_US.UTF-8' },
      },
    )
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let swapped = false
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (!swapped && /^Epoch 1\/5:/m.test(stdout)) {
        swapped = true
        // Root ignores chmod, so the models folder becomes a file: no model can be written there.
        rmSync(join(dataDir, 'models'), { recursive: true, force: true })
        writeFileSync(join(dataDir, 'models'), 'not a folder')
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(swapped).toBe(true)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('could not be saved in the data folder')
    const fallback = join(home, 'sinapse-models')
    expect(stdout).toContain(`it was saved in ${fallback}`)

    const db = new Database(join(dataDir, 'sinapse.db'), { readonly: true })
    const row = db
      .prepare(
        `SELECT r.id, r.status, m.path, (SELECT count(*) FROM epochs e WHERE e.run_id = r.id) epochs,
           (SELECT count(*) FROM evaluations v WHERE v.run_id = r.id) evaluations
         FROM runs r JOIN models m ON m.run_id = r.id`,
      )
      .get() as { id: number; status: string; path: string; epochs: number; evaluations: number }
    db.close()
    expect(row).toMatchObject({ status: 'completed', epochs: 5, evaluations: 1 })
    expect(row.path.startsWith(fallback)).toBe(true)
    expect(existsSync(join(row.path, 'weights.bin'))).toBe(true)

    // The run works from there: it predicts.
    rmSync(join(dataDir, 'models'))
    const predicted = await cli(
      dataDir,
      'predict',
      String(row.id),
      join(fixtures, 'digits', '7-thick-marker.png'),
    )
    expect(predicted.code).toBe(0)
    expect(predicted.stdout).toMatch(/7-thick-marker\.png.*7/)
  })
})

describe('the app’s action for a model the data folder refused', () => {
  it('saves it through training:saveModel while it is in memory, then says it is gone', async () => {
    const dataDir = tempDataDir()
    const fallback = mkdtempSync(join(tmpdir(), 'sinapse-fallback-'))
    let swapped = false
    const services = await createServices({
      dataDir,
      locale: 'pt-BR',
      fallbackModelsDir: fallback,
      ...nodeWorkerOptions(),
      emit: (event) => {
        if (event === 'training:epoch' && !swapped) {
          swapped = true
          rmSync(join(dataDir, 'models'), { recursive: true, force: true })
          writeFileSync(join(dataDir, 'models'), 'not a folder')
        }
      },
    })
    try {
      const preset = getPreset('tutorial-mlp')
      const { runId, done } = await services.training.start({
        spec: preset.spec,
        config: { ...preset.config, epochs: 3, limit: 1000 },
        dataset: 'mnist',
      })
      const finished = await done
      expect(swapped).toBe(true)
      expect(finished).toMatchObject({ status: 'completed', model: null })
      expect(finished.history).toHaveLength(3)
      expect(finished.evaluation?.accuracy).toBeGreaterThan(0.5)
      expect(finished.error).toContain('não pôde ser salvo na pasta de dados')

      const ctx = { locale: 'pt-BR' as const }
      const { path } = await services.handlers['training:saveModel']({ runId }, ctx)
      expect(path.startsWith(fallback)).toBe(true)
      const run = await services.handlers['runs:get']({ id: runId }, ctx)
      expect(run.model?.path).toBe(path)
      expect(run.error).toContain(path)
      const again = await Promise.resolve(
        services.handlers['training:saveModel']({ runId }, ctx),
      ).then(
        () => null,
        (err: unknown) => err as Error,
      )
      expect(again?.message).toContain('is no longer in memory')
    } finally {
      await services.close()
      rmSync(dataDir, { recursive: true, force: true })
      rmSync(fallback, { recursive: true, force: true })
    }
  })
})

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../../src/main/store/db'
import { isProcessAlive } from '../../../src/main/store/process-liveness'
import { createRunsRepo, ORPHAN_ERRORS } from '../../../src/main/store/runs-repo'
import { createStepClock, runInput } from './fixtures'

let dir: string
const open: Database[] = []

function openTracked(file: string): Database {
  const db = openDatabase(file)
  open.push(db)
  return db
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sinapse-conc-'))
})

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('concurrent access', () => {
  it('lets a second connection see committed epochs while the first keeps writing', () => {
    const file = join(dir, 'sinapse.db')
    const trainer = createRunsRepo(openTracked(file), { now: createStepClock() })
    const lister = createRunsRepo(openTracked(file), { now: createStepClock() })
    const run = trainer.create(runInput({ status: 'running' }))

    for (let n = 1; n <= 3; n++) {
      trainer.addEpoch(run.id, {
        epoch: n,
        loss: 1 / n,
        accuracy: 0.9,
        valLoss: null,
        valAccuracy: 0.8 + n / 100,
        durationMs: 10,
      })
      expect(lister.list()[0]).toMatchObject({ id: run.id, epochs: n, status: 'running' })
    }
    // The lister's orphan sweep must not touch a run whose owner is alive.
    expect(
      lister.markOrphans((o) => (o.pid !== null && isProcessAlive(o.pid) ? null : 'ownerGone')),
    ).toEqual([])
    trainer.finish(run.id, 'completed', null)
    expect(lister.get(run.id)?.status).toBe('completed')
    expect(lister.get(run.id)?.bestValAccuracy).toBe(0.8 + 3 / 100)
  })

  it('lists 1,000 runs of 30 epochs with correct aggregates', () => {
    const db = openTracked(join(dir, 'big.db'))
    const repo = createRunsRepo(db, { now: createStepClock() })
    db.transaction(() => {
      for (let r = 0; r < 1000; r++) {
        const run = repo.create(runInput({ name: `run ${r}` }))
        for (let e = 1; e <= 30; e++) {
          repo.addEpoch(run.id, {
            epoch: e,
            loss: 1 / e,
            accuracy: e / 31,
            valLoss: 1 / e,
            // Peaks at epoch (r % 30) + 1 with value r / 1000.
            valAccuracy: e === (r % 30) + 1 ? r / 1000 : r / 2000,
            durationMs: 5,
          })
        }
        if (r % 2 === 0) {
          repo.saveEvaluation(run.id, {
            loss: 0.1,
            accuracy: r / 1000,
            confusionMatrix: [],
            perClass: [],
            sampleCount: 1,
          })
        }
      }
    })()

    const list = repo.list()
    expect(list).toHaveLength(1000)
    expect(list[0].name).toBe('run 999')
    expect(list[999].name).toBe('run 0')
    for (const summary of list) {
      const r = Number(summary.name.slice(4))
      expect(summary.epochs).toBe(30)
      expect(summary.bestValAccuracy).toBe(r / 1000)
      expect(summary.testAccuracy).toBe(r % 2 === 0 ? r / 1000 : null)
    }

    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM epochs e WHERE e.run_id = 1`)
      .all()
      .map((row) => (row as { detail: string }).detail)
      .join('\n')
    expect(plan).toMatch(/SEARCH e USING (COVERING |PRIMARY )?(INDEX|KEY)/)
  })
})

describe('SIGKILL during training', () => {
  it('keeps the database intact with every committed epoch, then marks the run interrupted', async () => {
    const file = join(dir, 'killed.db')
    const script = fileURLToPath(new URL('./epoch-writer.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))

    let runId = 0
    let lastEpoch = 0
    await new Promise<void>((resolve, reject) => {
      let buffer = ''
      child.on('exit', () => reject(new Error(`writer exited early: ${stderr}`)))
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString()
        const lines = buffer.split('\n')
        buffer = lines.pop() ?? ''
        for (const line of lines) {
          const [word, value] = line.split(' ')
          if (word === 'run') runId = Number(value)
          if (word === 'epoch') lastEpoch = Number(value)
        }
        if (lastEpoch >= 40) {
          child.kill('SIGKILL')
          resolve()
        }
      })
    })
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode)
      else child.on('exit', (_code, sig) => resolve(sig))
    })
    expect(signal).toBe('SIGKILL')

    const db = openTracked(file)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const repo = createRunsRepo(db, { now: createStepClock() })
    const before = repo.get(runId)
    expect(before?.status).toBe('running')
    // Everything the writer reported as committed is there, in order, with its values.
    expect(before!.epochs).toBeGreaterThanOrEqual(lastEpoch)
    expect(before!.history.slice(0, lastEpoch).map((e) => e.epoch)).toEqual(
      Array.from({ length: lastEpoch }, (_, i) => i + 1),
    )
    expect(before!.history[9]).toMatchObject({ loss: 1 / 10, durationMs: 10 })

    expect(
      repo.markOrphans((o) => (o.pid !== null && isProcessAlive(o.pid) ? null : 'ownerGone')),
    ).toEqual([runId])
    const after = repo.get(runId)
    expect(after).toMatchObject({ status: 'interrupted', error: ORPHAN_ERRORS.ownerGone })
    expect(after!.history).toHaveLength(before!.history.length)
  })
})

import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, tempDataDir } from '../cli/cli-helpers'

const fixtures = join(import.meta.dirname, '../../fixtures')

/** A pid that belonged to a process that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  })
  return Number(child.stdout)
}

function query<T>(dataDir: string, sql: string, ...params: (string | number)[]): T[] {
  const db = new Database(join(dataDir, 'sinapse.db'))
  try {
    const statement = db.prepare(sql)
    if (statement.reader) return statement.all(...params) as T[]
    statement.run(...params)
    return []
  } finally {
    db.close()
  }
}

function modelFolder(parent: string, name: string, extra: Record<string, string> = {}): string {
  const dir = join(parent, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'model.json'), '{"modelTopology":{},"weightsManifest":[]}')
  writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(16))
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text)
  return dir
}

describe('model folders left by a killed process', () => {
  const dataDir = tempDataDir()
  let runId = 0
  let folder = ''

  beforeAll(async () => {
    const r = await cli(dataDir, 'train', '--epochs', '1', '--limit', '1000', '--json')
    expect(r.code).toBe(0)
    runId = JSON.parse(r.stdout).runId
    const [row] = query<{ path: string }>(
      dataDir,
      'SELECT path FROM models WHERE run_id = ?',
      runId,
    )
    folder = join(dataDir, row.path)
  })
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('attaches a trained run’s complete folder whose row was never written, keeping the weights', async () => {
    // The state a kill between the folder's rename and its row leaves: the run still `running`
    // under a dead owner, its epochs committed, the folder complete, no model row.
    query(dataDir, 'DELETE FROM models WHERE run_id = ?', runId)
    query(dataDir, 'DELETE FROM evaluations WHERE run_id = ?', runId)
    query(
      dataDir,
      "UPDATE runs SET status = 'running', finished_at = NULL, owner_pid = ?, owner_token = 'dead' WHERE id = ?",
      deadPid(),
      runId,
    )

    const shown = await cli(dataDir, 'show', String(runId), '--json')
    const run = JSON.parse(shown.stdout)
    expect(run).toMatchObject({ status: 'interrupted', epochs: 1 })
    expect(run.model?.path).toBe(join('models', folder.split('/').pop()!))
    const predicted = await cli(
      dataDir,
      'predict',
      String(runId),
      join(fixtures, 'digits', '7-thick-marker.png'),
    )
    expect(predicted.code).toBe(0)
  })

  it('removes only unreferenced folders named and filled the way Sinapse writes them', async () => {
    const models = join(dataDir, 'models')
    const longAgo = new Date(Date.now() - 60 * 60_000)
    const oldOrphan = modelFolder(models, `run-${randomUUID()}`)
    utimesSync(oldOrphan, longAgo, longAgo)
    // A second folder of a finished run that uses another one: a leftover, removed.
    const [{ uid }] = query<{ uid: string }>(dataDir, 'SELECT uid FROM runs WHERE id = ?', runId)
    const clash = modelFolder(models, `run-${uid}-0a1b2c3d`)
    utimesSync(clash, longAgo, longAgo)
    // Maybe an import in another process, renamed into place a moment before its row.
    const fresh = modelFolder(models, `run-${randomUUID()}`)
    const withUserFile = modelFolder(models, `run-${randomUUID()}`, { 'notes.txt': 'mine' })
    utimesSync(withUserFile, longAgo, longAgo)
    const userFolder = modelFolder(models, 'my-best-model')
    utimesSync(userFolder, longAgo, longAgo)
    const deadTemp = modelFolder(models, `.run-${randomUUID()}.tmp-${deadPid()}-0badf00d`)
    const liveTemp = modelFolder(models, `.run-${randomUUID()}.tmp-${process.pid}-0badf00d`)
    const staleImport = modelFolder(models, `.import-${randomUUID()}`)
    utimesSync(staleImport, longAgo, longAgo)

    expect((await cli(dataDir, 'runs')).code).toBe(0)

    for (const gone of [clash, deadTemp, staleImport]) expect(existsSync(gone)).toBe(false)
    // A folder whose run is absent may be all that is left of a lost database's run: kept.
    for (const kept of [oldOrphan, fresh, withUserFile, userFolder, liveTemp, folder]) {
      expect(existsSync(kept)).toBe(true)
    }
  })

  it('moves back a model set aside for a replacement that never arrived', async () => {
    const models = join(dataDir, 'models')
    const name = folder.split('/').pop()!
    const aside = join(models, `.${name}.old-${deadPid()}-12345678`)
    rmSync(aside, { recursive: true, force: true })
    // The kill came after the old folder was moved aside and before the new one took its place.
    renameSync(folder, aside)
    expect((await cli(dataDir, 'runs')).code).toBe(0)
    expect(existsSync(folder)).toBe(true)
    expect(readdirSync(models).some((n) => n.includes('.old-'))).toBe(false)
    expect(
      (await cli(dataDir, 'predict', String(runId), join(fixtures, 'digits', '7-thick-marker.png')))
        .code,
    ).toBe(0)
  })
})

describe('model folders when the database is lost', () => {
  it('keeps a trained model its database no longer lists: an emptied or deleted database takes none', async () => {
    const dataDir = tempDataDir()
    try {
      const r = await cli(dataDir, 'train', '--epochs', '1', '--limit', '500', '--json')
      expect(r.code).toBe(0)
      const models = join(dataDir, 'models')
      const [trained] = readdirSync(models)
      const longAgo = new Date(Date.now() - 60 * 60_000)
      utimesSync(join(models, trained), longAgo, longAgo)
      // A crash or a full disk left the database empty (the same as deleting it): Sinapse
      // starts a new one, and before the fix removed every model folder it did not list.
      truncateSync(join(dataDir, 'sinapse.db'), 0)
      for (const suffix of ['-wal', '-shm'])
        rmSync(join(dataDir, `sinapse.db${suffix}`), { force: true })
      const runs = await cli(dataDir, 'runs', '--json')
      expect(runs.code).toBe(0)
      expect(JSON.parse(runs.stdout)).toEqual([])
      expect(readdirSync(models)).toEqual([trained])
      expect(readdirSync(join(models, trained)).sort()).toContain('model.json')
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

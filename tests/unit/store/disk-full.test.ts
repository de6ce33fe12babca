import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/services'
import { openDatabase } from '../../../src/main/store/db'
import { createRunsRepo } from '../../../src/main/store/runs-repo'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { AppError, toErrorInfo } from '../../../src/shared/errors'
import { cli } from '../cli/cli-helpers'
import { runInput } from './fixtures'

/** Mounts a 1 MiB tmpfs (needs root or CAP_SYS_ADMIN); null, with the reason, where refused. */
function mountTinyDisk(): { dir: string } | { refused: string } {
  if (process.platform !== 'linux') return { refused: 'tmpfs mounts need Linux' }
  const dir = mkdtempSync(join(tmpdir(), 'sinapse-full-'))
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1M', 'tmpfs', dir], { encoding: 'utf8' })
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    return {
      refused: `mount -t tmpfs was refused (${(r.stderr || r.error?.message || '').trim()})`,
    }
  }
  return { dir }
}

/** Fills the disk under `dir` until the OS says ENOSPC. */
function fill(dir: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1)
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return
      throw err
    }
  }
}

const disk = mountTinyDisk()
const refused = 'refused' in disk ? disk.refused : null
if (refused) console.warn(`disk-full tests on a real full disk skipped: ${refused}`)

describe.skipIf(refused !== null)('a full disk, for real (1 MiB tmpfs)', () => {
  const root = 'dir' in disk ? disk.dir : ''
  const dataDir = join(root, 'data')
  let services: Services | null = null

  beforeAll(async () => {
    // Two runs' worth of data exist before the disk fills.
    expect((await cli(dataDir, 'runs')).code).toBe(0)
    const db = openDatabase(join(dataDir, 'sinapse.db'))
    const repo = createRunsRepo(db, { now: () => new Date() })
    const run = repo.create(runInput({ name: 'before the disk filled', ownerPid: null }))
    repo.finish(run.id, 'completed', null)
    db.close()
    fill(root)
  })

  afterAll(async () => {
    await services?.close()
    spawnSync('umount', [root])
    rmSync(root, { recursive: true, force: true })
  })

  it('the CLI says the disk is full and what to do, exit 1, in both languages', async () => {
    for (const command of [['runs'], ['runs', '--json'], ['show', '1']]) {
      const r = await cli(dataDir, ...command, '--json')
      expect(r.code).toBe(1)
      const { error } = JSON.parse(r.stdout)
      expect(error.code).toBe('DISK_FULL')
      expect(error.message).toMatch(/disk is full/i)
      expect(error.message).toMatch(/free some space/i)
      expect(error.message).not.toMatch(/inside Sinapse/)
    }
    const pt = await cli(dataDir, 'runs', '--lang', 'pt-BR')
    expect(pt.code).toBe(1)
    expect(pt.stderr).toContain('disco está cheio')
  })

  it('the app’s commands answer DISK_FULL too', async () => {
    // Free a little so the database opens, then fill again: the failure comes from a command.
    rmSync(join(root, 'filler-0'))
    services = await createServices({
      dataDir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    fill(root)
    const runs = services.runs.list()
    expect(runs[0].name).toBe('before the disk filled')
    const update = services.handlers['runs:update'](
      { id: runs[0].id, notes: 'x'.repeat(600_000) },
      { locale: 'pt-BR' },
    )
    const err = await Promise.resolve(update).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(AppError)
    expect(toErrorInfo(err, 'pt-BR')).toMatchObject({ code: 'DISK_FULL' })
    expect(toErrorInfo(err, 'pt-BR').message).toContain('disco está cheio')
    // What was there before is intact.
    expect(services.runs.list()[0].notes).toBeNull()
  })
})

describe('SQLITE_FULL from SQLite itself (max_page_count)', () => {
  it('reads as a full disk, not as an internal error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-pages-'))
    try {
      const db = openDatabase(join(dir, 'sinapse.db'))
      const repo = createRunsRepo(db, { now: () => new Date() })
      const run = repo.create(runInput())
      const pages = db.pragma('page_count', { simple: true }) as number
      db.pragma(`max_page_count = ${pages}`)
      let caught: unknown = null
      try {
        repo.setNotes(run.id, 'x'.repeat(100_000))
      } catch (err) {
        caught = err
      }
      expect((caught as { code?: string }).code).toBe('SQLITE_FULL')
      const info = toErrorInfo(caught, 'en')
      expect(info.code).toBe('DISK_FULL')
      expect(info.message).toMatch(/disk is full/)
      db.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

import BetterSqlite3 from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { openDatabase, type Database } from '../../../src/main/store/db'
import { loadMigrations } from '../../../src/main/store/migrate'
import { createRunsRepo } from '../../../src/main/store/runs-repo'
import { createStepClock, runInput } from './fixtures'

let dir: string
const open: Database[] = []
// The shipped migrations; the tests add theirs after the newest one.
const shipped = loadMigrations()
const latest = shipped[shipped.length - 1].version
const migrationFile = (version: number, name: string) =>
  `${String(version).padStart(4, '0')}_${name}.sql`

function track(db: Database): Database {
  open.push(db)
  return db
}

const isRoot = process.getuid?.() === 0

/**
 * Makes `path` unwritable and returns the undo. Permission bits do not stop root, so as root the
 * path is bind-mounted read-only over itself (EROFS), which needs mount privileges.
 */
function lockReadOnly(path: string, mode: number): () => void {
  if (!isRoot) {
    const before = statSync(path).mode & 0o777
    chmodSync(path, mode)
    return () => chmodSync(path, before)
  }
  execFileSync('mount', ['--bind', path, path], { stdio: 'ignore' })
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', path], { stdio: 'ignore' })
  } catch (err) {
    execFileSync('umount', [path], { stdio: 'ignore' })
    throw err
  }
  return () => execFileSync('umount', [path], { stdio: 'ignore' })
}

/** Whether `lockReadOnly` works here: always for a normal user, for root only if mount does. */
const canLock = (() => {
  if (!isRoot) return true
  const probe = mkdtempSync(join(tmpdir(), 'sinapse-ro-probe-'))
  try {
    lockReadOnly(probe, 0o500)()
    return true
  } catch {
    return false
  } finally {
    rmSync(probe, { recursive: true, force: true })
  }
})()
const lockNote = canLock ? '' : ' (as root this needs `mount --bind`, refused here)'

function catchError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected an AppError')
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sinapse-db-'))
})

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('openDatabase', () => {
  it('creates the schema in memory with foreign keys on', () => {
    const db = track(openDatabase(':memory:'))
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all()
    expect(tables).toEqual([
      'epochs',
      'evaluations',
      'lessons',
      'models',
      'rescores',
      'runs',
      'schema_migrations',
    ])
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    const versions = db.prepare('SELECT version, name FROM schema_migrations').all()
    expect(versions).toEqual(shipped.map((m) => ({ version: m.version, name: m.name })))
    expect(versions[0]).toEqual({ version: 1, name: 'init' })
  })

  it('uses WAL on a file, keeps data across reopening and does not re-apply migrations', () => {
    const file = join(dir, 'nested', 'sinapse.db')
    const first = track(openDatabase(file, { now: () => new Date('2025-01-01T00:00:00.000Z') }))
    expect(first.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(first.pragma('synchronous', { simple: true })).toBe(1)
    const run = createRunsRepo(first, { now: createStepClock() }).create(runInput())
    first.close()

    const second = track(openDatabase(file, { now: () => new Date('2030-01-01T00:00:00.000Z') }))
    const rows = second.prepare('SELECT version, applied_at FROM schema_migrations').all()
    expect(rows).toEqual(
      shipped.map((m) => ({ version: m.version, applied_at: '2025-01-01T00:00:00.000Z' })),
    )
    expect(createRunsRepo(second, { now: createStepClock() }).get(run.id)?.uid).toBe(run.uid)
  })

  it('refuses a database written by a newer version and leaves it unchanged', () => {
    const file = join(dir, 'future.db')
    const db = openDatabase(file)
    db.prepare("INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2040-01-01')").run()
    db.close()

    const err = catchError(() => openDatabase(file))
    expect(err.code).toBe('IO_ERROR')
    expect(err.key).toBe('store.newerSchema')
    expect(err.message).toContain('schema version 9999')
    expect(err.message).toContain(`knows up to ${latest}`)
    expect(err.localized('pt-BR')).toContain('versão mais nova do Sinapse')

    const raw = track(new BetterSqlite3(file, { readonly: true }))
    expect(raw.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([
      ...shipped.map((m) => m.version),
      9999,
    ])
    expect(raw.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0)
  })

  it('refuses a file that is not a SQLite database', () => {
    const file = join(dir, 'notes.db')
    writeFileSync(file, 'These are my class notes, not a database.\n'.repeat(200))
    const err = catchError(() => openDatabase(file))
    expect(err.code).toBe('IO_ERROR')
    expect(err.key).toBe('store.notDatabase')
    expect(err.message).toContain(file)
    expect(readFileSync(file, 'utf8')).toMatch(/^These are my class notes/)
  })

  it('refuses a database whose schema pages are damaged', () => {
    const file = join(dir, 'damaged.db')
    const db = openDatabase(file)
    db.pragma('journal_mode = DELETE')
    db.close()
    const bytes = readFileSync(file)
    // Keep the 100-byte header valid but garble the rest of page 1, which holds sqlite_master.
    bytes.fill(0xa5, 100, 4096)
    writeFileSync(file, bytes)
    const err = catchError(() => openDatabase(file))
    expect(err.code).toBe('IO_ERROR')
    expect(err.key).toBe('store.notDatabase')
  })

  it('reports a data folder that cannot be created', () => {
    const blocker = join(dir, 'a-file')
    writeFileSync(blocker, 'not a folder')
    const err = catchError(() => openDatabase(join(blocker, 'sub', 'sinapse.db')))
    expect(err.code).toBe('DATA_DIR_UNWRITABLE')
    expect(err.key).toBe('store.cannotCreate')
    expect(err.message).toContain('ENOTDIR')
  })

  it.skipIf(!canLock)(`reports a read-only data folder${lockNote}`, () => {
    const locked = join(dir, 'locked')
    openDatabase(join(locked, 'probe.db')).close()
    const unlock = lockReadOnly(locked, 0o500)
    try {
      const err = catchError(() => openDatabase(join(locked, 'sinapse.db')))
      expect(err.code).toBe('DATA_DIR_UNWRITABLE')
      expect(err.key).toBe('store.cannotOpen')
    } finally {
      unlock()
    }
  })

  it.skipIf(!canLock)(`reports a write-protected database file${lockNote}`, () => {
    const file = join(dir, 'protected.db')
    openDatabase(file).close()
    const unlock = lockReadOnly(file, 0o400)
    try {
      const err = catchError(() => openDatabase(file))
      expect(err.code).toBe('DATA_DIR_UNWRITABLE')
      expect(err.key).toBe('store.cannotOpen')
    } finally {
      unlock()
    }
  })

  it('opens read-only without writing, and refuses an outdated schema there', () => {
    const file = join(dir, 'ro.db')
    openDatabase(file).close()
    const ro = track(openDatabase(file, { readonly: true }))
    expect(() => ro.prepare("INSERT INTO schema_migrations VALUES (2, 'x', 'y')").run()).toThrow(
      /readonly/,
    )

    const migrations = join(dir, 'migrations')
    copyMigrations(migrations)
    writeFileSync(
      join(migrations, migrationFile(latest + 1, 'add_color')),
      'ALTER TABLE runs ADD COLUMN color TEXT;',
    )
    const err = catchError(() => openDatabase(file, { readonly: true, migrationsDir: migrations }))
    expect(err.key).toBe('store.readonlyOutdated')
  })
})

describe('migrations', () => {
  it('applies a new numbered file on the next open, in order', () => {
    const file = join(dir, 'm.db')
    const migrations = join(dir, 'migrations')
    copyMigrations(migrations)
    openDatabase(file, { migrationsDir: migrations }).close()

    writeFileSync(
      join(migrations, migrationFile(latest + 2, 'second')),
      'CREATE TABLE b (x TEXT REFERENCES a (y));',
    )
    writeFileSync(
      join(migrations, migrationFile(latest + 1, 'first')),
      'CREATE TABLE a (y TEXT PRIMARY KEY);',
    )
    expect(loadMigrations(migrations).map((m) => m.name)).toEqual([
      ...shipped.map((m) => m.name),
      'first',
      'second',
    ])
    const db = track(openDatabase(file, { migrationsDir: migrations }))
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([
      ...shipped.map((m) => m.version),
      latest + 1,
      latest + 2,
    ])
  })

  it('rolls back every pending migration when one fails', () => {
    const file = join(dir, 'm.db')
    const migrations = join(dir, 'migrations')
    copyMigrations(migrations)
    writeFileSync(
      join(migrations, migrationFile(latest + 1, 'ok')),
      'CREATE TABLE fine (x INTEGER);',
    )
    writeFileSync(join(migrations, migrationFile(latest + 2, 'broken')), 'CREATE TABLE oops (;')
    const err = catchError(() => openDatabase(file, { migrationsDir: migrations }))
    expect(err.key).toBe('store.migrationFailed')
    expect(err.params.version).toBe(latest + 2)

    rmSync(join(migrations, migrationFile(latest + 1, 'ok')))
    rmSync(join(migrations, migrationFile(latest + 2, 'broken')))
    const db = track(openDatabase(file, { migrationsDir: migrations }))
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'fine'").all()
    expect(tables).toEqual([])
  })

  it('rejects a misnamed migration file', () => {
    const migrations = join(dir, 'migrations')
    copyMigrations(migrations)
    writeFileSync(join(migrations, '2_bad.sql'), 'SELECT 1;')
    expect(() => loadMigrations(migrations)).toThrow(/0001_name\.sql/)
  })
})

function copyMigrations(target: string): void {
  rmSync(target, { recursive: true, force: true })
  const source = new URL('../../../src/main/store/migrations/', import.meta.url)
  for (const m of loadMigrations(source)) {
    writeFileSync(
      join(ensureDir(target), `${String(m.version).padStart(4, '0')}_${m.name}.sql`),
      m.sql,
    )
  }
}

function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true })
  return path
}

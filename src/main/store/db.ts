import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import type { Database } from 'better-sqlite3'
import { AppError } from '../../shared/errors'
import { toDiskFullError } from '../storage-errors'
import {
  assertNotNewer,
  loadMigrations,
  migrate,
  readAppliedVersions,
  type Migration,
} from './migrate'

export type { Database }

export interface OpenDatabaseOptions {
  /** Path to a better_sqlite3.node built for the running ABI (Electron loads its own build). */
  nativeBinding?: string
  /** Open without writing: no migrations run, and the schema must already be current. */
  readonly?: boolean
  /** Folder of `NNNN_name.sql` files; defaults to the one next to migrate.ts. */
  migrationsDir?: string | URL
  /** Clock for `schema_migrations.applied_at`. */
  now?: () => Date
}

/**
 * Opens (creating if needed) the run database at `file`, or `':memory:'`, sets the pragmas and
 * brings the schema up to date. Failures a user can fix become AppErrors: a folder that cannot
 * be written, a file that is not a SQLite database or is damaged, a database from a newer Sinapse.
 */
export function openDatabase(file: string, opts: OpenDatabaseOptions = {}): Database {
  const inMemory = file === ':memory:'
  if (!inMemory && !opts.readonly) {
    try {
      mkdirSync(dirname(file), { recursive: true })
    } catch (err) {
      throw new AppError('DATA_DIR_UNWRITABLE', 'store.cannotCreate', {
        path: file,
        detail: describe(err),
      })
    }
  }

  let db: Database | undefined
  try {
    db = new BetterSqlite3(file, {
      readonly: opts.readonly ?? false,
      fileMustExist: opts.readonly ?? false,
      nativeBinding: opts.nativeBinding,
    })
    // Opening is lazy: a non-SQLite file fails at the first pragma that reads it, not above.
    db.pragma('busy_timeout = 5000')
    if (!opts.readonly) db.pragma('journal_mode = WAL')
    // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the
    // last commits, which is acceptable for training history.
    db.pragma('synchronous = NORMAL')

    const migrations = loadMigrations(opts.migrationsDir)
    if (opts.readonly) {
      assertCurrent(db, migrations)
    } else {
      migrate(db, migrations, opts.now)
      // SQLite silently opens a write-protected file read-only and only fails at the first write,
      // which would be mid-training. Rewriting user_version with its own value is a cheap probe.
      const userVersion = db.pragma('user_version', { simple: true }) as number
      db.pragma(`user_version = ${userVersion}`)
    }
    db.pragma('foreign_keys = ON')
    return db
  } catch (err) {
    db?.close()
    throw toStoreError(err, file)
  }
}

function assertCurrent(db: Database, migrations: Migration[]): void {
  const applied = readAppliedVersions(db)
  assertNotNewer(db, applied, migrations)
  if (migrations.some((m) => !applied.includes(m.version))) {
    throw new AppError('IO_ERROR', 'store.readonlyOutdated', { path: db.name })
  }
}

/** Maps SQLite's failure codes to what the student can do about them. */
function toStoreError(err: unknown, file: string): unknown {
  if (err instanceof AppError) return err
  const code = err instanceof Error && 'code' in err ? String(err.code) : ''
  const params = { path: file, detail: describe(err) }
  if (/^SQLITE_(CANTOPEN|READONLY|PERM|AUTH)/.test(code)) {
    return new AppError('DATA_DIR_UNWRITABLE', 'store.cannotOpen', params)
  }
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) {
    return new AppError('IO_ERROR', 'store.notDatabase', params)
  }
  if (/^SQLITE_FULL/.test(code)) return new AppError('DISK_FULL', 'store.diskFull', params)
  const full = toDiskFullError(err, dirname(file))
  if (full) return new AppError('DISK_FULL', 'store.diskFull', params)
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return new AppError('BUSY', 'store.locked', params)
  return err
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

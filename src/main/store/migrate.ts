import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Database } from 'better-sqlite3'
import { AppError } from '../../shared/errors'

/** One numbered schema change, from a file named `NNNN_name.sql`. */
export interface Migration {
  version: number
  name: string
  sql: string
}

/**
 * Where the migration files live. They are read with fs from the folder next to this module
 * rather than imported (Vite's `?raw` does not exist under tsx/vitest), so the SQL stays plain
 * `.sql` files everywhere. When electron-vite bundles main, `import.meta.url` is the bundle's
 * file: the build must copy this folder next to it, or callers pass the folder explicitly.
 */
export const DEFAULT_MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/

/** Reads every `NNNN_name.sql` in `dir`, sorted by version; a malformed or duplicate name throws. */
export function loadMigrations(dir: string | URL = DEFAULT_MIGRATIONS_DIR): Migration[] {
  const folder = dir instanceof URL ? fileURLToPath(dir) : dir
  const migrations: Migration[] = []
  for (const file of readdirSync(folder)) {
    if (!file.endsWith('.sql')) continue
    const match = FILE_PATTERN.exec(file)
    if (!match) throw new Error(`Migration file name must look like 0001_name.sql: ${file}`)
    const version = Number(match[1])
    if (migrations.some((m) => m.version === version)) {
      throw new Error(`Two migration files share version ${version}`)
    }
    migrations.push({ version, name: match[2], sql: readFileSync(join(folder, file), 'utf8') })
  }
  return migrations.sort((a, b) => a.version - b.version)
}

/** The versions recorded in `schema_migrations`, ascending; empty for a fresh database. */
export function readAppliedVersions(db: Database): number[] {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get()
  if (!table) return []
  return db
    .prepare('SELECT version FROM schema_migrations ORDER BY version')
    .pluck()
    .all() as number[]
}

/**
 * Throws when the database holds a version this code does not know: it was written by a newer
 * Sinapse, and running older code against it (or "downgrading" it) could lose data.
 */
export function assertNotNewer(db: Database, applied: number[], migrations: Migration[]): void {
  const known = new Set(migrations.map((m) => m.version))
  const unknown = applied.find((v) => !known.has(v))
  if (unknown === undefined) return
  throw new AppError('IO_ERROR', 'store.newerSchema', {
    path: db.name,
    version: Math.max(...applied),
    known: migrations.length > 0 ? migrations[migrations.length - 1].version : 0,
  })
}

/**
 * Applies the pending migrations in order, all in one IMMEDIATE transaction, and records each in
 * `schema_migrations`. Returns the versions applied now (empty when already current).
 */
export function migrate(
  db: Database,
  migrations: Migration[],
  now: () => Date = () => new Date(),
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`)
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  )
  // Foreign keys cannot be switched inside a transaction, and a migration that rebuilds a table
  // (create new, copy, drop old) would otherwise cascade-delete child rows. SQLite's documented
  // procedure: turn them off, migrate, then check before committing.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number
  db.pragma('foreign_keys = OFF')
  try {
    return db
      .transaction(() => {
        // Read inside the write lock: another process may have migrated while this one waited.
        const applied = readAppliedVersions(db)
        assertNotNewer(db, applied, migrations)
        const done = new Set(applied)
        const pending = migrations.filter((m) => !done.has(m.version))
        for (const m of pending) {
          try {
            db.exec(m.sql)
          } catch (err) {
            throw new AppError('IO_ERROR', 'store.migrationFailed', {
              path: db.name,
              version: m.version,
              detail: err instanceof Error ? err.message : String(err),
            })
          }
          record.run(m.version, m.name, now().toISOString())
        }
        const violations = db.pragma('foreign_key_check') as unknown[]
        if (violations.length > 0) {
          throw new AppError('IO_ERROR', 'store.migrationFailed', {
            path: db.name,
            version: pending[pending.length - 1]?.version ?? 0,
            detail: `${violations.length} foreign key violations`,
          })
        }
        return pending.map((m) => m.version)
      })
      .immediate()
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`)
  }
}

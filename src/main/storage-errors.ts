import { statfsSync } from 'node:fs'
import { AppError, isDiskFullCode } from '../shared/errors'

/** Below this much free space, SQLite's generic "disk I/O error" is taken for a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024

/**
 * The clear "disk is full" error for a raw failure that is one, or null. SQLITE_FULL and ENOSPC
 * say so themselves; SQLite reports some writes that ran out of space (its WAL index, a journal)
 * only as SQLITE_IOERR, so for those the free space under `path` decides.
 */
export function toDiskFullError(err: unknown, path: string): AppError | null {
  if (err instanceof AppError) return err.code === 'DISK_FULL' ? err : null
  const code = err instanceof Error && 'code' in err ? String(err.code) : ''
  if (isDiskFullCode(err) || (/^SQLITE_IOERR/.test(code) && nearlyFull(path))) {
    return new AppError('DISK_FULL', 'error.diskFull', { path })
  }
  return null
}

function nearlyFull(path: string): boolean {
  try {
    const fs = statfsSync(path)
    return fs.bavail * fs.bsize < NEARLY_FULL_BYTES
  } catch {
    return false
  }
}

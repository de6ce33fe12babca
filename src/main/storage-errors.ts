import { statfsSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError, isDiskFullCode } from '../shared/errors'
import type { MessageKey } from '../shared/i18n'

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

/** System errors a user can act on, said in their language instead of the system's English. */
const IO_REASONS: Record<string, MessageKey> = {
  EACCES: 'error.ioDenied',
  EPERM: 'error.ioDenied',
  EROFS: 'error.ioReadOnly',
  ENOENT: 'error.ioMissing',
  ENOTDIR: 'error.ioNotFolder',
}

/**
 * A failed read or write of the user's `path` as an error naming that path only. The system's
 * message names the file it touched, which for an atomic write is a temporary sibling the user
 * never chose: it is left out.
 */
export function toIoError(path: string, err: unknown): AppError {
  if (err instanceof AppError) return err
  const full = toDiskFullError(err, dirname(path))
  if (full) return new AppError('DISK_FULL', 'error.diskFull', { path })
  const code = err instanceof Error && 'code' in err ? String(err.code) : ''
  const reason = IO_REASONS[code]
  if (reason) return new AppError('IO_ERROR', reason, { path })
  const message = err instanceof Error ? err.message : String(err)
  // "EIO: i/o error, open '/x/.a.tmp-1-ab'": everything from the system call on names paths.
  return new AppError('IO_ERROR', 'error.io', {
    path,
    detail: message.replace(/,\s*[a-z]+\s+'.*$/s, ''),
  })
}

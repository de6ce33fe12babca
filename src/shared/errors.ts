import { translate, type Locale, type MessageKey, type MessageParams } from './i18n'

export const ERROR_CODES = [
  'INVALID_INPUT',
  'INVALID_SPEC',
  'NOT_FOUND',
  'BUSY',
  'DATASET_NOT_FOUND',
  'DATASET_CORRUPT',
  'IMAGE_INVALID',
  'IMAGE_TOO_LARGE',
  'MODEL_MISSING',
  'MODEL_CORRUPT',
  'TRAINING_FAILED',
  'DATA_DIR_UNWRITABLE',
  'IO_ERROR',
  'DISK_FULL',
  'CANCELLED',
  'CONFLICT',
  'INTERNAL',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * An error a user can act on: a stable code for programs and a message key so each edge (CLI,
 * IPC, browser) can say it in the user's language. `message` is the English text.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly key: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(translate('en', key, params))
    this.name = 'AppError'
  }

  localized(locale: Locale): string {
    return translate(locale, this.key, this.params)
  }
}

/** What crosses a process or IPC boundary: plain data, since Electron drops Error fields. */
export interface ErrorInfo {
  code: ErrorCode
  message: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }

/**
 * Whether a raw error says the disk is full: SQLite's SQLITE_FULL or the OS's ENOSPC (a quota
 * exceeded, EDQUOT, reads the same to the user). SQLite's generic I/O error may also be a full
 * disk; main checks the free space for those (storage-errors.ts).
 */
export function isDiskFullCode(err: unknown): boolean {
  const code = err instanceof Error && 'code' in err ? String(err.code) : ''
  return /^SQLITE_FULL/.test(code) || code === 'ENOSPC' || code === 'EDQUOT'
}

/** Any thrown value as a code and a message in `locale`; unknown errors become INTERNAL. */
export function toErrorInfo(err: unknown, locale: Locale): ErrorInfo {
  if (err instanceof AppError) return { code: err.code, message: err.localized(locale) }
  if (isDiskFullCode(err)) {
    return { code: 'DISK_FULL', message: translate(locale, 'error.diskFullSomewhere') }
  }
  const detail = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message: translate(locale, 'error.internal', { detail }) }
}

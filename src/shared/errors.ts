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

/** Any thrown value as a code and a message in `locale`; unknown errors become INTERNAL. */
export function toErrorInfo(err: unknown, locale: Locale): ErrorInfo {
  if (err instanceof AppError) return { code: err.code, message: err.localized(locale) }
  const detail = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message: translate(locale, 'error.internal', { detail }) }
}

import { constants, type Stats } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { AppError } from '../shared/errors'
import { toIoError as ioError } from './storage-errors'

/**
 * Errors a caller can word for its own kind of file. Each default names the path plainly, so a
 * caller only overrides what its users need said differently (an image, a bundle, a model).
 */
export interface UserFileErrors {
  missing?: (path: string) => AppError
  /** A folder, FIFO, device or socket where a file was expected. */
  notAFile?: (path: string) => AppError
  tooLarge?: (path: string, size: number, limit: number) => AppError
}

export interface ReadUserFileOptions extends UserFileErrors {
  /** Refuse files larger than this many bytes, before reading and while reading. */
  maxBytes: number
}

const MB = 1024 * 1024

function megabytes(n: number): number {
  return Math.round((n / MB) * 10) / 10
}

const defaults: Required<UserFileErrors> = {
  missing: (path) => new AppError('NOT_FOUND', 'error.fileMissing', { path }),
  notAFile: (path) => new AppError('INVALID_INPUT', 'error.notARegularFile', { path }),
  tooLarge: (path, size, limit) =>
    new AppError('INVALID_INPUT', 'error.fileTooLarge', {
      path,
      size: megabytes(size),
      limit: megabytes(limit),
    }),
}

// Opening a FIFO for reading blocks until a writer comes, and a blocked open holds one of libuv's
// four file threads for good; O_NONBLOCK makes that open return at once (Windows has no FIFOs).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

/**
 * What is at a path the user gave, without opening it: 'file' (regular), 'folder', 'other' (a
 * FIFO, device or socket, which must never be opened) or 'missing'. Symbolic links are followed.
 */
export async function userPathKind(path: string): Promise<'file' | 'folder' | 'other' | 'missing'> {
  let info: Stats
  try {
    info = await stat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing'
    throw ioError(path, err)
  }
  if (info.isFile()) return 'file'
  if (info.isDirectory()) return 'folder'
  return 'other'
}

/**
 * Reads a file the user named (STYLE.md rule 13): it must be a regular file (checked by `stat`
 * before opening and by `fstat` on the open handle, so a swap in between is caught), no larger
 * than `maxBytes`, and the read stops at the cap even if the file grows meanwhile. FIFOs, devices
 * (`/dev/zero`), sockets and folders are refused without blocking.
 */
export async function readUserFile(path: string, opts: ReadUserFileOptions): Promise<Uint8Array> {
  const errors = { ...defaults, ...opts }
  const kind = await userPathKind(path)
  if (kind === 'missing') throw errors.missing(path)
  if (kind !== 'file') throw errors.notAFile(path)
  let handle
  try {
    handle = await open(path, OPEN_FLAGS)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw errors.missing(path)
    if (code === 'EISDIR') throw errors.notAFile(path)
    throw ioError(path, err)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw errors.notAFile(path)
    if (info.size > opts.maxBytes) throw errors.tooLarge(path, info.size, opts.maxBytes)
    const buffer = new Uint8Array(Math.min(info.size, opts.maxBytes) + 1)
    let length = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
      if (length > opts.maxBytes) throw errors.tooLarge(path, length, opts.maxBytes)
      if (length === buffer.length) break
    }
    return buffer.subarray(0, length)
  } catch (err) {
    throw err instanceof AppError ? err : ioError(path, err)
  } finally {
    await handle.close()
  }
}

/** A user's text file (UTF-8) read with `readUserFile`'s checks. */
export async function readUserText(path: string, opts: ReadUserFileOptions): Promise<string> {
  return new TextDecoder().decode(await readUserFile(path, opts))
}

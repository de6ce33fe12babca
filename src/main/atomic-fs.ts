import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../shared/errors'
import { toDiskFullError } from './storage-errors'

/** A file to write: a plain name inside the target folder, and its bytes. */
export interface NamedBytes {
  name: string
  bytes: Uint8Array
}

function ioError(file: string, err: unknown): AppError {
  const full = toDiskFullError(err, path.dirname(file))
  if (full) return new AppError('DISK_FULL', 'error.diskFull', { path: file })
  return new AppError('IO_ERROR', 'error.io', {
    path: file,
    detail: err instanceof Error ? err.message : String(err),
  })
}

/** Writes `files` into a fresh temporary sibling of `dir`, fsyncs them, then swaps it in. */
export async function writeFolderAtomically(dir: string, files: NamedBytes[]): Promise<void> {
  const parent = path.dirname(dir)
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`
  const temp = path.join(parent, `.${path.basename(dir)}.tmp-${suffix}`)
  try {
    await mkdir(parent, { recursive: true })
    await mkdir(temp)
    for (const file of files) await writeFileSynced(path.join(temp, file.name), file.bytes)
    await fsyncFolder(temp)
    await replaceFolder(temp, dir, path.join(parent, `.${path.basename(dir)}.old-${suffix}`))
    await fsyncFolder(parent)
  } catch (err) {
    await rm(temp, { recursive: true, force: true })
    throw err instanceof AppError ? err : ioError(dir, err)
  }
}

/**
 * Moves `temp` to `dir`. A folder cannot be renamed over a non-empty one, so an existing `dir` is
 * first moved aside and restored if the swap fails, then deleted once the new folder is in place.
 */
async function replaceFolder(temp: string, dir: string, aside: string): Promise<void> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  )
  if (!exists) return rename(temp, dir)
  await rename(dir, aside)
  try {
    await rename(temp, dir)
  } catch (err) {
    await rename(aside, dir)
    throw err
  }
  await rm(aside, { recursive: true, force: true })
}

/** Writes a new file (never an existing one) and fsyncs it before returning. */
export async function writeFileSynced(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'wx')
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Makes a folder's entries (a rename, a new file) durable. */
export async function fsyncFolder(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; there NTFS's metadata journal covers the rename.
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Writes one file so that a reader sees the old bytes or the new ones, never a part: a temporary
 * sibling is written and fsynced, renamed over the target, and the folder is fsynced.
 */
export async function writeFileAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file)
  const temp = path.join(
    dir,
    `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  )
  try {
    await mkdir(dir, { recursive: true })
    await writeFileSynced(temp, bytes)
    await rename(temp, file)
    await fsyncFolder(dir)
  } catch (err) {
    await rm(temp, { force: true })
    throw err instanceof AppError ? err : ioError(file, err)
  }
}

import { randomBytes } from 'node:crypto'
import { lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../shared/errors'
import { toIoError as ioError } from './storage-errors'

/** A file to write: a plain name inside the target folder, and its bytes. */
export interface NamedBytes {
  name: string
  bytes: Uint8Array
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
    // Cleanup that fails too (the parent is a file: ENOTDIR) must not hide the first error.
    await rm(temp, { recursive: true, force: true }).catch(() => undefined)
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
    await rm(temp, { force: true }).catch(() => undefined)
    throw err instanceof AppError ? err : ioError(file, err)
  }
}

/** Whether an export may replace what is at its target: only when the user said so (`--force`). */
export interface ExportOptions {
  force?: boolean
}

/**
 * The target's kind, without following a symlink (a link is replaced, never written through).
 * 'special' is a pipe, device or socket, or a link to one: never replaced, even when forced (as
 * root, a forced `--out /dev/null` would put a file in place of the system's /dev/null).
 */
async function existingKind(target: string): Promise<'missing' | 'folder' | 'special' | 'other'> {
  try {
    const info = await lstat(target)
    if (info.isDirectory()) return 'folder'
    if (info.isFile()) return 'other'
    if (!info.isSymbolicLink()) return 'special'
    const pointed = await stat(target).catch(() => null)
    return pointed && !pointed.isFile() && !pointed.isDirectory() ? 'special' : 'other'
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw ioError(target, err)
  }
}

/**
 * Where an export of `fileName` goes for a user's `--out`: inside it when it is a folder (or a new
 * path without the file's extension, made a folder); else `--out` itself is the file, so
 * `--out model.h5` writes model.h5 and an existing plain file is met as such (refused unless
 * forced) instead of being taken for a folder.
 */
export async function exportTargetPath(out: string, fileName: string): Promise<string> {
  const kind = await existingKind(out)
  if (kind === 'folder') return path.join(out, fileName)
  if (kind !== 'missing') return out
  const ext = path.extname(fileName).toLowerCase()
  return ext !== '' && path.extname(out).toLowerCase() === ext ? out : path.join(out, fileName)
}

/**
 * Exports one file: a new file, or (with `force`) an existing file replaced atomically. Without
 * `force` an existing target is refused untouched, with an error naming it.
 */
export async function exportFile(
  file: string,
  bytes: Uint8Array,
  { force = false }: ExportOptions = {},
): Promise<void> {
  const kind = await existingKind(file)
  if (kind === 'folder')
    throw new AppError('INVALID_INPUT', 'error.exportTargetIsFolder', { path: file })
  if (kind === 'special') {
    throw new AppError('INVALID_INPUT', 'error.exportTargetSpecial', { path: file })
  }
  if (kind === 'other' && !force) {
    throw new AppError('INVALID_INPUT', 'error.exportTargetExists', { path: file })
  }
  await writeFileAtomically(file, bytes)
}

/**
 * Exports a model folder: a new folder written atomically, or (with `force`) an existing one whose
 * files named in `files` are replaced, each atomically; any other file the user keeps there stays.
 * Without `force` an existing folder is refused untouched.
 */
export async function exportFolder(
  dir: string,
  files: NamedBytes[],
  { force = false }: ExportOptions = {},
): Promise<void> {
  const kind = await existingKind(dir)
  if (kind === 'missing') return writeFolderAtomically(dir, files)
  if (kind === 'other' || kind === 'special')
    throw new AppError('INVALID_INPUT', 'error.exportTargetNotFolder', { path: dir })
  if (!force) throw new AppError('INVALID_INPUT', 'error.exportTargetExists', { path: dir })
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`
  const temps = files.map((f) => ({ ...f, temp: path.join(dir, `.${f.name}.tmp-${suffix}`) }))
  try {
    for (const f of temps) {
      const inside = await existingKind(path.join(dir, f.name))
      if (inside === 'folder' || inside === 'special') {
        throw new AppError(
          'INVALID_INPUT',
          inside === 'folder' ? 'error.exportTargetIsFolder' : 'error.exportTargetSpecial',
          { path: path.join(dir, f.name) },
        )
      }
    }
    for (const f of temps) await writeFileSynced(f.temp, f.bytes)
    // model.json last: until it is renamed, a reader still finds the previous model.json.
    const ordered = [...temps].sort(
      (a, b) => Number(a.name === 'model.json') - Number(b.name === 'model.json'),
    )
    for (const f of ordered) await rename(f.temp, path.join(dir, f.name))
    await fsyncFolder(dir)
  } catch (err) {
    await Promise.all(temps.map((f) => rm(f.temp, { force: true }).catch(() => undefined)))
    throw err instanceof AppError ? err : ioError(dir, err)
  }
}

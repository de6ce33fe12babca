import h5wasm, { Dataset, Group, type File as H5File } from 'h5wasm'
import { AppError } from '../../shared/errors'
import { MAX_PARAMS } from '../../shared/spec-validation'

export { Dataset, Group }
export type { H5File }

let nextId = 0
let ready: ReturnType<typeof loadModule> | null = null

// The ESM build of h5wasm keeps its files in an in-memory Emscripten file system, so untrusted
// bytes never touch the disk and nothing is left behind when a read fails.
function loadModule() {
  return h5wasm.ready
}

async function fileSystem() {
  ready ??= loadModule()
  return (await ready).FS
}

/** The 8-byte signature every HDF5 file starts with. */
export const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]

export function isHdf5(bytes: Uint8Array): boolean {
  return HDF5_MAGIC.every((b, i) => bytes[i] === b)
}

/**
 * Opens `bytes` as an HDF5 file, runs `read` on it and always closes and deletes it. Any failure
 * of the HDF5 library (a truncated or damaged file) becomes MODEL_CORRUPT naming `fileName`.
 */
export async function readH5<T>(
  bytes: Uint8Array,
  fileName: string,
  read: (file: H5File) => T,
): Promise<T> {
  if (!isHdf5(bytes)) throw new AppError('MODEL_CORRUPT', 'modelfiles.notHdf5', { file: fileName })
  const fs = await fileSystem()
  const path = `/read-${process.pid}-${nextId++}.h5`
  fs.writeFile(path, bytes)
  let file: H5File | null = null
  try {
    file = new h5wasm.File(path, 'r')
    return read(file)
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('MODEL_CORRUPT', 'modelfiles.h5Damaged', {
      file: fileName,
      detail: err instanceof Error ? err.message : String(err),
    })
  } finally {
    try {
      file?.close()
    } catch {
      // A file that failed half-way may refuse to close; it is deleted below either way.
    }
    fs.unlink(path)
  }
}

/** Creates an HDF5 file in memory, lets `write` fill it, and returns its bytes. */
export async function writeH5(write: (file: H5File) => void): Promise<Uint8Array> {
  const fs = await fileSystem()
  const path = `/write-${process.pid}-${nextId++}.h5`
  try {
    const file = new h5wasm.File(path, 'w')
    try {
      write(file)
    } finally {
      file.close()
    }
    return new Uint8Array(fs.readFile(path))
  } finally {
    fs.unlink(path)
  }
}

/**
 * What one file may still make Sinapse decompress: the largest model it accepts, in float64. The
 * readers only ask for datasets whose shapes the config announced, so this is a second wall, for
 * the same dataset reached again through another name (HDF5 hard links have no identity h5wasm
 * shows).
 */
export interface ReadBudget {
  file: string
  bytesLeft: number
}

export function readBudget(file: string): ReadBudget {
  return { file, bytesLeft: MAX_PARAMS * 8 }
}

/**
 * A float dataset's values as float32, or null when `entity` is not a float dataset. Its shape
 * is taken from the metadata and given to `checkShape` (which throws on a mismatch) and its size
 * charged to `budget` before any value is read or decompressed.
 */
export function readFloats(
  entity: unknown,
  checkShape: (shape: number[]) => void,
  budget: ReadBudget,
): Float32Array | null {
  if (!(entity instanceof Dataset)) return null
  const meta = entity.metadata
  // type 1 is H5T_FLOAT; integers and strings are never weights of the supported layers.
  if (meta.type !== 1 || (meta.size !== 4 && meta.size !== 8)) return null
  const shape = meta.shape ?? []
  checkShape(shape)
  const bytes = shape.reduce((a, b) => a * b, 1) * meta.size
  if (bytes > budget.bytesLeft) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.readCapExceeded', {
      file: budget.file,
      limit: Math.round((MAX_PARAMS * 8) / (1024 * 1024)),
    })
  }
  budget.bytesLeft -= bytes
  const raw = entity.value
  if (!(raw instanceof Float32Array) && !(raw instanceof Float64Array)) return null
  return raw instanceof Float32Array ? raw : Float32Array.from(raw)
}

/** A string attribute's value (or a list of strings), or null. */
export function readStringAttr(group: Group | H5File, name: string): string | string[] | null {
  const attr = group.attrs[name]
  if (!attr) return null
  const value = attr.value
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
  return null
}

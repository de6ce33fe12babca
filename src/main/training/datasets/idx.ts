import { promisify } from 'node:util'
import { gunzip, gunzipSync } from 'node:zlib'
import { AppError } from '../../../shared/errors'
import { readUserFile } from '../../user-files'

/** A parsed IDX file: its dimensions and its unsigned bytes, row-major. */
export interface IdxArray {
  dims: number[]
  data: Uint8Array
}

const UNSIGNED_BYTE = 0x08
const MAX_DIMS = 4
// The largest IDX we accept after gunzip: far above MNIST-sized data (47 MB), low enough that a
// malicious .gz cannot exhaust memory.
export const MAX_UNZIPPED_BYTES = 1 << 30

export interface IdxOptions {
  /** The largest file accepted, plain or unzipped, in bytes: MAX_UNZIPPED_BYTES unless given. */
  maxBytes?: number
}

const gunzipAsync = promisify(gunzip)

/** True when `bytes` start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

/**
 * Parses an IDX file of unsigned bytes (the MNIST format), plain or gzipped. Checks the magic
 * number, the type code, the dimensions and that the data length is exactly what the dimensions
 * promise. `source` names the file in error messages. The returned data is a view into `bytes`
 * (or into the unzipped buffer), not a copy.
 */
export function parseIdx(bytes: Uint8Array, source: string, opts: IdxOptions = {}): IdxArray {
  if (isGzip(bytes)) return parseIdx(unzip(bytes, source, maxBytesOf(opts)), source, opts)
  return parsePlain(bytes, source)
}

/**
 * Reads and parses an IDX file from disk. Gzipped files are unzipped off the main thread so a
 * 50 MB dataset does not freeze the window while it loads.
 */
export async function readIdxFile(path: string, opts: IdxOptions = {}): Promise<IdxArray> {
  const maxBytes = maxBytesOf(opts)
  // The same cap on disk as after gunzip: a plain file cannot be larger than an unzipped one.
  let bytes = await readUserFile(path, { maxBytes })
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: maxBytes })
    } catch (err) {
      throw gzipError(path, err, maxBytes)
    }
  }
  return parsePlain(bytes, path)
}

/** Encodes unsigned bytes as a plain IDX file (the inverse of `parseIdx`). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = 4 + 4 * dims.length
  const out = new Uint8Array(header + data.length)
  const view = new DataView(out.buffer)
  out[2] = UNSIGNED_BYTE
  out[3] = dims.length
  dims.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false))
  out.set(data, header)
  return out
}

function parsePlain(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length === 0) throw new AppError('DATASET_CORRUPT', 'dataset.emptyFile', { file })
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new AppError('DATASET_CORRUPT', 'dataset.notIdx', { file, start: hexStart(bytes) })
  }
  const typeCode = bytes[2]
  if (typeCode !== UNSIGNED_BYTE) {
    throw new AppError('DATASET_CORRUPT', 'dataset.unsupportedType', {
      file,
      code: `0x${typeCode.toString(16).padStart(2, '0')}`,
    })
  }
  const dimCount = bytes[3]
  if (dimCount < 1 || dimCount > MAX_DIMS) {
    throw new AppError('DATASET_CORRUPT', 'dataset.badDimCount', { file, count: dimCount })
  }
  const headerLength = 4 + 4 * dimCount
  if (bytes.length < headerLength) {
    throw new AppError('DATASET_CORRUPT', 'dataset.truncated', {
      file,
      expected: headerLength,
      found: bytes.length,
    })
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dims: number[] = []
  let size = 1
  for (let i = 0; i < dimCount; i++) {
    const dim = view.getUint32(4 + 4 * i, false)
    dims.push(dim)
    size *= dim
  }
  const expected = headerLength + size
  if (bytes.length < expected) {
    throw new AppError('DATASET_CORRUPT', 'dataset.truncated', {
      file,
      expected,
      found: bytes.length,
    })
  }
  if (bytes.length > expected) {
    throw new AppError('DATASET_CORRUPT', 'dataset.trailingBytes', {
      file,
      expected,
      found: bytes.length,
      extra: bytes.length - expected,
    })
  }
  return { dims, data: bytes.subarray(headerLength) }
}

function maxBytesOf(opts: IdxOptions): number {
  return opts.maxBytes ?? MAX_UNZIPPED_BYTES
}

function unzip(bytes: Uint8Array, file: string, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes })
  } catch (err) {
    throw gzipError(file, err, maxBytes)
  }
}

/** zlib's refusal as an AppError: a file that unpacks past the cap (a gzip bomb) said as such. */
function gzipError(file: string, err: unknown, maxBytes: number): AppError {
  if ((err as NodeJS.ErrnoException | null)?.code === 'ERR_BUFFER_TOO_LARGE') {
    return new AppError('DATASET_CORRUPT', 'dataset.unzippedTooLarge', {
      file,
      limit: Math.floor(maxBytes / 2 ** 20),
    })
  }
  return new AppError('DATASET_CORRUPT', 'dataset.gzipCorrupt', { file, detail: describe(err) })
}

function hexStart(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

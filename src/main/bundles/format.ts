import { createHash } from 'node:crypto'
import { AppError } from '../../shared/errors'
import type { MessageKey } from '../../shared/i18n'

/**
 * A run bundle (`.sinapse`) is one self-describing file:
 *
 *   'SINAPSE-BUNDLE' (14 ASCII bytes) · format version (uint16 BE) · header length (uint32 BE) ·
 *   header (UTF-8 JSON: the manifest, whose `files` table lists each file's name, size and sha256
 *   in order) · the files' bytes, back to back, nothing after them.
 *
 * Readers refuse anything that does not add up exactly, so a truncated copy or an appended or
 * edited byte is caught before a single row or file is written. A lesson pack (`.sinapse-aula`)
 * is the same container with its own magic, version and caps (main/lessons/pack.ts).
 */
export const BUNDLE_MAGIC = 'SINAPSE-BUNDLE'
export const BUNDLE_FORMAT = 'sinapse-run-bundle'
export const BUNDLE_VERSION = 1
export const BUNDLE_EXTENSION = '.sinapse'
/** The IPC upload cap: a bundle that could not be dropped into the app is never written. */
export const MAX_BUNDLE_BYTES = 50 * 1024 * 1024
/** History of 1000 epochs, an evaluation and 10 000 characters of notes fit in well under 1 MB. */
export const MAX_HEADER_BYTES = 4 * 1024 * 1024
export const MAX_BUNDLE_FILES = 16

/** The refusals a container reader can give; each kind of container words them its own way. */
export type ContainerMessage =
  | 'notContainer'
  | 'newerVersion'
  | 'unknownVersion'
  | 'truncated'
  | 'trailingBytes'
  | 'tooLarge'
  | 'headerTooLarge'
  | 'headerNotJson'
  | 'fileTableInvalid'
  | 'tooManyFiles'
  | 'unsafeFileName'
  | 'fileTampered'

/** One kind of container file: its signature, the newest version this build writes, its caps. */
export interface ContainerKind {
  magic: string
  version: number
  maxBytes: number
  maxHeaderBytes: number
  maxFiles: number
  messages: Record<ContainerMessage, MessageKey>
}

export const BUNDLE_KIND: ContainerKind = {
  magic: BUNDLE_MAGIC,
  version: BUNDLE_VERSION,
  maxBytes: MAX_BUNDLE_BYTES,
  maxHeaderBytes: MAX_HEADER_BYTES,
  maxFiles: MAX_BUNDLE_FILES,
  messages: {
    notContainer: 'modelfiles.bundle.notBundle',
    newerVersion: 'modelfiles.bundle.newerVersion',
    unknownVersion: 'modelfiles.bundle.unknownVersion',
    truncated: 'modelfiles.bundle.truncated',
    trailingBytes: 'modelfiles.bundle.trailingBytes',
    tooLarge: 'modelfiles.bundle.tooLarge',
    headerTooLarge: 'modelfiles.bundle.headerTooLarge',
    headerNotJson: 'modelfiles.bundle.headerNotJson',
    fileTableInvalid: 'modelfiles.bundle.fileTableInvalid',
    tooManyFiles: 'modelfiles.bundle.tooManyFiles',
    unsafeFileName: 'modelfiles.bundle.unsafeFileName',
    fileTampered: 'modelfiles.bundle.fileTampered',
  },
}

// The same rule model-io applies to weight files: a plain name, never a path.
const PLAIN_FILE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/
const SHA256_HEX = /^[0-9a-f]{64}$/

export interface BundleFile {
  name: string
  bytes: Uint8Array
}

export interface BundleFileEntry {
  name: string
  size: number
  sha256: string
}

export interface DecodedBundle {
  /** The parsed header, not yet validated beyond its `files` table. */
  header: Record<string, unknown>
  files: BundleFile[]
}

export function sha256Hex(...parts: Uint8Array[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest('hex')
}

export function isPlainFileName(name: string): boolean {
  return PLAIN_FILE_NAME.test(name)
}

/**
 * Writes `header` (with a `files` table added) and `files` as one bundle. Non-finite numbers
 * (a diverged loss, a precision of 0/0) travel as the strings 'NaN', 'Infinity', '-Infinity'.
 */
export function encodeBundle(header: object, files: BundleFile[]): Uint8Array {
  return encodeContainer(BUNDLE_KIND, header, files)
}

/**
 * Splits a bundle into its header and files, checking the signature, the version, every length
 * and every file's sha256. `name` is the file's name, for messages. Throws AppError.
 */
export function decodeBundle(bytes: Uint8Array, name: string): DecodedBundle {
  return decodeContainer(BUNDLE_KIND, bytes, name)
}

/** `encodeBundle` for any kind of container. */
export function encodeContainer(
  kind: ContainerKind,
  header: object,
  files: BundleFile[],
): Uint8Array {
  const magic = new TextEncoder().encode(kind.magic)
  const prefix = magic.length + 2 + 4
  const table: BundleFileEntry[] = files.map((f) => ({
    name: f.name,
    size: f.bytes.length,
    sha256: sha256Hex(f.bytes),
  }))
  const json = new TextEncoder().encode(encodeJson({ ...header, files: table }))
  const total = prefix + json.length + table.reduce((sum, f) => sum + f.size, 0)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  out.set(magic, 0)
  view.setUint16(magic.length, kind.version)
  view.setUint32(magic.length + 2, json.length)
  out.set(json, prefix)
  let offset = prefix + json.length
  for (const f of files) {
    out.set(f.bytes, offset)
    offset += f.bytes.length
  }
  return out
}

/** `decodeBundle` for any kind of container: the same checks, the kind's caps and messages. */
export function decodeContainer(
  kind: ContainerKind,
  bytes: Uint8Array,
  name: string,
): DecodedBundle {
  const key = kind.messages
  if (bytes.length > kind.maxBytes) {
    throw new AppError('INVALID_INPUT', key.tooLarge, {
      name,
      size: toMegabytes(bytes.length),
      limit: toMegabytes(kind.maxBytes),
    })
  }
  const magic = new TextEncoder().encode(kind.magic)
  const prefix = magic.length + 2 + 4
  const magicOk = bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)
  if (!magicOk) throw new AppError('INVALID_INPUT', key.notContainer, { name })
  if (bytes.length < prefix) throw truncated(kind, name, bytes.length, prefix)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const version = view.getUint16(magic.length)
  if (version > kind.version) {
    throw new AppError('INVALID_INPUT', key.newerVersion, {
      name,
      version,
      supported: kind.version,
    })
  }
  if (version < 1) {
    throw new AppError('INVALID_INPUT', key.unknownVersion, { name, version })
  }
  const headerLength = view.getUint32(magic.length + 2)
  if (headerLength > kind.maxHeaderBytes) {
    throw new AppError('INVALID_INPUT', key.headerTooLarge, {
      name,
      limit: toMegabytes(kind.maxHeaderBytes),
    })
  }
  const headerEnd = prefix + headerLength
  if (bytes.length < headerEnd) throw truncated(kind, name, bytes.length, headerEnd)

  const header = parseHeader(kind, bytes.subarray(prefix, headerEnd), name)
  const table = readFileTable(kind, header.files, name)
  const expected = headerEnd + table.reduce((sum, f) => sum + f.size, 0)
  if (bytes.length < expected) throw truncated(kind, name, bytes.length, expected)
  if (bytes.length > expected) {
    throw new AppError('INVALID_INPUT', key.trailingBytes, {
      name,
      extra: bytes.length - expected,
    })
  }
  const files: BundleFile[] = []
  let offset = headerEnd
  for (const entry of table) {
    const fileBytes = bytes.subarray(offset, offset + entry.size)
    offset += entry.size
    if (sha256Hex(fileBytes) !== entry.sha256) {
      throw new AppError('MODEL_CORRUPT', key.fileTampered, { name, file: entry.name })
    }
    files.push({ name: entry.name, bytes: fileBytes })
  }
  return { header, files }
}

function parseHeader(
  kind: ContainerKind,
  bytes: Uint8Array,
  name: string,
): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new AppError('INVALID_INPUT', kind.messages.headerNotJson, { name })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('INVALID_INPUT', kind.messages.headerNotJson, { name })
  }
  return value as Record<string, unknown>
}

function readFileTable(kind: ContainerKind, value: unknown, name: string): BundleFileEntry[] {
  const invalid = () => new AppError('INVALID_INPUT', kind.messages.fileTableInvalid, { name })
  if (!Array.isArray(value)) throw invalid()
  if (value.length > kind.maxFiles) {
    throw new AppError('INVALID_INPUT', kind.messages.tooManyFiles, {
      name,
      count: value.length,
      limit: kind.maxFiles,
    })
  }
  const seen = new Set<string>()
  return value.map((raw: unknown) => {
    const entry = raw as Partial<BundleFileEntry> | null
    if (
      typeof entry?.name !== 'string' ||
      !Number.isSafeInteger(entry.size) ||
      (entry.size as number) < 0 ||
      typeof entry.sha256 !== 'string' ||
      !SHA256_HEX.test(entry.sha256)
    ) {
      throw invalid()
    }
    if (!isPlainFileName(entry.name) || seen.has(entry.name)) {
      throw new AppError('INVALID_INPUT', kind.messages.unsafeFileName, {
        name,
        file: entry.name.slice(0, 80),
      })
    }
    seen.add(entry.name)
    return { name: entry.name, size: entry.size as number, sha256: entry.sha256 }
  })
}

function truncated(kind: ContainerKind, name: string, actual: number, expected: number): AppError {
  return new AppError('INVALID_INPUT', kind.messages.truncated, { name, actual, expected })
}

function toMegabytes(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10
}

/** JSON without NaN: non-finite numbers become strings, which the manifest schema turns back. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  )
}

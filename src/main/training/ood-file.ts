import { createHash } from 'node:crypto'
import path from 'node:path'
import { writeFileAtomically } from '../atomic-fs'
import { readUserFile } from '../user-files'
import type { OodThreshold } from './ood'

/** Lives inside the model folder, so replacing or deleting the model takes it along. */
export const OOD_FILE = 'ood-calibration.bin'

const MAGIC = 'SNOD'
/**
 * 2: the threshold alone, for the 3rd neighbour among 20,000 training images (version 1 held a
 * 2,000-image bank and the 10th neighbour's threshold: read as stale).
 */
const VERSION = 2
/** A file longer than this is not ours. */
const MAX_BYTES = 4096

interface Header extends OodThreshold {
  version: number
  /** What the calibration belongs to: the model's hash, pixel convention and dataset. */
  key: string
  /** sha-256 of the rest of the header, checked when read. */
  check: string
}

function checksum(header: Omit<Header, 'check'>): string {
  return createHash('sha256').update(JSON.stringify(header)).digest('hex')
}

/**
 * Packs what a calibration costs to compute (the threshold from 5,000 held-out images) as the
 * magic then a JSON header tied to one model, convention and dataset. The neighbour bank is not
 * kept: it is the model's features of its training images, computed again when needed.
 */
export function encodeOod(calibration: OodThreshold, key: string): Uint8Array {
  const fields: Omit<Header, 'check'> = {
    version: VERSION,
    key,
    layer: calibration.layer,
    dim: calibration.dim,
    bankImages: calibration.bankImages,
    k: calibration.k,
    threshold: calibration.threshold,
    calibrationImages: calibration.calibrationImages,
  }
  const header: Header = { ...fields, check: checksum(fields) }
  return new Uint8Array(
    Buffer.concat([Buffer.from(MAGIC, 'ascii'), Buffer.from(JSON.stringify(header))]),
  )
}

const positiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0

/** Unpacks `encodeOod`'s bytes; null when they belong to something else or are damaged. */
export function decodeOod(bytes: Uint8Array, key: string): OodThreshold | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length < 4 || buf.length > MAX_BYTES || buf.toString('ascii', 0, 4) !== MAGIC) return null
  let header: Header
  try {
    header = JSON.parse(buf.toString('utf8', 4)) as Header
  } catch {
    return null
  }
  if (typeof header !== 'object' || header === null) return null
  if (header.version !== VERSION || header.key !== key) return null
  const { check, ...fields } = header
  const ok =
    check === checksum(fields) &&
    typeof header.layer === 'string' &&
    positiveInteger(header.dim) &&
    positiveInteger(header.bankImages) &&
    positiveInteger(header.k) &&
    positiveInteger(header.calibrationImages) &&
    Number.isFinite(header.threshold)
  if (!ok) return null
  return {
    layer: header.layer,
    dim: header.dim,
    bankImages: header.bankImages,
    k: header.k,
    threshold: header.threshold,
    calibrationImages: header.calibrationImages,
  }
}

/** Writes the calibration's threshold into the model folder atomically. */
export async function writeOodFile(dir: string, c: OodThreshold, key: string): Promise<void> {
  await writeFileAtomically(path.join(dir, OOD_FILE), encodeOod(c, key))
}

/** The stored threshold for `key`, or null if absent, stale or damaged. */
export async function readOodFile(dir: string, key: string): Promise<OodThreshold | null> {
  try {
    // A model folder can hold anything an import brought: read through the size and type checks.
    const bytes = await readUserFile(path.join(dir, OOD_FILE), { maxBytes: MAX_BYTES })
    return decodeOod(bytes, key)
  } catch {
    return null
  }
}

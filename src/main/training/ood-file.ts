import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomically } from '../atomic-fs'
import type { OodCalibration } from './ood'

/** Lives inside the model folder, so replacing or deleting the model takes it along. */
export const OOD_FILE = 'ood-calibration.bin'

const MAGIC = 'SNOD'
const VERSION = 1
/** A header longer than this is not ours. */
const MAX_HEADER = 4096

interface Header {
  version: number
  /** What the calibration belongs to: the model's hash, pixel convention and dataset. */
  key: string
  layer: string
  dim: number
  k: number
  threshold: number
  calibrationImages: number
  bankSize: number
  /** sha-256 of the bank's bytes, checked when read. */
  payload: string
}

/**
 * Packs a calibration as: magic, header length (uint32 LE), a JSON header, then the bank as
 * Float32 LE. The header ties the file to one model, convention and dataset.
 */
export function encodeOod(calibration: OodCalibration, key: string): Uint8Array {
  const payload = Buffer.alloc(calibration.bank.length * 4)
  calibration.bank.forEach((v, i) => payload.writeFloatLE(v, i * 4))
  const header: Header = {
    version: VERSION,
    key,
    layer: calibration.layer,
    dim: calibration.dim,
    k: calibration.k,
    threshold: calibration.threshold,
    calibrationImages: calibration.calibrationImages,
    bankSize: calibration.bank.length / calibration.dim,
    payload: createHash('sha256').update(payload).digest('hex'),
  }
  const json = Buffer.from(JSON.stringify(header))
  const head = Buffer.alloc(8)
  head.write(MAGIC, 0, 'ascii')
  head.writeUInt32LE(json.length, 4)
  return new Uint8Array(Buffer.concat([head, json, payload]))
}

/** Unpacks `encodeOod`'s bytes; null when they belong to something else or are damaged. */
export function decodeOod(bytes: Uint8Array, key: string): OodCalibration | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length < 8 || buf.toString('ascii', 0, 4) !== MAGIC) return null
  const length = buf.readUInt32LE(4)
  if (length > MAX_HEADER || buf.length < 8 + length) return null
  let header: Header
  try {
    header = JSON.parse(buf.toString('utf8', 8, 8 + length)) as Header
  } catch {
    return null
  }
  if (header.version !== VERSION || header.key !== key) return null
  const payload = buf.subarray(8 + length)
  const ok =
    Number.isInteger(header.dim) &&
    header.dim > 0 &&
    Number.isInteger(header.k) &&
    header.k > 0 &&
    Number.isFinite(header.threshold) &&
    payload.length === header.bankSize * header.dim * 4 &&
    createHash('sha256').update(payload).digest('hex') === header.payload
  if (!ok) return null
  const bank = new Float32Array(header.bankSize * header.dim)
  for (let i = 0; i < bank.length; i++) bank[i] = payload.readFloatLE(i * 4)
  return {
    layer: header.layer,
    dim: header.dim,
    bank,
    k: header.k,
    threshold: header.threshold,
    calibrationImages: header.calibrationImages,
  }
}

/** Writes the calibration into the model folder atomically. */
export async function writeOodFile(dir: string, c: OodCalibration, key: string): Promise<void> {
  await writeFileAtomically(path.join(dir, OOD_FILE), encodeOod(c, key))
}

/** The stored calibration for `key`, or null if absent, stale or damaged. */
export async function readOodFile(dir: string, key: string): Promise<OodCalibration | null> {
  try {
    return decodeOod(await readFile(path.join(dir, OOD_FILE)), key)
  } catch {
    return null
  }
}

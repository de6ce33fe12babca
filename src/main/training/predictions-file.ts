import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_INPUT_SCALE, type InputScale } from '../../shared/input-scale'
import { writeFileAtomically } from '../atomic-fs'
import type { SamplePredictions } from './worker-protocol'

/**
 * What a predictions file is tied to: the model's hash, and for a model fed another pixel
 * convention than [0, 1] a hash of both, so predictions made under one convention are never
 * shown for another.
 */
export function predictionsKey(modelSha256: string, scale: InputScale): string {
  if (scale === DEFAULT_INPUT_SCALE) return modelSha256
  return createHash('sha256').update(`${modelSha256.toLowerCase()}:${scale}`).digest('hex')
}

/** Lives inside the model folder, so replacing or deleting the model takes it along. */
export const PREDICTIONS_FILE = 'test-predictions.bin'

const MAGIC = 'SNPR'
const VERSION = 1
/** magic (4) + version (4) + count (4) + model sha-256 (32) + payload sha-256 (32). */
const HEADER_BYTES = 76

/**
 * Packs per-sample test predictions as: header, Uint8 predicted class per sample, then Float32
 * confidence and Float32 true-class probability per sample (little-endian). The header ties the
 * file to one model (its folder hash) and carries a hash of the payload, checked when read.
 */
export function encodePredictions(p: SamplePredictions, modelSha256: string): Uint8Array {
  const count = p.predicted.length
  const payload = Buffer.alloc(count * 9)
  payload.set(p.predicted, 0)
  for (let i = 0; i < count; i++) {
    payload.writeFloatLE(p.confidence[i], count + i * 4)
    payload.writeFloatLE(p.trueProbability[i], count * 5 + i * 4)
  }
  const header = Buffer.alloc(HEADER_BYTES)
  header.write(MAGIC, 0, 'ascii')
  header.writeUInt32LE(VERSION, 4)
  header.writeUInt32LE(count, 8)
  Buffer.from(modelSha256, 'hex').copy(header, 12, 0, 32)
  createHash('sha256').update(payload).digest().copy(header, 44)
  return new Uint8Array(Buffer.concat([header, payload]))
}

/**
 * Unpacks `encodePredictions`' bytes; null when they belong to another model, hold another number
 * of samples, or are damaged (the caller then recomputes them).
 */
export function decodePredictions(
  bytes: Uint8Array,
  modelSha256: string,
  count: number,
): SamplePredictions | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length !== HEADER_BYTES + count * 9) return null
  if (buf.toString('ascii', 0, 4) !== MAGIC || buf.readUInt32LE(4) !== VERSION) return null
  if (buf.readUInt32LE(8) !== count) return null
  if (buf.subarray(12, 44).toString('hex') !== modelSha256.toLowerCase()) return null
  const payload = buf.subarray(HEADER_BYTES)
  if (!createHash('sha256').update(payload).digest().equals(buf.subarray(44, 76))) return null
  const predicted = new Uint8Array(payload.subarray(0, count))
  const confidence = new Float32Array(count)
  const trueProbability = new Float32Array(count)
  for (let i = 0; i < count; i++) {
    confidence[i] = payload.readFloatLE(count + i * 4)
    trueProbability[i] = payload.readFloatLE(count * 5 + i * 4)
  }
  return { predicted, confidence, trueProbability }
}

/** Writes the predictions into the model folder atomically (temp file, fsync, rename). */
export async function writePredictionsFile(
  modelDir: string,
  p: SamplePredictions,
  modelSha256: string,
): Promise<void> {
  await writeFileAtomically(
    path.join(modelDir, PREDICTIONS_FILE),
    encodePredictions(p, modelSha256),
  )
}

/** The stored predictions of the model with this hash, or null if absent, stale or damaged. */
export async function readPredictionsFile(
  modelDir: string,
  modelSha256: string,
  count: number,
): Promise<SamplePredictions | null> {
  try {
    const bytes = await readFile(path.join(modelDir, PREDICTIONS_FILE))
    return decodePredictions(bytes, modelSha256, count)
  } catch {
    return null
  }
}

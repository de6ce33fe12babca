import { unzipSync, zipSync } from 'fflate'
import { AppError } from '../../shared/errors'
import { mapKerasConfig } from './keras-config'
import type { ImportedModel } from './keras-config'
import { parseConfigJson, readKerasWeightsH5 } from './keras-h5-import'

export interface NamedBytes {
  name: string
  bytes: Uint8Array
}

/** Caps for archives from outside: a model zip holds a handful of files of a few MB. */
export const ZIP_LIMITS = {
  maxEntries: 20,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  /** Deflate rarely exceeds ~10:1 on weights; 200:1 is a bomb, not a model. */
  maxRatio: 200,
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
}

/**
 * Unpacks a zip with caps on the number of entries, each entry's size, the total and the
 * compression ratio, all checked on the declared sizes before anything is inflated (fflate then
 * inflates into a buffer of exactly the declared size, so a lying header cannot grow it). Folders
 * are skipped; files are returned under their path inside the archive.
 */
export function readZip(
  bytes: Uint8Array,
  fileName: string,
  limits: typeof ZIP_LIMITS = ZIP_LIMITS,
): NamedBytes[] {
  let entries = 0
  let total = 0
  const tooBig = () => new AppError('MODEL_CORRUPT', 'modelfiles.zipTooBig', { file: fileName })
  let unpacked: Record<string, Uint8Array>
  try {
    unpacked = unzipSync(bytes, {
      filter(info) {
        entries += 1
        if (entries > limits.maxEntries) throw tooBig()
        if (info.name.endsWith('/')) return false
        total += info.originalSize
        const ratio = info.originalSize / Math.max(info.size, 1)
        if (
          info.originalSize > limits.maxEntryBytes ||
          total > limits.maxTotalBytes ||
          (info.originalSize > 1024 * 1024 && ratio > limits.maxRatio)
        ) {
          throw tooBig()
        }
        return true
      },
    })
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('MODEL_CORRUPT', 'modelfiles.zipDamaged', {
      file: fileName,
      detail: err instanceof Error ? err.message : String(err),
    })
  }
  return Object.entries(unpacked).map(([name, data]) => ({ name, bytes: data }))
}

/** The entries' names, read from the directory without inflating anything; [] if unreadable. */
export function listZipNames(bytes: Uint8Array): string[] {
  const names: string[] = []
  try {
    unzipSync(bytes, {
      filter(info) {
        names.push(info.name)
        return false
      },
    })
  } catch {
    return []
  }
  return names
}

/** Packs files into one zip (deflated). */
export function writeZip(files: NamedBytes[]): Uint8Array {
  return zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])), { level: 6 })
}

/** True when the archive's entries are those of a Keras 3 `.keras` file. */
export function isKerasArchive(files: NamedBytes[]): boolean {
  const names = new Set(files.map((f) => f.name))
  return names.has('config.json') && names.has('model.weights.h5')
}

/**
 * Reads a Keras 3 `.keras` archive: `config.json` (the model config) and `model.weights.h5`.
 * Nothing in it is executed; `metadata.json` is ignored.
 */
export async function readKerasArchive(
  files: NamedBytes[],
  fileName: string,
): Promise<ImportedModel> {
  const config = files.find((f) => f.name === 'config.json')
  const weights = files.find((f) => f.name === 'model.weights.h5')
  if (!config || !weights) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.noConfig', { file: fileName })
  }
  const text = new TextDecoder().decode(config.bytes)
  const mapped = mapKerasConfig(parseConfigJson(text, fileName))
  return readKerasWeightsH5(weights.bytes, fileName, mapped)
}

import { unzipSync, zipSync } from 'fflate'
import { crc32 } from 'node:zlib'
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
 * Each central-directory entry's CRC-32, in the directory's order (the order fflate's filter sees
 * them); null when it is not a plain directory (a Zip64 one, whose counts live elsewhere): fflate
 * walked it already, so such an archive is read without this check rather than refused.
 */
function centralCrcs(bytes: Uint8Array): number[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let end = bytes.length - 22
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1
  if (end < 0) return null
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  if (count === 0xffff || at === 0xffffffff) return null
  const crcs: number[] = []
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null
    crcs.push(view.getUint32(at + 16, true))
    at +=
      46 +
      view.getUint16(at + 28, true) +
      view.getUint16(at + 30, true) +
      view.getUint16(at + 32, true)
  }
  return crcs
}

/**
 * Unpacks a zip with caps on the number of entries, each entry's size, the total and the
 * compression ratio, all checked on the declared sizes before anything is inflated (fflate then
 * inflates into a buffer of exactly the declared size, so a lying header cannot grow it). Folders
 * are skipped; files are returned under their path inside the archive. fflate checks no CRC, so
 * each entry is checked here against the directory's (a changed or cut weight file would import
 * as another model, silently), and a name that occurs twice is refused: which one a reader picks
 * differs between tools.
 */
export function readZip(
  bytes: Uint8Array,
  fileName: string,
  limits: typeof ZIP_LIMITS = ZIP_LIMITS,
): NamedBytes[] {
  let entries = 0
  let total = 0
  const order: string[] = []
  const tooBig = () => new AppError('MODEL_CORRUPT', 'modelfiles.zipTooBig', { file: fileName })
  let unpacked: Record<string, Uint8Array>
  try {
    unpacked = unzipSync(bytes, {
      filter(info) {
        entries += 1
        if (entries > limits.maxEntries) throw tooBig()
        if (order.includes(info.name)) {
          throw new AppError('MODEL_CORRUPT', 'modelfiles.zipDuplicate', {
            file: fileName,
            entry: info.name,
          })
        }
        order.push(info.name)
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
  const crcs = centralCrcs(bytes)
  order.forEach((name, i) => {
    const data = unpacked[name]
    if (data && crcs && crcs[i] !== crc32(data)) {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.zipChecksum', { file: fileName, entry: name })
    }
  })
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

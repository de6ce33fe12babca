import { AppError } from '../../shared/errors'
import { assembleModel, checkStoredShape, mapKerasConfig, type ImportedModel } from './keras-config'
import type { NamedBytes } from './keras-zip'

export const MAX_MODEL_JSON_BYTES = 4 * 1024 * 1024

// A weight file must be a plain name among the uploaded files: no folders, no '..', no drive.
const PLAIN_FILE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._ -]{1,128}$/

interface ManifestEntry {
  name: string
  shape: number[]
  dtype: string
}

function corrupt(detail: string): AppError {
  return new AppError('MODEL_CORRUPT', 'modelfiles.badManifest', { detail })
}

/**
 * Reads a TensorFlow.js layers model from its files (model.json and the weight files it names),
 * validating strictly: model.json's size and JSON shape; weight paths that are plain names of
 * files provided; float32 weights only, unquantized; total bytes exactly the manifest's; every
 * weight of every layer present with the shape the layer needs. Nothing is executed. A model
 * takes one MNIST digit (784, 28×28 or 28×28×1 values), or exactly `exactInput` when given.
 */
export function readTfjsModel(files: NamedBytes[], exactInput?: number[]): ImportedModel {
  const jsonFile = files.find((f) => f.name === 'model.json')
  if (!jsonFile) throw new AppError('MODEL_CORRUPT', 'modelfiles.noModelJson', {})
  if (jsonFile.bytes.length > MAX_MODEL_JSON_BYTES) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.modelJsonTooBig', {
      limit: MAX_MODEL_JSON_BYTES / (1024 * 1024),
    })
  }
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonFile.bytes))
  } catch {
    throw corrupt('model.json is not JSON')
  }
  if (typeof json !== 'object' || json === null) throw corrupt('model.json is not an object')
  const { modelTopology, weightsManifest } = json as Record<string, unknown>
  if (!Array.isArray(weightsManifest)) throw corrupt('weightsManifest is missing')

  const entries: ManifestEntry[] = []
  const paths: string[] = []
  for (const group of weightsManifest as unknown[]) {
    const g = group as { paths?: unknown; weights?: unknown } | null
    if (!g || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      throw corrupt('weightsManifest group')
    }
    for (const p of g.paths) {
      if (typeof p !== 'string' || !PLAIN_FILE_NAME.test(p)) {
        throw new AppError('MODEL_CORRUPT', 'modelfiles.unsafePath', { file: String(p) })
      }
      paths.push(p)
    }
    for (const w of g.weights as unknown[]) entries.push(checkEntry(w))
  }
  const weightFiles = paths.map((p) => {
    const file = files.find((f) => f.name === p)
    if (!file) throw new AppError('MODEL_CORRUPT', 'modelfiles.weightFileMissing', { file: p })
    return file
  })
  const expected = entries.reduce((sum, e) => sum + 4 * e.shape.reduce((a, b) => a * b, 1), 0)
  const actual = weightFiles.reduce((sum, f) => sum + f.bytes.length, 0)
  if (expected !== actual) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.weightsSize', { expected, actual })
  }
  const data = new Uint8Array(actual)
  let offset = 0
  for (const f of weightFiles) {
    data.set(f.bytes, offset)
    offset += f.bytes.length
  }
  const byName = new Map<string, { shape: number[]; values: Float32Array }>()
  offset = 0
  for (const e of entries) {
    const count = e.shape.reduce((a, b) => a * b, 1)
    // Copy: the slice may not be 4-byte aligned inside the concatenation.
    const values = new Float32Array(data.slice(offset, offset + count * 4).buffer)
    offset += count * 4
    if (byName.has(e.name)) throw corrupt(`weight ${e.name} appears twice`)
    byName.set(e.name, { shape: e.shape, values })
  }

  const mapped = mapKerasConfig(modelTopology)
  return assembleModel(
    mapped,
    (layer, shapes) => {
      const suffixes = suffixesFor(layer.className).slice(0, shapes.length)
      return suffixes.map((suffix, i) => {
        const found = findWeight(byName, `${layer.name}/${suffix}`)
        if (!found) {
          throw new AppError('MODEL_CORRUPT', 'modelfiles.weightMissing', {
            layer: layer.name,
            weight: suffix,
          })
        }
        checkStoredShape(layer, { name: suffix, shape: found.shape }, shapes[i])
        return found.values
      })
    },
    exactInput,
  )
}

function checkEntry(value: unknown): ManifestEntry {
  const e = value as Partial<ManifestEntry> & { quantization?: unknown }
  if (!e || typeof e.name !== 'string' || !Array.isArray(e.shape)) throw corrupt('weight entry')
  if (!e.shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 1 << 24)) {
    throw corrupt(`weight ${e.name} shape`)
  }
  if (e.dtype !== 'float32' || e.quantization !== undefined) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.dtype', {
      weight: e.name,
      dtype: String(e.quantization ? 'quantized' : e.dtype),
    })
  }
  return { name: e.name, shape: e.shape, dtype: e.dtype }
}

function suffixesFor(className: string): string[] {
  return className === 'BatchNormalization'
    ? ['gamma', 'beta', 'moving_mean', 'moving_variance']
    : ['kernel', 'bias']
}

/** A weight named exactly `name`, or whose name ends in `/name` (converters add a model prefix). */
function findWeight<T>(byName: Map<string, T>, name: string): T | undefined {
  const exact = byName.get(name)
  if (exact) return exact
  const matches = [...byName.keys()].filter((k) => k.endsWith(`/${name}`))
  return matches.length === 1 ? byName.get(matches[0]) : undefined
}

import type { io } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import {
  exportFolder,
  writeFolderAtomically,
  type ExportOptions,
  type NamedBytes,
} from '../atomic-fs'
import { readUserFile } from '../user-files'
import type { ModelFile } from '../../shared/runs'
import type { Tf } from './backend'

export const MODEL_JSON = 'model.json'
export const WEIGHTS_BIN = 'weights.bin'

/** Caps for reading model folders, which may come from outside (imports). */
const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024
const MAX_WEIGHTS_BYTES = 512 * 1024 * 1024

/** The bytes per stored value of each weight dtype tfjs writes (quantized or not). */
const DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
}

// A weight file must be a plain name inside the model folder: no separators, no '..', no drive.
const PLAIN_FILE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/

interface ModelJson {
  modelTopology: object
  format?: string
  generatedBy?: string
  convertedBy?: string | null
  weightsManifest: io.WeightsManifestConfig
}

/**
 * Saves `model` in the TensorFlow.js layers format (model.json + weights.bin) into `dir`,
 * atomically: the files are written and fsynced in a temporary sibling folder that then replaces
 * `dir`, so a crash leaves either the old model or the new one, never half of one. The hash covers
 * model.json's bytes followed by weights.bin's.
 */
export async function saveModel(tf: Tf, model: LayersModel, dir: string): Promise<ModelFile> {
  let artifacts: io.ModelArtifacts | null = null
  await model.save(
    tf.io.withSaveHandler(async (captured) => {
      artifacts = captured
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(captured) }
    }),
  )
  const saved = artifacts as io.ModelArtifacts | null
  if (!saved?.weightSpecs || !saved.weightData) throw new Error('model.save produced no weights')
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(saved.weightData))
  const json: ModelJson = {
    modelTopology: saved.modelTopology as object,
    format: saved.format ?? 'layers-model',
    generatedBy: saved.generatedBy,
    convertedBy: saved.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: saved.weightSpecs }],
  }
  const files = [
    { name: MODEL_JSON, bytes: new TextEncoder().encode(JSON.stringify(json)) },
    { name: WEIGHTS_BIN, bytes: weights },
  ]
  await writeFolderAtomically(dir, files)
  return describeFiles(dir, files)
}

/**
 * Loads a model saved by `saveModel` (or any tfjs layers-format folder). Refuses, with
 * MODEL_CORRUPT, a folder whose hash differs from `expectedSha256` (unless null), whose manifest
 * names weight files outside the folder, or whose weight bytes do not match the manifest; a
 * missing folder or file gives MODEL_MISSING.
 */
export async function loadModel(
  tf: Tf,
  dir: string,
  expectedSha256: string | null,
): Promise<LayersModel> {
  const { json, files } = await readModelFolder(dir)
  if (expectedSha256 !== null && hashFiles(files) !== expectedSha256.toLowerCase()) {
    throw new AppError('MODEL_CORRUPT', 'training.modelHashMismatch', { path: dir })
  }
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights)
  const expected = weightSpecs.reduce((sum, spec) => sum + weightByteLength(dir, spec), 0)
  const weightFiles = files.slice(1)
  const actual = weightFiles.reduce((sum, file) => sum + file.bytes.length, 0)
  if (expected !== actual) {
    throw new AppError('MODEL_CORRUPT', 'training.modelWeightsSize', {
      path: dir,
      expected,
      actual,
    })
  }
  const weightData = new Uint8Array(actual)
  let offset = 0
  for (const file of weightFiles) {
    weightData.set(file.bytes, offset)
    offset += file.bytes.length
  }
  const artifacts: io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    weightSpecs,
    weightData: weightData.buffer,
  }
  try {
    return await tf.loadLayersModel({ load: async () => artifacts })
  } catch (err) {
    throw new AppError('MODEL_CORRUPT', 'training.modelInvalid', {
      path: dir,
      detail: err instanceof Error ? err.message : String(err),
    })
  }
}

/**
 * Copies a model folder (model.json and the weight files its manifest names, nothing else) to
 * `destDir`, atomically like `saveModel`. Used to export a trained model: an existing `destDir` is
 * refused, or with `force` only its model files are replaced (see `exportFolder`).
 */
export async function copyModelFolder(
  src: string,
  destDir: string,
  options: ExportOptions = {},
): Promise<ModelFile> {
  const { files } = await readModelFolder(src)
  await exportFolder(destDir, files, options)
  return describeFiles(destDir, files)
}

/**
 * Describes a saved model folder as its run's model row would (hash of model.json and the weight
 * files its manifest names), checking the manifest on the way. Used to recover a folder whose row
 * was never written.
 */
export async function describeModelFolder(dir: string): Promise<ModelFile> {
  const { files } = await readModelFolder(dir)
  return describeFiles(dir, files)
}

async function readModelFolder(dir: string): Promise<{ json: ModelJson; files: NamedBytes[] }> {
  const jsonBytes = await readCapped(dir, MODEL_JSON, MAX_MODEL_JSON_BYTES)
  const json = parseModelJson(dir, jsonBytes)
  const names = json.weightsManifest.flatMap((group) => group.paths)
  for (const name of names) {
    if (!PLAIN_FILE_NAME.test(name)) {
      throw new AppError('MODEL_CORRUPT', 'training.modelUnsafePath', { path: dir, file: name })
    }
  }
  const files: NamedBytes[] = [{ name: MODEL_JSON, bytes: jsonBytes }]
  let total = 0
  for (const name of names) {
    const bytes = await readCapped(dir, name, MAX_WEIGHTS_BYTES - total)
    total += bytes.length
    files.push({ name, bytes })
  }
  return { json, files }
}

function parseModelJson(dir: string, bytes: Uint8Array): ModelJson {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw new AppError('MODEL_CORRUPT', 'training.modelNotJson', {
      path: dir,
      detail: err instanceof Error ? err.message : String(err),
    })
  }
  const candidate = value as Partial<ModelJson> | null
  const manifestOk =
    Array.isArray(candidate?.weightsManifest) &&
    candidate.weightsManifest.every(
      (group) =>
        Array.isArray(group?.paths) &&
        group.paths.every((p) => typeof p === 'string') &&
        Array.isArray(group.weights),
    )
  if (!candidate || typeof candidate.modelTopology !== 'object' || !manifestOk) {
    throw new AppError('MODEL_CORRUPT', 'training.modelNotJson', {
      path: dir,
      detail: 'modelTopology / weightsManifest',
    })
  }
  return candidate as ModelJson
}

function weightByteLength(dir: string, spec: io.WeightsManifestEntry): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype
  const bytes = DTYPE_BYTES[dtype]
  const shapeOk =
    Array.isArray(spec.shape) && spec.shape.every((d) => Number.isInteger(d) && d >= 0)
  if (bytes === undefined || !shapeOk) {
    throw new AppError('MODEL_CORRUPT', 'training.modelNotJson', {
      path: dir,
      detail: `weight ${String(spec.name)}: ${String(dtype)} ${JSON.stringify(spec.shape)}`,
    })
  }
  return spec.shape.reduce((a, b) => a * b, 1) * bytes
}

function readCapped(dir: string, name: string, limit: number): Promise<Uint8Array> {
  const missing = () =>
    new AppError('MODEL_MISSING', 'training.modelMissing', { path: dir, file: name })
  return readUserFile(path.join(dir, name), {
    maxBytes: limit,
    missing,
    notAFile: missing,
    tooLarge: () =>
      new AppError('MODEL_CORRUPT', 'training.modelTooLarge', {
        path: dir,
        file: name,
        limit: Math.round(limit / (1024 * 1024)),
      }),
  })
}

function hashFiles(files: NamedBytes[]): string {
  const hash = createHash('sha256')
  for (const file of files) hash.update(file.bytes)
  return hash.digest('hex')
}

function describeFiles(dir: string, files: NamedBytes[]): ModelFile {
  return {
    path: dir,
    sha256: hashFiles(files),
    sizeBytes: files.reduce((sum, file) => sum + file.bytes.length, 0),
    createdAt: new Date().toISOString(),
  }
}

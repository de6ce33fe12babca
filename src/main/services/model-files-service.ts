import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, extname, isAbsolute, join, relative } from 'node:path'
import { AppError } from '../../shared/errors'
import { translate, type Locale } from '../../shared/i18n'
import type { Emit, ExportedFile, ImportResult } from '../../shared/ipc-contract'
import { DEFAULT_TRAIN_CONFIG } from '../../shared/train-config'
import { validateModelSpec } from '../../shared/spec-validation'
import type { RunDetail } from '../../shared/runs'
import {
  buildTfjsFiles,
  checkFiniteWeights,
  IMAGE_SHAPE,
  type ImportedModel,
} from '../models/keras-config'
import { writeKerasH5 } from '../models/keras-h5-export'
import { readKerasH5 } from '../models/keras-h5-import'
import { isHdf5 } from '../models/h5'
import {
  isKerasArchive,
  isZip,
  readKerasArchive,
  readZip,
  writeZip,
  type NamedBytes,
} from '../models/keras-zip'
import { softmaxForLogits } from '../models/logits-output'
import { readTfjsModel } from '../models/tfjs-import'
import type { DataPaths } from '../paths'
import type { RunsRepo } from '../store/runs-repo'
import type { TrainingEngine } from '../training/engine'
import { readUserFile, userPathKind } from '../user-files'
import { FASHION_MNIST_PACKAGE, loadDataset } from '../training/datasets/load'
import {
  chooseDataset,
  chooseInputScale,
  DEFAULT_INPUT_SCALE,
  DETECTION_MARGIN,
  DETECTION_SAMPLE,
  IMPORT_DATASETS,
  INPUT_SCALES,
  summarizeCorrect,
  type ImportDataset,
  type InputScale,
} from '../../shared/input-scale'
import { SpecError } from './spec-error'
import { toIoError } from '../storage-errors'

export interface ModelFilesServiceDeps {
  repo: RunsRepo
  engine: TrainingEngine
  paths: DataPaths
  emit: Emit
  locale: Locale
  /** Called with a run whose model was just imported (its judgement is prepared). */
  onModelReady?: (runId: number) => void
}

/** What the import found about the dataset and pixel convention, on `count` test images. */
interface InputDetection {
  dataset: ImportDataset
  scale: InputScale
  clear: boolean
  /** Per convention, on `dataset`. */
  accuracy: Record<InputScale, number>
  /** The best accuracy over the conventions on each dataset the model was tried on. */
  datasets: Partial<Record<ImportDataset, number>>
  /** Datasets that could not be tried because they are not installed. */
  missing: ImportDataset[]
  count: number
}

function argmax(values: number[]): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i
  return best
}

/** What the student said at import; each one absent is found by scoring test images. */
export interface ImportOptions {
  dataset?: ImportDataset
  inputScale?: InputScale
}

/** What `importPath` reads from disk: the same caps as an upload. */
const MAX_FILE_BYTES = 50 * 1024 * 1024
const MAX_FOLDER_FILES = 20

/**
 * Model files in and out: imports TensorFlow.js layers models (files or a zip), Keras legacy
 * HDF5 (.h5, Keras 2 and 3) and Keras 3 `.keras` archives as new "imported" runs, and exports a
 * run's model as a TensorFlow.js zip or a Keras .h5. Untrusted files are parsed with caps and
 * validated; nothing in them is executed, and a refused file changes nothing.
 */
export function createModelFilesService(deps: ModelFilesServiceDeps) {
  const { repo, engine, paths, emit } = deps

  /** Reads whatever format `files` are in into a spec plus weights. */
  async function readModel(files: NamedBytes[]): Promise<ImportedModel> {
    if (files.length === 1) {
      const [file] = files
      if (isHdf5(file.bytes)) return readKerasH5(file.bytes, file.name)
      if (isZip(file.bytes)) {
        const entries = flattenFolder(readZip(file.bytes, file.name), file.name)
        if (isKerasArchive(entries)) return readKerasArchive(entries, file.name)
        if (entries.some((e) => e.name === 'model.json')) return readTfjsModel(entries)
        throw new AppError('MODEL_CORRUPT', 'modelfiles.zipNoModel', { file: file.name })
      }
    }
    if (files.some((f) => f.name === 'model.json')) return readTfjsModel(files)
    throw new AppError('INVALID_INPUT', 'modelfiles.unknownFormat', {
      files: files.map((f) => f.name).join(', '),
    })
  }

  /**
   * Scores the first DETECTION_SAMPLE test images of `dataset` under each pixel convention; null
   * when the dataset is not installed and was not asked for.
   */
  async function scoreOn(
    dataset: ImportDataset,
    modelDir: string,
    sha256: string,
    required: boolean,
  ): Promise<ReturnType<typeof summarizeCorrect> | null> {
    let test
    try {
      test = (await loadDataset(dataset)).test
    } catch (err) {
      if (!required && err instanceof AppError && err.code === 'DATASET_NOT_FOUND') return null
      throw err
    }
    const count = Math.min(DETECTION_SAMPLE, test.count)
    const size = test.images.length / test.count
    const inputs = Array.from({ length: count }, (_, i) =>
      Float32Array.from(test.images.subarray(i * size, (i + 1) * size), (v) => v / 255),
    )
    const correct = {} as Record<InputScale, boolean[]>
    for (const scale of INPUT_SCALES) {
      const probabilities = await engine.predict({ modelDir, sha256, inputs, inputScale: scale })
      correct[scale] = probabilities.map((p, i) => argmax(p) === test.labels[i])
    }
    return summarizeCorrect(correct)
  }

  /**
   * Finds what the model recognises and how it wants its pixels: on the `declared` dataset only,
   * else on MNIST and — when MNIST leaves room for another dataset to win by the margin — on every
   * other installed dataset; then the convention by `chooseInputScale`'s rule on the chosen one.
   */
  async function detectInput(
    modelDir: string,
    sha256: string,
    declared: ImportDataset | undefined,
  ): Promise<InputDetection> {
    const scores: Partial<Record<ImportDataset, ReturnType<typeof summarizeCorrect>>> = {}
    const missing: ImportDataset[] = []
    const best = (dataset: ImportDataset) => Math.max(...Object.values(scores[dataset]!.accuracy))
    for (const dataset of declared ? [declared] : IMPORT_DATASETS) {
      if (!declared && dataset !== 'mnist' && best('mnist') > 1 - DETECTION_MARGIN) break
      const score = await scoreOn(dataset, modelDir, sha256, dataset === 'mnist' || !!declared)
      if (score) scores[dataset] = score
      else missing.push(dataset)
    }
    const datasets: Partial<Record<ImportDataset, number>> = {}
    for (const dataset of IMPORT_DATASETS) if (scores[dataset]) datasets[dataset] = best(dataset)
    const dataset = declared ?? chooseDataset(datasets)
    const { accuracy, paired } = scores[dataset]!
    const count = Math.min(DETECTION_SAMPLE, (await loadDataset(dataset)).test.count)
    return { ...chooseInputScale(accuracy, paired), dataset, accuracy, datasets, missing, count }
  }

  /**
   * The sentences the run's notes and the import's answer give about the dataset and the pixel
   * convention; null when there is nothing to say (an MNIST model fed 0–1, found so).
   */
  function describeInput(
    detection: InputDetection,
    chosen: { dataset?: ImportDataset; inputScale?: InputScale },
  ): string | null {
    const { locale } = deps
    const percent = (v: number) => `${(v * 100).toFixed(1)}%`
    const datasetName = (d: ImportDataset) => translate(locale, `kerasimport.dataset.${d}`)
    const params = {
      count: detection.count,
      dataset: datasetName(detection.dataset),
      unit: percent(detection.accuracy['1']),
      byte: percent(detection.accuracy['255']),
      inverted: percent(detection.accuracy.inverted),
      centered: percent(detection.accuracy.centered),
    }
    const sentences: string[] = []
    if (chosen.dataset !== undefined) {
      sentences.push(translate(locale, 'kerasimport.datasetChosen', { dataset: params.dataset }))
    } else if (detection.dataset !== 'mnist') {
      sentences.push(
        translate(locale, 'kerasimport.datasetDetected', {
          dataset: params.dataset,
          count: detection.count,
          best: percent(detection.datasets[detection.dataset] ?? 0),
          mnist: percent(detection.datasets.mnist ?? 0),
        }),
      )
    }
    if (chosen.inputScale !== undefined) {
      sentences.push(
        translate(locale, 'kerasimport.scaleChosen', {
          range: translate(locale, `kerasimport.range.${chosen.inputScale}`),
          ...params,
        }),
      )
    } else if (!detection.clear) {
      sentences.push(translate(locale, 'kerasimport.scaleUnclear', params))
    } else if (detection.scale !== DEFAULT_INPUT_SCALE) {
      sentences.push(
        translate(locale, 'kerasimport.scaleDetected', {
          range: translate(locale, `kerasimport.range.${detection.scale}`),
          best: percent(detection.accuracy[detection.scale]),
          ...params,
        }),
      )
    }
    // A model poor on digits may be a clothes model: say why it could not be checked.
    if (!detection.clear && chosen.dataset === undefined && detection.missing.length > 0) {
      sentences.push(
        translate(locale, 'kerasimport.datasetMissing', {
          datasets: detection.missing.map(datasetName).join(', '),
          package: FASHION_MNIST_PACKAGE,
        }),
      )
    }
    return sentences.length ? sentences.join(' ') : null
  }

  /**
   * Writes the model folder, proves the engine loads it, finds the dataset it recognises and the
   * pixel convention it expects (each unless `declared` says it), then records the run. `source` names the file(s) the model
   * came from; it is written into the run's notes, so the student sees where an imported run came
   * from (and can edit the note like any other).
   */
  async function createImportedRun(
    model: ImportedModel,
    name: string,
    source: string,
    declared: ImportOptions = {},
  ): Promise<ImportResult> {
    const withSoftmax = softmaxForLogits(model.spec, 10)
    if (withSoftmax) model = { ...model, spec: withSoftmax }
    const checked = validateModelSpec(model.spec, { classCount: 10, imageShape: IMAGE_SHAPE })
    if (!checked.ok) throw new SpecError(checked.issues, 'modelfiles.invalidSpec')
    checkFiniteWeights(model.spec, model.weights)
    const { modelJson, weightsBin } = buildTfjsFiles(model)
    const uid = randomUUID()
    const finalDir = join(paths.models, `run-${uid}`)
    const temp = join(paths.models, `.import-${uid}`)
    let runId: number | null = null
    try {
      await mkdir(temp, { recursive: true })
      await writeFile(join(temp, 'model.json'), modelJson)
      await writeFile(join(temp, 'weights.bin'), weightsBin)
      // Loading it in the worker proves tfjs accepts the topology before anything is recorded.
      const sha256 = createHash('sha256').update(modelJson).update(weightsBin).digest('hex')
      const probe = await engine.predict({
        modelDir: temp,
        sha256,
        inputs: [new Float32Array(28 * 28)],
      })
      if (probe[0]?.length !== 10) {
        throw new AppError('MODEL_CORRUPT', 'modelfiles.notTenClasses', {})
      }
      const detection = await detectInput(temp, sha256, declared.dataset)
      const scale = declared.inputScale ?? detection.scale
      const inputNote = describeInput(detection, declared)
      await rename(temp, finalDir)
      const run = repo.create({
        name,
        kind: 'imported',
        status: 'running',
        dataset: detection.dataset,
        spec: checked.spec,
        config: { ...DEFAULT_TRAIN_CONFIG, epochs: 0 },
        seed: 0,
        paramCount: checked.summary.totalParams,
        ownerPid: process.pid,
        ownerToken: uid,
        uid,
      })
      runId = run.id
      repo.saveModel(run.id, {
        path: relative(paths.root, finalDir),
        sha256,
        sizeBytes: modelJson.length + weightsBin.length,
      })
      const notes = [translate(deps.locale, 'modelfiles.importedFrom', { source })]
      if (withSoftmax) notes.push(translate(deps.locale, 'modelfiles.logitsSoftmax'))
      repo.setNotes(run.id, inputNote ? `${notes.join(' ')}\n${inputNote}` : notes.join(' '))
      if (scale !== DEFAULT_INPUT_SCALE) repo.setInputScale(run.id, scale)
      repo.finish(run.id, 'completed', null)
      emit('runs:changed', { runId: run.id })
      deps.onModelReady?.(run.id)
      return { runId: run.id, dataset: detection.dataset, inputScale: scale, inputNote }
    } catch (err) {
      if (runId !== null) repo.delete(runId)
      await rm(temp, { recursive: true, force: true })
      await rm(finalDir, { recursive: true, force: true })
      throw err
    }
  }

  async function runModelFiles(run: RunDetail): Promise<NamedBytes[]> {
    if (!run.model) {
      throw new AppError('MODEL_MISSING', 'runs.noModel', { id: run.id, status: run.status })
    }
    const dir = isAbsolute(run.model.path) ? run.model.path : join(paths.root, run.model.path)
    // A model folder deleted or moved by hand must read as such, not as an internal error.
    const read = async (name: string): Promise<Uint8Array> => {
      try {
        return new Uint8Array(await readFile(join(dir, name)))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new AppError('MODEL_MISSING', 'training.modelMissing', { path: dir, file: name })
        }
        throw toIoError(join(dir, name), err)
      }
    }
    const jsonBytes = await read('model.json')
    let weightPaths: string[]
    try {
      const manifest = JSON.parse(new TextDecoder().decode(jsonBytes)) as {
        weightsManifest: { paths: string[] }[]
      }
      weightPaths = manifest.weightsManifest.flatMap((g) => g.paths)
    } catch (err) {
      throw new AppError('MODEL_CORRUPT', 'training.modelNotJson', {
        path: dir,
        detail: err instanceof Error ? err.message : String(err),
      })
    }
    const files: NamedBytes[] = [{ name: 'model.json', bytes: jsonBytes }]
    for (const p of weightPaths) {
      if (basename(p) !== p)
        throw new AppError('MODEL_CORRUPT', 'modelfiles.unsafePath', { file: p })
      files.push({ name: p, bytes: await read(p) })
    }
    const hash = createHash('sha256')
    for (const f of files) hash.update(f.bytes)
    if (hash.digest('hex') !== run.model.sha256.toLowerCase()) {
      throw new AppError('MODEL_CORRUPT', 'training.modelHashMismatch', { path: dir })
    }
    return files
  }

  return {
    /**
     * Imports an uploaded model (TensorFlow.js model.json + weight files, or one .zip, .h5 or
     * .keras file) as a new completed run of kind 'imported'; returns its id.
     */
    async importModel(input: {
      files: { name: string; bytes: Uint8Array }[]
      name?: string
      inputScale?: InputScale
      dataset?: ImportDataset
    }): Promise<ImportResult> {
      const files = input.files.map((f) => ({ name: basename(f.name), bytes: f.bytes }))
      const model = await readModel(files)
      const main =
        files.find((f) => f.name !== 'model.json' && !f.name.endsWith('.bin')) ?? files[0]
      const stem = files.length === 1 ? basename(main.name, extname(main.name)) : 'model'
      const name = input.name?.trim() || stem
      const source = files.length === 1 ? main.name : files.map((f) => f.name).join(', ')
      return createImportedRun(model, name.slice(0, 200), source, input)
    },

    /**
     * Imports a model from disk, for the CLI: a .h5/.keras/.zip file, a model.json (its weight
     * files are read from the same folder) or a folder holding a model.json.
     */
    async importPath(path: string, options: ImportOptions = {}): Promise<ImportResult> {
      const kind = await userPathKind(path)
      if (kind === 'missing') throw new AppError('NOT_FOUND', 'modelfiles.pathMissing', { path })
      const dir = kind === 'folder' ? path : null
      const read = async (file: string): Promise<NamedBytes> => ({
        name: basename(file),
        bytes: await readUserFile(file, {
          maxBytes: MAX_FILE_BYTES,
          tooLarge: () =>
            new AppError('INVALID_INPUT', 'modelfiles.fileTooLarge', { file: basename(file) }),
        }),
      })
      if (!dir && basename(path) !== 'model.json') {
        const file = await read(path)
        const model = await readModel([file])
        const stem = basename(path, extname(path))
        return createImportedRun(model, stem, path, options)
      }
      const folder = dir ?? join(path, '..')
      const names = (await readdir(folder)).filter((n) => n === 'model.json' || n.endsWith('.bin'))
      if (names.length > MAX_FOLDER_FILES) {
        throw new AppError('INVALID_INPUT', 'modelfiles.tooManyFiles', { path: folder })
      }
      const files = await Promise.all(names.map((n) => read(join(folder, n))))
      const model = await readModel(files)
      return createImportedRun(model, basename(folder), folder, options)
    },

    /** A run's model as one TensorFlow.js zip (model.json + weights) or a Keras .h5 file. */
    async exportModel(input: { id: number; format: 'tfjs-zip' | 'h5' }): Promise<ExportedFile> {
      const run = repo.get(input.id)
      if (!run) throw new AppError('NOT_FOUND', 'error.runNotFound', { id: input.id })
      const files = await runModelFiles(run)
      const stem = safeFileStem(run.name, run.id)
      // A model fed other pixels than 0–1 says so beside its weights (README.txt, .h5 attributes).
      const note =
        run.inputScale === DEFAULT_INPUT_SCALE
          ? null
          : translate(deps.locale, 'kerasimport.exportNote', {
              range: translate(deps.locale, `kerasimport.range.${run.inputScale}`),
            })
      if (input.format === 'tfjs-zip') {
        const readme = note
          ? [{ name: 'README.txt', bytes: new TextEncoder().encode(`${note}\n`) }]
          : []
        return { fileName: `${stem}.zip`, bytes: writeZip([...files, ...readme]) }
      }
      const model = readTfjsModel(files)
      const fed = note ? { scale: run.inputScale, note } : undefined
      return { fileName: `${stem}.h5`, bytes: await writeKerasH5(model, run.config, fed) }
    },
  }
}

export type ModelFilesService = ReturnType<typeof createModelFilesService>

/** A zip made by zipping a folder holds `folder/model.json`: strip one common folder level. */
function flattenFolder(entries: NamedBytes[], fileName: string): NamedBytes[] {
  const prefixes = new Set(entries.map((e) => (e.name.includes('/') ? e.name.split('/')[0] : '')))
  const strip = prefixes.size === 1 && !prefixes.has('') ? `${[...prefixes][0]}/` : ''
  return entries.map((e) => {
    const name = e.name.slice(strip.length)
    if (name.includes('/') || name.includes('\\') || name.startsWith('..')) {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.zipNested', { file: fileName, entry: e.name })
    }
    return { name, bytes: e.bytes }
  })
}

/** A file name from the run's name: letters, digits, dashes; never a path. */
function safeFileStem(name: string, id: number): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
  return stem || `run-${id}`
}

import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, isAbsolute, join, relative } from 'node:path'
import { fileNameSlug } from '../../shared/file-name'
import { AppError, toErrorInfo } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import {
  isUuid,
  MAX_STUDENT_NAME_CHARS,
  normalizeStudentName,
  type HandIn,
} from '../../shared/lesson'
import type { BundleImportOutcome, Emit, ExportedFile } from '../../shared/ipc-contract'
import type { ModelFile, RunDetail } from '../../shared/runs'
import {
  BUNDLE_EXTENSION,
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  MAX_BUNDLE_BYTES,
  decodeBundle,
  encodeBundle,
  isPlainFileName,
  sha256Hex,
  type BundleFile,
} from '../bundles/format'
import { MODEL_JSON, validateBundle, type BundleManifest } from '../bundles/manifest'
import { exportFile, fsyncFolder, writeFileSynced, type ExportOptions } from '../atomic-fs'
import type { DataPaths } from '../paths'
import { isZip, readZip, ZIP_LIMITS } from '../models/keras-zip'
import { readUserFile } from '../user-files'
import { INTERRUPTED_ERROR, type RunsRepo } from '../store/runs-repo'
import { toIoError as ioError } from '../storage-errors'

export interface BundleServiceDeps {
  repo: RunsRepo
  paths: DataPaths
  emit: Emit
  locale: Locale
  /** Recorded in each bundle, to tell which Sinapse wrote it. */
  version?: string
}

export interface ImportedBundle {
  runId: number
  /** True when a run with the bundle's uid was already here; nothing was changed then. */
  duplicate: boolean
}

export interface ImportOptions {
  /** Added to every run this import creates (a class, a lesson, a date). */
  tag?: string
  /** The language of the refusals reported (the page's); the service's by default. */
  locale?: Locale
}

/**
 * A zip of a class's hand-ins: many entries, each at most one bundle's size. Far below what
 * fits in memory, and the ratio cap still stops a zip bomb.
 */
export const BUNDLE_ZIP_LIMITS: typeof ZIP_LIMITS = {
  maxEntries: 500,
  maxEntryBytes: MAX_BUNDLE_BYTES,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: ZIP_LIMITS.maxRatio,
}
/** A zip of bundles read from disk by the CLI (the app's uploads stop at 50 MB). */
export const MAX_BUNDLE_ZIP_BYTES = 256 * 1024 * 1024

export function isBundleName(name: string): boolean {
  return name.toLowerCase().endsWith(BUNDLE_EXTENSION)
}

/**
 * Run bundles: a whole run (settings, history, evaluation, notes, tags and model files) as one
 * `.sinapse` file, so students can carry work between machines. Imports keep the run's uid, so
 * importing the same bundle twice yields the one run.
 */
export function createBundleService(deps: BundleServiceDeps) {
  const { repo, paths, emit } = deps
  // Imports in this process run one at a time, so two drops of the same file never race for
  // the same uid; the repo's transaction covers other processes.
  let queue: Promise<unknown> = Promise.resolve()

  function modelDir(model: ModelFile): string {
    return isAbsolute(model.path) ? model.path : join(paths.root, model.path)
  }

  async function buildBundle(id: number, handIn: HandIn | null = null): Promise<ExportedFile> {
    const run = repo.get(id)
    if (!run) throw new AppError('NOT_FOUND', 'error.runNotFound', { id })
    const modelFiles = run.model ? await readModelFiles(run, modelDir(run.model)) : []
    const manifest = manifestOf(run, modelFiles, deps.version ?? 'unknown', handIn)
    const bytes = encodeBundle(manifest, modelFiles)
    if (bytes.length > MAX_BUNDLE_BYTES) {
      throw new AppError('INVALID_INPUT', 'modelfiles.bundle.exportTooLarge', {
        id,
        size: Math.round(bytes.length / (1024 * 1024)),
        limit: MAX_BUNDLE_BYTES / (1024 * 1024),
      })
    }
    return {
      fileName: bundleFileName(handIn ? `${handIn.student} ${run.name}` : run.name, run.uid),
      bytes,
    }
  }

  async function importValidated(
    bytes: Uint8Array,
    name: string,
    options: ImportOptions,
  ): Promise<ImportedBundle> {
    const { header, files } = decodeBundle(bytes, name)
    const { manifest, modelFiles } = validateBundle(header, files, name)
    const existing = repo.getByUid(manifest.run.uid)
    if (existing) return { runId: existing.id, duplicate: true }

    const dir = modelFiles.length
      ? await writeModelFolder(paths.models, `run-${manifest.run.uid}`, modelFiles)
      : null
    try {
      const { run, created } = repo.importRun(
        importInput(manifest, dir && relative(paths.root, dir), options),
      )
      if (!created && dir) await rm(dir, { recursive: true, force: true })
      if (created) emit('runs:changed', { runId: run.id })
      return { runId: run.id, duplicate: !created }
    } catch (err) {
      if (dir) await rm(dir, { recursive: true, force: true })
      throw err
    }
  }

  function importBundle(
    input: { name: string; bytes: Uint8Array },
    options: ImportOptions = {},
  ): Promise<ImportedBundle> {
    const next = queue.then(() => importValidated(input.bytes, input.name, options))
    queue = next.catch(() => undefined)
    return next
  }

  /** One bundle's outcome: a refusal is reported, never thrown, so the next file still goes. */
  async function outcomeOf(
    file: string,
    input: { name: string; bytes: Uint8Array },
    options: ImportOptions,
  ): Promise<BundleImportOutcome> {
    try {
      const { runId, duplicate } = await importBundle(input, options)
      return duplicate ? { file, duplicate: true, runId } : { file, runId }
    } catch (err) {
      return { file, error: toErrorInfo(err, options.locale ?? deps.locale) }
    }
  }

  /**
   * Imports each file (a bundle, or a zip of bundles) on its own: every bundle is all or nothing,
   * and one refused file never stops the others. One outcome per bundle, in order; a zip's
   * entries are named `zip/entry`.
   */
  async function importFiles(
    files: { name: string; bytes: Uint8Array }[],
    options: ImportOptions = {},
  ): Promise<BundleImportOutcome[]> {
    const outcomes: BundleImportOutcome[] = []
    for (const file of files) {
      if (!isZip(file.bytes)) {
        outcomes.push(await outcomeOf(file.name, file, options))
        continue
      }
      let entries
      try {
        entries = readZip(file.bytes, file.name, BUNDLE_ZIP_LIMITS)
      } catch (err) {
        const tooBig = err instanceof AppError && err.key === 'modelfiles.zipTooBig'
        const refusal = tooBig
          ? new AppError('INVALID_INPUT', 'classroom.import.zipTooBig', {
              file: file.name,
              entries: BUNDLE_ZIP_LIMITS.maxEntries,
              limit: BUNDLE_ZIP_LIMITS.maxTotalBytes / (1024 * 1024),
            })
          : err
        outcomes.push({
          file: file.name,
          error: toErrorInfo(refusal, options.locale ?? deps.locale),
        })
        continue
      }
      const bundles = entries
        .filter((e) => isBundleName(e.name))
        .sort((a, b) => a.name.localeCompare(b.name))
      if (bundles.length === 0) {
        const none = new AppError('INVALID_INPUT', 'classroom.import.zipNoBundles', {
          file: file.name,
        })
        outcomes.push({ file: file.name, error: toErrorInfo(none, options.locale ?? deps.locale) })
      }
      for (const entry of bundles) {
        const label = `${file.name}/${entry.name}`
        outcomes.push(
          await outcomeOf(label, { name: basename(entry.name), bytes: entry.bytes }, options),
        )
      }
    }
    return outcomes
  }

  return {
    /** The run as one `.sinapse` file, for the page to save. */
    exportBundle: ({ id }: { id: number }): Promise<ExportedFile> => buildBundle(id),

    /**
     * The run as a student's hand-in for a lesson: its bundle with `handIn` (the student's name or
     * pseudonym, the lesson's id and version) in the manifest, named after the student.
     */
    exportHandIn(input: {
      id: number
      student: string
      lessonId: string
      lessonVersion: number
    }): Promise<ExportedFile> {
      const student = normalizeStudentName(input.student)
      if (student === null) {
        return Promise.reject(
          new AppError('INVALID_INPUT', 'lesson.handIn.studentInvalid', {
            max: MAX_STUDENT_NAME_CHARS,
          }),
        )
      }
      if (
        !isUuid(input.lessonId) ||
        !Number.isInteger(input.lessonVersion) ||
        input.lessonVersion < 1
      ) {
        return Promise.reject(new AppError('INVALID_INPUT', 'lesson.handIn.lessonInvalid'))
      }
      return buildBundle(input.id, {
        student,
        lessonId: input.lessonId,
        lessonVersion: input.lessonVersion,
        handedInAt: new Date().toISOString(),
      })
    },

    /**
     * Validates a bundle completely, then adds its run: the model folder is written atomically
     * first, then the run, epochs, evaluation and model row in one transaction. On any failure
     * nothing is left behind. A run whose uid exists already is returned as a duplicate.
     */
    importBundle,

    /** Many bundles and zips of bundles at once, each reported (see importFiles). */
    importFiles,

    /**
     * Writes the run's bundle to `outPath` (a file, or a folder to put `<name>.sinapse` in)
     * atomically, for the CLI. An existing file is refused unless `force`.
     */
    async exportBundleToFile(
      id: number,
      outPath: string,
      options: ExportOptions = {},
    ): Promise<{ path: string; sizeBytes: number }> {
      const file = await buildBundle(id)
      const isFolder = await stat(outPath).then(
        (s) => s.isDirectory(),
        () => false,
      )
      const target = isFolder ? join(outPath, file.fileName) : outPath
      await exportFile(target, file.bytes, options)
      return { path: target, sizeBytes: file.bytes.length }
    },

    /** Imports a `.sinapse` file from disk, for the CLI; refuses oversized files before reading. */
    async importBundleFile(path: string, options: ImportOptions = {}): Promise<ImportedBundle> {
      const name = basename(path)
      const bytes = await readUserFile(path, {
        maxBytes: MAX_BUNDLE_BYTES,
        missing: () => new AppError('NOT_FOUND', 'modelfiles.bundle.fileNotFound', { path }),
        tooLarge: (_, size) =>
          new AppError('INVALID_INPUT', 'modelfiles.bundle.tooLarge', {
            name,
            size: Math.round((size / (1024 * 1024)) * 10) / 10,
            limit: MAX_BUNDLE_BYTES / (1024 * 1024),
          }),
      })
      return importBundle({ name, bytes }, options)
    },
  }
}

export type BundleService = ReturnType<typeof createBundleService>

function manifestOf(
  run: RunDetail,
  modelFiles: BundleFile[],
  appVersion: string,
  handIn: HandIn | null,
): BundleManifest {
  return {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    createdAt: new Date().toISOString(),
    appVersion,
    run: {
      uid: run.uid,
      name: run.name,
      kind: run.kind,
      status: run.status,
      dataset: run.dataset,
      spec: run.spec,
      config: run.config,
      seed: run.seed,
      paramCount: run.paramCount,
      backend: run.backend,
      createdAt: run.createdAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      error: run.error,
      notes: run.notes,
      tags: run.tags,
      inputScale: run.inputScale,
      ...(run.weightsEpoch !== null ? { weightsEpoch: run.weightsEpoch } : {}),
    },
    history: run.history,
    evaluation: run.evaluation,
    model: run.model && {
      sha256: run.model.sha256,
      sizeBytes: run.model.sizeBytes,
      createdAt: run.model.createdAt,
      files: modelFiles.map((f) => f.name),
    },
    handIn,
  }
}

/** A run that was still training on the other machine arrives interrupted: nobody trains it here. */
function importInput(manifest: BundleManifest, modelPath: string | null, options: ImportOptions) {
  const { run, model } = manifest
  // The bulk tag first, so it is kept when the run already has the most tags a run may have.
  const tags = [...new Set([...(options.tag ? [options.tag] : []), ...run.tags])].slice(0, MAX_TAGS)
  const wasActive = run.status === 'queued' || run.status === 'running'
  return {
    ...run,
    status: wasActive
      ? ('interrupted' as const)
      : (run.status as Exclude<typeof run.status, 'queued' | 'running'>),
    error: wasActive ? (run.error ?? INTERRUPTED_ERROR) : run.error,
    finishedAt: wasActive ? (run.finishedAt ?? manifest.createdAt) : run.finishedAt,
    tags,
    weightsEpoch: run.weightsEpoch ?? null,
    ...handInOf(manifest),
    history: manifest.history,
    evaluation: manifest.evaluation,
    model:
      model && modelPath !== null
        ? {
            path: modelPath,
            sha256: model.sha256,
            sizeBytes: model.sizeBytes,
            createdAt: model.createdAt,
          }
        : null,
  }
}

const MAX_TAGS = 20

/** Who handed the run in and for which lesson, when a lesson pack's hand-in wrote the bundle. */
function handInOf(manifest: BundleManifest): { student: string | null; lessonId: string | null } {
  return {
    student: manifest.handIn?.student ?? null,
    lessonId: manifest.handIn?.lessonId ?? null,
  }
}

/**
 * Reads model.json and the weight files it names, and checks them against the hash recorded when
 * the model was saved, so a damaged model is never handed in.
 */
async function readModelFiles(run: RunDetail, dir: string): Promise<BundleFile[]> {
  const read = async (name: string): Promise<Uint8Array> => {
    try {
      const info = await stat(join(dir, name))
      if (info.size > MAX_BUNDLE_BYTES) {
        throw new AppError('INVALID_INPUT', 'modelfiles.bundle.exportTooLarge', {
          id: run.id,
          size: Math.round(info.size / (1024 * 1024)),
          limit: MAX_BUNDLE_BYTES / (1024 * 1024),
        })
      }
      return new Uint8Array(await readFile(join(dir, name)))
    } catch (err) {
      if (err instanceof AppError) throw err
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new AppError('MODEL_MISSING', 'modelfiles.bundle.exportModelMissing', { id: run.id })
      }
      throw ioError(join(dir, name), err)
    }
  }
  const corrupt = () =>
    new AppError('MODEL_CORRUPT', 'modelfiles.bundle.exportModelCorrupt', { id: run.id })
  const jsonBytes = await read(MODEL_JSON)
  let names: string[]
  try {
    const json = JSON.parse(new TextDecoder().decode(jsonBytes)) as {
      weightsManifest: { paths: string[] }[]
    }
    names = json.weightsManifest.flatMap((group) => group.paths)
  } catch {
    throw corrupt()
  }
  if (!names.every((n) => typeof n === 'string' && isPlainFileName(n) && n !== MODEL_JSON)) {
    throw corrupt()
  }
  const files: BundleFile[] = [{ name: MODEL_JSON, bytes: jsonBytes }]
  for (const name of names) files.push({ name, bytes: await read(name) })
  if (sha256Hex(...files.map((f) => f.bytes)) !== run.model?.sha256.toLowerCase()) throw corrupt()
  return files
}

/** `<name>-<uid>.sinapse` with only characters every file system and USB stick accepts. */
function bundleFileName(name: string, uid: string): string {
  return `${fileNameSlug(name, 'run')}-${uid.slice(0, 8)}${BUNDLE_EXTENSION}`
}

/**
 * Writes the model files into a fresh temporary folder under `parent`, fsyncs them and renames it
 * to `preferred` (or `preferred-<random>` if that name is taken, so nothing is ever replaced).
 */
async function writeModelFolder(
  parent: string,
  preferred: string,
  files: BundleFile[],
): Promise<string> {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`
  const temp = join(parent, `.${preferred}.tmp-${suffix}`)
  try {
    await mkdir(parent, { recursive: true })
    await mkdir(temp)
    for (const file of files) await writeFileSynced(join(temp, file.name), file.bytes)
    await fsyncFolder(temp)
    const taken = await stat(join(parent, preferred)).then(
      () => true,
      () => false,
    )
    const dir = join(parent, taken ? `${preferred}-${randomBytes(4).toString('hex')}` : preferred)
    await rename(temp, dir)
    await fsyncFolder(parent)
    return dir
  } catch (err) {
    await rm(temp, { recursive: true, force: true })
    throw err instanceof AppError ? err : ioError(parent, err)
  }
}

import { randomUUID } from 'node:crypto'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Locale } from '../../shared/i18n'
import type { Emit } from '../../shared/ipc-contract'
import { createHandlers } from '../ipc/handlers'
import type { HandlerContext, Handlers } from '../ipc/types'
import { toDiskFullError } from '../storage-errors'
import { prepareDataDir, type DataPaths } from '../paths'
import { openDatabase } from '../store/db'
import { createBoardRepo } from '../store/board-repo'
import { createBoardService, type BoardService } from './board-service'
import { ownStartId, probeProcess, whyOrphaned } from '../store/process-liveness'
import { createRunsRepo, type OwnerCheck } from '../store/runs-repo'
import type { BackendName } from '../../shared/runs'
import { createTrainingEngine, type TrainingEngine } from '../training/engine'
import { createBundleService, type BundleService } from './bundle-service'
import { sweepModelFolders } from './model-folders'
import { createEvaluationService, type EvaluationService } from './evaluation-service'
import { createInspectService, type InspectService } from './inspect-service'
import { createLessonService, type LessonService } from './lesson-service'
import { createPrivacyService, type PrivacyService } from './privacy-service'
import { createOodService, type OodService } from './ood-service'
import { createModelFilesService, type ModelFilesService } from './model-files-service'
import { createRunsService, type RunsService } from './runs-service'
import { createSavedFiles, type SavedFiles } from '../saved-files'
import { createTrainingService, type TrainingService } from './training-service'

export interface ServicesOptions {
  dataDir: string
  locale: Locale
  emit: Emit
  /** The worker's module: worker.ts under tsx, the bundled worker.js in the app. */
  workerUrl: URL
  execArgv?: string[]
  /** An Electron-ABI better-sqlite3 build, for the desktop app. */
  nativeBinding?: string
  backend?: BackendName
  /** False: never pick tfjs-node automatically (the desktop app keeps native code out of main). */
  nativeBackend?: boolean
  version?: string
  /** Where trained models go when the data folder refuses them; ~/sinapse-models by default. */
  fallbackModelsDir?: string
  /** The desktop's record of the files it saved; elsewhere revealing a file is refused. */
  savedFiles?: SavedFiles
  /**
   * Prepare a model's out-of-distribution judgement as soon as it is trained or imported (the
   * app and browser mode; a one-shot CLI command would only wait longer to exit).
   */
  eagerOod?: boolean
}

export interface Services {
  paths: DataPaths
  runs: RunsService
  training: TrainingService
  evaluation: EvaluationService
  modelFiles: ModelFilesService
  bundles: BundleService
  inspect: InspectService
  lessons: LessonService
  board: BoardService
  privacy: PrivacyService
  ood: OodService
  engine: TrainingEngine
  handlers: Handlers
  /**
   * Stops a running training (epochs kept), ends the worker and closes the database. A training
   * that has not finished stopping within `graceMs` (it saves its model and scores the test set)
   * is ended by terminating the worker, and recorded as stopped.
   */
  close(opts?: { graceMs?: number }): Promise<void>
  /**
   * The last resort when closing hangs: records a running training as stopped and closes the
   * database, synchronously, so the process can exit at once.
   */
  abandon(): void
}

/** Settles true when `promise` settles within `ms`, false otherwise. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = promise.then(
    () => true,
    () => true,
  )
  // setTimeout would fire at once for Infinity (any delay above 2³¹ − 1 ms becomes 1 ms).
  if (!Number.isFinite(ms)) return settled
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer))
}

/** The same handlers, each error passed through `map` first. */
function mapHandlerErrors(handlers: Handlers, map: (err: unknown) => unknown): Handlers {
  const mapped: Record<string, (input: unknown, ctx: HandlerContext) => Promise<unknown>> = {}
  for (const [name, handler] of Object.entries(handlers)) {
    const call = handler as (input: unknown, ctx: HandlerContext) => unknown
    mapped[name] = async (input, ctx) => {
      try {
        return await call(input, ctx)
      } catch (err) {
        throw map(err)
      }
    }
  }
  return mapped as unknown as Handlers
}

/**
 * Composes the data folder, the database, the worker and the services over them; shared by the
 * desktop app, the CLI and browser mode. Runs whose owning process died or fell silent are marked interrupted.
 */
export async function createServices(opts: ServicesOptions): Promise<Services> {
  const paths = prepareDataDir(opts.dataDir)
  const db = openDatabase(paths.database, { nativeBinding: opts.nativeBinding })
  const repo = createRunsRepo(db, { now: () => new Date() })
  const owner = { pid: process.pid, token: randomUUID(), startId: ownStartId() }
  const checkOwner: OwnerCheck = (run) => whyOrphaned(run, { self: owner, now: () => Date.now() })
  repo.markOrphans(checkOwner)
  // After the orphans are marked, so the folders of runs just interrupted can be recovered. A
  // failure here (a folder that cannot be read) must not keep the app from starting.
  await sweepModelFolders({ repo, paths, probe: probeProcess, now: () => Date.now() }).catch(
    () => undefined,
  )

  const fallbackDir = opts.fallbackModelsDir ?? join(homedir(), 'sinapse-models')
  const engine = createTrainingEngine({
    workerUrl: opts.workerUrl,
    execArgv: opts.execArgv,
    backend: opts.backend,
    nativeBackend: opts.nativeBackend,
  })
  const ood = createOodService({ repo, engine, paths, emit: opts.emit, locale: opts.locale })
  const modelReady = opts.eagerOod ? (runId: number) => ood.prepareNow(runId) : undefined
  const training = createTrainingService({
    repo,
    engine,
    paths,
    emit: opts.emit,
    locale: opts.locale,
    owner,
    checkOwner,
    fallbackDir,
    onModelReady: modelReady,
  })
  const runs = createRunsService({
    repo,
    engine,
    paths,
    emit: opts.emit,
    locale: opts.locale,
    isTraining: training.isActive,
    oodMissing: ood.missing,
  })
  const evaluation = createEvaluationService({ repo, engine, paths, locale: opts.locale })
  const modelFiles = createModelFilesService({
    repo,
    engine,
    paths,
    emit: opts.emit,
    locale: opts.locale,
    onModelReady: modelReady,
  })
  const bundles = createBundleService({
    repo,
    paths,
    emit: opts.emit,
    locale: opts.locale,
    version: opts.version,
  })
  const inspect = createInspectService({ repo, engine, paths, oodMissing: ood.missing })
  const lessons = createLessonService({ version: opts.version })
  const board = createBoardService({
    repo,
    boardRepo: createBoardRepo(db, { now: () => new Date() }),
    engine,
    paths,
    locale: opts.locale,
    emit: opts.emit,
  })
  const privacy = createPrivacyService({
    repo,
    paths,
    emit: opts.emit,
    fallbackModelsDir: fallbackDir,
    isTraining: () => training.current() !== null,
  })
  // A full disk is said as such wherever it happens, not as an internal error.
  const handlers = mapHandlerErrors(
    createHandlers({
      runs,
      training,
      evaluation,
      modelFiles,
      bundles,
      inspect,
      lessons,
      board,
      privacy,
      ood,
      savedFiles: opts.savedFiles ?? createSavedFiles({ show: null }),
      info: async () => ({
        version: opts.version ?? '0.0.0',
        dataDir: paths.root,
        backend: await engine.backend().catch(() => null),
        locale: opts.locale,
      }),
    }),
    (err) => toDiskFullError(err, paths.root) ?? err,
  )

  return {
    paths,
    runs,
    training,
    evaluation,
    modelFiles,
    bundles,
    inspect,
    lessons,
    privacy,
    board,
    ood,
    engine,
    handlers,
    async close(closeOpts = {}) {
      const current = training.current()
      if (current) {
        training.stop(current.runId)
        const finished = await settlesWithin(
          training.wait(current.runId),
          closeOpts.graceMs ?? Infinity,
        )
        // Terminating the worker rejects the job, which the training service records as stopped.
        if (!finished) await engine.close()
        await training.wait(current.runId)
      }
      await engine.close()
      if (db.open) db.close()
    },
    abandon() {
      if (!db.open) return
      training.abandon()
      db.close()
    },
  }
}

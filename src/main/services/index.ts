import { randomUUID } from 'node:crypto'
import type { Locale } from '../../shared/i18n'
import type { Emit } from '../../shared/ipc-contract'
import { createHandlers } from '../ipc/handlers'
import type { Handlers } from '../ipc/types'
import { prepareDataDir, type DataPaths } from '../paths'
import { openDatabase } from '../store/db'
import { ownStartId, probeProcess, whyOrphaned } from '../store/process-liveness'
import { createRunsRepo, type OwnerCheck } from '../store/runs-repo'
import type { BackendName } from '../../shared/runs'
import { createTrainingEngine, type TrainingEngine } from '../training/engine'
import { createBundleService, type BundleService } from './bundle-service'
import { sweepModelFolders } from './model-folders'
import { createEvaluationService, type EvaluationService } from './evaluation-service'
import { createInspectService, type InspectService } from './inspect-service'
import { createModelFilesService, type ModelFilesService } from './model-files-service'
import { createRunsService, type RunsService } from './runs-service'
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
  version?: string
}

export interface Services {
  paths: DataPaths
  runs: RunsService
  training: TrainingService
  evaluation: EvaluationService
  modelFiles: ModelFilesService
  bundles: BundleService
  inspect: InspectService
  engine: TrainingEngine
  handlers: Handlers
  /** Stops a running training (epochs kept), ends the worker and closes the database. */
  close(): Promise<void>
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

  const engine = createTrainingEngine({
    workerUrl: opts.workerUrl,
    execArgv: opts.execArgv,
    backend: opts.backend,
  })
  const training = createTrainingService({
    repo,
    engine,
    paths,
    emit: opts.emit,
    locale: opts.locale,
    owner,
    checkOwner,
  })
  const runs = createRunsService({
    repo,
    engine,
    paths,
    emit: opts.emit,
    locale: opts.locale,
    isTraining: training.isActive,
  })
  const evaluation = createEvaluationService({ repo, engine, paths, locale: opts.locale })
  const modelFiles = createModelFilesService({
    repo,
    engine,
    paths,
    emit: opts.emit,
    locale: opts.locale,
  })
  const bundles = createBundleService({
    repo,
    paths,
    emit: opts.emit,
    locale: opts.locale,
    version: opts.version,
  })
  const inspect = createInspectService({ repo, engine, paths })
  const handlers = createHandlers({
    runs,
    training,
    evaluation,
    modelFiles,
    bundles,
    inspect,
    info: async () => ({
      version: opts.version ?? '0.0.0',
      dataDir: paths.root,
      backend: await engine.backend().catch(() => null),
      locale: opts.locale,
    }),
  })

  return {
    paths,
    runs,
    training,
    evaluation,
    modelFiles,
    bundles,
    inspect,
    engine,
    handlers,
    async close() {
      const current = training.current()
      if (current) {
        training.stop(current.runId)
        await training.wait(current.runId)
      }
      await engine.close()
      db.close()
    },
  }
}

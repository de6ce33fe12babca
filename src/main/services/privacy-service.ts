import { readdir, rm, stat } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { AppError } from '../../shared/errors'
import { LOCALES, translate } from '../../shared/i18n'
import type { Emit, PrivacyInfo } from '../../shared/ipc-contract'
import type { DataPaths } from '../paths'
import type { RunsRepo } from '../store/runs-repo'

export interface PrivacyServiceDeps {
  repo: RunsRepo
  paths: DataPaths
  emit: Emit
  /** Where trained models go when the data folder refuses them. */
  fallbackModelsDir: string
  /** True while this process trains; nothing is deleted under a running training. */
  isTraining: () => boolean
}

/**
 * What Sinapse keeps and where, and "delete all my data". Sinapse sends nothing anywhere: every
 * run, model and setting is in the data folder (and, for a model the data folder refused, in the
 * fallback folder the run names).
 */
export function createPrivacyService(deps: PrivacyServiceDeps) {
  const { repo, paths, emit } = deps

  return {
    async info(): Promise<PrivacyInfo> {
      const runs = repo.list()
      return {
        dataDir: paths.root,
        databaseFile: paths.database,
        modelsDir: paths.models,
        fallbackModelsDir: deps.fallbackModelsDir,
        runCount: runs.length,
        modelCount: repo.modelPaths().length,
        sizeBytes: await folderSize(paths.root),
      }
    },

    /**
     * Deletes every run and model: the rows in one transaction (then the database file is
     * compacted so nothing deleted lingers in it), then every folder under the models folder and
     * each fallback model folder a run named. The database stays, empty, so the app keeps
     * working. `confirmation` must be the word the dialog asks for, in either language.
     */
    async deleteAll(input: {
      confirmation: string
    }): Promise<{ runsDeleted: number; foldersDeleted: number }> {
      const words = LOCALES.map((l) => translate(l, 'privacy.confirmWord'))
      if (!words.includes(input.confirmation.trim())) {
        throw new AppError('INVALID_INPUT', 'privacy.confirmMismatch', { words: words.join(' / ') })
      }
      if (deps.isTraining()) throw new AppError('BUSY', 'privacy.busy', {})
      const result = repo.deleteAll()
      if ('busyId' in result) throw new AppError('BUSY', 'privacy.busy', { id: result.busyId })
      let folders = 0
      const dirs = new Set(result.modelPaths.map((p) => (isAbsolute(p) ? p : join(paths.root, p))))
      const entries = await readdir(paths.models).catch(() => [] as string[])
      for (const entry of entries) dirs.add(join(paths.models, entry))
      for (const dir of dirs) {
        await rm(dir, { recursive: true, force: true })
        folders++
      }
      emit('runs:changed', { runId: null })
      return { runsDeleted: result.deleted, foldersDeleted: folders }
    },
  }
}

export type PrivacyService = ReturnType<typeof createPrivacyService>

async function folderSize(dir: string): Promise<number> {
  let total = 0
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) total += await folderSize(path)
    else if (entry.isFile())
      total += await stat(path).then(
        (s) => s.size,
        () => 0,
      )
  }
  return total
}

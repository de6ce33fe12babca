import { lstat, readdir, rename, rm } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import type { DataPaths } from '../paths'
import type { ProcessProbe } from '../store/process-liveness'
import type { RunsRepo } from '../store/runs-repo'
import { describeModelFolder } from '../training/model-io'
import { PREDICTIONS_FILE } from '../training/predictions-file'

/** The folder names Sinapse gives models: `run-<uid>`, or `run-<uid>-<8 hex>` after a clash. */
const MODEL_FOLDER =
  /^run-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(-[0-9a-f]{8})?$/
/** A temporary folder of an atomic write, with the writer's pid: `.run-<uid>.tmp-<pid>-<hex>`. */
const WRITE_TEMP = /^\.(run-[0-9a-f-]{36}(?:-[0-9a-f]{8})?)\.(tmp|old)-(\d+)-[0-9a-f]{8}$/
/** A model import's staging folder: `.import-<uid>` (it carries no pid). */
const IMPORT_TEMP = /^\.import-[0-9a-f-]{36}$/
/** What Sinapse writes in a model folder; a folder holding anything else is left alone. */
const OWN_FILE = new RegExp(
  `^(model\\.json|[A-Za-z0-9._-]+\\.bin|${PREDICTIONS_FILE.replace('.', '\\.')})$`,
)

/** An import's staging folder untouched for this long belongs to an import that died. */
export const UNRECORDED_GRACE_MS = 10 * 60_000

export interface SweepDeps {
  repo: RunsRepo
  paths: DataPaths
  probe: (pid: number) => ProcessProbe
  now: () => number
}

export interface SweepResult {
  /** Runs whose complete model folder had no row (killed between save and record): now attached. */
  recovered: number[]
  /** Folder names removed from the models folder. */
  removed: string[]
}

/**
 * Tidies the models folder after processes were killed mid-save, touching only folders named the
 * way Sinapse names them and holding only files Sinapse writes (never a user's files):
 * - a trained run's complete folder whose row was never written (the owner died between the
 *   rename and the record) is attached to its run, so the trained weights are not lost;
 * - a folder no run references is removed once its run is finished; one whose run is absent is
 *   kept (the database that listed it may have been lost: its model is all that is left);
 * - temporary folders of dead writers are removed, and a model moved aside for replacement is
 *   moved back if the replacement never arrived.
 * Folders of queued or running runs are never touched: their live owner records them.
 */
export async function sweepModelFolders(deps: SweepDeps): Promise<SweepResult> {
  const { repo, paths } = deps
  const result: SweepResult = { recovered: [], removed: [] }
  let names: string[]
  try {
    names = await readdir(paths.models)
  } catch {
    return result
  }
  const referenced = new Set(
    repo.modelPaths().map((p) => resolve(isAbsolute(p) ? p : join(paths.root, p))),
  )
  const removeIfOurs = async (name: string) => {
    if (await holdsOnlyOwnFiles(join(paths.models, name))) {
      await rm(join(paths.models, name), { recursive: true, force: true })
      result.removed.push(name)
    }
  }

  for (const name of names) {
    const dir = join(paths.models, name)
    const info = await lstat(dir).catch(() => null)
    if (!info?.isDirectory()) continue
    const final = MODEL_FOLDER.exec(name)
    if (final) {
      if (referenced.has(resolve(dir))) continue
      const run = repo.getByUid(final[1])
      if (run && (run.status === 'queued' || run.status === 'running')) continue
      if (run && !run.model && run.kind === 'trained' && !final[2]) {
        const model = await describeModelFolder(dir).catch(() => null)
        if (model) {
          repo.saveModel(run.id, { ...model, path: relative(paths.root, dir) })
          result.recovered.push(run.id)
          continue
        }
      }
      // A folder whose run is absent is kept: it may be all that is left of a run recorded by a
      // database that was emptied by a crash, deleted, or replaced by an older backup.
      if (run) await removeIfOurs(name)
      continue
    }
    const temp = WRITE_TEMP.exec(name)
    if (temp) {
      const state = deps.probe(Number(temp[3])).state
      if (state !== 'gone' && state !== 'zombie') continue
      const target = join(paths.models, temp[1])
      // An `.old-` folder is a model moved aside to be replaced: if the new one never took its
      // place, it goes back.
      if (temp[2] === 'old' && !(await lstat(target).catch(() => null))) {
        await rename(dir, target)
        continue
      }
      await removeIfOurs(name)
      continue
    }
    if (IMPORT_TEMP.test(name) && deps.now() - info.mtimeMs > UNRECORDED_GRACE_MS) {
      await removeIfOurs(name)
    }
  }
  return result
}

async function holdsOnlyOwnFiles(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null)
  return entries !== null && entries.every((e) => e.isFile() && OWN_FILE.test(e.name))
}

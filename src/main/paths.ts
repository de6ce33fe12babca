import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../shared/errors'

export const APP_NAME = 'Sinapse'

/**
 * The per-user folder Electron's `app.getPath('userData')` gives Sinapse, computed without
 * Electron so the CLI and the desktop app share one database.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.SINAPSE_DATA_DIR) return env.SINAPSE_DATA_DIR
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME)
}

export interface DataPaths {
  root: string
  database: string
  models: string
}

/** Creates the data folder if needed and proves it is writable, so failures happen up front. */
export function prepareDataDir(root: string): DataPaths {
  const paths = { root, database: join(root, 'sinapse.db'), models: join(root, 'models') }
  try {
    mkdirSync(paths.models, { recursive: true })
    const probe = join(root, `.write-test-${process.pid}`)
    writeFileSync(probe, '')
    rmSync(probe)
  } catch (err) {
    throw new AppError('DATA_DIR_UNWRITABLE', 'error.dataDirUnwritable', {
      path: root,
      detail: err instanceof Error ? err.message : String(err),
    })
  }
  return paths
}

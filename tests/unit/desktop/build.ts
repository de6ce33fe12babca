import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const root = process.cwd()
const outputs = [
  'out/main/index.js',
  'out/main/worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
].map((f) => join(root, f))

function newestInput(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestInput(path) : statSync(path).mtimeMs)
  }
  return newest
}

function isStale(): boolean {
  if (!outputs.every((f) => existsSync(f))) return true
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs))
  const inputs = Math.max(
    newestInput(join(root, 'src')),
    statSync(join(root, 'electron.vite.config.ts')).mtimeMs,
    statSync(join(root, 'package.json')).mtimeMs,
  )
  return inputs > built
}

/**
 * Builds the app (`electron-vite build`) unless out/ is newer than every source. Test files that
 * need out/ may run at once in separate processes: a lock folder makes one build and the others
 * wait for it.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), `sinapse-build-${Buffer.from(root).toString('hex').slice(-40)}`)
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // Another test file is building; a lock older than 5 minutes is left over from a crash.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()
      if (Date.now() - since > 300_000) {
        rmSync(lock, { recursive: true, force: true })
      }
      await sleep(250)
    }
  }
  try {
    if (!isStale()) return
    const result = spawnSync(
      process.execPath,
      [join(root, 'node_modules/.bin/electron-vite'), 'build'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    )
    if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stderr}`)
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

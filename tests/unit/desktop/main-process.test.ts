import {
  copyFileSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/shell/security'
import type { Result } from '../../../src/shared/errors'
import { getPreset } from '../../../src/shared/presets'
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/train-config'
import { ensureBuilt } from './build'
import { StandInApp, type Report } from './stand-in-app'

/*
 * The built main process (out/main/index.js), as the desktop app runs it, under Node with a
 * stand-in `electron` module (./stand-in/electron.mjs): the real composition root, database,
 * worker and IPC, without Electron's binary.
 */

const root = process.cwd()
const appUrl = pathToFileURL(join(root, 'out/renderer/index.html')).href
const dirs: string[] = []
const apps: StandInApp[] = []

beforeAll(async () => {
  await ensureBuilt()
}, 180_000)

afterAll(() => {
  for (const app of apps) app.kill()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sinapse-desktop-${name}-`))
  dirs.push(dir)
  return dir
}

function launch(opts: { appDir?: string; env?: Record<string, string> } = {}) {
  const dataDir = join(tempDir('data'), 'Sinapse')
  const app = new StandInApp({ appDir: opts.appDir ?? root, dataDir, env: opts.env })
  apps.push(app)
  return { app, dataDir }
}

/** A small MLP on a slice of MNIST: seconds per run, even on a loaded machine. */
function trainingInput(epochs: number, limit: number) {
  const { spec } = getPreset('tutorial-mlp')
  spec.layers[1] = { type: 'dense', units: 16, activation: 'relu', useBias: true }
  return { spec, config: { ...DEFAULT_TRAIN_CONFIG, epochs, limit }, dataset: 'mnist' }
}

function readRun(dataDir: string, runId: number) {
  const db = new Database(join(dataDir, 'sinapse.db'), { readonly: true })
  try {
    const run = db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }
    const { epochs } = db
      .prepare('SELECT count(*) AS epochs FROM epochs WHERE run_id = ?')
      .get(runId) as { epochs: number }
    return { status: run.status, epochs }
  } finally {
    db.close()
  }
}

const isExit = (r: Report) => r.type === 'exit'
const isDialog = (r: Report) => r.type === 'dialog'

async function startTraining(app: StandInApp, epochs: number, limit: number): Promise<number> {
  const started = await app.invoke<Result<{ runId: number }>>(
    appUrl,
    'training:start',
    trainingInput(epochs, limit),
  )
  if (!started.ok) throw new Error(started.error.message)
  return started.value.runId
}

function epochEvents(app: StandInApp, runId: number): number {
  return app.events('training:epoch').filter((e) => (e as { runId: number }).runId === runId).length
}

describe('the desktop main process (built, under a stand-in Electron)', () => {
  it('opens a locked-down window, answers IPC only from its page, trains, and closes the database', async () => {
    const { app, dataDir } = launch({ env: { STAND_IN_PACKAGED: '1' } })
    const state = await waitForWindow(app)

    expect(state.name).toBe('Sinapse')
    expect(state.windows).toHaveLength(1)
    const [window] = state.windows
    const prefs = window.options.webPreferences
    expect(prefs.sandbox).toBe(true)
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect(existsSync(prefs.preload)).toBe(true)
    expect(prefs.preload).toBe(join(root, 'out/preload/index.cjs'))
    expect(window.url).toBe(appUrl)
    expect(window.windowOpen).toEqual({ action: 'deny' })
    expect(window.navigation).toEqual({ self: true, away: false, droppedFile: false })

    expect(state.headers.app.responseHeaders['Content-Security-Policy']).toEqual([
      CONTENT_SECURITY_POLICY,
    ])
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
    expect(state.headers.other).toEqual({})
    expect(state.permissions).toEqual({
      'clipboard-sanitized-write': { request: true, check: true },
      'clipboard-read': { request: false, check: false },
      media: { request: false, check: false },
      notifications: { request: false, check: false },
    })

    // The menu speaks the OS language and, in an installed app, has no developer tools.
    const labels = JSON.stringify(state.menu)
    expect(state.menu.map((m: { label: string }) => m.label)).toEqual([
      'Arquivo',
      'Editar',
      'Exibir',
      'Ajuda',
    ])
    expect(labels).not.toContain('toggleDevTools')
    await app.request('menuItem', { label: 'Sobre o Sinapse' })
    const about = await app.waitFor(isDialog, 'the About box')
    expect((about.options as { detail: string }).detail).toContain('Versão 0.1.0')

    // IPC: foreign frames, no frame, unknown commands and malformed input are refused.
    const foreign = await app.invoke<Result<unknown>>('https://evil.example/', 'runs:list', {})
    expect(foreign).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!foreign.ok && foreign.error.message).toContain('https://evil.example/')
    const otherFile = pathToFileURL(join(root, 'README.md')).href
    expect(await app.invoke(otherFile, 'runs:list', {})).toMatchObject({ ok: false })
    expect(await app.invoke(null, 'runs:list', {})).toMatchObject({ ok: false })
    const unknown = await app.invoke<Result<unknown>>(appUrl, 'fs:readFile', { path: '/etc' })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const malformed = await app.invoke<Result<unknown>>(appUrl, 'runs:get', { id: 'one' })
    expect(malformed).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const info = await app.invoke<Result<{ dataDir: string; locale: string }>>(
      appUrl,
      'app:info',
      {},
    )
    expect(info).toMatchObject({ ok: true, value: { dataDir, locale: 'pt-BR' } })

    // A short training through IPC, with its events pushed to the window.
    const runId = await startTraining(app, 2, 300)
    const finished = await app.waitFor(
      (r) => r.type === 'send' && (r.args as unknown[])[0] === 'training:finished',
      'the training to finish',
    )
    expect((finished.args as unknown[])[1]).toEqual({ runId, status: 'completed', error: null })
    expect(epochEvents(app, runId)).toBe(2)
    const detail = await app.invoke<Result<{ status: string; history: unknown[] }>>(
      appUrl,
      'runs:get',
      { id: runId },
    )
    expect(detail).toMatchObject({ ok: true, value: { status: 'completed' } })

    // No training: closing the window quits without asking, and the database is closed (SQLite
    // removes the WAL file when the last connection closes cleanly).
    expect(await app.request('closeWindow')).toEqual({ destroyed: true })
    const exit = await app.waitFor(isExit, 'exit')
    expect(exit).toMatchObject({ code: 0, relaunch: false })
    expect((await app.exited).code).toBe(0)
    expect(app.reports.filter(isDialog)).toHaveLength(1)
    expect(existsSync(join(dataDir, 'sinapse.db-wal'))).toBe(false)
    expect(readRun(dataDir, runId)).toEqual({ status: 'completed', epochs: 2 })
  })

  it('asks before closing the window during a training; stopping keeps the finished epochs', async () => {
    const { app, dataDir } = launch({ env: { STAND_IN_LOCALE: 'en-US' } })
    await waitForWindow(app)
    const runId = await startTraining(app, 500, 2000)
    await app.waitFor((r) => epochEvents(app, runId) >= 1 && r.type === 'send', 'a first epoch')

    // "Keep training": the window stays and the training goes on.
    await app.request('answerDialogs', { responses: [1] })
    expect(await app.request('closeWindow')).toEqual({ destroyed: false })
    const asked = await app.waitFor(isDialog, 'the question')
    expect(asked.options).toMatchObject({
      title: 'A training is running',
      buttons: ['Stop and close', 'Keep training'],
      cancelId: 1,
    })
    expect(asked.hasParent).toBe(true)
    const seen = epochEvents(app, runId)
    await app.waitFor(() => epochEvents(app, runId) > seen, 'another epoch')

    // "Stop and close": the run stops after its current batch and the app exits.
    await app.request('answerDialogs', { responses: [0] })
    await app.request('closeWindow')
    await app.waitFor(isExit, 'exit')
    expect((await app.exited).code).toBe(0)
    expect(app.reports.filter(isDialog)).toHaveLength(2)
    expect(existsSync(join(dataDir, 'sinapse.db-wal'))).toBe(false)
    const run = readRun(dataDir, runId)
    expect(run.status).toBe('stopped')
    // Every epoch the window saw is kept. An epoch that ended while the stop was on its way (a
    // 1,600-image MLP epoch takes tens of milliseconds) is kept too, though the closing window
    // no longer receives its event: at most one more.
    const seenByWindow = epochEvents(app, runId)
    expect(run.epochs).toBeGreaterThanOrEqual(seenByWindow)
    expect(run.epochs).toBeLessThanOrEqual(seenByWindow + 1)
    expect(run.epochs).toBeGreaterThanOrEqual(2)
  })

  it('quits within its time limit when the worker hangs, recording the run as stopped', async () => {
    // A copy of the app whose worker stops answering after its first epoch.
    const appDir = tempDir('hung-app')
    copyFileSync(join(root, 'package.json'), join(appDir, 'package.json'))
    cpSync(join(root, 'out'), join(appDir, 'out'), { recursive: true })
    symlinkSync(join(root, 'node_modules'), join(appDir, 'node_modules'), 'dir')
    renameSync(join(appDir, 'out/main/worker.js'), join(appDir, 'out/main/worker-real.js'))
    copyFileSync(
      fileURLToPath(new URL('./stand-in/hang-worker.mjs', import.meta.url)),
      join(appDir, 'out/main/worker.js'),
    )
    const { app, dataDir } = launch({ appDir })
    await waitForWindow(app)
    const appPage = pathToFileURL(join(appDir, 'out/renderer/index.html')).href
    const started = await app.invoke<Result<{ runId: number }>>(
      appPage,
      'training:start',
      trainingInput(50, 1000),
    )
    if (!started.ok) throw new Error(started.error.message)
    const { runId } = started.value
    await app.waitFor(() => epochEvents(app, runId) === 1, 'the first epoch')

    // Quit (the menu's Quit): it asks, the user stops; the worker never answers.
    await app.request('answerDialogs', { responses: [0] })
    const quitAt = Date.now()
    await app.request('quit')
    await app.waitFor(isDialog, 'the question')
    // A second launch while quitting opens no window over the closing database: it relaunches.
    expect(await app.request('secondInstance')).toEqual({ windows: 1 })
    expect(app.reports.some((r) => r.type === 'focus')).toBe(false)

    const exit = await app.waitFor(isExit, 'exit')
    const { code, at } = await app.exited
    expect(code).toBe(0)
    expect(exit.relaunch).toBe(true)
    // The limits are 4 s to stop and 8 s in all; the bound is loose for a loaded machine.
    expect(at - quitAt).toBeLessThan(30_000)
    // Checked first: reading the database below opens it again.
    expect(existsSync(join(dataDir, 'sinapse.db-wal'))).toBe(false)
    expect(readRun(dataDir, runId)).toEqual({ status: 'stopped', epochs: 1 })
  })

  it('says where an export was saved and shows only files it saved in their folder', async () => {
    const { app } = launch({ env: { STAND_IN_LOCALE: 'en-US' } })
    await waitForWindow(app)
    const folder = tempDir('exports')
    const saved = join(folder, 'tutorial-mlp.h5')
    writeFileSync(saved, 'h5')
    const other = join(folder, 'secret.txt')
    writeFileSync(other, 'not exported')
    await app.request('download', { fileName: 'tutorial-mlp.h5', path: saved, state: 'completed' })
    await app.request('download', { fileName: 'other.h5', path: other, state: 'cancelled' })
    // The page learns the full path of the one completed download, once.
    expect(app.events('files:saved')).toEqual([{ fileName: 'tutorial-mlp.h5', path: saved }])

    const reveal = (path: string) => app.invoke<Result<unknown>>(appUrl, 'files:reveal', { path })
    expect(await reveal(saved)).toEqual({ ok: true, value: undefined })
    const shown = () => app.reports.filter((r) => r.type === 'showItemInFolder')
    expect(shown()).toEqual([{ type: 'showItemInFolder', path: saved }])
    // Files the app did not write (a cancelled save, anything else, a path that walks back to
    // one) are refused and never reach the shell; nor does any other page.
    for (const path of [other, '/etc/passwd', folder, 'tutorial-mlp.h5']) {
      const refused = await reveal(path)
      expect(refused, path).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    }
    const unknown = await reveal(other)
    expect(!unknown.ok && unknown.error.message).toContain('did not save')
    const foreign = await app.invoke<Result<unknown>>('https://evil.example/', 'files:reveal', {
      path: saved,
    })
    expect(foreign).toMatchObject({ ok: false })
    // A saved file moved away since: said so, nothing opened.
    rmSync(saved)
    expect(await reveal(saved)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(shown()).toHaveLength(1)
    await app.request('closeWindow')
    await app.exited
  })

  it('shows a translated dialog saying what to do when a native module does not load', async () => {
    const { app, dataDir } = launch({ env: { STAND_IN_BREAK_SHARP: '1' } })
    const box = await app.waitFor((r) => r.type === 'errorBox', 'the error box')
    expect(box.title).toBe('O Sinapse não conseguiu iniciar')
    expect(box.content).toContain('(sharp) não pôde ser carregada')
    expect(box.content).toContain('npm ci')
    expect((await app.exited).code).toBe(1)
    expect(existsSync(join(dataDir, 'sinapse.db'))).toBe(false)
  })

  it('loads TensorFlow.js once, from node_modules, in the worker', () => {
    // The worker and tfjs-backend-wasm (which requires node_modules' tfjs-core) share one copy:
    // the bundle (worker.js and the chunks it shares with the gradient helper) imports the
    // packages instead of carrying its own.
    const worker = withLocalChunks(join(root, 'out/main'), 'worker.js')
    expect(worker).toContain('from "@tensorflow/tfjs-core"')
    expect(worker).toContain('from "@tensorflow/tfjs-layers"')
    expect(worker).toContain('import "@tensorflow/tfjs-backend-cpu"')
    for (const file of readdirSync(join(root, 'out/main')).filter((f) => f.endsWith('.js'))) {
      // tfjs-core's engine registers itself under this global name; no bundle may define it.
      expect(readFileSync(join(root, 'out/main', file), 'utf8')).not.toContain('_tfengine')
    }
  })

  it('a second instance opens nothing and leaves', async () => {
    const { app, dataDir } = launch({ env: { STAND_IN_SECOND: '1' } })
    expect((await app.exited).code).toBe(0)
    expect(app.reports.filter((r) => r.type === 'errorBox')).toEqual([])
    expect(existsSync(dataDir)).toBe(false)
  })
})

/** A bundle's text followed by the text of every local chunk it imports, transitively. */
function withLocalChunks(dir: string, entry: string): string {
  const seen = new Set<string>()
  const texts: string[] = []
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(join(dir, file), 'utf8')
    texts.push(text)
    for (const m of text.matchAll(/from "\.\/([^"]+\.js)"/g)) visit(m[1])
  }
  visit(entry)
  return texts.join('\n')
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stand-in's JSON state
type State = any

/** The stand-in's state once the window has loaded its page (the services open before it). */
async function waitForWindow(app: StandInApp): Promise<State> {
  await app.waitFor((r) => r.type === 'loaded', 'the window')
  const permissions = ['clipboard-sanitized-write', 'clipboard-read', 'media', 'notifications']
  return app.request<State>('state', { permissions })
}

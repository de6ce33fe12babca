import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, shell } from 'electron'
import { resolveLocale, translate, type Locale } from '../shared/i18n'
import type { Emit } from '../shared/ipc-contract'
import { EVENT_CHANNEL } from '../shared/ipc-names'
import { createDispatcher, registerIpc } from './ipc/register'
import { findNativeBinding } from './native-binding'
import { createSavedFiles } from './saved-files'
import type { Services } from './services/index'
import { trackDownloads } from './shell/downloads'
import { menuTemplate } from './shell/menu'
import { isTrustedSender, resolveAppUrl } from './shell/security'
import { createMainWindow } from './shell/window'
import { describeStartupFailure } from './startup-error'

/** How long quitting waits for a stopping training to save its model and score the test set. */
const QUIT_GRACE_MS = 4000
/** After this, whatever still hangs (a worker stuck in native code) is abandoned and we exit. */
const QUIT_LIMIT_MS = 8000

// Set before anything reads a path, so the data folder is ~/.config/Sinapse (not "sinapse").
app.setName('Sinapse')
app.setPath('userData', join(app.getPath('appData'), 'Sinapse'))

const emit: Emit = (event, payload) => {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, payload)
  }
}

function betterSqliteVersion(): string {
  const require = createRequire(import.meta.url)
  return (require('better-sqlite3/package.json') as { version: string }).version
}

async function start(): Promise<void> {
  await app.whenReady()
  // The OS language is known only once the app is ready.
  const locale: Locale = resolveLocale(app.getLocale())
  // Loaded here, behind the startup error handler: the services pull in the native modules
  // (better-sqlite3, sharp), and a failure to load them must reach the translated dialog below.
  const { createServices } = await import('./services/index')
  const title = translate(locale, 'app.name')
  const savedFiles = createSavedFiles({ show: (path) => shell.showItemInFolder(path) })
  const services = await createServices({
    dataDir: process.env.SINAPSE_DATA_DIR || app.getPath('userData'),
    locale,
    nativeBinding: findNativeBinding(app.getAppPath(), {
      electron: process.versions.electron,
      betterSqlite3: betterSqliteVersion(),
      platform: process.platform,
      arch: process.arch,
    }),
    // The worker is a thread of this process: a native crash in tfjs-node would take the window
    // down with it, so the app uses WebAssembly unless SINAPSE_BACKEND asks for tensorflow.
    nativeBackend: false,
    eagerOod: true,
    workerUrl: new URL('./worker.js', import.meta.url),
    emit,
    version: app.getVersion(),
    savedFiles,
  })

  const appUrl = resolveAppUrl({
    devUrl: process.env.ELECTRON_RENDERER_URL,
    isPackaged: app.isPackaged,
    indexFile: fileURLToPath(new URL('../renderer/index.html', import.meta.url)),
  })
  const getLocale = () => locale
  registerIpc(
    ipcMain,
    createDispatcher(services.handlers, { locale: getLocale }),
    (url) => isTrustedSender(url, appUrl),
    getLocale,
  )

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        locale,
        platform: process.platform,
        packaged: app.isPackaged,
        onAbout: () => {
          void dialog.showMessageBox({
            type: 'info',
            title: translate(locale, 'desktop.menu.about'),
            message: title,
            detail: translate(locale, 'desktop.about.detail', {
              version: app.getVersion(),
              dataDir: services.paths.root,
            }),
          })
        },
      }),
    ),
  )

  let quitting: Promise<void> | null = null
  let relaunch = false
  /** Set once the user chose "stop and close", so closing does not ask twice. */
  let stopConfirmed = false

  /** Asks before a running training is stopped by closing; true means go ahead. */
  async function confirmClose(parent: BrowserWindow | null): Promise<boolean> {
    const current = services.training.current()
    if (!current || stopConfirmed) return true
    const options = {
      type: 'question' as const,
      title: translate(locale, 'desktop.close.title'),
      message: translate(locale, 'desktop.close.message', { id: current.runId }),
      detail: translate(locale, 'desktop.close.detail'),
      buttons: [translate(locale, 'desktop.close.stop'), translate(locale, 'desktop.close.keep')],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    }
    const { response } =
      parent && !parent.isDestroyed()
        ? await dialog.showMessageBox(parent, options)
        : await dialog.showMessageBox(options)
    if (response !== 0) return false
    stopConfirmed = true
    // The run may have ended while the question was open.
    const still = services.training.current()
    if (still) services.training.stop(still.runId)
    return true
  }

  const openWindow = () => {
    const created = createMainWindow({
      appUrl,
      title,
      preloadPath: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      iconPath: join(app.getAppPath(), 'resources', 'icon.png'),
      loadErrorMessage: translate(locale, 'desktop.log.loadError'),
    })
    created.on('close', (event) => {
      if (quitting || stopConfirmed || !services.training.current()) return
      event.preventDefault()
      void confirmClose(created).then((close) => {
        if (close && !created.isDestroyed()) created.close()
      })
    })
    return created
  }
  let window = openWindow()
  // Once: every window shares the default session, so a second listener would report twice.
  trackDownloads(window.webContents.session, (file) => {
    savedFiles.record(file.path)
    emit('files:saved', file)
  })

  app.on('second-instance', () => {
    // Never a window over a database that is closing: start afresh once this instance is gone.
    if (quitting) {
      relaunch = true
      return
    }
    if (window.isDestroyed()) window = openWindow()
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  app.on('activate', () => {
    if (!quitting && BrowserWindow.getAllWindows().length === 0) window = openWindow()
  })
  app.on('window-all-closed', () => app.quit())

  // Quitting stops a running training (its finished epochs stay saved) and closes the database,
  // within a time limit: a worker that does not answer is terminated after QUIT_GRACE_MS, and
  // after QUIT_LIMIT_MS the run is recorded as stopped and the process exits regardless.
  app.on('before-quit', (event) => {
    event.preventDefault()
    if (quitting) return
    void confirmClose(window.isDestroyed() ? null : window).then((go) => {
      if (go) quitting ??= closeAndExit(services)
    })
  })

  async function closeAndExit(closing: Services): Promise<void> {
    const limit = setTimeout(() => {
      console.error(translate(locale, 'desktop.log.closeSlow'))
      exit(() => closing.abandon())
    }, QUIT_LIMIT_MS)
    try {
      await closing.close({ graceMs: QUIT_GRACE_MS })
    } catch (err) {
      console.error(translate(locale, 'desktop.log.closeError'), err)
    }
    clearTimeout(limit)
    exit(() => {})
  }

  let exited = false
  function exit(cleanUp: () => void): void {
    if (exited) return
    exited = true
    try {
      cleanUp()
    } catch (err) {
      console.error(translate(locale, 'desktop.log.closeError'), err)
    }
    if (relaunch) app.relaunch()
    app.exit(0)
  }
}

// One instance only: two processes writing the same database would fight over it. A second
// launch focuses the first one's window instead (see 'second-instance').
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  start().catch((err: unknown) => {
    const shown = resolveLocale(app.getLocale())
    dialog.showErrorBox(
      translate(shown, 'ui.startupFailedTitle'),
      describeStartupFailure(err, {
        locale: shown,
        packaged: app.isPackaged,
        platform: process.platform,
        arch: process.arch,
      }),
    )
    app.exit(1)
  })
}

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain } from 'electron'
import { toErrorInfo } from '../shared/errors'
import { resolveLocale, translate } from '../shared/i18n'
import type { Emit } from '../shared/ipc-contract'
import { EVENT_CHANNEL } from '../shared/ipc-names'
import { createDispatcher, registerIpc } from './ipc/register'
import { createServices } from './services/index'
import { isTrustedSender, resolveAppUrl } from './shell/security'
import { createMainWindow } from './shell/window'

// Set before anything reads a path, so the data folder is ~/.config/Sinapse (not "sinapse").
app.setName('Sinapse')
app.setPath('userData', join(app.getPath('appData'), 'Sinapse'))

const emit: Emit = (event, payload) => {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, payload)
  }
}

/** The Electron-ABI better-sqlite3 built by scripts/electron-native.mjs, when it exists. */
function findNativeBinding(): string | undefined {
  const file = join(
    app.getAppPath(),
    '.sinapse-native',
    `electron-${process.versions.electron}`,
    'better_sqlite3.node',
  )
  return existsSync(file) ? file : undefined
}

async function start(): Promise<void> {
  await app.whenReady()
  const locale = resolveLocale(app.getLocale())
  const title = translate(locale, 'app.name')
  const services = await createServices({
    dataDir: process.env.SINAPSE_DATA_DIR || app.getPath('userData'),
    locale,
    nativeBinding: findNativeBinding(),
    workerUrl: new URL('./worker.js', import.meta.url),
    emit,
    version: app.getVersion(),
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
  const openWindow = () =>
    createMainWindow({
      appUrl,
      title,
      preloadPath: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      iconPath: join(app.getAppPath(), 'resources', 'icon.png'),
    })
  let window = openWindow()

  app.on('second-instance', () => {
    if (window.isDestroyed()) window = openWindow()
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = openWindow()
  })
  app.on('window-all-closed', () => app.quit())

  // Quit waits for the services to close: a running training is stopped cleanly and the epochs
  // it finished stay saved.
  let closing: Promise<void> | null = null
  let closed = false
  app.on('before-quit', (event) => {
    if (closed) return
    event.preventDefault()
    closing ??= services
      .close()
      .catch((err: unknown) => console.error('Sinapse: error while closing', err))
      .finally(() => {
        closed = true
        app.quit()
      })
  })
}

// One instance only: two processes writing the same database would fight over it.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  start().catch((err: unknown) => {
    const locale = resolveLocale(app.getLocale())
    dialog.showErrorBox(
      translate(locale, 'ui.startupFailedTitle'),
      toErrorInfo(err, locale).message,
    )
    app.exit(1)
  })
}

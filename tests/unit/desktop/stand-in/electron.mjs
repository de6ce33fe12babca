/*
 * A stand-in for the `electron` module, implementing just what src/main/index.ts and its shell
 * files use, so the built main process runs under plain Node. The test drives it over the
 * child-process IPC channel: it asks for the state (window options, session handlers, menu),
 * invokes IPC as a given frame, closes the window, answers dialogs and quits; the stand-in
 * reports events sent to the renderer, dialogs, and the exit.
 */
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const appDir = process.env.STAND_IN_APP_DIR
const report = (message) => process.send?.(message)

class PreventableEvent {
  defaultPrevented = false
  preventDefault() {
    this.defaultPrevented = true
  }
}

const handlers = new Map()
export const ipcMain = {
  handle(channel, listener) {
    handlers.set(channel, listener)
  },
}

const sessionState = { request: null, check: null, headers: null }
const defaultSession = Object.assign(new EventEmitter(), {
  setPermissionRequestHandler(fn) {
    sessionState.request = fn
  },
  setPermissionCheckHandler(fn) {
    sessionState.check = fn
  },
  webRequest: {
    onHeadersReceived(fn) {
      sessionState.headers = fn
    },
  },
})
export const session = { defaultSession }

const windows = []
const dialogAnswers = []

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed)
  }

  constructor(options) {
    super()
    this.options = options
    this.destroyed = false
    this.loadedUrl = null
    this.openHandler = null
    const contents = new EventEmitter()
    contents.session = defaultSession
    contents.setWindowOpenHandler = (fn) => {
      this.openHandler = fn
    }
    contents.send = (channel, ...args) => report({ type: 'send', channel, args })
    this.webContents = contents
    windows.push(this)
  }

  loadURL(url) {
    this.loadedUrl = url
    report({ type: 'loaded', url })
    setImmediate(() => this.emit('ready-to-show'))
    return Promise.resolve()
  }

  show() {}
  focus() {
    report({ type: 'focus' })
  }
  isMinimized() {
    return false
  }
  restore() {}
  isDestroyed() {
    return this.destroyed
  }

  close() {
    if (this.destroyed) return
    const event = new PreventableEvent()
    this.emit('close', event)
    if (event.defaultPrevented) return
    this.destroyed = true
    this.emit('closed')
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed')
  }
}

export const dialog = {
  showMessageBox(...args) {
    const options = args.length > 1 ? args[1] : args[0]
    const response = dialogAnswers.length ? dialogAnswers.shift() : (options.cancelId ?? 0)
    report({ type: 'dialog', options, hasParent: args.length > 1, response })
    return Promise.resolve({ response, checkboxChecked: false })
  },
  showErrorBox(title, content) {
    report({ type: 'errorBox', title, content })
  },
}

let applicationMenu = null
export const Menu = {
  buildFromTemplate(template) {
    return { template }
  },
  setApplicationMenu(menu) {
    applicationMenu = menu
  },
}

const paths = { appData: join(appDir, 'appData') }

class App extends EventEmitter {
  isPackaged = process.env.STAND_IN_PACKAGED === '1'
  name = 'stand-in'
  relaunched = false

  setName(name) {
    this.name = name
  }
  getName() {
    return this.name
  }
  getVersion() {
    return JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')).version
  }
  getAppPath() {
    return appDir
  }
  getLocale() {
    return process.env.STAND_IN_LOCALE ?? 'pt-BR'
  }
  getPath(name) {
    if (!(name in paths)) throw new Error(`stand-in: no path ${name}`)
    return paths[name]
  }
  setPath(name, value) {
    paths[name] = value
  }
  whenReady() {
    return new Promise((resolve) => setImmediate(resolve))
  }
  requestSingleInstanceLock() {
    return process.env.STAND_IN_SECOND === '1' ? false : true
  }
  quit() {
    const event = new PreventableEvent()
    this.emit('before-quit', event)
    if (event.defaultPrevented) return
    for (const window of BrowserWindow.getAllWindows()) window.close()
    this.exit(0)
  }
  relaunch() {
    this.relaunched = true
  }
  exit(code) {
    report({ type: 'exit', code, relaunch: this.relaunched })
    // Let the report reach the test before the process goes.
    setImmediate(() => process.exit(code))
  }
}
export const app = new App()

export const shell = {
  showItemInFolder(path) {
    report({ type: 'showItemInFolder', path })
  },
}

/** A download as Electron hands it to 'will-download': saved at `path` (after the save dialog). */
class DownloadItem extends EventEmitter {
  constructor(fileName, path) {
    super()
    this.fileName = fileName
    this.path = path
  }
  getFilename() {
    return this.fileName
  }
  getSavePath() {
    return this.path
  }
}

export const utilityProcess = {
  fork() {
    throw new Error('stand-in: utilityProcess is not used by Sinapse')
  },
}

export default { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, utilityProcess }

/** The renderer side of a window: what it would see, for the test's state request. */
function describeWindow(window) {
  const navigate = (url) => {
    const event = new PreventableEvent()
    event.url = url
    window.webContents.emit('will-navigate', event)
    return !event.defaultPrevented
  }
  return {
    options: window.options,
    url: window.loadedUrl,
    destroyed: window.destroyed,
    windowOpen: window.openHandler?.({ url: 'https://example.com/' }) ?? null,
    navigation: {
      self: navigate(window.loadedUrl),
      away: navigate('https://example.com/'),
      droppedFile: navigate('file:///tmp/digit.png'),
    },
  }
}

function permission(name) {
  let granted = null
  sessionState.request?.(null, name, (value) => {
    granted = value
  })
  return { request: granted, check: sessionState.check?.(null, name, '', {}) ?? null }
}

function headersFor(url) {
  let result = null
  sessionState.headers?.({ url, responseHeaders: { 'X-Test': ['1'] } }, (value) => {
    result = value
  })
  return result
}

async function answer(request) {
  switch (request.op) {
    case 'state': {
      const window = windows[0]
      return {
        name: app.getName(),
        userData: app.getPath('userData'),
        channels: [...handlers.keys()],
        windows: windows.map(describeWindow),
        menu: applicationMenu?.template ?? null,
        permissions: Object.fromEntries(request.permissions.map((p) => [p, permission(p)])),
        headers: {
          app: headersFor(window.loadedUrl),
          other: headersFor('https://example.com/'),
        },
      }
    }
    case 'invoke': {
      const listener = handlers.get(request.channel)
      if (!listener) throw new Error(`no handler on ${request.channel}`)
      const event = { senderFrame: request.frameUrl === null ? null : { url: request.frameUrl } }
      return await listener(event, ...request.args)
    }
    case 'answerDialogs':
      dialogAnswers.push(...request.responses)
      return null
    case 'closeWindow':
      windows[0].close()
      return { destroyed: windows[0].destroyed }
    case 'menuItem': {
      const find = (items) => {
        for (const item of items) {
          if (item.label === request.label) return item
          if (Array.isArray(item.submenu)) {
            const found = find(item.submenu)
            if (found) return found
          }
        }
        return null
      }
      find(applicationMenu.template).click()
      return null
    }
    case 'download': {
      const item = new DownloadItem(request.fileName, request.path)
      defaultSession.emit('will-download', new PreventableEvent(), item, windows[0].webContents)
      item.emit('done', new PreventableEvent(), request.state)
      return null
    }
    case 'quit':
      app.quit()
      return null
    case 'secondInstance':
      app.emit('second-instance', new PreventableEvent(), [], process.cwd())
      return { windows: BrowserWindow.getAllWindows().length }
    default:
      throw new Error(`stand-in: unknown op ${request.op}`)
  }
}

process.on('message', (request) => {
  answer(request).then(
    (value) => report({ type: 'reply', id: request.id, ok: true, value }),
    (err) => report({ type: 'reply', id: request.id, ok: false, error: String(err?.stack ?? err) }),
  )
})

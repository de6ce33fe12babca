import { BrowserWindow, type Session } from 'electron'
import {
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isPermissionAllowed,
  shouldAllowNavigation,
} from './security'

export interface MainWindowOptions {
  /** The page to load: the dev server URL or the built index.html as a file: URL. */
  appUrl: string
  /** Absolute path of the bundled (CommonJS) preload script. */
  preloadPath: string
  title: string
  /** The window and taskbar icon (PNG). */
  iconPath: string
  /** The terminal line written when the page cannot be loaded, already translated. */
  loadErrorMessage: string
}

/**
 * Denies every permission and adds the CSP header to the app's own responses. Session-wide, so
 * it also covers any window opened later; setting it again replaces the previous handlers.
 */
function hardenSession(session: Session, appUrl: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(isPermissionAllowed(permission))
  })
  session.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission))
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, appUrl)) {
      callback({})
      return
    }
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    })
  })
}

/** The one app window, sandboxed and locked to the app's own page. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: opts.title,
    icon: opts.iconPath,
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  })
  const contents = window.webContents
  hardenSession(contents.session, opts.appUrl)

  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const guard = (event: { url: string; preventDefault(): void }): void => {
    if (!shouldAllowNavigation(event.url, opts.appUrl)) event.preventDefault()
  }
  contents.on('will-navigate', guard)
  contents.on('will-redirect', guard)
  contents.on('will-attach-webview', (event) => event.preventDefault())

  window.once('ready-to-show', () => window.show())

  // loadURL for the built file too: the frame URL then equals appUrl exactly, which is what the
  // sender and navigation checks compare against.
  window.loadURL(opts.appUrl).catch((err: unknown) => {
    console.error(opts.loadErrorMessage, err)
  })
  return window
}

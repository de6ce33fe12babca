import { pathToFileURL } from 'node:url'

/**
 * Svelte compiles to plain scripts and ECharts draws on canvas, so neither needs 'unsafe-eval'.
 * Styles need 'unsafe-inline': Svelte's dev server injects <style> tags and ECharts sets inline
 * style attributes on its tooltip. Images allow data: and blob: for dropped digits and chart
 * exports. connect-src falls back to 'self', which in Chromium also covers the dev server's
 * same-origin HMR WebSocket.
 */
const DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
]

/** The policy sent as a response header for the app's own pages. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ')

/**
 * The same policy for index.html's <meta> tag, which covers file:// loads that never pass
 * through a header hook. Chromium ignores (and warns about) frame-ancestors in a meta tag.
 */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter(
  (d) => !d.startsWith('frame-ancestors'),
).join('; ')

function parseUrl(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** True for an http(s) URL on this machine only: the only kind of dev server the shell loads. */
export function isLoopbackHttpUrl(url: string): boolean {
  const parsed = parseUrl(url)
  return (
    parsed !== null &&
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    LOOPBACK_HOSTS.has(parsed.hostname)
  )
}

export interface AppUrlOptions {
  /** electron-vite's dev server address (ELECTRON_RENDERER_URL), if any. */
  devUrl: string | undefined
  /** A packaged app never loads a dev server, whatever the environment says. */
  isPackaged: boolean
  /** Absolute path of the built renderer's index.html. */
  indexFile: string
}

/** The URL the window loads: the loopback dev server in development, else the built file. */
export function resolveAppUrl(opts: AppUrlOptions): string {
  if (!opts.isPackaged && opts.devUrl && isLoopbackHttpUrl(opts.devUrl)) return opts.devUrl
  return pathToFileURL(opts.indexFile).href
}

/**
 * Whether `url` is a page of this app. For the built app (`appUrl` is file:) only the one
 * index.html counts, not any local file; for the dev server, the same origin. Query and hash
 * are ignored. Anything unparsable or of another scheme is not the app.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const target = parseUrl(url)
  const app = parseUrl(appUrl)
  if (!target || !app) return false
  if (app.protocol === 'file:') {
    return (
      target.protocol === 'file:' && target.host === app.host && target.pathname === app.pathname
    )
  }
  if (app.protocol === 'http:' || app.protocol === 'https:') {
    // The protocol check matters: blob:http://localhost:5173/… reports the dev server's origin.
    return target.protocol === app.protocol && target.origin === app.origin
  }
  return false
}

/** The IPC sender check: only the app's own page may call commands. */
export function isTrustedSender(frameUrl: string, appUrl: string): boolean {
  return isAppUrl(frameUrl, appUrl)
}

/**
 * Navigation stays inside the app. This also blocks the navigation Chromium starts when a file
 * is dropped outside a drop zone (to file:///…/digit.png), which would unload the app.
 */
export function shouldAllowNavigation(to: string, appUrl: string): boolean {
  return isAppUrl(to, appUrl)
}

/**
 * Sinapse needs no camera, microphone, notifications, geolocation or clipboard reading: images
 * come in by file drop, which needs none. The one permission granted is writing plain text to the
 * clipboard (`navigator.clipboard.writeText`, the Keras code panel's Copy button); Chromium
 * strips anything but text from such writes. Every other request and check is denied.
 */
export function isPermissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write'
}

import { timingSafeEqual } from 'node:crypto'
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path'

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost']

/**
 * The Host header must name this server on loopback: a page on another site that rebinds its DNS
 * name to 127.0.0.1 still sends its own name here, and is refused.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return !!host && LOOPBACK_HOSTS.some((h) => host === `${h}:${port}`)
}

/** Only pages served by this server may open the WebSocket. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  return !!origin && LOOPBACK_HOSTS.some((h) => origin === `http://${h}:${port}`)
}

/** Constant-time comparison, so the token cannot be guessed from response timing. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The file under `root` a URL path names, or null when it would leave `root` (../, encoded
 * slashes, absolute paths, NUL bytes).
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0])
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const wanted = decoded === '/' || decoded === '' ? '/index.html' : decoded
  const full = resolve(root, '.' + normalize(wanted))
  const rel = relative(root, full)
  if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return null
  return full
}

import { randomBytes } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { extname } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { negotiateLocale, translate, type Locale, type MessageKey } from '../../shared/i18n'
import type { Emit } from '../../shared/ipc-contract'
import { decodeWire, encodeWire, MAX_WIRE_MESSAGE_BYTES, type WireMessage } from '../../shared/wire'
import { createDispatcher } from '../ipc/register'
import type { Handlers } from '../ipc/types'
import { CONTENT_SECURITY_POLICY } from '../shell/security'
import { isAllowedHost, isAllowedOrigin, resolveStaticPath, tokenMatches } from './security'

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

/** Fans main's events out to every connected page, as Electron sends them to every window. */
export function createBroadcaster(): { emit: Emit; attach(socket: WebSocket): () => void } {
  const sockets = new Set<WebSocket>()
  return {
    emit: (event, payload) => {
      const text = encodeWire({ event, payload } satisfies WireMessage)
      for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text)
    },
    attach(socket) {
      sockets.add(socket)
      return () => sockets.delete(socket)
    },
  }
}

export interface WebServerOptions {
  handlers: Handlers
  broadcaster: ReturnType<typeof createBroadcaster>
  /** The built renderer (out/renderer). */
  staticDir: string
  /** 0 picks a free port. */
  port?: number
  token?: string
  locale: Locale
}

export interface WebServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** The few plain-text answers a browser may show: in the reader's language, else the server's. */
function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  key: MessageKey,
  fallback: Locale,
): void {
  const locale = negotiateLocale(req.headers['accept-language'], fallback)
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Language': locale,
  })
  res.end(translate(locale, key))
}

/** The request target as a URL, or null: a raw client can send one `new URL` throws on. */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://x')
  } catch {
    return null
  }
}

/**
 * Browser mode: the same handlers as the desktop app, over a WebSocket on 127.0.0.1 only. The
 * page is static; every command needs the random token (given in the printed URL) and must come
 * from a page this server served (Origin and Host checked), so other sites and other local users'
 * pages cannot drive it.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  let port = opts.port ?? 0

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void serveStatic(req, res)
  })

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fail = (status: number, key: MessageKey) => send(req, res, status, key, opts.locale)
    if (!isAllowedHost(req.headers.host, port)) return fail(421, 'cli.http.misdirected')
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'cli.http.method')
    const url = requestUrl(req)
    if (!url) return fail(400, 'cli.http.badRequest')
    const file = resolveStaticPath(opts.staticDir, url.pathname)
    if (!file) return fail(404, 'cli.http.notFound')
    try {
      if (!(await stat(file)).isFile()) return fail(404, 'cli.http.notFound')
      const body = await readFile(file)
      res.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch {
      fail(404, 'cli.http.notFound')
    }
  }

  const dispatch = createDispatcher(opts.handlers, { locale: () => opts.locale })
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WIRE_MESSAGE_BYTES,
  })

  server.on('upgrade', (req, socket, head) => {
    const url = requestUrl(req)
    const allowed =
      url?.pathname === '/ws' &&
      isAllowedHost(req.headers.host, port) &&
      isAllowedOrigin(req.headers.origin, port) &&
      tokenMatches(url.searchParams.get('token'), token)
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws: WebSocket) => {
    const detach = opts.broadcaster.attach(ws)
    ws.on('close', detach)
    // A frame over maxPayload (1009) or text that is not UTF-8 (1007) makes ws close this one
    // connection and emit 'error'; without a listener that error would end the whole process,
    // and any training it runs. The page sees the close code and reconnects.
    ws.on('error', () => {
      if (ws.readyState === ws.OPEN) ws.close(1011, 'socket error')
    })
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only')
      let request: { id?: unknown; name?: unknown; input?: unknown; locale?: unknown }
      try {
        request = decodeWire(data.toString()) as typeof request
      } catch {
        return ws.close(1007, 'malformed message')
      }
      if (typeof request?.id !== 'number') return ws.close(1007, 'malformed message')
      const id = request.id
      void dispatch(request.name, request.input, request.locale).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(encodeWire({ id, result } satisfies WireMessage))
      })
    })
  })

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolveListen())
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : port

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate()
      wss.close()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}

import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import type { Result } from '../../../src/shared/errors'
import type { Locale } from '../../../src/shared/i18n'
import { MAX_UPLOAD_BYTES } from '../../../src/shared/ipc-contract'
import { decodeWire, encodeWire } from '../../../src/shared/wire'
import { createWebBridge } from '../../../src/renderer/src/lib/web-bridge'
import { MemoryStorage } from './memory-storage'

// No training and no big files here: each test takes well under a second idle and a few seconds
// on a loaded 2-core machine, so a hang fails after 60 s instead of the suite's 300 s guard.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

// The bridge against a real WebSocket server on loopback (the `ws` package, as `sinapse serve`
// uses), with the page's globals (location, sessionStorage, WebSocket) stubbed as a tab has them.

type Bridge = Record<string, (input: unknown, locale?: Locale) => Promise<Result<unknown>>> & {
  on(event: string, callback: (payload: unknown) => void): () => boolean
}

interface Request {
  id: number
  name: string
  input: unknown
  locale: Locale
}

let server: WebSocketServer
let port: number
let requests: Request[]
let sockets: WebSocket[]
let urls: string[]
/** How the server answers a request; the default echoes it back. */
let answer: (req: Request, socket: WebSocket) => void

/** A browser's WebSocket reports a refused connection as events, never as a thrown error. */
class BrowserLikeSocket extends WebSocket {
  constructor(url: string) {
    super(url)
    this.on('error', () => {})
  }
}

function stubPage(search: string, storage = new MemoryStorage()) {
  vi.stubGlobal('location', new URL(`http://127.0.0.1:${port}/${search}`))
  vi.stubGlobal('sessionStorage', storage)
  vi.stubGlobal('WebSocket', BrowserLikeSocket)
  return storage
}

beforeEach(async () => {
  requests = []
  sockets = []
  urls = []
  answer = (req, socket) =>
    socket.send(encodeWire({ id: req.id, result: { ok: true, value: req } }))
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise((resolve) => server.once('listening', resolve))
  port = (server.address() as AddressInfo).port
  server.on('connection', (socket, req) => {
    sockets.push(socket)
    urls.push(req.url ?? '')
    socket.on('message', (data) => {
      const message = decodeWire(String(data)) as Request
      requests.push(message)
      answer(message, socket)
    })
  })
})

afterEach(async () => {
  vi.unstubAllGlobals()
  for (const socket of server.clients) socket.terminate()
  await new Promise((resolve) => server.close(resolve))
})

const bridgeFor = (locale: () => Locale = () => 'en') =>
  createWebBridge(locale) as unknown as Bridge

describe('web bridge framing', () => {
  it('sends each call as {id, name, input, locale} with the token, and resolves with its answer', async () => {
    const storage = stubPage('?token=t%2Bk%20n')
    const bridge = bridgeFor()
    const result = await bridge['runs:get']({ id: 7 })
    expect(result).toEqual({
      ok: true,
      value: { id: 1, name: 'runs:get', input: { id: 7 }, locale: 'en' },
    })
    expect(urls).toEqual(['/ws?token=t%2Bk%20n'])
    expect(storage.getItem('sinapse.token')).toBe('t+k n')
    // The caller's locale wins over the page's; ids count up; bytes travel.
    const pixels = Uint8Array.from([0, 127, 255])
    await bridge['predict:pixels']({ images: [{ data: pixels }] }, 'pt-BR')
    expect(requests[1]).toEqual({
      id: 2,
      name: 'predict:pixels',
      input: { images: [{ data: pixels }] },
      locale: 'pt-BR',
    })
    expect(sockets).toHaveLength(1)
  })

  it('keeps the token for the tab, so a reload without it in the URL still connects', async () => {
    const storage = stubPage('?token=secret')
    await bridgeFor()['app:info']({})
    stubPage('', storage)
    await bridgeFor()['app:info']({})
    stubPage('')
    await bridgeFor()['app:info']({})
    expect(urls).toEqual(['/ws?token=secret', '/ws?token=secret', '/ws?token='])
  })

  it('pairs answers with their calls by id, whatever order they come in', async () => {
    stubPage('?token=x')
    const held: [Request, WebSocket][] = []
    answer = (req, socket) => {
      held.push([req, socket])
      if (held.length < 3) return
      for (const [r, s] of held.reverse()) {
        s.send(encodeWire({ id: r.id, result: { ok: true, value: r.input } }))
      }
    }
    const bridge = bridgeFor()
    const results = await Promise.all([1, 2, 3].map((id) => bridge['runs:get']({ id })))
    expect(results).toEqual([1, 2, 3].map((id) => ({ ok: true, value: { id } })))
  })

  it('hands events to their listeners only, until they unsubscribe', async () => {
    stubPage('?token=x')
    const bridge = bridgeFor()
    const epochs: unknown[] = []
    const other: unknown[] = []
    const off = bridge.on('training:epoch', (p) => epochs.push(p))
    bridge.on('training:done', (p) => other.push(p))
    await vi.waitFor(() => expect(sockets).toHaveLength(1))
    sockets[0].send(encodeWire({ event: 'training:epoch', payload: { epoch: 1 } }))
    await vi.waitFor(() => expect(epochs).toEqual([{ epoch: 1 }]))
    expect(off()).toBe(true)
    sockets[0].send(encodeWire({ event: 'training:epoch', payload: { epoch: 2 } }))
    sockets[0].send(encodeWire({ event: 'training:done', payload: { runId: 3 } }))
    await vi.waitFor(() => expect(other).toEqual([{ runId: 3 }]))
    expect(epochs).toEqual([{ epoch: 1 }])
    // Several subscriptions share the one connection.
    expect(sockets).toHaveLength(1)
  })
})

describe('web bridge errors', () => {
  it('fails the calls in flight with a translated error when the connection drops', async () => {
    stubPage('?token=x')
    answer = (_req, socket) => socket.terminate()
    let locale: Locale = 'pt-BR'
    const bridge = bridgeFor(() => locale)
    expect(await bridge['runs:list']({})).toEqual({
      ok: false,
      error: { code: 'IO_ERROR', message: 'A conexão com o Sinapse caiu; reconectando…' },
    })
    locale = 'en'
    expect(await bridge['runs:list']({})).toEqual({
      ok: false,
      error: { code: 'IO_ERROR', message: 'The connection to Sinapse was lost; reconnecting…' },
    })
  })

  it('says the server is unreachable when nothing listens', async () => {
    stubPage('?token=x')
    await new Promise((resolve) => server.close(resolve))
    const bridge = bridgeFor()
    expect(await bridge['runs:list']({})).toEqual({
      ok: false,
      error: {
        code: 'IO_ERROR',
        message: 'Sinapse is not reachable: is `sinapse serve` still running?',
      },
    })
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  })

  it('refuses a message over the wire limit before sending it, naming both sizes', async () => {
    stubPage('?token=x')
    const bridge = bridgeFor()
    await bridge['app:info']({})
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 2 * 1024 * 1024)
    const result = await bridge['predict:pixels']({ images: [{ data: big }] }, 'en')
    // 52 MB of pixels are 69 MB of base64; the cap is a 50 MB upload's base64 plus 1 MB.
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message:
          'This is too much to send at once (69 MB; the limit is 68 MB). Send fewer or smaller files.',
      },
    })
    expect(requests.map((r) => r.name)).toEqual(['app:info'])
  })
})

describe('web bridge reconnection', () => {
  it('reconnects on its own after a drop, so events keep coming and calls work again', async () => {
    stubPage('?token=x')
    const bridge = bridgeFor()
    const seen: unknown[] = []
    bridge.on('training:epoch', (p) => seen.push(p))
    await vi.waitFor(() => expect(sockets).toHaveLength(1))
    sockets[0].terminate()
    await vi.waitFor(() => expect(sockets).toHaveLength(2), { timeout: 10_000 })
    sockets[1].send(encodeWire({ event: 'training:epoch', payload: { epoch: 9 } }))
    await vi.waitFor(() => expect(seen).toEqual([{ epoch: 9 }]))
    expect(await bridge['app:info']({})).toMatchObject({ ok: true })
    expect(sockets).toHaveLength(2)
  })
})

/** A socket that never connects by itself: the test opens or closes it. */
class ScriptedSocket {
  static made: ScriptedSocket[] = []
  onopen: (() => void) | null = null
  onmessage: ((event: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  sent: string[] = []
  constructor(readonly url: string) {
    ScriptedSocket.made.push(this)
  }
  send(text: string): void {
    this.sent.push(text)
  }
}

describe('web bridge backoff', () => {
  beforeEach(() => {
    ScriptedSocket.made = []
    vi.useFakeTimers()
    vi.stubGlobal('location', new URL('https://example.test:8443/?token=x'))
    vi.stubGlobal('sessionStorage', new MemoryStorage())
    vi.stubGlobal('WebSocket', ScriptedSocket)
  })
  afterEach(() => vi.useRealTimers())

  /** Advances to just before `ms`, checks no new attempt, then to `ms` and checks one. */
  const expectRetryAfter = (ms: number) => {
    const before = ScriptedSocket.made.length
    vi.advanceTimersByTime(ms - 1)
    expect(ScriptedSocket.made).toHaveLength(before)
    vi.advanceTimersByTime(1)
    expect(ScriptedSocket.made).toHaveLength(before + 1)
  }

  it('uses wss on an https page, and doubles the wait after each refusal up to 5 s', () => {
    createWebBridge(() => 'en').on('training:epoch', () => {})
    expect(ScriptedSocket.made[0].url).toBe('wss://example.test:8443/ws?token=x')
    for (const wait of [250, 500, 1000, 2000, 4000, 5000, 5000]) {
      ScriptedSocket.made.at(-1)!.onclose!()
      expectRetryAfter(wait)
    }
  })

  it('starts again from 250 ms once a connection opened', () => {
    createWebBridge(() => 'en').on('training:epoch', () => {})
    ScriptedSocket.made[0].onclose!()
    expectRetryAfter(250)
    ScriptedSocket.made[1].onclose!()
    expectRetryAfter(500)
    ScriptedSocket.made[2].onopen!()
    ScriptedSocket.made[2].onclose!()
    expectRetryAfter(250)
  })

  it('makes a call wait for the connection being opened instead of opening another', async () => {
    const bridge = createWebBridge(() => 'en') as unknown as Bridge
    bridge.on('training:epoch', () => {})
    const call = bridge['app:info']({})
    await vi.advanceTimersByTimeAsync(0)
    expect(ScriptedSocket.made).toHaveLength(1)
    const socket = ScriptedSocket.made[0]
    socket.onopen!()
    await vi.advanceTimersByTimeAsync(0)
    expect(socket.sent.map((t) => decodeWire(t))).toEqual([
      { id: 1, name: 'app:info', input: {}, locale: 'en' },
    ])
    socket.onmessage!({ data: encodeWire({ id: 1, result: { ok: true, value: 'info' } }) })
    expect(await call).toEqual({ ok: true, value: 'info' })
  })
})

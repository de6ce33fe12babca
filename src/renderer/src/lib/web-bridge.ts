import type { Result } from '../../../shared/errors'
import { translate, type Locale } from '../../../shared/i18n'
import type { EventName } from '../../../shared/ipc-contract'
import { COMMAND_NAME_LIST } from '../../../shared/ipc-names'
import {
  decodeWire,
  encodeWire,
  fitsOnWire,
  MAX_WIRE_MESSAGE_BYTES,
  type WireMessage,
} from '../../../shared/wire'
import type { Bridge } from './bridge'

type Listener = (payload: unknown) => void

const TOKEN_KEY = 'sinapse.token'

/** The token from the printed URL; kept for the tab so a reload without it still connects. */
function readToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token')
  if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl)
  return fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? ''
}

/**
 * Browser mode's bridge: the same commands and events as the desktop preload, over one WebSocket
 * to `sinapse serve`. Calls made while (re)connecting wait for the connection; a lost connection
 * retries with backoff and fails the calls in flight with a clear error.
 */
export function createWebBridge(getLocale: () => Locale): Bridge {
  const token = readToken()
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Map<string, Set<Listener>>()
  let nextId = 1
  let socket: WebSocket | null = null
  let ready: Promise<WebSocket> | null = null
  let retryMs = 250

  function connect(): Promise<WebSocket> {
    ready ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.onopen = () => {
        socket = ws
        retryMs = 250
        resolve(ws)
      }
      ws.onmessage = (event) => {
        const message = decodeWire(String(event.data)) as WireMessage
        if ('id' in message) {
          pending.get(message.id)?.(message.result as Result<unknown>)
          pending.delete(message.id)
        } else {
          listeners.get(message.event)?.forEach((listener) => listener(message.payload))
        }
      }
      ws.onclose = () => {
        const wasOpen = socket === ws
        socket = null
        ready = null
        for (const [id, settle] of pending) {
          settle({
            ok: false,
            error: { code: 'IO_ERROR', message: translate(getLocale(), 'ui.web.connectionLost') },
          })
          pending.delete(id)
        }
        if (!wasOpen) reject(new Error('connection refused'))
        // Keep listening for events: reconnect in the background with backoff.
        setTimeout(() => void connect().catch(() => {}), retryMs)
        retryMs = Math.min(retryMs * 2, 5000)
      }
    })
    return ready
  }

  async function invoke(name: string, input: unknown, locale: Locale): Promise<Result<unknown>> {
    let ws: WebSocket
    try {
      ws = socket ?? (await connect())
    } catch {
      return {
        ok: false,
        error: { code: 'IO_ERROR', message: translate(getLocale(), 'ui.web.unreachable') },
      }
    }
    const id = nextId++
    const text = encodeWire({ id, name, input, locale })
    // The server closes the connection on a message over its cap; say so here instead.
    if (!fitsOnWire(text)) {
      const mb = (n: number) => Math.round(n / (1024 * 1024))
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: translate(locale, 'ui.web.messageTooLarge', {
            size: mb(text.length),
            limit: mb(MAX_WIRE_MESSAGE_BYTES),
          }),
        },
      }
    }
    return new Promise((resolve) => {
      pending.set(id, resolve)
      ws.send(text)
    })
  }

  const bridge: Record<string, unknown> = {
    on(event: EventName, callback: Listener) {
      const set = listeners.get(event) ?? new Set<Listener>()
      listeners.set(event, set)
      set.add(callback)
      void connect().catch(() => {})
      return () => set.delete(callback)
    },
  }
  for (const name of COMMAND_NAME_LIST) {
    bridge[name] = (input: unknown, locale?: Locale) => invoke(name, input, locale ?? getLocale())
  }
  return bridge as Bridge
}

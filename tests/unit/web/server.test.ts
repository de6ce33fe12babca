import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createConnection } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createServices, type Services } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { createBroadcaster, startWebServer, type WebServer } from '../../../src/main/web/server'
import { decodeWire, encodeWire } from '../../../src/shared/wire'

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens the WebSocket; resolves 'open' or the HTTP status of the refused upgrade. */
function connect(
  port: number,
  token: string | null,
  origin: string,
  host = `127.0.0.1:${port}`,
): Promise<WebSocket | number> {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { origin, headers: { host } })
  return new Promise((resolve) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', () => resolve(-1))
  })
}

function call(ws: WebSocket, id: number, name: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const message = decodeWire(data.toString()) as { id?: number; result?: unknown }
      if (message.id === id) resolve(message.result)
    })
    ws.send(encodeWire({ id, name, input }))
  })
}

describe('browser mode server', () => {
  let services: Services
  let server: WebServer
  const staticDir = mkdtempSync(join(tmpdir(), 'sinapse-static-'))

  beforeAll(async () => {
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Sinapse</title>')
    const broadcaster = createBroadcaster()
    services = await createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sinapse-web-')),
      locale: 'en',
      emit: broadcaster.emit,
      ...nodeWorkerOptions(),
    })
    server = await startWebServer({
      handlers: services.handlers,
      broadcaster,
      staticDir,
      locale: 'en',
    })
  })
  afterAll(async () => {
    await server.close()
    await services.close()
  })

  it('listens on loopback and prints a URL with a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/)
  })

  it('serves the page only to its own host name, and nothing outside its folder', async () => {
    expect(await get(server.port, '/')).toBe(200)
    expect(await get(server.port, '/', `evil.example:${server.port}`)).toBe(421)
    expect(await get(server.port, '/../../etc/passwd')).toBe(404)
    expect(await get(server.port, '/%2e%2e/%2e%2e/etc/passwd')).toBe(404)
  })

  it('refuses a missing or wrong token and a foreign Origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    expect(await connect(server.port, null, origin)).toBe(403)
    expect(await connect(server.port, 'wrong-token', origin)).toBe(403)
    expect(await connect(server.port, server.token, 'http://evil.example')).toBe(403)
    expect(await connect(server.port, server.token, `http://127.0.0.1:${server.port + 1}`)).toBe(
      403,
    )
  })

  it('refuses every near miss of the token: prefixes, extensions, one character changed', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    const t = server.token
    const last = t.at(-1) === 'A' ? 'B' : 'A'
    const nearMisses = [t.slice(0, 1), t.slice(0, -1), `${t}x`, `${t.slice(0, -1)}${last}`, ' ']
    for (const guess of nearMisses) expect(await connect(server.port, guess, origin)).toBe(403)
    const ws = await connect(server.port, t, origin)
    expect(ws).toBeInstanceOf(WebSocket)
    ;(ws as WebSocket).close()
  })

  it('refuses the upgrade from a page whose Host is not this server (DNS rebinding)', async () => {
    const port = server.port
    const origin = `http://127.0.0.1:${port}`
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost']) {
      expect(await connect(port, server.token, origin, host)).toBe(403)
    }
    const ws = await connect(port, server.token, origin, `localhost:${port}`)
    expect(ws).toBeInstanceOf(WebSocket)
    ;(ws as WebSocket).close()
  })

  it('cannot be reached on any address but 127.0.0.1', async () => {
    // Linux routes all of 127/8 to loopback: a server bound to every address answers on
    // 127.0.0.2 too. Add this machine's network addresses where it has some.
    const others = ['127.0.0.2']
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) others.push(a.address)
    }
    const reach = (address: string) =>
      new Promise<string>((resolve) => {
        const socket = createConnection({ host: address, port: server.port })
        socket.setTimeout(5000, () => (socket.destroy(), resolve('timeout')))
        socket.once('connect', () => (socket.destroy(), resolve('connected')))
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
      })
    expect(await reach('127.0.0.1')).toBe('connected')
    for (const address of others) expect(await reach(address)).not.toBe('connected')
  })

  it('runs the contract for its own page, with the same validation as the desktop app', async () => {
    const ws = await connect(server.port, server.token, `http://localhost:${server.port}`)
    if (typeof ws === 'number') throw new Error(`refused: ${ws}`)
    expect(await call(ws, 1, 'runs:list', {})).toEqual({ ok: true, value: [] })
    expect(await call(ws, 2, 'runs:get', { id: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    expect(await call(ws, 3, 'runs:get', { id: 99 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    })
    // Test images cross the wire as bytes; a bad index is refused by the same schema.
    const images = (await call(ws, 4, 'datasets:testImages', { ref: 'mnist', indices: [0] })) as {
      ok: true
      value: { images: { label: number; pixels: Uint8Array }[] }
    }
    expect(images.value.images[0].label).toBe(7)
    expect(images.value.images[0].pixels).toBeInstanceOf(Uint8Array)
    expect(images.value.images[0].pixels).toHaveLength(784)
    expect(await call(ws, 5, 'datasets:testImages', { ref: 'mnist', indices: [-1] })).toMatchObject(
      { ok: false, error: { code: 'INVALID_INPUT' } },
    )
    ws.close()
  })
})

describe('wire codec', () => {
  it('round-trips byte arrays inside messages', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 256)
    const back = decodeWire(
      encodeWire({ id: 1, input: { images: [{ data: bytes, width: 1 }] } }),
    ) as {
      input: { images: { data: Uint8Array }[] }
    }
    expect(back.input.images[0].data).toEqual(bytes)
  })
})

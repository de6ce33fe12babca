import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createServices, type Services } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { resolveStaticPath } from '../../../src/main/web/security'
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
function connect(port: number, token: string | null, origin: string): Promise<WebSocket | number> {
  const query = token === null ? '' : `?token=${token}`
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { origin })
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
    ws.close()
  })
})

describe('resolveStaticPath', () => {
  it('keeps paths inside the root', () => {
    expect(resolveStaticPath('/srv/app', '/')).toBe('/srv/app/index.html')
    expect(resolveStaticPath('/srv/app', '/assets/a.js')).toBe('/srv/app/assets/a.js')
    expect(resolveStaticPath('/srv/app', '/../x')).toBe('/srv/app/x')
    expect(resolveStaticPath('/srv/app', '/%00')).toBeNull()
    expect(resolveStaticPath('/srv/app', '/a\\..\\..\\b')).toBeNull()
    expect(resolveStaticPath('/srv/app', '/%E0%A4%A')).toBeNull()
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

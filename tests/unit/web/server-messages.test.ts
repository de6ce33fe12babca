import { request } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Handlers } from '../../../src/main/ipc/types'
import { createBroadcaster, startWebServer, type WebServer } from '../../../src/main/web/server'

describe('browser mode server: plain-text error bodies in the reader’s language', () => {
  const servers: WebServer[] = []
  const staticDir = mkdtempSync(join(tmpdir(), 'sinapse-static-msg-'))
  let pt: WebServer
  let en: WebServer

  beforeAll(async () => {
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Sinapse</title>')
    for (const locale of ['pt-BR', 'en'] as const) {
      servers.push(
        await startWebServer({
          // No command is dispatched in these tests.
          handlers: {} as Handlers,
          broadcaster: createBroadcaster(),
          staticDir,
          locale,
        }),
      )
    }
    ;[pt, en] = servers
  })
  afterAll(async () => {
    for (const server of servers) await server.close()
    rmSync(staticDir, { recursive: true, force: true })
  })

  async function body(server: WebServer, path: string, init: RequestInit = {}) {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`, init)
    return { status: res.status, text: await res.text() }
  }

  it('follows the browser’s Accept-Language', async () => {
    const ptMissing = await body(en, '/nothing-here.js', {
      headers: { 'Accept-Language': 'pt-BR,pt;q=0.9,en;q=0.8' },
    })
    expect(ptMissing).toEqual({
      status: 404,
      text: 'Não encontrado: essa página não existe no Sinapse.',
    })
    const enMissing = await body(pt, '/nothing-here.js', {
      headers: { 'Accept-Language': 'en-US,en;q=0.9' },
    })
    expect(enMissing).toEqual({ status: 404, text: 'Not found: there is no such page in Sinapse.' })
    const ptPost = await body(en, '/', { method: 'POST', headers: { 'Accept-Language': 'pt' } })
    expect(ptPost.status).toBe(405)
    expect(ptPost.text).toContain('Método não permitido')
  })

  it('answers a request for another host name (DNS rebinding) in the reader’s language', async () => {
    const reply = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: en.port,
          path: '/',
          headers: { Host: `evil.example:${en.port}`, 'Accept-Language': 'pt-BR' },
        },
        (res) => {
          let text = ''
          res.on('data', (chunk: Buffer) => (text += chunk.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(reply.status).toBe(421)
    expect(reply.text).toContain('Pedido mal endereçado')
  })

  it('falls back to the server’s own language (--lang) without Accept-Language', async () => {
    // Node's fetch sends no Accept-Language unless told to.
    expect((await body(pt, '/missing')).text).toContain('Não encontrado')
    expect((await body(en, '/missing')).text).toContain('Not found')
    expect((await body(pt, '/', { method: 'DELETE' })).text).toContain('Método não permitido')
    expect((await body(en, '/', { method: 'DELETE' })).text).toContain('Method not allowed')
  })
})

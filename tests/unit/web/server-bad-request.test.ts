import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Handlers } from '../../../src/main/ipc/types'
import { createBroadcaster, startWebServer, type WebServer } from '../../../src/main/web/server'

/** Sends raw HTTP (a browser never sends these targets, any local program can) and reads the reply. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text))
    let reply = ''
    socket.on('data', (chunk) => (reply += chunk.toString()))
    socket.on('end', () => resolve(reply))
    socket.on('error', reject)
  })
}

describe('browser mode server and unparsable request targets', () => {
  let server: WebServer
  const staticDir = mkdtempSync(join(tmpdir(), 'sinapse-static-bad-'))

  beforeAll(async () => {
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Sinapse</title>')
    server = await startWebServer({
      // No command is dispatched in these tests.
      handlers: {} as Handlers,
      broadcaster: createBroadcaster(),
      staticDir,
      locale: 'en',
    })
  })
  afterAll(async () => {
    await server.close()
    rmSync(staticDir, { recursive: true, force: true })
  })

  it('answers 400 and 403 instead of crashing, and keeps serving', async () => {
    const host = `Host: 127.0.0.1:${server.port}\r\n`
    const page = await rawRequest(
      server.port,
      `GET http://[ HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
    )
    expect(page).toMatch(/^HTTP\/1\.1 400 /)
    const upgrade = await rawRequest(
      server.port,
      `GET http://[ HTTP/1.1\r\n${host}Origin: http://127.0.0.1:${server.port}\r\n` +
        'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    )
    expect(upgrade).toMatch(/^HTTP\/1\.1 403 /)
    const again = await rawRequest(
      server.port,
      `GET / HTTP/1.1\r\n${host}Connection: close\r\n\r\n`,
    )
    expect(again).toMatch(/^HTTP\/1\.1 200 /)
  })
})

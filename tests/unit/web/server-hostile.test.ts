import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createServices, type Services } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { createBroadcaster, startWebServer, type WebServer } from '../../../src/main/web/server'
import { MAX_UPLOAD_BYTES } from '../../../src/shared/ipc-contract'
import { getPreset } from '../../../src/shared/presets'
import { decodeWire, encodeWire, MAX_WIRE_MESSAGE_BYTES } from '../../../src/shared/wire'

const tiny = join(import.meta.dirname, '..', '..', 'fixtures', 'idx', 'tiny')
const IDX_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
]
const hasFifos = process.platform !== 'win32'

interface Client {
  ws: WebSocket
  call(name: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }>
  events: { event: string; payload: unknown }[]
  closed: Promise<number>
}

async function connect(server: WebServer): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, {
    origin: `http://127.0.0.1:${server.port}`,
  })
  const waiting = new Map<number, (result: never) => void>()
  const events: Client['events'] = []
  let nextId = 1
  ws.on('message', (data) => {
    const message = decodeWire(data.toString()) as {
      id?: number
      result?: never
      event?: string
      payload?: unknown
    }
    if (message.id !== undefined) waiting.get(message.id)?.(message.result as never)
    else events.push({ event: message.event!, payload: message.payload })
  })
  // A client must listen for errors too; the close code is what the test checks.
  ws.on('error', () => {})
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', () => reject(new Error('refused')))
  })
  return {
    ws,
    events,
    closed,
    call: (name, input) =>
      new Promise((resolve) => {
        const id = nextId++
        waiting.set(id, resolve as never)
        ws.send(encodeWire({ id, name, input }))
      }),
  }
}

/** A copy of the tiny dataset whose classes.txt is a FIFO nobody writes to. */
function fifoDataset(root: string, name: string): string {
  const folder = join(root, name)
  mkdirSync(folder)
  for (const file of IDX_FILES) copyFileSync(join(tiny, file), join(folder, file))
  execFileSync('mkfifo', [join(folder, 'classes.txt')])
  return folder
}

describe('wire codec', () => {
  it('round-trips every tail length and refuses malformed base64', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1001]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255)
      const text = encodeWire({ bytes })
      expect(text).toContain(Buffer.from(bytes).toString('base64'))
      expect(Array.from((decodeWire(text) as { bytes: Uint8Array }).bytes)).toEqual(
        Array.from(bytes),
      )
    }
    for (const bad of ['abc', 'ab!d', 'a=bc', 'é===']) {
      expect(() => decodeWire(JSON.stringify({ b: { $bytes: bad } }))).toThrow('malformed base64')
    }
  })
})

describe('browser mode server under hostile frames and paths', () => {
  let services: Services
  let server: WebServer
  const scratch = mkdtempSync(join(tmpdir(), 'sinapse-hostile-web-'))

  beforeAll(async () => {
    const staticDir = join(scratch, 'static')
    mkdirSync(staticDir)
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Sinapse</title>')
    const broadcaster = createBroadcaster()
    services = await createServices({
      dataDir: join(scratch, 'data'),
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

  it('closes only the connection that sent an oversize or non-UTF-8 frame; training goes on', async () => {
    const watcher = await connect(server)
    const preset = getPreset('tutorial-mlp')
    const started = await watcher.call('training:start', {
      spec: preset.spec,
      config: { ...preset.config, epochs: 2, limit: 600, batchSize: 64 },
      dataset: 'mnist',
    })
    expect(started.ok).toBe(true)
    const runId = (started.value as { runId: number }).runId

    const big = await connect(server)
    big.ws.send('x'.repeat(MAX_WIRE_MESSAGE_BYTES + 1))
    expect(await big.closed).toBe(1009)

    const garbled = await connect(server)
    garbled.ws.send(Buffer.from([0xff, 0xfe, 0xfd]), { binary: false })
    expect(await garbled.closed).toBe(1007)

    // The server still answers, on the old connection and on a new one.
    expect(await watcher.call('runs:get', { id: runId })).toMatchObject({ ok: true })
    const fresh = await connect(server)
    expect(await fresh.call('app:info', {})).toMatchObject({ ok: true })

    // And the training finished normally.
    await expect
      .poll(() => watcher.events.find((e) => e.event === 'training:finished')?.payload ?? null, {
        timeout: 120_000,
        interval: 200,
      })
      .toMatchObject({ runId, status: 'completed' })
    watcher.ws.close()
    fresh.ws.close()
  })

  it('accepts the largest file the contract allows: the caps agree end to end', async () => {
    const client = await connect(server)
    const bytes = new Uint8Array(MAX_UPLOAD_BYTES).fill(7)
    const result = await client.call('bundles:import', { name: 'big.sinapse', bytes })
    // The bundle is nonsense, so the bundle reader refuses it: the message got through whole,
    // and the same connection goes on.
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect((result.error as { message: string }).message).toContain('big.sinapse')
    expect(await client.call('app:info', {})).toMatchObject({ ok: true })
    client.ws.close()
  }, 300_000)

  it.skipIf(!hasFifos)(
    'refuses FIFOs in dataset folders without blocking: four at once leave it answering',
    async () => {
      const client = await connect(server)
      const refs = [1, 2, 3, 4].map((i) => `idx:${fifoDataset(scratch, `fifo-${i}`)}`)
      const answers = await Promise.all(refs.map((ref) => client.call('datasets:info', { ref })))
      for (const answer of answers) {
        expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
        expect((answer.error as { message: string }).message).toContain('not a regular file')
      }
      // File reads still work: a plain copy of the dataset loads.
      const plain = join(scratch, 'plain')
      mkdirSync(plain)
      for (const file of IDX_FILES) copyFileSync(join(tiny, file), join(plain, file))
      expect(await client.call('datasets:info', { ref: `idx:${plain}` })).toMatchObject({
        ok: true,
        value: { trainCount: 10 },
      })
      client.ws.close()
    },
  )

  it('answers one "not a dataset folder" for any path that is not one, revealing nothing', async () => {
    const client = await connect(server)
    const file = join(scratch, 'a-file')
    writeFileSync(file, 'x')
    const empty = join(scratch, 'empty-folder')
    mkdirSync(empty)
    const paths = [join(scratch, 'does-not-exist'), file, empty, '/root/.ssh', '/proc/self']
    const messages: string[] = []
    for (const path of paths) {
      const answer = await client.call('datasets:info', { ref: `idx:${path}` })
      expect(answer).toMatchObject({ ok: false, error: { code: 'DATASET_NOT_FOUND' } })
      messages.push((answer.error as { message: string }).message.replace(path, '<path>'))
    }
    expect(new Set(messages).size).toBe(1)
    expect(messages[0]).toContain('<path> is not a dataset folder')
    client.ws.close()
  })
})

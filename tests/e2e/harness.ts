import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import WebSocket from 'ws'
import type { Result } from '../../src/shared/errors'
import { decodeWire, encodeWire } from '../../src/shared/wire'

const ROOT = join(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/sinapse.js')
export const SCREENSHOT_DIR = join(ROOT, 'test-results/screenshots')

export function tempDataDir(prefix = 'sinapse-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export interface Served {
  url: string
  port: number
  origin: string
  close(): Promise<void>
}

/** Starts `sinapse serve` on a free port for `dataDir` and waits for its URL. */
export async function startServe(opts: { dataDir: string; lang?: string }): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      '--json',
      '--data-dir',
      opts.dataDir,
      '--lang',
      opts.lang ?? 'en',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const info = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const line = stdout.split('\n').find((l) => l.startsWith('{'))
      if (line) {
        clearTimeout(timer)
        resolve(JSON.parse(line) as { url: string; port: number })
      }
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
  })
  return {
    url: info.url,
    port: info.port,
    origin: `http://127.0.0.1:${info.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGINT')
      }),
  }
}

/** Debian's Chromium, headless, with the flags this offline machine needs. */
export async function launchBrowser(
  opts: { locale?: string } = {},
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: opts.locale ?? 'en-US',
    acceptDownloads: true,
  })
  const page = await context.newPage()
  return { browser, page }
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/**
 * Scrolls to the top and waits until the page is there and has painted it (two animation
 * frames), so a full-page capture draws the sticky top bar in place. A condition, not a sleep.
 */
export async function scrollToTop(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.waitForFunction(() => window.scrollY === 0)
  await page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  )
}

/** Switches the app's language through its own switch (the choice is remembered). */
export async function setLanguage(page: Page, locale: 'pt-BR' | 'en'): Promise<void> {
  await page.getByRole('button', { name: locale === 'pt-BR' ? 'Português' : 'English' }).click()
}

/**
 * Calls one command over the browser-mode WebSocket, as a page of the server would: with its
 * Origin and the token from the URL.
 */
export async function callCommand<T = unknown>(
  served: Served,
  name: string,
  input: unknown,
): Promise<Result<T>> {
  const token = new URL(served.url).searchParams.get('token') ?? ''
  const ws = new WebSocket(`ws://127.0.0.1:${served.port}/ws?token=${token}`, {
    origin: served.origin,
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const result = await new Promise<Result<T>>((resolve) => {
    ws.on('message', (data) => {
      const message = decodeWire(data.toString()) as { id?: number; result?: Result<T> }
      if (message.id === 1 && message.result) resolve(message.result)
    })
    ws.send(encodeWire({ id: 1, name, input }))
  })
  ws.close()
  return result
}

/** Trains with the real CLI into `dataDir` (before or beside a server) and returns its JSON. */
export function trainWithCli(
  dataDir: string,
  ...args: string[]
): { runId: number; status: string } {
  return JSON.parse(runCli('train', '--json', '--data-dir', dataDir, ...args)) as {
    runId: number
    status: string
  }
}

/** Runs the real CLI (`sinapse <args>`) to the end and returns what it printed. */
export function runCli(...args: string[]): string {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`sinapse ${args[0]} failed: ${run.stdout} ${run.stderr}`)
  return run.stdout
}

/** Polls `read` until `done` holds; unlike expect.poll it also works in hooks (beforeAll). */
export async function waitUntil<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** How far the page scrolls sideways, in CSS px (0 or less: it fits). */
export async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}

/**
 * Drops a file on the tester's drop zone as the browser does (dragenter, dragover, drop with a
 * DataTransfer); whether the page took the drop (prevented the browser from opening the file).
 */
export async function dropFile(
  page: Page,
  name: string,
  bytes: Buffer,
  type: string,
): Promise<boolean> {
  return page.evaluate(
    ({ name, data, type }) => {
      const file = new File([new Uint8Array(data)], name, { type })
      const transfer = new DataTransfer()
      transfer.items.add(file)
      const zone = document.querySelector('[data-testid=drop-zone]')!
      for (const kind of ['dragenter', 'dragover']) {
        zone.dispatchEvent(
          new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }),
        )
      }
      const drop = new DragEvent('drop', {
        bubbles: true,
        cancelable: true,
        dataTransfer: transfer,
      })
      zone.dispatchEvent(drop)
      return drop.defaultPrevented
    },
    { name, data: Array.from(bytes), type },
  )
}

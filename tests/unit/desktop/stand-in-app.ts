import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

export interface Report {
  type: string
  [key: string]: unknown
}

export interface LaunchOptions {
  /** The folder standing in for the app (package.json, out/, node_modules). */
  appDir: string
  dataDir: string
  env?: Record<string, string>
}

/**
 * The built main process (out/main/index.js) running under Node in a child process, with the
 * stand-in `electron` module. `request` drives the stand-in; `waitFor` waits for a report.
 */
export class StandInApp {
  readonly reports: Report[] = []
  readonly exited: Promise<{ code: number | null; at: number }>
  private readonly child: ChildProcess
  private nextId = 1
  private readonly pending = new Map<number, (reply: Report) => void>()
  private readonly watchers: (() => void)[] = []
  stderr = ''

  constructor(opts: LaunchOptions) {
    const register = new URL('./stand-in/register.mjs', import.meta.url).href
    this.child = fork(join(opts.appDir, 'out', 'main', 'index.js'), [], {
      cwd: opts.appDir,
      execArgv: ['--import', register],
      env: {
        ...process.env,
        STAND_IN_APP_DIR: opts.appDir,
        SINAPSE_DATA_DIR: opts.dataDir,
        ...opts.env,
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString()
    })
    this.child.on('message', (message: Report) => {
      if (message.type === 'reply') {
        const resolve = this.pending.get(message.id as number)
        this.pending.delete(message.id as number)
        resolve?.(message)
        return
      }
      this.reports.push(message)
      for (const watcher of this.watchers) watcher()
    })
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        for (const watcher of this.watchers) watcher()
        resolve({ code, at: Date.now() })
      })
    })
  }

  /** Sends one command to the stand-in and returns its answer. */
  async request<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++
    const reply = await new Promise<Report>((resolve, reject) => {
      this.pending.set(id, resolve)
      this.child.send({ id, op, ...args }, (err) => {
        if (err) reject(err)
      })
    })
    if (!reply.ok) throw new Error(String(reply.error))
    return reply.value as T
  }

  /** An IPC call as the renderer's preload makes it, from a frame at `frameUrl`. */
  invoke<T = unknown>(frameUrl: string | null, name: unknown, input?: unknown): Promise<T> {
    return this.request<T>('invoke', {
      channel: 'sinapse:invoke',
      frameUrl,
      args: [name, input, undefined],
    })
  }

  /** Waits until a report matches (already received or still to come) or the process exits. */
  waitFor(match: (report: Report) => boolean, what: string): Promise<Report> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.reports.find(match)
        if (found) {
          done()
          resolve(found)
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done()
          reject(new Error(`the app exited before ${what}\n${this.stderr}`))
        }
      }
      const done = () => this.watchers.splice(this.watchers.indexOf(check), 1)
      this.watchers.push(check)
      check()
    })
  }

  /** The renderer events (`webContents.send`) of one name received so far. */
  events(name: string): unknown[] {
    return this.reports
      .filter((r) => r.type === 'send' && (r.args as unknown[])[0] === name)
      .map((r) => (r.args as unknown[])[1])
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL')
  }
}

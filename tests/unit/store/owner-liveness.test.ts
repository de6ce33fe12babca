import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ownStartId,
  probeProcess,
  STALE_AFTER_MS,
  whyOrphaned,
  type RunOwner,
} from '../../../src/main/store/process-liveness'
import { ORPHAN_ERRORS } from '../../../src/main/store/runs-repo'
import { translate } from '../../../src/shared/i18n'
import { cli, tempDataDir } from '../cli/cli-helpers'

const bin = join(import.meta.dirname, '../../../bin/sinapse.js')
const onLinux = process.platform === 'linux'
const children: ChildProcess[] = []
const dirs: string[] = []

afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Waits (polling, no fixed sleep) until `check` returns a value; fails after `timeoutMs`. */
async function until<T>(what: string, check: () => T | null, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== null) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

interface RunRow {
  id: number
  status: string
  owner_pid: number
  heartbeat_at: string
  epochs: number
}

function readRun(dataDir: string): RunRow | null {
  let db: Database.Database
  try {
    db = new Database(join(dataDir, 'sinapse.db'), { readonly: true, fileMustExist: true })
  } catch {
    return null
  }
  try {
    const row = db
      .prepare(
        `SELECT id, status, owner_pid, heartbeat_at,
           (SELECT count(*) FROM epochs e WHERE e.run_id = r.id) AS epochs
         FROM runs r ORDER BY id DESC LIMIT 1`,
      )
      .get() as RunRow | undefined
    return row ?? null
  } catch {
    return null
  } finally {
    db.close()
  }
}

const trainArgs = (dataDir: string) => [
  'train',
  '--epochs',
  '500',
  '--limit',
  '2000',
  '--data-dir',
  dataDir,
]

/** Starts a long CLI training in `dataDir` and waits until it has committed an epoch. */
async function startOwner(dataDir: string, spawnIt: () => ChildProcess): Promise<RunRow> {
  children.push(spawnIt())
  return until('a running run with a committed epoch', () => {
    const run = readRun(dataDir)
    return run && run.status === 'running' && run.epochs >= 1 ? run : null
  })
}

function procState(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[0]
  } catch {
    return null
  }
}

async function listRuns(dataDir: string) {
  const r = await cli(dataDir, 'runs', '--json')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as { id: number; status: string; epochs: number; error: string }[]
}

function setRow(dataDir: string, sql: string, ...params: (string | number)[]): void {
  const db = new Database(join(dataDir, 'sinapse.db'))
  try {
    db.prepare(sql).run(...params)
  } finally {
    db.close()
  }
}

describe.skipIf(!onLinux)('owner liveness with real processes (Linux /proc)', () => {
  it('interrupts a run whose owner was SIGKILLed but never reaped (a zombie)', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    // The shell starts the training in the background and becomes `sleep`, which never waits:
    // the killed training stays a zombie until the sleep ends.
    const run = await startOwner(dataDir, () =>
      spawn(
        'sh',
        ['-c', `"${process.execPath}" "${bin}" "$@" >/dev/null 2>&1 & exec sleep 600`, 'sh'].concat(
          trainArgs(dataDir),
        ),
        { stdio: 'ignore' },
      ),
    )
    process.kill(run.owner_pid, 'SIGKILL')
    await until('the owner to become a zombie', () => (procState(run.owner_pid) === 'Z' ? 1 : null))
    const committed = readRun(dataDir)!.epochs

    const [listed] = await listRuns(dataDir)
    expect(listed).toMatchObject({ id: run.id, status: 'interrupted', epochs: committed })
    expect(listed.error).toBe(ORPHAN_ERRORS.ownerGone)
    // The CLI says why, in the list and in the details, in both languages.
    expect((await cli(dataDir, 'runs')).stdout).toContain('interrupted (process ended)')
    expect((await cli(dataDir, 'runs', '--lang', 'pt-BR')).stdout).toContain('(processo terminou)')
    const shown = await cli(dataDir, 'show', String(run.id))
    expect(shown.stdout).toContain(translate('en', ORPHAN_ERRORS.ownerGone))
  })

  it('interrupts a run whose stopped owner (SIGSTOP) let its heartbeat go stale, and leaves it alone before', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    const run = await startOwner(dataDir, () =>
      spawn(process.execPath, [bin, ...trainArgs(dataDir)], { stdio: 'ignore' }),
    )
    // A live owner's heartbeat moves on even within an epoch, from its own timer.
    const firstBeat = run.heartbeat_at
    await until('a newer heartbeat', () => {
      const now = readRun(dataDir)
      return now && now.heartbeat_at > firstBeat ? now : null
    })

    process.kill(run.owner_pid, 'SIGSTOP')
    try {
      await until('the owner to stop', () => (procState(run.owner_pid) === 'T' ? 1 : null))
      // Stopped but recent: it may be continued, so it is left alone.
      expect((await listRuns(dataDir))[0].status).toBe('running')
      // The heartbeat goes stale: as if the owner had been stopped for longer than the limit.
      const stale = new Date(Date.now() - STALE_AFTER_MS - 5_000).toISOString()
      setRow(dataDir, 'UPDATE runs SET heartbeat_at = ? WHERE id = ?', stale, run.id)
      const committed = readRun(dataDir)!.epochs

      const [listed] = await listRuns(dataDir)
      expect(listed).toMatchObject({ id: run.id, status: 'interrupted', epochs: committed })
      expect(listed.error).toBe(ORPHAN_ERRORS.ownerSilent)
    } finally {
      process.kill(run.owner_pid, 'SIGCONT')
    }
    // Woken up, the owner finds the run taken from it and stops training; the verdict stands.
    const owner = children[0]
    await until('the woken owner to exit', () => (owner.exitCode !== null ? 1 : null))
    const after = readRun(dataDir)!
    expect(after.status).toBe('interrupted')
  })

  it('interrupts a run whose owner died and whose pid now belongs to another process', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    const owner = spawn(process.execPath, [bin, ...trainArgs(dataDir)], { stdio: 'ignore' })
    const run = await startOwner(dataDir, () => owner)
    owner.kill('SIGKILL')
    await until('the owner to be reaped', () => (owner.signalCode !== null ? 1 : null))
    // Another program now has the pid, and the row still has a fresh heartbeat (the reuse came
    // quickly): only the recorded start time tells them apart.
    const stranger = spawn('sleep', ['600'], { stdio: 'ignore' })
    children.push(stranger)
    await until('the stranger to start', () => (stranger.pid ? 1 : null))
    setRow(
      dataDir,
      'UPDATE runs SET owner_pid = ?, heartbeat_at = ? WHERE id = ?',
      stranger.pid!,
      new Date().toISOString(),
      run.id,
    )

    const [listed] = await listRuns(dataDir)
    expect(listed).toMatchObject({ id: run.id, status: 'interrupted' })
    expect(listed.error).toBe(ORPHAN_ERRORS.pidReused)
    expect(stranger.exitCode).toBeNull()
  })
})

describe('whyOrphaned', () => {
  const self = { pid: 4242, token: 'me', startId: 'boot:100' }
  const now = Date.parse('2026-01-01T12:00:00.000Z')
  const owner = (over: Partial<RunOwner>): RunOwner => ({
    pid: 77,
    token: 't',
    startId: 'boot:500',
    heartbeatAt: new Date(now - 1000).toISOString(),
    ...over,
  })
  const judge = (
    o: RunOwner,
    state: 'gone' | 'zombie' | 'stopped' | 'alive',
    startId = 'boot:500',
  ) => whyOrphaned(o, { self, now: () => now, probe: () => ({ state, startId }) })

  it('leaves a live owner with a recent heartbeat alone, even when stopped for a moment', () => {
    expect(judge(owner({}), 'alive')).toBeNull()
    expect(judge(owner({}), 'stopped')).toBeNull()
    expect(judge(owner({ pid: 4242, token: 'me' }), 'gone')).toBeNull()
  })

  it('names the reason for each kind of dead or silent owner', () => {
    expect(judge(owner({ pid: null }), 'alive')).toBe('ownerGone')
    expect(judge(owner({}), 'gone')).toBe('ownerGone')
    expect(judge(owner({}), 'zombie')).toBe('ownerGone')
    expect(judge(owner({}), 'alive', 'boot:999')).toBe('pidReused')
    expect(judge(owner({}), 'alive', 'other-boot:500')).toBe('pidReused')
    const old = new Date(now - STALE_AFTER_MS - 1).toISOString()
    expect(judge(owner({ heartbeatAt: old }), 'stopped')).toBe('ownerSilent')
    expect(judge(owner({ heartbeatAt: old }), 'alive')).toBe('ownerSilent')
    // Our own pid with another token: an earlier session of this process, or a dead namesake.
    expect(judge(owner({ pid: 4242, token: 'x', startId: 'boot:100' }), 'alive')).toBe('ownerGone')
    expect(judge(owner({ pid: 4242, token: 'x', startId: 'boot:1' }), 'alive')).toBe('pidReused')
  })

  it('cannot tell reuse without start times, and falls back to the heartbeat', () => {
    expect(judge(owner({ startId: null }), 'alive', 'boot:999')).toBeNull()
    expect(
      whyOrphaned(owner({}), {
        self,
        now: () => now,
        probe: () => ({ state: 'alive', startId: null }),
      }),
    ).toBeNull()
  })

  it('says why in both languages', () => {
    expect(translate('en', ORPHAN_ERRORS.ownerSilent)).toContain('stopped answering')
    expect(translate('pt-BR', ORPHAN_ERRORS.ownerSilent)).toContain('parou de responder')
  })

  it.skipIf(!onLinux)(
    'reads real processes: this one alive with a start id, a dead pid gone',
    () => {
      expect(probeProcess(process.pid).state).toBe('alive')
      expect(ownStartId()).toMatch(/^[0-9a-f-]+:\d+$/)
      expect(probeProcess(2 ** 22 + 1).state).toBe('gone')
    },
  )
})

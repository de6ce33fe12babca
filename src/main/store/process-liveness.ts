import { readFileSync } from 'node:fs'

/**
 * Whether a process with `pid` exists. Signal 0 checks without delivering anything; EPERM means
 * the process exists but belongs to another user, so it counts as alive.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * What the OS says about a process: `gone` (no such process), `zombie` (it exited and its parent
 * has not reaped it yet: it will never write again), `stopped` (SIGSTOP, a debugger), or `alive`.
 * `startId` tells this process from a later one that reuses its pid; null where the OS does not
 * give a start time (only Linux's /proc does).
 */
export interface ProcessProbe {
  state: 'gone' | 'zombie' | 'stopped' | 'alive'
  startId: string | null
}

let bootId: string | null | undefined

/** Linux's id of the current boot: start times count clock ticks since boot, so both are needed. */
function readBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
    } catch {
      bootId = null
    }
  }
  return bootId
}

/**
 * Reads /proc/<pid>/stat. Its second field is the command name in parentheses, which may itself
 * hold spaces and parentheses, so the fields are counted from the last ')'. After it come the
 * state (field 3) and, 19 fields later, the start time in clock ticks since boot (field 22).
 */
function readProcStat(pid: number): { state: string; startTicks: string } | 'gone' | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    // ENOENT/ESRCH: no such process. Anything else (no /proc at all): this OS cannot tell.
    if ((code === 'ENOENT' || code === 'ESRCH') && hasProc()) return 'gone'
    return null
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { state: fields[0] ?? '', startTicks: fields[19] ?? '' }
}

let procMounted: boolean | undefined

function hasProc(): boolean {
  if (procMounted === undefined) {
    try {
      readFileSync('/proc/self/stat', 'utf8')
      procMounted = true
    } catch {
      procMounted = false
    }
  }
  return procMounted
}

/** Probes `pid` with /proc where it exists (Linux), and with signal 0 elsewhere. */
export function probeProcess(pid: number): ProcessProbe {
  if (!Number.isInteger(pid) || pid <= 0) return { state: 'gone', startId: null }
  const stat = readProcStat(pid)
  if (stat === 'gone') return { state: 'gone', startId: null }
  if (stat === null) return { state: isProcessAlive(pid) ? 'alive' : 'gone', startId: null }
  const boot = readBootId()
  const startId = boot && stat.startTicks ? `${boot}:${stat.startTicks}` : null
  // Z: zombie, X: dead (being reaped). T: stopped by a signal, t: stopped by a tracer.
  if (stat.state === 'Z' || stat.state === 'X') return { state: 'zombie', startId }
  if (stat.state === 'T' || stat.state === 't') return { state: 'stopped', startId }
  return { state: 'alive', startId }
}

/** This process's start id (see `ProcessProbe`), recorded with the runs it owns. */
export function ownStartId(): string | null {
  return probeProcess(process.pid).startId
}

/** Why a run's owner no longer counts: it exited, its pid now names another process, or it fell silent. */
export type OrphanReason = 'ownerGone' | 'pidReused' | 'ownerSilent'

/** What a run records about the process that trains it. */
export interface RunOwner {
  pid: number | null
  token: string | null
  startId: string | null
  /** ISO time of the owner's last heartbeat (or the run's creation). */
  heartbeatAt: string | null
}

/**
 * How often an owner writes its heartbeat while it trains (a timer on the main thread, so long
 * epochs, evaluations and saves in the worker do not delay it).
 */
export const HEARTBEAT_MS = 5_000

/**
 * A run whose owner's heartbeat is older than this is judged silent (stopped, hung or frozen)
 * and marked interrupted: twelve missed heartbeats, far beyond any pause of a working process.
 */
export const STALE_AFTER_MS = 60_000

export interface OwnerJudge {
  /** The process asking, with the token its own runs carry. */
  self: { pid: number; token: string; startId: string | null }
  now: () => number
  probe?: (pid: number) => ProcessProbe
  staleAfterMs?: number
}

/**
 * Why a queued or running run's owner no longer trains it, or null while the owner is alive and
 * keeps its heartbeat. A live owner that beats is never judged orphaned.
 */
export function whyOrphaned(owner: RunOwner, judge: OwnerJudge): OrphanReason | null {
  const { self } = judge
  if (owner.pid === null) return 'ownerGone'
  if (owner.pid === self.pid) {
    if (owner.token === self.token) return null
    // Our pid but not our token: an earlier session, of this process or of a dead one.
    const sameProcess = owner.startId === null || owner.startId === self.startId
    return sameProcess ? 'ownerGone' : 'pidReused'
  }
  const probed = (judge.probe ?? probeProcess)(owner.pid)
  if (probed.state === 'gone' || probed.state === 'zombie') return 'ownerGone'
  if (owner.startId !== null && probed.startId !== null && owner.startId !== probed.startId) {
    return 'pidReused'
  }
  const beat = owner.heartbeatAt === null ? Number.NaN : Date.parse(owner.heartbeatAt)
  if (Number.isFinite(beat) && judge.now() - beat > (judge.staleAfterMs ?? STALE_AFTER_MS)) {
    return 'ownerSilent'
  }
  return null
}

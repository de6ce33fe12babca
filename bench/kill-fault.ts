// Fault injection: SIGKILLs a real CLI training (`node ./bin/sinapse.js train …`) many times at
// random points, then checks the data folder with a fresh process each time.
//
//   node --import tsx bench/kill-fault.ts                 50 kills, prints the figures
//   options: --kills N (default 50), --seed S (default 1), --json, --keep (keep the data folder)
//
// Half of the kills (chosen at random) hit a training whose parent is gone: it is started by a shell
// that then becomes `sleep` and never waits, so the killed training stays a zombie (unreaped)
// while the next process looks at its run. The kill point is drawn at random over a training's
// life, following its output (see waitForKillPoint): startup, within an epoch, the save and test
// evaluation after the last epoch, and just after completion. After each kill a fresh `sinapse runs` process opens the folder (marking
// orphans, tidying model folders), then the script reads the database itself and counts:
//   - PRAGMA integrity_check = ok;
//   - finished epochs lost: epochs the child printed (it prints an epoch after committing it)
//     missing from the database;
//   - runs left `running` or `queued`;
//   - orphan model folders: Sinapse-named folders in models/ no run references, and leftover
//     temporary folders.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean' },
    keep: { type: 'boolean' },
  },
})
const kills = Math.max(1, Number(values.kills) || 50)
const bin = fileURLToPath(new URL('../bin/sinapse.js', import.meta.url))
const EPOCHS = 3
const trainArgs = (dataDir: string) => [
  'train',
  '--epochs',
  String(EPOCHS),
  '--limit',
  '1000',
  '--data-dir',
  dataDir,
  '--lang',
  'en',
]

// mulberry32: a small seeded generator, so a run of this script can be repeated.
let state = Number(values.seed) >>> 0
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const log = (text: string) => {
  if (!values.json) process.stderr.write(text + '\n')
}

interface Child {
  /** The process that runs the training (the node process, not the shell). */
  trainerPid: () => number | null
  /** What the training printed so far. */
  output: () => string
  /** The shell-turned-sleep parent that never reaps, when there is one. */
  keeper: ChildProcess | null
  direct: ChildProcess | null
  /** Settles once the training has died (reaped, or a zombie). */
  exited: () => Promise<void>
}

function startTraining(dataDir: string, orphaned: boolean): Child {
  let output = ''
  if (!orphaned) {
    const child = spawn(process.execPath, [bin, ...trainArgs(dataDir)], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<void>((done) => child.on('exit', () => done()))
    return {
      trainerPid: () => child.pid ?? null,
      output: () => output,
      keeper: null,
      direct: child,
      exited: () => exited,
    }
  }
  // The shell prints the training's pid, then becomes `sleep`: the training's parent never waits.
  const keeper = spawn(
    'sh',
    [
      '-c',
      `"$0" "$@" & echo "pid $!"; exec sleep 600`,
      process.execPath,
      bin,
      ...trainArgs(dataDir),
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  )
  keeper.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const pidOf = () => {
    const match = /^pid (\d+)$/m.exec(output)
    return match ? Number(match[1]) : null
  }
  return {
    trainerPid: pidOf,
    output: () => output,
    keeper,
    direct: null,
    exited: async () => {
      const pid = await waitFor(pidOf, 30_000)
      await waitFor(() => (procState(pid) === 'Z' || procState(pid) === null ? true : null), 60_000)
    },
  }
}

function procState(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[0]
  } catch {
    return null
  }
}

async function waitFor<T>(check: () => T | null, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = check()
    if (value !== null) return value
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** How far the training got, from what it printed. */
function phaseOf(output: string): 'startup' | 'training' | 'save/evaluate' | 'finished' {
  if (/^Run \d+ completed\./m.test(output)) return 'finished'
  const epochs = (output.match(/^Epoch \d+\//gm) ?? []).length
  if (epochs >= EPOCHS) return 'save/evaluate'
  return /^Run \d+ started/m.test(output) ? 'training' : 'startup'
}

function printedEpochs(output: string): { runId: number | null; epochs: number } {
  const run = /^Run (\d+) started/m.exec(output)
  return {
    runId: run ? Number(run[1]) : null,
    epochs: (output.match(/^Epoch \d+\//gm) ?? []).length,
  }
}

const MODEL_FOLDER = /^run-[0-9a-f-]{36}(-[0-9a-f]{8})?$/

function inspect(dataDir: string, runId: number | null) {
  const db = new Database(join(dataDir, 'sinapse.db'), { readonly: true })
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string
    const active = db
      .prepare("SELECT count(*) FROM runs WHERE status IN ('queued', 'running')")
      .pluck()
      .get() as number
    const stored =
      runId === null
        ? 0
        : (db.prepare('SELECT count(*) FROM epochs WHERE run_id = ?').pluck().get(runId) as number)
    const referenced = new Set(
      (db.prepare('SELECT path FROM models').pluck().all() as string[]).map((p) =>
        resolve(dataDir, p),
      ),
    )
    const models = join(dataDir, 'models')
    const orphans = readdirSync(models).filter((name) =>
      MODEL_FOLDER.test(name) ? !referenced.has(resolve(models, name)) : name.startsWith('.'),
    )
    return { integrity, active, stored, orphans }
  } finally {
    db.close()
  }
}

/**
 * Waits for a random point of the training's life and says which: a random moment of startup,
 * a random moment within a random epoch, a random moment of the save and test evaluation after
 * the last epoch, or right after it reports completion. The points follow the training's own
 * output rather than a clock, so they stay spread over its phases however loaded the machine is.
 */
async function waitForKillPoint(child: Child): Promise<string> {
  const seen = (pattern: RegExp) => () => (pattern.test(child.output()) ? true : null)
  const settle = (ms: number) => sleep(Math.round(random() * ms))
  const wait = (pattern: RegExp) => waitFor(seen(pattern), 120_000).catch(() => null)
  const pick = random()
  if (pick < 0.2) {
    const ms = Math.round(random() * 4000)
    await sleep(ms)
    return `${ms} ms after spawn`
  }
  if (pick < 0.6) {
    const epoch = Math.floor(random() * EPOCHS)
    await wait(epoch === 0 ? /^Run \d+ started/m : new RegExp(`^Epoch ${epoch}/`, 'm'))
    await settle(1500)
    return `within epoch ${epoch + 1}`
  }
  if (pick < 0.9) {
    await wait(new RegExp(`^Epoch ${EPOCHS}/`, 'm'))
    await settle(600)
    return 'after the last epoch (save/evaluate)'
  }
  await wait(/^Run \d+ completed/m)
  return 'after completion'
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sinapse-kill-'))
  log(`data folder: ${dataDir}`)

  const figures = {
    kills,
    zombieOwner: 0,
    reapedOwner: 0,
    integrityOk: 0,
    printedEpochs: 0,
    lostEpochs: 0,
    leftRunning: 0,
    orphanFolders: 0,
    phases: { startup: 0, training: 0, 'save/evaluate': 0, finished: 0 } as Record<string, number>,
    killDelayMs: { min: Infinity, max: 0 },
  }

  for (let i = 1; i <= kills; i++) {
    const orphaned = random() < 0.5
    const child = startTraining(dataDir, orphaned)
    // The orphaned kind reports its pid through the shell; wait for it so the kill hits the
    // training, not the shell.
    const pid = await waitFor(child.trainerPid, 30_000)
    const t0 = Date.now()
    const delay = await waitForKillPoint(child)
    figures.killDelayMs.min = Math.min(figures.killDelayMs.min, Date.now() - t0)
    figures.killDelayMs.max = Math.max(figures.killDelayMs.max, Date.now() - t0)
    const printed = printedEpochs(child.output())
    const phase = phaseOf(child.output())
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already finished on its own: the kill came after the end.
    }
    await child.exited()
    // Read what it printed up to its death (the pipe may still hold a line or two).
    await sleep(50)
    const final = printedEpochs(child.output())
    figures.phases[phaseOf(child.output())] += 1
    if (orphaned) figures.zombieOwner += procState(pid) === 'Z' ? 1 : 0
    else figures.reapedOwner += 1

    // A fresh process opens the folder while the zombie (if any) is still unreaped.
    const fresh = spawnSync(process.execPath, [bin, 'runs', '--json', '--data-dir', dataDir], {
      encoding: 'utf8',
    })
    if (fresh.status !== 0) throw new Error(`sinapse runs failed: ${fresh.stdout}${fresh.stderr}`)
    const seen = inspect(dataDir, final.runId)
    figures.integrityOk += seen.integrity === 'ok' ? 1 : 0
    const stored = seen.stored
    const lost = Math.max(0, final.epochs - stored)
    figures.printedEpochs += final.epochs
    figures.lostEpochs += lost
    figures.leftRunning += seen.active
    figures.orphanFolders += seen.orphans.length
    log(
      `#${String(i).padStart(2)} ${orphaned ? 'zombie' : 'reaped'} ` +
        `kill at ${delay} (${phase}${printed.epochs ? `, ${printed.epochs} epochs` : ''}): ` +
        `integrity ${seen.integrity}, epochs printed ${final.epochs} stored ${stored}, ` +
        `running ${seen.active}, orphan folders ${seen.orphans.length}` +
        (seen.orphans.length ? ` (${seen.orphans.join(', ')})` : ''),
    )
    child.keeper?.kill('SIGKILL')
    if (child.keeper)
      await new Promise((r) =>
        child.keeper!.exitCode !== null ? r(null) : child.keeper!.on('exit', r),
      )
  }

  if (!values.keep) rmSync(dataDir, { recursive: true, force: true })
  if (values.json) {
    process.stdout.write(JSON.stringify(figures) + '\n')
    return
  }
  const out = [
    `kill-fault: ${kills} SIGKILLs of \`sinapse train --epochs ${EPOCHS} --limit 1000\` ` +
      `(${figures.zombieOwner} with the parent gone, owner left a zombie; ${figures.reapedOwner} reaped), ` +
      `${(figures.killDelayMs.min / 1000).toFixed(2)}–${(figures.killDelayMs.max / 1000).toFixed(2)} s after spawn`,
    `killed during: startup ${figures.phases.startup}, training ${figures.phases.training}, ` +
      `save/evaluate ${figures.phases['save/evaluate']}, after finishing ${figures.phases.finished}`,
    `database integrity ok: ${figures.integrityOk}/${kills}`,
    `finished epochs lost: ${figures.lostEpochs} (of ${figures.printedEpochs} printed as committed)`,
    `runs left running: ${figures.leftRunning}`,
    `orphan model folders: ${figures.orphanFolders}`,
  ]
  process.stdout.write(out.join('\n') + '\n')
}

await main()

// `npm run bench`: training speed of the tutorial MLP and lenet-cnn (batch 32) on the default
// backend, side by side with PyTorch's same recipe (bench/pytorch_reference.py) when python3 can
// import torch, plus the other backends that load here and app-level figures.
//
//   npm run bench                      human-readable lines
//   npm run --silent bench -- --json   one JSON document
//   options: --repeat N (rounds of ours/PyTorch, alternating; default 3), --quick (fewer samples),
//            --full (also the whole 30-epoch tutorial run through the real worker), --no-app
//
// Each measurement runs in a fresh process. The machine is shared and its load drifts, so ours and
// PyTorch alternate round by round and the ratio is taken per round (paired) and over medians.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { getPreset } from '../src/shared/presets'
import { summarizeModel } from '../src/shared/spec-shapes'

interface Measurement {
  backend: string
  preset: string
  /** Threads that trained (ours only): 2 when each batch was split across two threads. */
  threads?: number
  trainSamples: number
  samplesPerSec: number
  secPerEpoch: number
  secPerFullEpoch: number
  /** PyTorch only: the BLAS library its process loaded (its speed depends on it). */
  blas?: string
  /** CPU seconds (all threads) of the measured epoch. */
  cpuSecPerEpoch: number
  valAccuracy: number | null
  peakRssMb: number
}
type Failure = { backend: string; preset: string; error: string }
type Result = Measurement | Failure

const { values } = parseArgs({
  options: {
    json: { type: 'boolean' },
    quick: { type: 'boolean' },
    full: { type: 'boolean' },
    'no-app': { type: 'boolean' },
    repeat: { type: 'string', default: '3' },
  },
})
const repeat = Math.max(1, Number(values.repeat) || 3)
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
const log = (line: string) => {
  if (!values.json) console.log(line)
}
const PRESETS = ['tutorial-mlp', 'lenet-cnn'] as const

/** The plain-JS backend is 15–100× slower: it gets fewer samples so the bench stays short. */
function samplesFor(backend: string, preset: string): number {
  const full = values.quick ? 9600 : 48000
  if (backend === 'cpu') return preset === 'lenet-cnn' ? 128 : 3200
  return preset === 'lenet-cnn' ? full / 4 : full
}

function parseLast(stdout: string): unknown {
  const line = stdout.trim().split('\n').pop() ?? ''
  return line.startsWith('{') ? JSON.parse(line) : null
}

function failure(backend: string, preset: string, status: number | null, stderr: string): Failure {
  const lines = stderr.trim().split('\n')
  const reason = (lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? '').slice(0, 160)
  return { backend, preset, error: reason || `exit ${status}` }
}

/** Ours: `backend` '' is the default choice (tensorflow where it installs, else wasm). */
function measureOurs(backend: string, preset: string, threads?: 1 | 2): Result {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      here('./train-speed.ts'),
      '--backend',
      backend,
      '--preset',
      preset,
      '--samples',
      String(samplesFor(backend, preset)),
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        SINAPSE_BACKEND: '',
        SINAPSE_TRAIN_THREADS: threads ? String(threads) : '',
      },
    },
  )
  const parsed = parseLast(run.stdout) as Measurement | { error: string } | null
  if (parsed && 'error' in parsed)
    return { backend: backend || 'default', preset, error: parsed.error }
  if (run.status !== 0 || !parsed)
    return failure(backend || 'default', preset, run.status, run.stderr)
  return parsed
}

/** A python3 that can import torch: the one on PATH, else Debian's (python3-torch). */
function findTorchPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' })
    if (probe.status === 0) return python
  }
  return null
}

/** The environment with no OpenBLAS thread cap: OpenBLAS then uses every core. */
function withoutBlasCap(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.OPENBLAS_NUM_THREADS
  return env
}

function measurePytorch(python: string, preset: string, threads: number, capBlas = true): Result {
  const run = spawnSync(
    python,
    [
      here('./pytorch_reference.py'),
      '--preset',
      preset,
      '--samples',
      String(samplesFor('pytorch', preset)),
      '--threads',
      String(threads),
    ],
    // OpenBLAS's own thread pool ignores torch.set_num_threads: cap it too, so '1 thread' is one.
    // Uncapped, it is what a Python user gets from torch.set_num_threads(1) alone: one intra-op
    // thread with BLAS calls spread over every core, often PyTorch's fastest MLP on 2 cores.
    {
      encoding: 'utf8',
      env: capBlas ? { ...process.env, OPENBLAS_NUM_THREADS: String(threads) } : withoutBlasCap(),
    },
  )
  const parsed = parseLast(run.stdout) as Measurement | null
  if (run.status !== 0 || !parsed) return failure('pytorch', preset, run.status, run.stderr)
  return capBlas ? parsed : { ...parsed, backend: `${parsed.backend}, BLAS on every core` }
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Floating-point operations per trained sample of a preset, counting the multiply-adds of Dense
 * and Conv2D (2 FLOPs each; bias, activations, pooling and the optimizer are not counted): the
 * forward pass, the weight gradients, the input gradients of every layer but the first, and the
 * validation forward pass of a quarter as many samples (the recipe's 80/20 split).
 */
function flopsPerSample(preset: (typeof PRESETS)[number]): number {
  const { spec } = getPreset(preset)
  let forward = 0
  let inputGrads = 0
  summarizeModel(spec).layers.forEach((summary, i) => {
    const layer = spec.layers[i]
    if ((layer.type !== 'dense' && layer.type !== 'conv2d') || !summary.outputShape) return
    const units = summary.outputShape[summary.outputShape.length - 1]
    const weights = (summary.params ?? 0) - (layer.useBias ? units : 0)
    const positions = summary.outputShape.slice(0, -1).reduce((a, b) => a * b, 1)
    if (forward > 0) inputGrads += weights * positions
    forward += weights * positions
  })
  return 2 * (2 * forward + inputGrads) + (2 * forward) / 4
}

const ok = (r: Result): r is Measurement => !('error' in r)
const round2 = (x: number) => Number(x.toFixed(2))

function describe(r: Result): string {
  if (!ok(r)) return `${r.preset.padEnd(13)} ${r.backend.padEnd(26)} unavailable: ${r.error}`
  const who = r.threads ? `${r.backend}, ${r.threads} thread${r.threads > 1 ? 's' : ''}` : r.backend
  return (
    `${r.preset.padEnd(13)} ${who.padEnd(26)} ${String(r.samplesPerSec).padStart(6)} samples/s  ` +
    `${r.secPerFullEpoch.toFixed(2).padStart(6)} s per 48,000-sample epoch  ` +
    `(CPU ${cpuPerFullEpoch(r).toFixed(2)} s)  ` +
    `peak RSS ${r.peakRssMb} MB  (${r.trainSamples} samples)` +
    (r.blas ? `  BLAS: ${r.blas}` : '')
  )
}

const cpuPerFullEpoch = (r: Measurement) => (r.cpuSecPerEpoch * 48000) / r.trainSamples

/** The median round of a series, as the figure a JSON reader wants. */
function summarize(series: Measurement[]) {
  if (series.length === 0) return null
  const samplesPerSec = Math.round(median(series.map((m) => m.samplesPerSec)))
  return {
    backend: series[0].backend,
    threads: series[0].threads,
    samplesPerSec,
    secPerEpoch: round2(48000 / samplesPerSec),
    cpuSecPerEpoch: round2(median(series.map(cpuPerFullEpoch))),
    peakRssMb: Math.max(...series.map((m) => m.peakRssMb)),
    valAccuracy: series[0].valAccuracy,
    rounds: series.map((m) => m.samplesPerSec),
  }
}

const python = findTorchPython()
if (!python) log('PyTorch: python3 cannot import torch (apt-get install python3-torch); no ratio')
const measurements: Result[] = []
const figures: Record<string, unknown> = {}

for (const preset of PRESETS) {
  const ours: Measurement[] = []
  const torch: Measurement[] = []
  const torch1: Measurement[] = []
  const torch1Blas: Measurement[] = []
  const paired: number[] = []
  // The other thread count than the default's (data-parallel.ts), so that one run shows both.
  const otherThreads: Measurement[] = []
  for (let round = 1; round <= repeat; round++) {
    const a = measureOurs('', preset)
    const other = ok(a) && a.threads ? measureOurs('', preset, a.threads === 1 ? 2 : 1) : null
    if (other) {
      measurements.push(other)
      log(`${describe(other)}  [round ${round}, the other thread count]`)
      if (ok(other)) otherThreads.push(other)
    }
    // The recipe's 2 threads, and 1 thread: on a loaded 2-core machine OpenMP's spinning threads
    // can make 2 threads far slower than 1, and the fairer reference is PyTorch's better figure.
    const b = python ? measurePytorch(python, preset, 2) : null
    const c = python ? measurePytorch(python, preset, 1) : null
    const d = python ? measurePytorch(python, preset, 1, false) : null
    for (const r of [a, b, c, d]) {
      if (!r) continue
      measurements.push(r)
      log(`${describe(r)}  [round ${round}]`)
    }
    if (ok(a)) ours.push(a)
    if (b && ok(b)) torch.push(b)
    if (c && ok(c)) torch1.push(c)
    if (d && ok(d)) torch1Blas.push(d)
    const best = [b, c, d].filter((r): r is Measurement => r !== null && ok(r))
    if (ok(a) && best.length) {
      paired.push(a.samplesPerSec / Math.max(...best.map((r) => r.samplesPerSec)))
    }
  }
  const mine = summarize(ours)
  const otherStats = summarize(otherThreads)
  const theirs = summarize(torch)
  const theirs1 = summarize(torch1)
  const theirs1Blas = summarize(torch1Blas)
  const ratio = mine && theirs ? round2(mine.samplesPerSec / theirs.samplesPerSec) : null
  const bestTorch = Math.max(
    theirs?.samplesPerSec ?? 0,
    theirs1?.samplesPerSec ?? 0,
    theirs1Blas?.samplesPerSec ?? 0,
  )
  const ratioVsBest = mine && bestTorch ? round2(mine.samplesPerSec / bestTorch) : null
  if (ratio !== null) {
    log(
      `${preset}: ours/PyTorch(2 threads) = ${ratio}×, ours/PyTorch(best of 2 threads, 1 thread, 1 thread + BLAS on every core) = ` +
        `${ratioVsBest}× (medians of ${repeat} rounds; per round vs the round's best ` +
        `${paired.map((p) => p.toFixed(2)).join(', ')})`,
    )
  }
  const flops = flopsPerSample(preset)
  const gflops = (m: { samplesPerSec: number } | null) =>
    m ? Number(((m.samplesPerSec * flops) / 1e9).toFixed(2)) : null
  log(
    `${preset}: ${(flops / 1e6).toFixed(3)} MFLOP per trained sample; GFLOP/s ours ${gflops(mine)}, ` +
      `PyTorch 2 threads ${gflops(theirs)}, 1 thread ${gflops(theirs1)}`,
  )
  figures[preset] = {
    flopsPerSample: flops,
    gflops: {
      ours: gflops(mine),
      pytorch: gflops(theirs),
      pytorch1Thread: gflops(theirs1),
      pytorch1ThreadBlasAllCores: gflops(theirs1Blas),
    },
    ours: mine,
    pytorch: theirs,
    pytorch1Thread: theirs1,
    pytorch1ThreadBlasAllCores: theirs1Blas,
    pytorchBlas: torch.concat(torch1).find((m) => m.blas)?.blas ?? null,
    ratio,
    ratioVsBestPytorch: ratioVsBest,
    pairedRatiosVsBest: paired.map(round2),
    otherThreads: otherStats
      ? {
          ...otherStats,
          ratioVsBestPytorch: bestTorch ? round2(otherStats.samplesPerSec / bestTorch) : null,
        }
      : null,
  }
}

// Scoring the 10,000 test images with LeNet (item 4 of issue 11), in a fresh process.
const evalRun = spawnSync(
  process.execPath,
  ['--import', 'tsx', here('./eval-speed.ts'), 'lenet-cnn'],
  {
    encoding: 'utf8',
    env: { ...process.env, SINAPSE_BACKEND: '' },
  },
)
const evalParsed = parseLast(evalRun.stdout) as { seconds: number[]; cpuSeconds: number[] } | null
const lenetEval = evalParsed
  ? {
      testImages: 10000,
      seconds: round2(median(evalParsed.seconds)),
      cpuSeconds: round2(median(evalParsed.cpuSeconds)),
    }
  : { error: failure('eval', 'lenet-cnn', evalRun.status, evalRun.stderr).error }
figures['lenet-cnn'] = { ...(figures['lenet-cnn'] as object), evaluation: lenetEval }
log(`lenet-cnn: scoring the 10,000 test images: ${JSON.stringify(lenetEval)}`)

log('Other backends, once each:')
const others: Result[] = []
for (const preset of PRESETS) {
  for (const backend of ['tensorflow', 'wasm', 'cpu']) {
    const r = measureOurs(backend, preset)
    others.push(r)
    measurements.push(r)
    log(describe(r))
  }
}
for (const r of others.filter(ok)) {
  const cpu = others.filter(ok).find((o) => o.preset === r.preset && o.backend === 'cpu')
  if (cpu && r.backend !== 'cpu') {
    log(
      `${r.preset} ${r.backend}: ${(r.samplesPerSec / cpu.samplesPerSec).toFixed(1)}× the cpu backend`,
    )
  }
}

let app: unknown = null
if (!values['no-app']) {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', here('./app-figures.ts'), ...(values.full ? ['--full'] : [])],
    { encoding: 'utf8', env: { ...process.env, SINAPSE_BACKEND: '' } },
  )
  app = parseLast(run.stdout) ?? { error: failure('app', '', run.status, run.stderr).error }
  log(`App figures: ${JSON.stringify(app)}`)
  // Browser mode needs the built renderer and Debian's Chromium.
  const ui = spawnSync(process.execPath, ['--import', 'tsx', here('./ui-figures.ts')], {
    encoding: 'utf8',
  })
  const uiFigures = parseLast(ui.stdout) ?? { error: failure('ui', '', ui.status, ui.stderr).error }
  app = { ...(app as object), ui: uiFigures }
  log(`Browser figures: ${JSON.stringify(uiFigures)}`)
}

if (values.json) {
  const mlp = figures['tutorial-mlp'] as {
    ours: unknown
    pytorch: unknown
    pytorch1Thread: unknown
    pytorch1ThreadBlasAllCores: unknown
    pytorchBlas: string | null
    ratio: number | null
    ratioVsBestPytorch: number | null
  }
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      tutorialMlp: mlp.ours,
      pytorch: mlp.pytorch,
      ratio: mlp.ratio,
      pytorch1Thread: mlp.pytorch1Thread,
      pytorch1ThreadBlasAllCores: mlp.pytorch1ThreadBlasAllCores,
      pytorchBlas: mlp.pytorchBlas,
      ratioVsBestPytorch: mlp.ratioVsBestPytorch,
      lenetCnn: figures['lenet-cnn'],
      tutorialMlpRounds: figures['tutorial-mlp'],
      app,
      measurements,
    }),
  )
}

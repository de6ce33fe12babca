// One thread against two (data-parallel.ts), back to back, each round a fresh process per side:
// `node --import tsx bench/threads-ab.ts --preset lenet-cnn --samples 6400 --rounds 5`. The order
// alternates round by round (1-2, 2-1, …) so the machine's drifting load hits both alike; prints
// each round and the medians, and one JSON line with --json.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'lenet-cnn' },
    samples: { type: 'string', default: '6400' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean' },
  },
})
const trainSpeed = fileURLToPath(new URL('./train-speed.ts', import.meta.url))

interface Run {
  threads: number
  samplesPerSec: number
  cpuSecPerEpoch: number
  valAccuracy: number | null
}

function measure(threads: 1 | 2): Run | null {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      trainSpeed,
      ...['--backend', 'wasm', '--preset', values.preset!, '--samples', values.samples!],
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, SINAPSE_TRAIN_THREADS: String(threads), SINAPSE_BACKEND: '' },
    },
  )
  const line = run.stdout.trim().split('\n').pop() ?? ''
  return line.startsWith('{') ? (JSON.parse(line) as Run) : null
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const rounds = Math.max(1, Number(values.rounds) || 5)
const one: Run[] = []
const two: Run[] = []
for (let round = 0; round < rounds; round++) {
  const order: (1 | 2)[] = round % 2 === 0 ? [1, 2] : [2, 1]
  for (const threads of order) {
    const r = measure(threads)
    if (!r) continue
    ;(threads === 1 ? one : two).push(r)
    if (!values.json) {
      console.log(
        `round ${round + 1}: ${threads} thread(s) ran ${r.threads}: ${r.samplesPerSec} samples/s, ` +
          `CPU ${r.cpuSecPerEpoch} s, val ${r.valAccuracy}`,
      )
    }
  }
}
const summary = {
  preset: values.preset,
  samples: Number(values.samples),
  oneThread: one.map((r) => r.samplesPerSec),
  twoThreads: two.map((r) => r.samplesPerSec),
  medianOne: median(one.map((r) => r.samplesPerSec)),
  medianTwo: median(two.map((r) => r.samplesPerSec)),
  speedup: Number(
    (median(two.map((r) => r.samplesPerSec)) / median(one.map((r) => r.samplesPerSec))).toFixed(2),
  ),
}
console.log(values.json ? JSON.stringify(summary) : summary)

// `npm run bench`: training speed of the tutorial MLP and lenet-cnn (batch 32) on every backend
// that loads here, each in its own process. `npm run --silent bench -- --json` prints one JSON
// document; `--quick` measures fewer samples.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

interface Measurement {
  backend: string
  preset: string
  trainSamples: number
  samplesPerSec: number
  secPerEpoch: number
  secPerFullEpoch: number
  valAccuracy: number | null
  peakRssMb: number
}

const { values } = parseArgs({ options: { json: { type: 'boolean' }, quick: { type: 'boolean' } } })
const script = fileURLToPath(new URL('./train-speed.ts', import.meta.url))
const log = (line: string) => {
  if (!values.json) console.log(line)
}

/** The plain-JS backend is 15–100× slower: it gets fewer samples so the bench stays short. */
function samplesFor(backend: string, preset: string): number {
  const full = values.quick ? 9600 : 48000
  if (backend === 'cpu') return preset === 'lenet-cnn' ? 320 : 3200
  return preset === 'lenet-cnn' ? full / 4 : full
}

function measure(
  backend: string,
  preset: string,
): Measurement | { backend: string; preset: string; error: string } {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      script,
      '--backend',
      backend,
      '--preset',
      preset,
      '--samples',
      String(samplesFor(backend, preset)),
    ],
    { encoding: 'utf8', env: { ...process.env, SINAPSE_BACKEND: '' } },
  )
  const line = run.stdout.trim().split('\n').pop() ?? ''
  const parsed = line.startsWith('{') ? (JSON.parse(line) as Measurement | { error: string }) : null
  if (parsed && 'error' in parsed) return { backend, preset, error: parsed.error }
  if (run.status !== 0 || !parsed) {
    const reason = (
      run.stderr
        .trim()
        .split('\n')
        .find((l) => /error/i.test(l)) ?? run.stderr.trim()
    ).slice(0, 160)
    return { backend, preset, error: reason || `exit ${run.status}` }
  }
  return parsed
}

const results: ReturnType<typeof measure>[] = []
for (const preset of ['tutorial-mlp', 'lenet-cnn']) {
  for (const backend of ['tensorflow', 'wasm', 'cpu']) {
    const r = measure(backend, preset)
    results.push(r)
    if ('error' in r) log(`${preset.padEnd(13)} ${backend.padEnd(10)} unavailable: ${r.error}`)
    else {
      log(
        `${preset.padEnd(13)} ${backend.padEnd(10)} ${String(r.samplesPerSec).padStart(6)} samples/s  ` +
          `${r.secPerFullEpoch.toFixed(1).padStart(6)} s per 48,000-sample epoch  peak RSS ${r.peakRssMb} MB  ` +
          `(${r.trainSamples} samples measured)`,
      )
    }
  }
}

const ok = results.filter((r): r is Measurement => !('error' in r))
const cpu = (preset: string) => ok.find((r) => r.preset === preset && r.backend === 'cpu')
for (const r of ok) {
  const base = cpu(r.preset)
  if (base && r.backend !== 'cpu')
    log(
      `${r.preset} ${r.backend}: ${(r.samplesPerSec / base.samplesPerSec).toFixed(1)}× the cpu backend`,
    )
}
const mlp = ok.find((r) => r.preset === 'tutorial-mlp')
if (values.json) {
  console.log(
    JSON.stringify({
      tutorialMlp: mlp
        ? {
            backend: mlp.backend,
            samplesPerSec: mlp.samplesPerSec,
            secPerEpoch: mlp.secPerFullEpoch,
            peakRssMb: mlp.peakRssMb,
          }
        : null,
      measurements: results,
    }),
  )
}

// One training measurement in a fresh process: `node --import tsx bench/train-speed.ts
// --backend wasm --preset tutorial-mlp --samples 48000`. Prints one JSON line. Two threads or one
// as the app would choose (data-parallel.ts); SINAPSE_TRAIN_THREADS=1|2 forces it.
import { parseArgs } from 'node:util'
import type { BackendName } from '../src/shared/runs'
import { getPreset, isPresetName } from '../src/shared/presets'
import { initBackend, tf } from '../src/main/training/backend'
import { loadDataset } from '../src/main/training/datasets/load'
import { splitIndices } from '../src/main/training/datasets/split'
import { helperEntry } from '../src/main/training/data-parallel'
import { buildModel } from '../src/main/training/model-factory'
import { trainModel } from '../src/main/training/trainer'

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: '' },
    preset: { type: 'string', default: 'tutorial-mlp' },
    samples: { type: 'string', default: '48000' },
    epochs: { type: 'string', default: '1' },
  },
})
if (!isPresetName(values.preset)) throw new Error(`unknown preset ${values.preset}`)
const backend = await initBackend((values.backend || undefined) as BackendName | undefined).catch(
  (err: Error) => {
    console.log(JSON.stringify({ error: err.message }))
    process.exit(2)
  },
)
const preset = getPreset(values.preset)
const trainSamples = Number(values.samples)
// The recipe's split: `trainSamples` train and a quarter as many validate, as 48,000 / 12,000.
const config = {
  ...preset.config,
  epochs: Number(values.epochs),
  limit: Math.round(trainSamples / (1 - preset.config.validationSplit)),
}
const dataset = await loadDataset('mnist')
const split = splitIndices(dataset.train.count, config)
const model = buildModel(tf, preset.spec, config)
const epochs: { durationMs: number; valAccuracy: number | null }[] = []
// CPU time as well as wall time: on a shared machine wall time follows the load, CPU time the work.
const cpuBefore = process.cpuUsage()
const result = await trainModel({
  tf,
  model,
  dataset,
  split,
  config,
  shouldStop: () => false,
  onProgress: () => {},
  onEpoch: (m) => epochs.push(m),
  helper: helperEntry(),
})
const cpu = process.cpuUsage(cpuBefore)
const last = epochs[epochs.length - 1]
const secPerEpoch = epochs.reduce((a, m) => a + m.durationMs, 0) / epochs.length / 1000
console.log(
  JSON.stringify({
    backend,
    preset: values.preset,
    threads: result.threads,
    trainSamples: split.train.length,
    samplesPerSec: Math.round(split.train.length / secPerEpoch),
    secPerEpoch: Number(secPerEpoch.toFixed(2)),
    secPerFullEpoch: Number(((48000 / split.train.length) * secPerEpoch).toFixed(2)),
    cpuSecPerEpoch: Number(((cpu.user + cpu.system) / 1e6 / epochs.length).toFixed(2)),
    valAccuracy: last.valAccuracy,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
)

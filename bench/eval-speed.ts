// Time to score the whole MNIST test set (10,000 images) with a preset's model in a fresh process,
// the evaluation a student runs after training: `node --import tsx bench/eval-speed.ts lenet-cnn`.
// The weights are the untrained initial ones; the work does not depend on them. Prints one JSON
// line; SINAPSE_WASM_KERNELS=off measures tfjs's own kernels for comparison.
import { initBackend, tf } from '../src/main/training/backend'
import { evaluateModel } from '../src/main/training/evaluate'
import { loadDataset } from '../src/main/training/datasets/load'
import { buildModel } from '../src/main/training/model-factory'
import { getPreset, isPresetName } from '../src/shared/presets'

const name = process.argv[2] ?? 'lenet-cnn'
if (!isPresetName(name)) throw new Error(`unknown preset ${name}`)
const backend = await initBackend()
const preset = getPreset(name)
const dataset = await loadDataset('mnist')
const model = buildModel(tf, preset.spec, preset.config)
const rounds: number[] = []
const cpu: number[] = []
for (let round = 0; round < 3; round++) {
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  evaluateModel(tf, model, dataset.test, 10)
  const used = process.cpuUsage(cpuBefore)
  rounds.push((performance.now() - started) / 1000)
  cpu.push((used.user + used.system) / 1e6)
}
console.log(
  JSON.stringify({
    backend,
    preset: name,
    samples: dataset.test.count,
    kernels: process.env.SINAPSE_WASM_KERNELS === 'off' ? 'tfjs' : 'sinapse',
    seconds: rounds.map((s) => Number(s.toFixed(3))),
    cpuSeconds: cpu.map((s) => Number(s.toFixed(3))),
  }),
)

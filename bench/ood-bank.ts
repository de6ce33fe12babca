// How long a model's out-of-distribution judgement takes to prepare in the worker, and how long a
// prediction waits meanwhile (it should not: it answers with `oodPending`). Run on a model folder
// (a copy is used, so its stored threshold is untouched):
//   node --import tsx bench/ood-bank.ts <model folder> [--dataset mnist|fashion-mnist] [--json]
// Prints: the cold preparation (no stored threshold: bank + 5,000 held-out images), the warm one
// (threshold stored: the bank alone, as at each new session), and the predictions' latency while
// the cold one runs (each a single 28×28 image, asked back to back).
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createTrainingEngine, nodeWorkerOptions } from '../src/main/training/engine'
import { loadModel } from '../src/main/training/model-io'
import { OOD_FILE } from '../src/main/training/ood-file'
import { initBackend, tf } from '../src/main/training/backend'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dataset: { type: 'string', default: 'mnist' },
    json: { type: 'boolean', default: false },
  },
})
const source = positionals[0]
if (!source) throw new Error('usage: bench/ood-bank.ts <model folder>')
const dataset = values.dataset === 'fashion-mnist' ? 'fashion-mnist' : 'mnist'

const dir = join(mkdtempSync(join(tmpdir(), 'sinapse-ood-bank-')), 'model')
cpSync(source, dir, { recursive: true })
rmSync(join(dir, OOD_FILE), { force: true })
const sha256 = createHash('sha256')
  .update(readFileSync(join(dir, 'model.json')))
  .update(readFileSync(join(dir, 'weights.bin')))
  .digest('hex')
// Checks the folder loads with that hash before timing anything.
await initBackend()
;(await loadModel(tf, dir, sha256)).dispose()

const job = { modelDir: dir, sha256, dataset } as const
const input = new Float32Array(784)

async function prepare(measureLatency: boolean) {
  const engine = createTrainingEngine(nodeWorkerOptions())
  await engine.backend()
  const latencies: number[] = []
  let steps = 0
  let total = 0
  const start = performance.now()
  let done = false
  const prepared = engine
    .prepareOod(job, (p) => {
      steps++
      total = p.total
    })
    .finally(() => (done = true))
  while (measureLatency && !done) {
    const t0 = performance.now()
    const answer = await engine.predictJudged({ ...job, inputs: [input], wait: false })
    if (!answer.oodPending) break
    latencies.push(performance.now() - t0)
  }
  await prepared
  const seconds = (performance.now() - start) / 1000
  await engine.close()
  return { seconds, total, progressReports: steps, latencies }
}

const quantileOf = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN
}

const cold = await prepare(true)
const warm = await prepare(false)
const result = {
  model: source,
  dataset,
  loadBefore: loadavg()[0],
  cold: { seconds: cold.seconds, steps: cold.total, progressReports: cold.progressReports },
  warm: { seconds: warm.seconds, steps: warm.total, progressReports: warm.progressReports },
  predictionsDuringCold: {
    count: cold.latencies.length,
    medianMs: quantileOf(cold.latencies, 0.5),
    p95Ms: quantileOf(cold.latencies, 0.95),
    maxMs: Math.max(...cold.latencies),
  },
}
rmSync(join(dir, '..'), { recursive: true, force: true })
if (values.json) console.log(JSON.stringify(result))
else {
  console.log(`model ${source} (${dataset}), load ${result.loadBefore.toFixed(1)}`)
  console.log(
    `cold (no threshold stored): ${cold.seconds.toFixed(1)} s, ${cold.total} steps, ${cold.progressReports} progress reports`,
  )
  console.log(
    `warm (threshold stored, bank only): ${warm.seconds.toFixed(1)} s, ${warm.total} steps`,
  )
  const p = result.predictionsDuringCold
  console.log(
    `predictions during the cold preparation: ${p.count}, median ${p.medianMs.toFixed(0)} ms, p95 ${p.p95Ms.toFixed(0)} ms, max ${p.maxMs.toFixed(0)} ms`,
  )
}

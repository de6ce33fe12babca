// How good the builder's time estimate is: `node --import tsx bench/estimate-accuracy.ts` (options:
// --models tutorial-mlp,lenet-cnn,small-cnn --limit N --rounds N --json). Per model and round, in a
// fresh worker as the app starts one: the estimate the builder shows (engine.estimate), then a
// real one-epoch training through the same worker, and the first epoch's duration as the run
// records it. Also what the ETA says a few seconds into the run (from the run's own batches).
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createTrainingEngine, nodeWorkerOptions } from '../src/main/training/engine'
import type { ModelSpec, TrainConfig } from '../src/shared/model-spec'
import { getPreset } from '../src/shared/presets'
import type { EpochMetrics, TrainingProgress } from '../src/shared/runs'
import { estimateRemaining } from '../src/shared/eta'

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'tutorial-mlp,lenet-cnn,small-cnn' },
    limit: { type: 'string', default: '' },
    rounds: { type: 'string', default: '1' },
    json: { type: 'boolean' },
  },
})

/** A CNN a student might build: one small convolution, pooling and the classifier. */
const smallCnn: ModelSpec = {
  inputShape: [28, 28, 1],
  layers: [
    {
      type: 'conv2d',
      filters: 8,
      kernelSize: 3,
      strides: 1,
      padding: 'valid',
      activation: 'relu',
      useBias: true,
    },
    { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax', useBias: true },
  ],
}

function model(name: string): { spec: ModelSpec; config: TrainConfig } {
  if (name === 'tutorial-mlp' || name === 'lenet-cnn') return getPreset(name)
  if (name === 'small-cnn') return { spec: smallCnn, config: getPreset('tutorial-mlp').config }
  throw new Error(`unknown model ${name}`)
}

/** Seconds into the first epoch at which the live ETA is read. */
const ETA_AT_SEC = [3, 6]

interface Row {
  model: string
  round: number
  load: number
  estimateSec: number
  estimateMsPerBatch: number
  settled: boolean
  /**
   * The live ETA for one epoch, read `ETA_AT_SEC` seconds into it (time so far + time left); null
   * while it still rests on the estimate alone.
   */
  liveSec: (number | null)[]
  firstEpochSec: number
  ratio: number
}

async function measure(name: string, round: number): Promise<Row> {
  const { spec, config: base } = model(name)
  const limit = Number(values.limit) || null
  const config: TrainConfig = { ...base, epochs: 1, limit, earlyStopping: null }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sinapse-estimate-bench-'))
  const engine = createTrainingEngine(nodeWorkerOptions())
  try {
    const load = os.loadavg()[0]
    const estimate = await engine.estimate({ spec, config, dataset: 'mnist' })
    const points: TrainingProgress[] = []
    const liveSec: (number | null)[] = ETA_AT_SEC.map(() => null)
    const history: EpochMetrics[] = []
    const handle = engine.train(
      { runId: 1, spec, config, dataset: 'mnist', modelDir: path.join(dir, 'model') },
      {
        onProgress: (p) => {
          points.push(p)
          const at = p.elapsedMs / 1000
          ETA_AT_SEC.forEach((sec, i) => {
            if (liveSec[i] !== null || at < sec) return
            // What the training page shows then, given the builder's estimate.
            const eta = estimateRemaining({ progress: p, points, history, prior: estimate })
            liveSec[i] = eta === null || eta.rough ? null : round2(at + eta.remainingMs / 1000)
          })
        },
        onEpoch: (m) => history.push(m),
      },
    )
    await handle.done
    const firstEpochSec = history[0].durationMs / 1000
    return {
      model: name,
      round,
      load: round2(load),
      estimateSec: estimate.secPerEpoch,
      estimateMsPerBatch: estimate.msPerBatch,
      settled: estimate.settled,
      liveSec,
      firstEpochSec,
      ratio: round2(estimate.secPerEpoch / firstEpochSec),
    }
  } finally {
    await engine.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100

const rows: Row[] = []
for (let round = 1; round <= Math.max(1, Number(values.rounds) || 1); round++) {
  for (const name of values.models.split(',')) {
    const row = await measure(name.trim(), round)
    rows.push(row)
    if (!values.json) {
      console.log(
        `${row.model} (round ${row.round}, load ${row.load}): estimate ${row.estimateSec} s ` +
          `(${row.estimateMsPerBatch} ms/batch${row.settled ? '' : ', unsettled'}) · live ETA at ${ETA_AT_SEC.join('/')} s: ` +
          `${row.liveSec.map((s) => (s === null ? '—' : `${s} s`)).join(' / ')} · ` +
          `first epoch ${row.firstEpochSec} s · estimate/real ${row.ratio}`,
      )
    }
  }
}
if (values.json) console.log(JSON.stringify(rows))

// App-level figures through the real services, in a temporary data folder:
// `node --import tsx bench/app-figures.ts [--full]`. Prints one JSON line.
//  - listing 1,000 runs × 30 epochs through the runs service (file database, WAL);
//  - predicting one image file end to end (read, decode, preprocess, model in the worker);
//  - with --full, the tutorial's whole recipe (30 epochs, 48,000 + 12,000 samples) through the
//    real worker: seconds per epoch, test accuracy and the process's peak RSS (the worker is a
//    thread of this process, so its memory counts).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createServices } from '../src/main/services'
import { nodeWorkerOptions } from '../src/main/training/engine'
import { getPreset } from '../src/shared/presets'
import { seedRuns } from './seed-runs'

const { values } = parseArgs({ options: { full: { type: 'boolean' } } })
const DIGIT = fileURLToPath(new URL('../tests/fixtures/digits/3-very-small.jpg', import.meta.url))
const root = mkdtempSync(path.join(tmpdir(), 'sinapse-bench-'))

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

try {
  seedRuns(path.join(root, 'sinapse.db'), 1000, 30)
  const services = await createServices({
    dataDir: root,
    locale: 'en',
    emit: () => {},
    ...nodeWorkerOptions(),
  })
  try {
    const listMs: number[] = []
    let listed = 0
    for (let i = 0; i < 10; i++) {
      const started = performance.now()
      listed = services.runs.list().length
      listMs.push(performance.now() - started)
    }

    // A small model to predict with; the figure is about the path, not the model.
    const { spec, config } = getPreset('tutorial-mlp')
    const small = await services.training.start({
      spec,
      config: { ...config, epochs: 1, limit: 2000 },
      dataset: 'mnist',
    })
    await small.done
    const predictMs: number[] = []
    for (let i = 0; i < 11; i++) {
      const started = performance.now()
      const [result] = await services.runs.predictFiles(small.runId, [DIGIT])
      predictMs.push(performance.now() - started)
      if ('error' in result) throw new Error(result.error.message)
    }

    let full = null
    if (values.full) {
      const run = await services.training.start({ spec, config, dataset: 'mnist' })
      const detail = await run.done
      const epochMs = detail.history.map((m) => m.durationMs)
      full = {
        epochs: detail.history.length,
        backend: detail.backend,
        secPerEpoch: Number(
          (epochMs.reduce((a, b) => a + b, 0) / epochMs.length / 1000).toFixed(2),
        ),
        fastestEpochSec: Number((Math.min(...epochMs) / 1000).toFixed(2)),
        slowestEpochSec: Number((Math.max(...epochMs) / 1000).toFixed(2)),
        finalValAccuracy: detail.history.at(-1)?.valAccuracy ?? null,
        testAccuracy: detail.evaluation?.accuracy ?? null,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      }
    }

    console.log(
      JSON.stringify({
        listRuns: { runs: listed, epochsPerRun: 30, medianMs: Number(median(listMs).toFixed(1)) },
        predictOneImage: {
          firstMs: Math.round(predictMs[0]),
          medianMs: Number(median(predictMs.slice(1)).toFixed(1)),
        },
        fullTutorialRun: full,
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    )
  } finally {
    await services.close()
  }
} finally {
  rmSync(root, { recursive: true, force: true })
}

// What a background out-of-distribution bank costs a training running in the same worker. Trains
// the tutorial MLP alone, then again while a cold bank (no stored threshold) of another model is
// asked for as the training starts, and prints each epoch's time and when the bank finished.
//   node --import tsx bench/ood-during-training.ts [--limit 12000] [--epochs 2] [--json]
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createTrainingEngine, nodeWorkerOptions } from '../src/main/training/engine'
import { OOD_FILE } from '../src/main/training/ood-file'
import { getPreset } from '../src/shared/presets'

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '12000' },
    epochs: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
})
const root = mkdtempSync(join(tmpdir(), 'sinapse-ood-during-'))
const { spec, config } = getPreset('tutorial-mlp')
const trainConfig = {
  ...config,
  epochs: Number(values.epochs),
  limit: Number(values.limit),
  validationSplit: 0.1,
  seed: 1,
}
const engine = createTrainingEngine(nodeWorkerOptions())

/** One training; `during` is called once it has started. Returns each epoch's seconds. */
async function train(runId: number, during?: () => void): Promise<number[]> {
  const epochs: number[] = []
  let last = 0
  const handle = engine.train(
    { runId, spec, config: trainConfig, dataset: 'mnist', modelDir: join(root, `run-${runId}`) },
    {
      onStart: () => {
        last = performance.now()
        during?.()
      },
      onProgress: () => {},
      onEpoch: () => {
        const now = performance.now()
        epochs.push((now - last) / 1000)
        last = now
      },
    },
  )
  const outcome = await handle.done
  if (outcome.status !== 'completed' || !outcome.model) throw new Error('training failed')
  return epochs
}

try {
  // The model whose bank is prepared, and a warm-up of the worker and dataset.
  const first = engine.train(
    { runId: 1, spec, config: trainConfig, dataset: 'mnist', modelDir: join(root, 'bank-model') },
    { onProgress: () => {}, onEpoch: () => {} },
  )
  const bankModel = (await first.done).model!
  rmSync(join(root, 'bank-model', OOD_FILE), { force: true })
  const alone = await train(2)
  let bank: Promise<unknown> | null = null
  let bankDoneAt = 0
  const started = performance.now()
  let trainingEndedAt = 0
  const withBank = await train(3, () => {
    bank = engine
      .prepareOod({
        modelDir: join(root, 'bank-model'),
        sha256: bankModel.sha256,
        dataset: 'mnist',
      })
      .then(() => (bankDoneAt = performance.now()))
  })
  trainingEndedAt = performance.now()
  await bank
  const result = {
    load: loadavg()[0],
    limit: trainConfig.limit,
    epochsAlone: alone,
    epochsWithBank: withBank,
    bankFinishedAfterTrainingS: (bankDoneAt - trainingEndedAt) / 1000,
    bankTotalS: (bankDoneAt - started) / 1000,
  }
  const f = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ')
  if (values.json) console.log(JSON.stringify(result))
  else {
    console.log(`load ${result.load.toFixed(1)}, ${trainConfig.limit} images, tutorial MLP`)
    console.log(`epochs alone:              ${f(alone)} s`)
    console.log(`epochs with a bank asked:  ${f(withBank)} s`)
    console.log(
      `bank finished ${result.bankFinishedAfterTrainingS.toFixed(1)} s after the training (${result.bankTotalS.toFixed(1)} s after it was asked)`,
    )
  }
} finally {
  await engine.close()
  rmSync(root, { recursive: true, force: true })
}

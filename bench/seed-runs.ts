import { openDatabase } from '../src/main/store/db'
import { createRunsRepo } from '../src/main/store/runs-repo'
import { getPreset } from '../src/shared/presets'

/** Fills the database with `runs` completed runs of `epochs` epochs and a test evaluation. */
export function seedRuns(file: string, runs: number, epochs: number): void {
  const db = openDatabase(file)
  const repo = createRunsRepo(db, { now: () => new Date() })
  const { spec, config } = getPreset('tutorial-mlp')
  const confusionMatrix = Array.from({ length: 10 }, (_, i) =>
    Array.from({ length: 10 }, (_, j) => (i === j ? 980 : 2)),
  )
  db.transaction(() => {
    for (let r = 0; r < runs; r++) {
      const run = repo.create({
        name: `run ${r}`,
        kind: 'trained',
        status: 'running',
        dataset: 'mnist',
        spec,
        config,
        seed: r,
        paramCount: 101_770,
        ownerPid: process.pid,
        ownerToken: 'bench',
      })
      for (let e = 1; e <= epochs; e++) {
        const accuracy = 1 - 0.1 / e
        repo.addEpoch(run.id, {
          epoch: e,
          loss: 0.3 / e,
          accuracy,
          valLoss: 0.35 / e,
          valAccuracy: accuracy - 0.01,
          durationMs: 4000,
        })
      }
      repo.saveEvaluation(run.id, {
        loss: 0.08,
        accuracy: 0.977,
        confusionMatrix,
        perClass: confusionMatrix.map(() => ({ precision: 0.98, recall: 0.98 })),
        sampleCount: 10_000,
      })
      repo.finish(run.id, 'completed', null)
    }
  })()
  db.close()
}

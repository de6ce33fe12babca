import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { prepareDataDir } from '../../../src/main/paths'
import { createBoardService } from '../../../src/main/services/board-service'
import { createBoardRepo } from '../../../src/main/store/board-repo'
import { openDatabase } from '../../../src/main/store/db'
import { createRunsRepo } from '../../../src/main/store/runs-repo'
import { createTrainingEngine, nodeWorkerOptions } from '../../../src/main/training/engine'
import { draftLesson, lessonMetricsOfRun } from '../../../src/shared/lesson'
import type { EpochMetrics } from '../../../src/shared/runs'
import { tutorialConfig, tutorialSpec } from '../store/fixtures'

const LESSON_ID = '0c7d4a52-6a0e-4b8f-9d0e-3f2a1b4c5d6e'
// Never started: a run without a model is not sent to the worker.
const engine = createTrainingEngine(nodeWorkerOptions())
afterAll(() => engine.close())

const epoch = (n: number, valAccuracy: number, valLoss: number): EpochMetrics => ({
  epoch: n,
  loss: 0.5,
  accuracy: 0.9,
  valLoss,
  valAccuracy,
  durationMs: 10,
})

describe('the board and the student panel judge validation goals alike', () => {
  it("uses the last epoch's validation (the model handed in), not the best epoch's", async () => {
    const paths = prepareDataDir(mkdtempSync(join(tmpdir(), 'sinapse-board-goal-')))
    const db = openDatabase(paths.database)
    const repo = createRunsRepo(db, { now: () => new Date() })
    const board = createBoardService({
      repo,
      boardRepo: createBoardRepo(db, { now: () => new Date() }),
      engine,
      paths,
      locale: 'en',
    })
    // Validation peaked in epoch 1 and fell in epoch 2: the saved model is epoch 2's.
    const history = [epoch(1, 0.95, 0.2), epoch(2, 0.8, 0.6)]
    const { run } = repo.importRun({
      uid: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
      name: 'Dani',
      kind: 'trained',
      status: 'completed',
      dataset: 'mnist',
      spec: tutorialSpec,
      config: tutorialConfig,
      seed: tutorialConfig.seed,
      paramCount: 101_770,
      backend: 'wasm',
      error: null,
      createdAt: '2026-01-01T10:00:00.000Z',
      startedAt: '2026-01-01T10:00:01.000Z',
      finishedAt: '2026-01-01T10:01:00.000Z',
      notes: null,
      tags: [],
      student: 'Dani',
      lessonId: LESSON_ID,
      history,
      evaluation: null,
      model: null,
    })
    const base = {
      ...draftLesson(LESSON_ID, null, tutorialConfig),
      title: { 'pt-BR': 'Aula', en: 'Lesson' },
    }
    // The teacher changed the goal: the changed lesson is its next version (the board refuses
    // other content under a version it already holds).
    for (const [edit, goal] of [
      { metric: 'valAccuracy' as const, threshold: 0.9, value: 0.8 },
      { metric: 'valLoss' as const, threshold: 0.3, value: 0.6 },
    ].entries()) {
      const lesson = {
        ...base,
        version: base.version + edit,
        goal: { metric: goal.metric, threshold: goal.threshold },
      }
      const entry = (await board.board({ lesson })).entries[0]
      const check = entry.checks.find((c) => c.kind === 'goal')!
      expect(check.params.value, goal.metric).toBe(goal.value)
      expect(entry.goalMet, goal.metric).toBe(false)
      // The same number the student's panel reads from the same run.
      expect(lessonMetricsOfRun(repo.get(run.id)!)[goal.metric]).toBe(goal.value)
    }
    db.close()
  })
})

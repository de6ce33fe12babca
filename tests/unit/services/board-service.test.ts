import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareDataDir } from '../../../src/main/paths'
import { createBoardService } from '../../../src/main/services/board-service'
import { createBundleService } from '../../../src/main/services/bundle-service'
import { createRunsService } from '../../../src/main/services/runs-service'
import { createTrainingService } from '../../../src/main/services/training-service'
import { createBoardRepo } from '../../../src/main/store/board-repo'
import { openDatabase } from '../../../src/main/store/db'
import { createRunsRepo } from '../../../src/main/store/runs-repo'
import { loadDataset } from '../../../src/main/training/datasets/load'
import {
  createTrainingEngine,
  nodeWorkerOptions,
  type TrainingEngine,
} from '../../../src/main/training/engine'
import { privateTestMask, rankBoard, tallySplit, type ClassBoard } from '../../../src/shared/board'
import { parseCsv } from '../../../src/shared/csv'
import { claimPerfect } from '../bundles/bundle-fixtures'
import { cli, tempDataDir } from '../cli/cli-helpers'
import { draftLesson, type Lesson } from '../../../src/shared/lesson'
import { getPreset } from '../../../src/shared/presets'

const LESSON_ID = '5f0c2a4e-8d1b-4c3a-9e7f-0a1b2c3d4e5f'
let engine: TrainingEngine
const closers: (() => void)[] = []
const boardProgress: unknown[] = []

function folder() {
  const paths = prepareDataDir(mkdtempSync(join(tmpdir(), 'sinapse-board-')))
  const db = openDatabase(paths.database)
  closers.push(() => db.close())
  const repo = createRunsRepo(db, { now: () => new Date() })
  const deps = { repo, paths, emit: () => {}, locale: 'en' as const }
  return {
    repo,
    paths,
    bundles: createBundleService({ ...deps, version: 't' }),
    runs: createRunsService({ ...deps, engine, isTraining: () => false }),
    training: createTrainingService({
      ...deps,
      engine,
      owner: { pid: process.pid, token: 't', startId: null },
      checkOwner: () => null,
      fallbackDir: join(paths.root, 'fallback'),
    }),
    board: createBoardService({
      repo,
      boardRepo: createBoardRepo(db, { now: () => new Date() }),
      engine,
      paths,
      locale: 'en',
      emit: (event, payload) => boardProgress.push({ event, ...payload }),
    }),
  }
}

const preset = getPreset('tutorial-mlp')
const lesson: Lesson = {
  ...draftLesson(LESSON_ID, preset.spec, { ...preset.config, epochs: 1, limit: 1200 }),
  title: { 'pt-BR': 'Aula 1: a MLP', en: 'Lesson 1: the MLP' },
  controls: { ...draftLesson(LESSON_ID, null, preset.config).controls, learningRate: 'locked' },
  goal: { metric: 'testAccuracy', threshold: 0.5 },
  constraints: { maxParams: 200_000, maxEpochs: 2, maxLayers: null, allowedLayers: null },
}

/** A student trains on their own machine and hands the run in. */
async function handIn(student: string, learningRate: number): Promise<Uint8Array> {
  const machine = folder()
  const { done } = await machine.training.start({
    name: `MLP ${student}`,
    spec: preset.spec,
    config: { ...lesson.config, learningRate },
    dataset: 'mnist',
  })
  const run = await done
  await machine.runs.evaluate(run.id)
  const file = await machine.bundles.exportHandIn({
    id: run.id,
    student,
    lessonId: LESSON_ID,
    lessonVersion: 1,
  })
  return file.bytes
}

let teacher: ReturnType<typeof folder>
let claimedAccuracy = 0

beforeAll(async () => {
  engine = createTrainingEngine(nodeWorkerOptions())
  const ana = await handIn('Ana', lesson.config.learningRate)
  const bia = await handIn('Bia', lesson.config.learningRate)
  const caio = await handIn('Caio', 0.05)
  teacher = folder()
  const outcomes = await teacher.bundles.importFiles([
    { name: 'ana.sinapse', bytes: ana },
    { name: 'bia.sinapse', bytes: claimPerfect(bia) },
    { name: 'caio.sinapse', bytes: caio },
  ])
  expect(outcomes.every((o) => 'runId' in o && !('duplicate' in o))).toBe(true)
  claimedAccuracy = teacher.repo.list().find((r) => r.student === 'Bia')?.testAccuracy ?? 0
}, 600_000)

afterAll(async () => {
  for (const close of closers) close()
  await engine.close()
})

describe('the class board', () => {
  it('re-scores every model here: a false claim gets its real score and is flagged', async () => {
    expect(claimedAccuracy).toBe(0.999)
    boardProgress.length = 0
    const board = await teacher.board.board({ lesson })
    // Progress after each hand-in judged, so the view can show a bar and the time left.
    expect(boardProgress).toEqual(
      [0, 1, 2, 3].map((done) => ({
        event: 'board:progress',
        lessonId: LESSON_ID,
        done,
        total: 3,
      })),
    )
    expect(board.publicCount + board.privateCount).toBe(10_000)
    expect(board.privateCount).toBe(5000)
    const bia = board.entries.find((e) => e.student === 'Bia')!
    expect(bia.claimed.accuracy).toBe(0.999)
    expect(bia.test!.accuracy).toBeLessThan(0.99)
    expect(bia.claimMismatch).toBe(true)
    // The real score: the worker's own evaluation of the same model on the whole test set.
    const real = await teacher.runs.evaluate(bia.runId)
    expect(bia.test!.accuracy).toBeCloseTo(real.accuracy, 6)
    const ana = board.entries.find((e) => e.student === 'Ana')!
    expect(ana.claimMismatch).toBe(false)
  }, 300_000)

  it('flags the run that changed a locked setting and ranks only the rule-keepers', async () => {
    const board = await teacher.board.board({ lessonId: LESSON_ID })
    const caio = board.entries.find((e) => e.student === 'Caio')!
    expect(caio.keptRules).toBe(false)
    expect(caio.rank).toBeNull()
    const broken = caio.checks.filter((c) => c.pass === false).map((c) => c.id)
    expect(broken).toEqual(['learningRate'])
    const ranked = board.entries.filter((e) => e.rank !== null)
    expect(ranked.map((e) => e.student).sort()).toEqual(['Ana', 'Bia'])
    expect(ranked.map((e) => e.rank)).toEqual([1, 2])
    expect(ranked[0].private!.accuracy!).toBeGreaterThanOrEqual(ranked[1].private!.accuracy!)
    expect(board.entries.at(-1)?.student).toBe('Caio')
  }, 300_000)

  it('prints the ranking with sinapse lesson board --json, and names an unknown lesson', async () => {
    const result = await cli(teacher.paths.root, 'lesson', 'board', LESSON_ID, '--json')
    expect(result.code, result.stderr).toBe(0)
    const board = JSON.parse(result.stdout) as ClassBoard
    expect(board.entries.map((e) => [e.student, e.rank])).toEqual([
      ...board.entries.filter((e) => e.rank !== null).map((e) => [e.student, e.rank]),
      ['Caio', null],
    ])
    const csv = await cli(teacher.paths.root, 'lesson', 'board', LESSON_ID, '--csv')
    expect(csv.code, csv.stderr).toBe(0)
    const rows = parseCsv(csv.stdout)
    expect(rows[0].slice(0, 3)).toEqual(['rank', 'student', 'run'])
    expect(rows.slice(1).map((r) => [r[1], r[0]])).toEqual(
      board.entries.map((e) => [e.student ?? '', e.rank === null ? '' : String(e.rank)]),
    )
    expect(rows.at(-1)?.[11]).toBe('learningRate')
    const text = await cli(teacher.paths.root, 'lesson', 'board', LESSON_ID, '--lang', 'pt-BR')
    expect(text.stdout).toContain('Aula 1: a MLP')
    expect(text.stdout).toContain('5000 privadas')
    const unknown = await cli(tempDataDir(), 'lesson', 'board', LESSON_ID)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain(`No lesson with the id ${LESSON_ID}`)
  }, 300_000)

  it('splits the test set the same way everywhere and tallies both halves', async () => {
    const a = privateTestMask(lesson, 10_000)
    expect(privateTestMask(lesson, 10_000)).toEqual(a)
    expect(privateTestMask({ ...lesson, seed: lesson.seed + 1 }, 10_000)).not.toEqual(a)
    const { test } = await loadDataset('mnist')
    const labels = test.labels.subarray(0, 10)
    const mask = new Uint8Array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    const predicted = Uint8Array.from(labels, (l, i) => (i % 2 === 0 ? l : (l + 1) % 10))
    const probability = Float32Array.from(labels, () => Math.exp(-1))
    const scores = tallySplit(predicted, probability, labels, mask)
    expect(scores.public).toEqual({ correct: 3, count: 5, lossSum: expect.closeTo(5, 5) })
    expect(scores.private).toEqual({ correct: 2, count: 5, lossSum: expect.closeTo(5, 5) })
  })

  it('ranks losses low first and puts the unscored after the scored', () => {
    const entry = (runId: number, loss: number | null) =>
      ({
        runId,
        paramCount: 10,
        keptRules: true,
        private: loss === null ? null : { accuracy: 0.9, loss },
      }) as unknown as Parameters<typeof rankBoard>[0][number]
    const ranked = rankBoard([entry(1, 0.3), entry(2, null), entry(3, 0.1)], {
      metric: 'testLoss',
      threshold: 0.5,
    })
    expect(ranked.map((e) => [e.runId, e.rank])).toEqual([
      [3, 1],
      [1, 2],
      [2, null],
    ])
  })
})

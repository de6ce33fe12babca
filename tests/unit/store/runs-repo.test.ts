import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { isMessageKey, translate } from '../../../src/shared/i18n'
import type { EpochMetrics, Evaluation } from '../../../src/shared/runs'
import { openDatabase, type Database } from '../../../src/main/store/db'
import { isProcessAlive, type RunOwner } from '../../../src/main/store/process-liveness'
import {
  createRunsRepo,
  INTERRUPTED_ERROR,
  ORPHAN_ERRORS,
  type RunsRepo,
} from '../../../src/main/store/runs-repo'
import { createStepClock, runInput, tutorialConfig, tutorialSpec } from './fixtures'

// No training and no big files here: each test takes well under a second idle and a few seconds
// on a loaded 2-core machine, so a hang fails after 60 s instead of the suite's 300 s guard.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

let db: Database
let repo: RunsRepo

beforeEach(() => {
  db = openDatabase(':memory:')
  repo = createRunsRepo(db, { now: createStepClock('2025-03-01T12:00:00.000Z') })
})

afterEach(() => db.close())

const epoch = (n: number, valAccuracy: number | null = 0.9 + n / 1000): EpochMetrics => ({
  epoch: n,
  loss: 0.5 / n,
  accuracy: 0.8 + n / 1000,
  valLoss: valAccuracy === null ? null : 0.6 / n,
  valAccuracy,
  durationMs: 1234.5 + n,
})

const evaluation: Omit<Evaluation, 'createdAt'> = {
  loss: 0.0812,
  accuracy: 0.9771,
  confusionMatrix: [
    [970, 10],
    [3, 1132],
  ],
  perClass: [
    { precision: 0.9969, recall: 0.9898 },
    { precision: Number.NaN, recall: 0 },
  ],
  sampleCount: 2115,
}

function notFound(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return `${err.code}:${err.key}`
    throw err
  }
  return 'no error'
}

describe('runs repo', () => {
  it('round-trips a run with its history, evaluation and model', () => {
    const created = repo.create(runInput({ uid: '7d5e2b7c-0000-4000-8000-000000000001' }))
    expect(created).toMatchObject({
      uid: '7d5e2b7c-0000-4000-8000-000000000001',
      status: 'queued',
      epochs: 0,
      bestValAccuracy: null,
      testAccuracy: null,
      createdAt: '2025-03-01T12:00:00.000Z',
      startedAt: null,
      tags: [],
      pinned: false,
    })

    repo.markRunning(created.id, { backend: 'tensorflow' })
    repo.addEpoch(created.id, epoch(2))
    repo.addEpoch(created.id, epoch(1))
    repo.addEpoch(created.id, { ...epoch(3), loss: Number.NaN })
    const savedEval = repo.saveEvaluation(created.id, evaluation)
    repo.saveModel(created.id, {
      path: 'models/7d5e2b7c',
      sha256: 'ab'.repeat(32),
      sizeBytes: 409_688,
      createdAt: '2025-03-01T12:30:00.000Z',
    })
    repo.finish(created.id, 'completed', null)

    const detail = repo.get(created.id)
    expect(detail).toEqual({
      id: created.id,
      uid: '7d5e2b7c-0000-4000-8000-000000000001',
      name: 'MLP tutorial',
      kind: 'trained',
      status: 'completed',
      dataset: 'mnist',
      backend: 'tensorflow',
      seed: 42,
      paramCount: 101_770,
      epochs: 3,
      bestValAccuracy: epoch(3).valAccuracy,
      testAccuracy: 0.9771,
      createdAt: '2025-03-01T12:00:00.000Z',
      startedAt: '2025-03-01T12:00:01.000Z',
      finishedAt: '2025-03-01T12:00:06.000Z',
      error: null,
      notes: null,
      tags: [],
      pinned: false,
      student: null,
      lessonId: null,
      spec: tutorialSpec,
      config: tutorialConfig,
      inputScale: '1',
      weightsEpoch: null,
      history: [epoch(1), epoch(2), { ...epoch(3), loss: Number.NaN }],
      evaluation: { ...evaluation, createdAt: '2025-03-01T12:00:05.000Z' },
      model: {
        path: 'models/7d5e2b7c',
        sha256: 'ab'.repeat(32),
        sizeBytes: 409_688,
        createdAt: '2025-03-01T12:30:00.000Z',
      },
    })
    expect(savedEval.createdAt).toBe('2025-03-01T12:00:05.000Z')
    expect(repo.getByUid('7d5e2b7c-0000-4000-8000-000000000001')).toEqual(detail)
    expect(repo.getByUid('missing')).toBeNull()
    expect(repo.get(999)).toBeNull()
  })

  it('gives each run a fresh UUID and refuses a duplicate epoch', () => {
    const a = repo.create(runInput())
    const b = repo.create(runInput())
    expect(a.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a.uid).not.toBe(b.uid)
    repo.addEpoch(a.id, epoch(1))
    expect(() => repo.addEpoch(a.id, epoch(1))).toThrow(/UNIQUE|PRIMARY KEY/)
    expect(repo.get(a.id)?.history).toHaveLength(1)
  })

  it('starts a run created as running immediately', () => {
    const run = repo.create(runInput({ status: 'running' }))
    expect(run.startedAt).toBe(run.createdAt)
    expect(run.status).toBe('running')
  })

  it('replaces the evaluation on re-evaluate', () => {
    const run = repo.create(runInput())
    repo.saveEvaluation(run.id, evaluation)
    repo.saveEvaluation(run.id, { ...evaluation, accuracy: 0.5, sampleCount: 10 })
    expect(db.prepare('SELECT count(*) FROM evaluations').pluck().get()).toBe(1)
    expect(repo.get(run.id)?.evaluation).toMatchObject({ accuracy: 0.5, sampleCount: 10 })
    expect(repo.list()[0].testAccuracy).toBe(0.5)
  })

  it('lists newest first with epoch count, best validation accuracy and test accuracy', () => {
    const old = repo.create(runInput({ name: 'old' }))
    const mid = repo.create(runInput({ name: 'mid' }))
    const fresh = repo.create(runInput({ name: 'new' }))
    repo.addEpoch(old.id, epoch(1, 0.91))
    repo.addEpoch(old.id, epoch(2, 0.95))
    repo.addEpoch(old.id, epoch(3, 0.93))
    repo.saveEvaluation(old.id, evaluation)
    repo.addEpoch(mid.id, epoch(1, null))

    const list = repo.list()
    expect(list.map((r) => r.name)).toEqual(['new', 'mid', 'old'])
    expect(list.map((r) => [r.id, r.epochs, r.bestValAccuracy, r.testAccuracy])).toEqual([
      [fresh.id, 0, null, null],
      [mid.id, 1, null, null],
      [old.id, 3, 0.95, 0.9771],
    ])
  })

  it('renames and annotates runs, and reports unknown ids', () => {
    const run = repo.create(runInput())
    repo.rename(run.id, 'Rede do João')
    repo.setNotes(run.id, 'lr alto demais')
    repo.setTags(run.id, ['mlp', 'adam'])
    repo.setPinned(run.id, true)
    expect(repo.list()[0]).toMatchObject({
      name: 'Rede do João',
      notes: 'lr alto demais',
      tags: ['mlp', 'adam'],
      pinned: true,
    })
    repo.setNotes(run.id, null)
    repo.setPinned(run.id, false)
    expect(repo.get(run.id)).toMatchObject({ notes: null, pinned: false })

    expect(notFound(() => repo.rename(404, 'x'))).toBe('NOT_FOUND:error.runNotFound')
    expect(notFound(() => repo.finish(404, 'failed', 'boom'))).toBe('NOT_FOUND:error.runNotFound')
    expect(notFound(() => repo.addEpoch(404, epoch(1)))).toBe('NOT_FOUND:error.runNotFound')
    expect(notFound(() => repo.saveEvaluation(404, evaluation))).toBe('NOT_FOUND:error.runNotFound')
    expect(notFound(() => repo.saveModel(404, { path: 'p', sha256: 's', sizeBytes: 1 }))).toBe(
      'NOT_FOUND:error.runNotFound',
    )
  })

  it('deletes a run with its epochs, evaluation and model', () => {
    const keep = repo.create(runInput())
    const gone = repo.create(runInput())
    for (const id of [keep.id, gone.id]) {
      repo.addEpoch(id, epoch(1))
      repo.saveEvaluation(id, evaluation)
      repo.saveModel(id, { path: `models/${id}`, sha256: 'cd'.repeat(32), sizeBytes: 10 })
    }
    expect(repo.delete(gone.id)).toBe(true)
    expect(repo.delete(gone.id)).toBe(false)
    const count = (table: string): unknown =>
      db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(gone.id)
    expect([count('epochs'), count('evaluations'), count('models')]).toEqual([0, 0, 0])
    expect(repo.get(keep.id)?.history).toHaveLength(1)
    expect(repo.get(keep.id)?.model?.path).toBe(`models/${keep.id}`)
  })

  it('records a failure with its message', () => {
    const run = repo.create(runInput({ status: 'running' }))
    repo.finish(run.id, 'failed', 'Out of memory')
    expect(repo.get(run.id)).toMatchObject({ status: 'failed', error: 'Out of memory' })
  })
})

describe('markOrphans', () => {
  it('interrupts only active runs whose owner is gone, keeping their epochs', () => {
    const alive = repo.create(runInput({ status: 'running', ownerPid: 100, ownerToken: 'a' }))
    const dead = repo.create(runInput({ status: 'running', ownerPid: 200, ownerToken: 'b' }))
    const queuedDead = repo.create(runInput({ ownerPid: 300, ownerToken: 'c' }))
    const ownerless = repo.create(runInput({ ownerPid: null, ownerToken: null }))
    const reused = repo.create(runInput({ status: 'running', ownerPid: 100, ownerToken: 'old' }))
    const done = repo.create(runInput({ status: 'running', ownerPid: 200, ownerToken: 'b' }))
    repo.finish(done.id, 'completed', null)
    repo.addEpoch(dead.id, epoch(1))
    repo.addEpoch(dead.id, epoch(2))

    const calls: string[] = []
    const marked = repo.markOrphans((owner) => {
      calls.push(`${owner.pid}/${owner.token}`)
      if (owner.pid === 100 && owner.token === 'a') return null
      return owner.token === 'old' ? 'pidReused' : owner.pid === 300 ? 'ownerSilent' : 'ownerGone'
    })

    expect(marked.sort((x, y) => x - y)).toEqual([dead.id, queuedDead.id, ownerless.id, reused.id])
    expect(calls).toEqual(['100/a', '200/b', '300/c', 'null/null', '100/old'])
    const byId = new Map(repo.list().map((r) => [r.id, r]))
    expect(byId.get(alive.id)?.status).toBe('running')
    expect(byId.get(done.id)?.status).toBe('completed')
    const orphan = repo.get(dead.id)
    expect(orphan).toMatchObject({
      status: 'interrupted',
      error: ORPHAN_ERRORS.ownerGone,
      epochs: 2,
    })
    expect(orphan?.finishedAt).toMatch(/^2025-03-01T12:00:\d\d\.000Z$/)
    expect(orphan?.history.map((e) => e.epoch)).toEqual([1, 2])
    expect(repo.get(queuedDead.id)?.error).toBe(ORPHAN_ERRORS.ownerSilent)
    expect(repo.get(reused.id)?.error).toBe(ORPHAN_ERRORS.pidReused)
    for (const key of [INTERRUPTED_ERROR, ...Object.values(ORPHAN_ERRORS)] as const) {
      expect(isMessageKey(key)).toBe(true)
      expect(translate('pt-BR', key)).toContain('interrompido')
    }

    expect(repo.markOrphans(() => 'ownerGone')).toEqual([alive.id])
    expect(repo.markOrphans(() => 'ownerGone')).toEqual([])
  })
})

describe('markOrphans race guard', () => {
  // The owner is judged between reading the active runs and writing `interrupted`: a run that
  // finished, or changed owner, in that moment must keep what it became.
  it('leaves a run alone that finished while its owner was being judged', () => {
    const run = repo.create(runInput({ status: 'running', ownerPid: 200, ownerToken: 'b' }))
    repo.addEpoch(run.id, epoch(1))
    const marked = repo.markOrphans(() => {
      repo.finish(run.id, 'completed', null)
      return 'ownerGone'
    })
    expect(marked).toEqual([])
    expect(repo.get(run.id)).toMatchObject({ status: 'completed', error: null, epochs: 1 })
  })

  it('leaves a run alone whose owner changed while the old one was being judged', () => {
    const run = repo.create(runInput({ status: 'running', ownerPid: 200, ownerToken: 'b' }))
    const marked = repo.markOrphans(() => {
      db.prepare("UPDATE runs SET owner_pid = 300, owner_token = 'c' WHERE id = ?").run(run.id)
      return 'ownerGone'
    })
    expect(marked).toEqual([])
    expect(repo.get(run.id)?.status).toBe('running')
  })
})

describe('createWhenIdle', () => {
  it('creates a run only when no live owner is training, clearing orphans first', () => {
    const live = repo.create(runInput({ status: 'running', ownerPid: 100, ownerToken: 'a' }))
    const check = (owner: RunOwner) => (owner.pid === 100 ? null : 'ownerGone')
    expect(repo.createWhenIdle(runInput({ ownerPid: 200, ownerToken: 'b' }), check)).toEqual({
      busyId: live.id,
    })
    expect(repo.list()).toHaveLength(1)

    // Once the owner is gone its run is interrupted and the new one goes in.
    const result = repo.createWhenIdle(
      runInput({ ownerPid: 200, ownerToken: 'b' }),
      () => 'ownerGone',
    )
    if (!('run' in result)) throw new Error('expected a new run')
    expect(result.run.status).toBe('queued')
    expect(repo.get(live.id)?.status).toBe('interrupted')
  })
})

describe('isProcessAlive', () => {
  it('sees this process and not a pid that cannot exist', () => {
    expect(isProcessAlive(process.pid)).toBe(true)
    expect(isProcessAlive(1)).toBe(true)
    expect(isProcessAlive(2 ** 22 + 1)).toBe(false)
    expect(isProcessAlive(0)).toBe(false)
    expect(isProcessAlive(-1)).toBe(false)
  })
})

describe('runs repo, the less travelled paths (mutation-tested)', () => {
  const imported = () => ({
    uid: '0b7a1c2d-0000-4000-8000-00000000abcd',
    name: 'From the lab',
    kind: 'trained' as const,
    status: 'interrupted' as const,
    dataset: 'fashion-mnist' as const,
    spec: tutorialSpec,
    config: tutorialConfig,
    seed: 7,
    paramCount: 101_770,
    backend: 'wasm' as const,
    error: 'store.runInterrupted',
    createdAt: '2024-12-01T10:00:00.000Z',
    startedAt: '2024-12-01T10:00:02.000Z',
    finishedAt: '2024-12-01T10:05:00.000Z',
    notes: 'lab 3',
    tags: ['lab', 'cnn'],
    history: [epoch(1), epoch(2)],
    evaluation: {
      ...evaluation,
      perClass: [
        { precision: Number.POSITIVE_INFINITY, recall: Number.NEGATIVE_INFINITY },
        { precision: Number.NaN, recall: 0.5 },
      ],
      createdAt: '2024-12-01T10:06:00.000Z',
    },
    model: {
      path: '/elsewhere/model',
      sha256: 'cd'.repeat(32),
      sizeBytes: 1234,
      createdAt: '2024-12-01T10:07:00.000Z',
    },
  })

  it('imports a whole run with its own timestamps, history, evaluation and model', () => {
    const input = imported()
    const { run, created } = repo.importRun(input)
    expect(created).toBe(true)
    expect(run).toEqual({
      id: run.id,
      uid: input.uid,
      name: 'From the lab',
      kind: 'trained',
      status: 'interrupted',
      dataset: 'fashion-mnist',
      backend: 'wasm',
      seed: 7,
      paramCount: 101_770,
      epochs: 2,
      bestValAccuracy: epoch(2).valAccuracy,
      testAccuracy: evaluation.accuracy,
      createdAt: input.createdAt,
      startedAt: input.startedAt,
      finishedAt: input.finishedAt,
      error: 'store.runInterrupted',
      notes: 'lab 3',
      tags: ['lab', 'cnn'],
      pinned: false,
      student: null,
      lessonId: null,
      spec: tutorialSpec,
      config: tutorialConfig,
      inputScale: '1',
      weightsEpoch: null,
      history: [epoch(1), epoch(2)],
      evaluation: input.evaluation,
      model: input.model,
    })
    expect(repo.get(run.id)).toEqual(run)
    expect(repo.modelPaths()).toEqual(['/elsewhere/model'])
  })

  it('imports the same uid once: the second time changes nothing and returns the first', () => {
    const first = repo.importRun(imported()).run
    const again = repo.importRun({ ...imported(), name: 'renamed', history: [], model: null })
    expect(again).toEqual({ run: first, created: false })
    expect(repo.list()).toHaveLength(1)
    expect(repo.get(first.id)?.history).toHaveLength(2)
  })

  it('imports a run without evaluation, model or history', () => {
    const { run } = repo.importRun({
      ...imported(),
      history: [],
      evaluation: null,
      model: null,
      backend: null,
      startedAt: null,
    })
    expect(run).toMatchObject({ epochs: 0, history: [], evaluation: null, model: null })
    expect(run.backend).toBeNull()
    expect(repo.modelPaths()).toEqual([])
  })

  it("beats only for the run's own owner while it is active", () => {
    const run = repo.create(runInput({ status: 'running', ownerToken: 'mine' }))
    expect(repo.heartbeat(run.id, 'mine')).toBe(true)
    expect(repo.heartbeat(run.id, 'theirs')).toBe(false)
    expect(repo.heartbeat(run.id, null)).toBe(false)
    const ownerless = repo.create(runInput({ status: 'running', ownerToken: null }))
    expect(repo.heartbeat(ownerless.id, null)).toBe(true)
    expect(repo.finish(run.id, 'stopped', null)).toBe(true)
    expect(repo.heartbeat(run.id, 'mine')).toBe(false)
    expect(repo.finish(run.id, 'completed', null)).toBe(false)
    expect(repo.get(run.id)?.status).toBe('stopped')
    const err = (() => {
      try {
        repo.heartbeat(999, 'mine')
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'NOT_FOUND', params: { id: 999 } })
  })

  it('replaces an error note, and names the missing run on every write to one', () => {
    const run = repo.create(runInput())
    repo.finish(run.id, 'failed', 'first')
    repo.setError(run.id, 'saved elsewhere')
    expect(repo.get(run.id)?.error).toBe('saved elsewhere')
    repo.setError(run.id, null)
    expect(repo.get(run.id)?.error).toBeNull()
    const writes: (() => unknown)[] = [
      () => repo.setError(404, 'x'),
      () => repo.rename(404, 'x'),
      () => repo.addEpoch(404, epoch(1)),
      () => repo.saveEvaluation(404, evaluation),
      () => repo.saveModel(404, { path: 'p', sha256: 'ab'.repeat(32), sizeBytes: 1 }),
      () => repo.finish(404, 'completed', null),
    ]
    for (const write of writes) {
      let caught: unknown
      try {
        write()
      } catch (e) {
        caught = e
      }
      expect(caught).toBeInstanceOf(AppError)
      expect(caught).toMatchObject({
        code: 'NOT_FOUND',
        key: 'error.runNotFound',
        params: { id: 404 },
      })
    }
  })

  it('lets a database error that is not a missing run through as it is', () => {
    const run = repo.create(runInput())
    repo.addEpoch(run.id, epoch(1))
    let caught: unknown
    try {
      repo.addEpoch(run.id, epoch(1))
    } catch (e) {
      caught = e
    }
    expect(caught).not.toBeInstanceOf(AppError)
    expect(caught).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })
  })

  it("hands the owner's start id to the orphan check, or null when none was given", () => {
    repo.create(runInput({ ownerStartId: 'boot-1:12345' }))
    repo.create(runInput())
    const seen: (string | null)[] = []
    repo.markOrphans((owner) => {
      seen.push(owner.startId)
      return null
    })
    expect(seen).toEqual(['boot-1:12345', null])
  })
})

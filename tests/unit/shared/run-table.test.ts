import { describe, expect, it } from 'vitest'
import { getPreset } from '../../../src/shared/presets'
import {
  compareBlocker,
  countByStatus,
  filterRuns,
  foldText,
  matchesQuery,
  runDurationMs,
  sortRuns,
  summarizeArchitecture,
  toggleSort,
  type RunRow,
} from '../../../src/shared/run-table'
import type { RunSummary } from '../../../src/shared/runs'

function run(id: number, patch: Partial<RunRow> = {}): RunRow {
  const base: RunSummary = {
    id,
    uid: `uid-${id}`,
    name: `run ${id}`,
    kind: 'trained',
    status: 'completed',
    dataset: 'mnist',
    backend: 'tensorflow',
    seed: 42,
    paramCount: 101_770,
    epochs: 2,
    bestValAccuracy: 0.9,
    testAccuracy: 0.9,
    createdAt: `2025-11-0${id}T10:00:00.000Z`,
    startedAt: `2025-11-0${id}T10:00:01.000Z`,
    finishedAt: `2025-11-0${id}T10:01:01.000Z`,
    error: null,
    notes: null,
    tags: [],
    pinned: false,
    student: null,
    lessonId: null,
  }
  return { ...base, architecture: null, durationMs: 60_000, ...patch }
}

describe('summarizeArchitecture', () => {
  it('names the tutorial MLP as the tutorial draws it', () => {
    expect(summarizeArchitecture(getPreset('tutorial-mlp').spec)).toBe(
      'Flatten → Dense 128 → Dense 10',
    )
  })

  it('shows kernel and pool sizes for the LeNet preset', () => {
    expect(summarizeArchitecture(getPreset('lenet-cnn').spec)).toBe(
      'Conv2D 6 5×5 → MaxPool 2×2 → Conv2D 16 5×5 → MaxPool 2×2 → Flatten → Dense 120 → Dense 84 → Dense 10',
    )
  })

  it('writes dropout rates with the given number format', () => {
    const spec = {
      inputShape: [28, 28, 1],
      layers: [
        { type: 'reshape' as const, targetShape: [784] },
        { type: 'dropout' as const, rate: 0.25 },
        { type: 'batchNormalization' as const, momentum: 0.99, epsilon: 0.001 },
      ],
    }
    const ptBR = (n: number) => n.toLocaleString('pt-BR')
    expect(summarizeArchitecture(spec, ptBR)).toBe('Reshape 784 → Dropout 0,25 → BatchNorm')
  })
})

describe('runDurationMs', () => {
  const now = Date.parse('2025-11-01T12:00:00.000Z')

  it('is finish minus start for a finished run', () => {
    expect(
      runDurationMs(
        {
          status: 'completed',
          startedAt: '2025-11-01T10:00:00.000Z',
          finishedAt: '2025-11-01T10:02:30.500Z',
        },
        now,
      ),
    ).toBe(150_500)
  })

  it('counts up to now while a run trains', () => {
    expect(
      runDurationMs(
        { status: 'running', startedAt: '2025-11-01T11:59:00.000Z', finishedAt: null },
        now,
      ),
    ).toBe(60_000)
  })

  it('is unknown for runs that never started or lost their end time', () => {
    expect(runDurationMs({ status: 'queued', startedAt: null, finishedAt: null }, now)).toBeNull()
    expect(
      runDurationMs(
        { status: 'interrupted', startedAt: '2025-11-01T10:00:00.000Z', finishedAt: null },
        now,
      ),
    ).toBeNull()
    expect(
      runDurationMs({ status: 'completed', startedAt: 'garbage', finishedAt: 'x' }, now),
    ).toBeNull()
  })
})

describe('search and filter', () => {
  it('folds accents and case', () => {
    expect(foldText('Acurácia ÉPOCA')).toBe('acuracia epoca')
  })

  it('matches every word in name, tags or notes', () => {
    const r = run(1, {
      name: 'MLP do tutorial',
      tags: ['turma-b'],
      notes: 'Taxa de aprendizado alta',
    })
    expect(matchesQuery(r, '')).toBe(true)
    expect(matchesQuery(r, 'tutorial')).toBe(true)
    expect(matchesQuery(r, 'TURMA-B')).toBe(true)
    expect(matchesQuery(r, 'aprendizado mlp')).toBe(true)
    expect(matchesQuery(r, 'mlp cnn')).toBe(false)
    expect(matchesQuery(run(2, { notes: 'época 3 piorou' }), 'epoca')).toBe(true)
  })

  it('filters by any of the selected statuses and the query together', () => {
    const runs = [
      run(1, { status: 'completed', name: 'a mlp' }),
      run(2, { status: 'failed', name: 'b mlp' }),
      run(3, { status: 'stopped', name: 'c cnn' }),
    ]
    expect(filterRuns(runs, { statuses: [], query: '' }).map((r) => r.id)).toEqual([1, 2, 3])
    expect(
      filterRuns(runs, { statuses: ['failed', 'stopped'], query: '' }).map((r) => r.id),
    ).toEqual([2, 3])
    expect(
      filterRuns(runs, { statuses: ['completed', 'failed'], query: 'mlp' }).map((r) => r.id),
    ).toEqual([1, 2])
    expect(filterRuns(runs, { statuses: ['completed'], query: 'cnn' })).toEqual([])
  })

  it('counts runs per status', () => {
    const counts = countByStatus([run(1), run(2, { status: 'failed' }), run(3)])
    expect(counts).toEqual({
      queued: 0,
      running: 0,
      completed: 2,
      stopped: 0,
      failed: 1,
      interrupted: 0,
    })
  })
})

describe('sortRuns', () => {
  const rows = [
    run(1, { name: 'Beta', testAccuracy: 0.95, durationMs: 30_000 }),
    run(2, { name: 'alpha', testAccuracy: null, durationMs: null, status: 'failed' }),
    run(3, { name: 'Gama', testAccuracy: 0.97, durationMs: 90_000, status: 'running' }),
    run(4, { name: 'run 10', testAccuracy: 0.91, durationMs: 10_000 }),
    run(5, { name: 'run 9', testAccuracy: 0.91, durationMs: 20_000 }),
  ]
  const ids = (r: RunRow[]) => r.map((x) => x.id)

  it('sorts numbers both ways with missing values last, ties newest first', () => {
    expect(ids(sortRuns(rows, { key: 'testAccuracy', direction: 'desc' }))).toEqual([3, 1, 5, 4, 2])
    expect(ids(sortRuns(rows, { key: 'testAccuracy', direction: 'asc' }))).toEqual([5, 4, 1, 3, 2])
    expect(ids(sortRuns(rows, { key: 'durationMs', direction: 'asc' }))).toEqual([4, 5, 1, 3, 2])
  })

  it('sorts names case-insensitively with numbers in natural order', () => {
    expect(ids(sortRuns(rows, { key: 'name', direction: 'asc' }))).toEqual([2, 1, 3, 5, 4])
  })

  it('sorts dates and statuses by meaning, not by text', () => {
    expect(ids(sortRuns(rows, { key: 'createdAt', direction: 'desc' }))).toEqual([5, 4, 3, 2, 1])
    expect(ids(sortRuns(rows, { key: 'status', direction: 'asc' }))[0]).toBe(3)
    expect(ids(sortRuns(rows, { key: 'status', direction: 'asc' })).at(-1)).toBe(2)
  })

  it('floats pinned runs to the top in either direction', () => {
    const pinned = rows.map((r) => (r.id === 4 || r.id === 2 ? { ...r, pinned: true } : r))
    expect(ids(sortRuns(pinned, { key: 'testAccuracy', direction: 'desc' }))).toEqual([
      4, 2, 3, 1, 5,
    ])
    expect(ids(sortRuns(pinned, { key: 'testAccuracy', direction: 'asc' }))).toEqual([
      4, 2, 5, 1, 3,
    ])
  })

  it('does not mutate its input', () => {
    const before = ids(rows)
    sortRuns(rows, { key: 'name', direction: 'desc' })
    expect(ids(rows)).toEqual(before)
  })
})

describe('toggleSort and compareBlocker', () => {
  it('flips the same column and picks a natural first direction for a new one', () => {
    expect(toggleSort({ key: 'name', direction: 'asc' }, 'name')).toEqual({
      key: 'name',
      direction: 'desc',
    })
    expect(toggleSort({ key: 'name', direction: 'asc' }, 'testAccuracy')).toEqual({
      key: 'testAccuracy',
      direction: 'desc',
    })
    expect(toggleSort({ key: 'testAccuracy', direction: 'desc' }, 'backend')).toEqual({
      key: 'backend',
      direction: 'asc',
    })
  })

  it('allows comparing 2 to 10 runs', () => {
    expect(compareBlocker(0)).toBe('tooFew')
    expect(compareBlocker(1)).toBe('tooFew')
    expect(compareBlocker(2)).toBeNull()
    expect(compareBlocker(10)).toBeNull()
    expect(compareBlocker(11)).toBe('tooMany')
  })
})

import { describe, expect, it } from 'vitest'
import {
  RUN_PALETTE,
  assignRunColors,
  buildCompareTable,
  buildConfigDiff,
  buildMetricSeries,
  epochPositions,
  findLeaders,
  formatCompareIds,
  parseCompareIds,
  pickDefaultIds,
  summarizeResults,
} from '../../../src/shared/compare'
import { getPreset, type PresetName } from '../../../src/shared/presets'
import type { EpochMetrics, RunDetail } from '../../../src/shared/runs'
import { summarizeModel } from '../../../src/shared/spec-shapes'
import { mergeTrainConfig } from '../../../src/shared/train-config'
import type { TrainConfig } from '../../../src/shared/model-spec'

type Row = [loss: number, accuracy: number, valLoss: number, valAccuracy: number, ms: number]

// Histories printed by `sinapse train --limit 1500` on this machine (wasm backend).
const MLP_LR_0001: Row[] = [
  [1.4026, 0.6317, 0.7835, 0.7733, 1000],
  [0.5807, 0.8592, 0.5658, 0.8367, 300],
  [0.3955, 0.9092, 0.5113, 0.85, 300],
]
const MLP_LR_001: Row[] = [
  [0.8346, 0.7483, 0.4468, 0.86, 700],
  [0.2428, 0.9358, 0.5455, 0.84, 200],
  [0.1489, 0.9583, 0.547, 0.8733, 300],
]
const LENET: Row[] = [
  [1.75, 0.48, 0.9773, 0.7033, 2200],
  [0.5975, 0.8233, 0.6333, 0.7667, 1400],
]

function history(rows: Row[]): EpochMetrics[] {
  return rows.map(([loss, accuracy, valLoss, valAccuracy, durationMs], i) => ({
    epoch: i + 1,
    loss,
    accuracy,
    valLoss,
    valAccuracy,
    durationMs,
  }))
}

function run(
  id: number,
  preset: PresetName,
  rows: Row[],
  config: Partial<TrainConfig>,
  testAccuracy: number | null,
): RunDetail {
  const { spec, config: base } = getPreset(preset)
  return {
    id,
    uid: `uid-${id}`,
    name: `Run ${id}`,
    kind: 'trained',
    status: 'completed',
    dataset: 'mnist',
    backend: 'wasm',
    seed: 42,
    paramCount: summarizeModel(spec).totalParams,
    epochs: rows.length,
    bestValAccuracy: Math.max(...rows.map((r) => r[3])),
    testAccuracy,
    createdAt: '2025-11-27T15:00:00.000Z',
    startedAt: '2025-11-27T15:00:00.000Z',
    finishedAt: '2025-11-27T15:00:05.000Z',
    error: null,
    notes: null,
    tags: [],
    pinned: false,
    student: null,
    lessonId: null,
    spec,
    config: mergeTrainConfig(base, config),
    inputScale: '1',
    weightsEpoch: null,
    history: history(rows),
    evaluation: null,
    model: null,
  }
}

const mlpA = run(1, 'tutorial-mlp', MLP_LR_0001, { epochs: 3, limit: 1500 }, 0.858)
const mlpB = run(
  2,
  'tutorial-mlp',
  MLP_LR_001,
  { epochs: 3, limit: 1500, learningRate: 0.01 },
  0.872,
)
const lenet = run(3, 'lenet-cnn', LENET, { epochs: 2, limit: 1500 }, 0.797)

describe('parseCompareIds', () => {
  const existing = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])

  it('keeps known ids once each, in order', () => {
    expect(parseCompareIds('3, 1,3,2', existing)).toEqual({
      ids: [3, 1, 2],
      unknown: [],
      dropped: [],
      blocker: null,
    })
  })

  it('reports unknown and malformed ids and blocks below two runs', () => {
    const selection = parseCompareIds('1,99,abc,,-2', existing)
    expect(selection.ids).toEqual([1])
    expect(selection.unknown).toEqual(['99', 'abc', '-2'])
    expect(selection.blocker).toBe('tooFew')
    expect(parseCompareIds(null, existing).blocker).toBe('tooFew')
  })

  it('caps the selection at ten and names what was left out', () => {
    const selection = parseCompareIds('1,2,3,4,5,6,7,8,9,10,11,12', existing)
    expect(selection.ids).toHaveLength(10)
    expect(selection.dropped).toEqual([11, 12])
    expect(formatCompareIds(selection.ids)).toBe('1,2,3,4,5,6,7,8,9,10')
  })
})

describe('pickDefaultIds', () => {
  it('takes the two newest trained runs, the pinned baseline first', () => {
    const runs = [
      { id: 1, epochs: 30, pinned: true },
      { id: 2, epochs: 3, pinned: false },
      { id: 3, epochs: 0, pinned: false },
      { id: 4, epochs: 2, pinned: false },
    ]
    expect(pickDefaultIds(runs)).toEqual([1, 4])
    expect(pickDefaultIds(runs.map((r) => ({ ...r, pinned: false })))).toEqual([4, 2])
    expect(pickDefaultIds(runs.slice(2))).toEqual([4])
  })
})

describe('assignRunColors', () => {
  it('gives each run its own palette slot in order', () => {
    expect([...assignRunColors([7, 3, 9]).entries()]).toEqual([
      [7, 0],
      [3, 1],
      [9, 2],
    ])
  })

  it('keeps the colors of runs that stay when one is removed and another added', () => {
    const before = assignRunColors([7, 3, 9])
    const after = assignRunColors([7, 9, 12], before)
    expect(after.get(7)).toBe(0)
    expect(after.get(9)).toBe(2)
    // Run 12 takes the slot run 3 freed, not a color another run still shows.
    expect(after.get(12)).toBe(1)
  })

  it('gives a run its old color back when it returns, unless another run now holds it', () => {
    const memory = new Map([
      [7, 0],
      [3, 1],
      [9, 2],
    ])
    expect([...assignRunColors([9, 3], memory)]).toEqual([
      [9, 2],
      [3, 1],
    ])
    memory.set(12, 1)
    expect([...assignRunColors([7, 12, 3], memory)]).toEqual([
      [7, 0],
      [12, 1],
      [3, 2],
    ])
  })

  it('has a distinct color for each of ten runs', () => {
    const slots = assignRunColors([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const colors = new Set([...slots.values()].map((slot) => RUN_PALETTE[slot]))
    expect(colors.size).toBe(10)
  })
})

describe('series', () => {
  it('places epochs by number or by cumulative wall time', () => {
    expect(epochPositions(mlpA.history, 'epoch')).toEqual([1, 2, 3])
    expect(epochPositions(lenet.history, 'time')).toEqual([2200, 3600])
  })

  it('returns the raw curve unchanged without smoothing', () => {
    const series = buildMetricSeries(2, mlpB.history, 'valLoss', 'epoch', 0)
    expect(series.raw).toEqual([
      [1, 0.4468],
      [2, 0.5455],
      [3, 0.547],
    ])
    expect(series.smoothed).toEqual(series.raw)
  })

  it('smooths with the debiased EMA and keeps the raw values beside it', () => {
    const series = buildMetricSeries(1, mlpA.history, 'loss', 'time', 0.5)
    expect(series.raw.map(([x]) => x)).toEqual([1000, 1300, 1600])
    expect(series.smoothed[0][1]).toBeCloseTo(1.4026, 10)
    // (0.5·0.5·1.4026 + 0.5·0.5807) / (1 − 0.25)
    expect(series.smoothed[1][1]).toBeCloseTo((0.25 * 1.4026 + 0.5 * 0.5807) / 0.75, 10)
    expect(series.smoothed[2][1]).toBeLessThan(series.smoothed[1][1])
    expect(series.smoothed[2][1]).toBeGreaterThan(0.3955)
  })

  it('leaves out epochs without validation values', () => {
    const noVal = { ...mlpA, history: mlpA.history.map((m) => ({ ...m, valAccuracy: null })) }
    expect(buildMetricSeries(1, noVal.history, 'valAccuracy', 'epoch', 0.6).raw).toEqual([])
  })
})

describe('summarizeResults and findLeaders', () => {
  it('finds best and last validation values with their epochs', () => {
    expect(summarizeResults(mlpB)).toEqual({
      runId: 2,
      epochs: 3,
      bestValAccuracy: 0.8733,
      bestValAccuracyEpoch: 3,
      lastValAccuracy: 0.8733,
      lowestValLoss: 0.4468,
      lowestValLossEpoch: 1,
      lastValLoss: 0.547,
      lastAccuracy: 0.9583,
      testAccuracy: 0.872,
      trainingMs: 1200,
    })
  })

  it('prefers the stored evaluation for test accuracy', () => {
    const evaluated: RunDetail = {
      ...lenet,
      evaluation: {
        loss: 0.571,
        accuracy: 0.7971,
        confusionMatrix: [],
        perClass: [],
        sampleCount: 10_000,
        createdAt: '2025-11-27T15:00:06.000Z',
      },
    }
    expect(summarizeResults(evaluated).testAccuracy).toBe(0.7971)
  })

  it('marks the best run per column, lower losses winning', () => {
    const leaders = findLeaders([mlpA, mlpB, lenet].map(summarizeResults))
    expect(leaders.bestValAccuracy).toEqual([2])
    expect(leaders.testAccuracy).toEqual([2])
    expect(leaders.lowestValLoss).toEqual([2])
    expect(leaders.lastValLoss).toEqual([1])
  })
})

describe('buildConfigDiff', () => {
  it('flags only the learning rate between two MLP runs, in pt-BR notation', () => {
    const rows = buildConfigDiff([mlpA, mlpB], 'pt-BR')
    const differing = rows.filter((row) => row.differs)
    expect(differing.map((row) => row.field)).toEqual(['learningRate'])
    expect(differing[0]).toMatchObject({
      label: 'Taxa de aprendizado',
      values: ['0,001', '0,01'],
      plain: [0.001, 0.01],
    })
    const batch = rows.find((row) => row.field === 'batchSize')
    expect(batch).toMatchObject({ values: ['32', '32'], differs: false })
  })

  it('shows architecture, parameters, learning rate and epochs differing against LeNet', () => {
    const rows = buildConfigDiff([mlpA, mlpB, lenet], 'en')
    const differing = Object.fromEntries(rows.filter((r) => r.differs).map((r) => [r.field, r]))
    expect(Object.keys(differing)).toEqual(['architecture', 'params', 'learningRate', 'epochs'])
    expect(differing.architecture.values[0]).toBe('Flatten → Dense 128 → Dense 10')
    expect(differing.architecture.values[2]).toMatch(/^Conv2D 6 5×5 → MaxPool 2×2/)
    expect(differing.params.values).toEqual(['101,770', '101,770', '61,706'])
    expect(differing.params.label).toBe('Parameters')
    const split = rows.find((r) => r.field === 'validationSplit')
    expect(split?.values).toEqual(['20%', '20%', '20%'])
    const momentum = rows.find((r) => r.field === 'momentum')
    expect(momentum).toMatchObject({ values: Array(3).fill('n/a (SGD only)'), differs: false })
  })

  it('says how many epochs ran when training stopped early', () => {
    const stopped: RunDetail = {
      ...mlpA,
      status: 'stopped',
      config: { ...mlpA.config, epochs: 30, earlyStopping: { monitor: 'val_loss', patience: 2 } },
    }
    const rows = buildConfigDiff([stopped, mlpB], 'pt-BR')
    expect(rows.find((r) => r.field === 'epochs')?.values[0]).toBe('30 (3 treinadas)')
    expect(rows.find((r) => r.field === 'earlyStopping')?.values).toEqual([
      'val_loss, paciência 2',
      'Desligada',
    ])
  })
})

describe('buildCompareTable', () => {
  it('writes one row per run with plain numbers under localized headers', () => {
    const { header, rows } = buildCompareTable([mlpA, mlpB, lenet], 'pt-BR')
    expect(rows).toHaveLength(3)
    expect(header.slice(0, 3)).toEqual(['id', 'nome', 'melhor val_accuracy'])
    expect(header).toContain('Taxa de aprendizado')
    expect(rows.every((row) => row.length === header.length)).toBe(true)
    const lr = header.indexOf('Taxa de aprendizado')
    expect(rows.map((row) => row[lr])).toEqual([0.001, 0.01, 0.001])
    expect(rows[2].slice(0, 4)).toEqual([3, 'Run 3', 0.7667, 2])
  })
})

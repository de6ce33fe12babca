import { describe, expect, it, vi } from 'vitest'
import type { TrainConfig } from '../../../src/shared/model-spec'
import { getPreset } from '../../../src/shared/presets'
import { validateTrainConfig } from '../../../src/shared/train-config'
import {
  configOf,
  datasetChoiceOf,
  datasetRefOf,
  parseNumberInput,
  readSaved,
  settingsFromConfig,
  settingsFromPreset,
  STORAGE_KEY,
  type Saved,
} from '../../../src/renderer/src/state/builder-form'
import { MemoryStorage } from './memory-storage'

// No training and no big files here: each test takes well under a second idle and a few seconds
// on a loaded 2-core machine, so a hang fails after 60 s instead of the suite's 300 s guard.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const storageWith = (value: unknown): Storage => {
  const storage = new MemoryStorage()
  storage.setItem(STORAGE_KEY, typeof value === 'string' ? value : JSON.stringify(value))
  return storage
}

const validSaved = (): Saved => ({
  layers: [
    { type: 'flatten' },
    // A field the student is still typing stays text.
    { type: 'dense', units: '12a' as unknown as number, activation: 'relu', useBias: true },
    { type: 'dense', units: 10, activation: 'softmax', useBias: true },
  ],
  settings: {
    ...settingsFromPreset('tutorial-mlp', null),
    dataset: 'idx',
    idxFolder: '/data/letters',
    learningRate: '0,',
  },
  runName: 'my run',
})

describe('parseNumberInput', () => {
  it('reads numbers, with a decimal comma too', () => {
    expect(parseNumberInput('12')).toBe(12)
    expect(parseNumberInput(' 0,5 ')).toBe(0.5)
    expect(parseNumberInput('0.001')).toBe(0.001)
    expect(parseNumberInput('-3')).toBe(-3)
    expect(parseNumberInput('1e-3')).toBe(0.001)
    expect(parseNumberInput('0')).toBe(0)
  })

  it('keeps the text as typed when it is no finite number', () => {
    for (const text of [
      '',
      '   ',
      'abc',
      '12a',
      '1,5,0',
      'Infinity',
      '-Infinity',
      'NaN',
      '1.2.3',
    ]) {
      expect(parseNumberInput(text)).toBe(text)
    }
  })
})

describe('readSaved', () => {
  it('reads back a form this version saved, raw text included', () => {
    const saved = validSaved()
    expect(readSaved(storageWith(saved))).toEqual(saved)
  })

  it('finds nothing when nothing was saved or the text is no JSON object', () => {
    expect(readSaved(new MemoryStorage())).toBeNull()
    for (const raw of ['{', 'null', '42', '"text"', 'true', '[]']) {
      expect(readSaved(storageWith(raw)), raw).toBeNull()
    }
  })

  it('drops the whole form when any part is not what this version writes', () => {
    const broken: [string, (s: Saved) => void][] = [
      ['layers not a list', (s) => ((s as unknown as { layers: unknown }).layers = { 0: {} })],
      ['a layer of an unknown type', (s) => s.layers.push({ type: 'lstm' } as never)],
      ['a null layer', (s) => s.layers.push(null as never)],
      ['a layer without a type', (s) => s.layers.push({ units: 3 } as never)],
      ['no run name', (s) => delete (s as Partial<Saved>).runName],
      ['a numeric run name', (s) => ((s as unknown as { runName: number }).runName = 3)],
      ['no settings', (s) => delete (s as Partial<Saved>).settings],
      ['an unknown dataset', (s) => ((s.settings as { dataset: string }).dataset = 'cifar')],
      ['an unknown optimizer', (s) => ((s.settings as { optimizer: string }).optimizer = 'lbfgs')],
      ['an unknown loss', (s) => ((s.settings as { loss: string }).loss = 'mse')],
      ['an unknown split mode', (s) => ((s.settings as { splitMode: string }).splitMode = 'first')],
      ['an unknown monitor', (s) => ((s.settings as { monitor: string }).monitor = 'val_f1')],
    ]
    for (const [what, breakIt] of broken) {
      const saved = validSaved()
      breakIt(saved)
      expect(readSaved(storageWith(saved)), what).toBeNull()
    }
  })

  it('accepts an empty model and every dataset choice', () => {
    for (const dataset of ['mnist', 'fashion-mnist', 'idx'] as const) {
      const saved = { ...validSaved(), layers: [] }
      saved.settings.dataset = dataset
      expect(readSaved(storageWith(saved))).toEqual(saved)
    }
  })
})

describe('settings and config', () => {
  const config: TrainConfig = {
    optimizer: 'sgd',
    learningRate: 0.05,
    momentum: 0.9,
    loss: 'categoricalCrossentropy',
    epochs: 7,
    batchSize: 64,
    validationSplit: 0.25,
    splitMode: 'seeded',
    seed: 99,
    earlyStopping: { monitor: 'val_accuracy', patience: 5 },
    restoreBestWeights: true,
    limit: 500,
  }

  it('fills the form from a run, and turns the form back into the same config', () => {
    const settings = settingsFromConfig(config, { dataset: 'mnist', idxFolder: '' })
    expect(settings).toEqual({
      dataset: 'mnist',
      idxFolder: '',
      optimizer: 'sgd',
      learningRate: 0.05,
      momentum: 0.9,
      loss: 'categoricalCrossentropy',
      epochs: 7,
      batchSize: 64,
      validationSplit: 0.25,
      splitMode: 'seeded',
      seed: 99,
      earlyStoppingOn: true,
      monitor: 'val_accuracy',
      patience: 5,
      restoreBest: true,
      limitOn: true,
      limit: 500,
    })
    expect(configOf(settings)).toEqual(config)
  })

  it('keeps sensible values behind switched-off early stopping and limit', () => {
    const plain = { ...config, earlyStopping: null, limit: null }
    const settings = settingsFromConfig(plain, { dataset: 'mnist', idxFolder: '' })
    expect(settings).toMatchObject({
      earlyStoppingOn: false,
      monitor: 'val_loss',
      patience: 3,
      limitOn: false,
      limit: 2000,
    })
    expect(configOf(settings)).toEqual(plain)
    // Switching them on uses those values.
    expect(configOf({ ...settings, earlyStoppingOn: true, limitOn: true })).toMatchObject({
      earlyStopping: { monitor: 'val_loss', patience: 3 },
      limit: 2000,
    })
  })

  it('reads a form saved before "weights at the end" existed as keeping the last weights', () => {
    const { restoreBest: _restoreBest, ...older } = settingsFromConfig(
      config,
      datasetChoiceOf('mnist'),
    )
    const result = validateTrainConfig(configOf(older))
    expect(result.ok && result.config.restoreBestWeights).toBe(false)
  })

  it("passes a field's raw text on to the validator, which names it", () => {
    const settings = { ...settingsFromConfig(config, datasetChoiceOf('mnist')), epochs: 'ten' }
    const result = validateTrainConfig(configOf(settings))
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toContain('epochs')
  })

  it("takes a preset's recipe but keeps the chosen dataset", () => {
    const preset = getPreset('lenet-cnn').config
    const current = { ...settingsFromPreset('tutorial-mlp', null), dataset: 'idx' as const }
    current.idxFolder = '/data/letters'
    const next = settingsFromPreset('lenet-cnn', current)
    expect(next).toEqual(settingsFromConfig(preset, { dataset: 'idx', idxFolder: '/data/letters' }))
    expect(settingsFromPreset('lenet-cnn', null)).toMatchObject({ dataset: 'mnist', idxFolder: '' })
    expect(validateTrainConfig(configOf(next)).ok).toBe(true)
  })

  it('reads a saved run’s dataset reference back into the form, and the form into a reference', () => {
    expect(datasetChoiceOf('mnist')).toEqual({ dataset: 'mnist', idxFolder: '' })
    expect(datasetChoiceOf('fashion-mnist')).toEqual({ dataset: 'fashion-mnist', idxFolder: '' })
    expect(datasetChoiceOf('idx:/data/my letters')).toEqual({
      dataset: 'idx',
      idxFolder: '/data/my letters',
    })
    expect(datasetRefOf({ dataset: 'mnist', idxFolder: '/ignored' })).toBe('mnist')
    expect(datasetRefOf({ dataset: 'fashion-mnist', idxFolder: '' })).toBe('fashion-mnist')
    expect(datasetRefOf({ dataset: 'idx', idxFolder: '  /data/my letters  ' })).toBe(
      'idx:/data/my letters',
    )
    expect(datasetRefOf({ dataset: 'idx', idxFolder: '   ' })).toBeNull()
    for (const ref of ['mnist', 'fashion-mnist', 'idx:/data/x'] as const) {
      expect(datasetRefOf(datasetChoiceOf(ref))).toBe(ref)
    }
  })
})

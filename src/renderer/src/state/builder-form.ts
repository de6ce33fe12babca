import type { DatasetRef } from '../../../shared/dataset'
import {
  LAYER_TYPES,
  LOSSES,
  MONITORS,
  OPTIMIZERS,
  SPLIT_MODES,
  type LayerSpec,
  type LossName,
  type Monitor,
  type OptimizerName,
  type SplitMode,
  type TrainConfig,
} from '../../../shared/model-spec'
import { getPreset, type PresetName } from '../../../shared/presets'

// The builder form's pure logic (typed numbers, the saved form read back, the form from a preset
// or a run and as a TrainConfig): no Svelte runes, so plain unit tests reach it.

export const STORAGE_KEY = 'sinapse.builder.v1'

/**
 * A layer as the form holds it. Number fields keep what the student typed when it is not a
 * number (e.g. "" or "abc"), so the validator can say exactly what is wrong with it.
 */
export interface LayerItem {
  id: number
  spec: LayerSpec
}

export type DatasetChoice = 'mnist' | 'fashion-mnist' | 'idx'

/** The training form, field by field; number fields may hold raw text while being typed. */
export interface SettingsDraft {
  dataset: DatasetChoice
  idxFolder: string
  optimizer: OptimizerName
  learningRate: unknown
  momentum: unknown
  loss: LossName
  epochs: unknown
  batchSize: unknown
  validationSplit: unknown
  splitMode: SplitMode
  seed: unknown
  earlyStoppingOn: boolean
  monitor: Monitor
  patience: unknown
  /** Keep the best epoch's weights (Keras's restore_best_weights); absent in older saved forms. */
  restoreBest?: boolean
  limitOn: boolean
  limit: unknown
}

export interface Saved {
  layers: LayerSpec[]
  settings: SettingsDraft
  runName: string
}

/** What a number input's text becomes: a number when it reads as one, else the text itself. */
export function parseNumberInput(text: string): number | string {
  const trimmed = text.trim().replace(',', '.')
  if (trimmed === '') return text
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : text
}

export function settingsFromPreset(name: PresetName, dataset: SettingsDraft | null): SettingsDraft {
  return settingsFromConfig(getPreset(name).config, {
    dataset: dataset?.dataset ?? 'mnist',
    idxFolder: dataset?.idxFolder ?? '',
  })
}

/** The form for a saved run's dataset reference (mnist, fashion-mnist or idx:<folder>). */
export function datasetChoiceOf(ref: DatasetRef): Pick<SettingsDraft, 'dataset' | 'idxFolder'> {
  if (ref.startsWith('idx:')) return { dataset: 'idx', idxFolder: ref.slice(4) }
  return { dataset: ref === 'fashion-mnist' ? 'fashion-mnist' : 'mnist', idxFolder: '' }
}

export function settingsFromConfig(
  c: TrainConfig,
  dataset: Pick<SettingsDraft, 'dataset' | 'idxFolder'>,
): SettingsDraft {
  return {
    ...dataset,
    optimizer: c.optimizer,
    learningRate: c.learningRate,
    momentum: c.momentum,
    loss: c.loss,
    epochs: c.epochs,
    batchSize: c.batchSize,
    validationSplit: c.validationSplit,
    splitMode: c.splitMode,
    seed: c.seed,
    earlyStoppingOn: c.earlyStopping !== null,
    monitor: c.earlyStopping?.monitor ?? 'val_loss',
    patience: c.earlyStopping?.patience ?? 3,
    restoreBest: c.restoreBestWeights === true,
    limitOn: c.limit !== null,
    limit: c.limit ?? 2000,
  }
}

function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return (options as readonly unknown[]).includes(value)
}

/** Reads the saved builder, dropping it whole if any part is not what this version writes. */
export function readSaved(storage: Storage): Saved | null {
  try {
    const raw: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null')
    if (typeof raw !== 'object' || raw === null) return null
    const saved = raw as Partial<Saved>
    const s = saved.settings
    if (
      !Array.isArray(saved.layers) ||
      !saved.layers.every((l: unknown) => isOneOf((l as LayerSpec | null)?.type, LAYER_TYPES)) ||
      typeof saved.runName !== 'string' ||
      !s ||
      !isOneOf(s.dataset, ['mnist', 'fashion-mnist', 'idx'] as const) ||
      !isOneOf(s.optimizer, OPTIMIZERS) ||
      !isOneOf(s.loss, LOSSES) ||
      !isOneOf(s.splitMode, SPLIT_MODES) ||
      !isOneOf(s.monitor, MONITORS)
    ) {
      return null
    }
    return saved as Saved
  } catch {
    return null
  }
}

/** The chosen dataset as a reference; null while the IDX folder is still empty. */
export function datasetRefOf(s: Pick<SettingsDraft, 'dataset' | 'idxFolder'>): DatasetRef | null {
  if (s.dataset !== 'idx') return s.dataset
  const folder = s.idxFolder.trim()
  return folder ? (`idx:${folder}` as DatasetRef) : null
}

/** The form as a TrainConfig-shaped object (fields possibly raw text), for the validator. */
export function configOf(s: SettingsDraft) {
  return {
    optimizer: s.optimizer,
    learningRate: s.learningRate,
    momentum: s.momentum,
    loss: s.loss,
    epochs: s.epochs,
    batchSize: s.batchSize,
    validationSplit: s.validationSplit,
    splitMode: s.splitMode,
    seed: s.seed,
    earlyStopping: s.earlyStoppingOn ? { monitor: s.monitor, patience: s.patience } : null,
    restoreBestWeights: s.restoreBest === true,
    limit: s.limitOn ? s.limit : null,
  }
}

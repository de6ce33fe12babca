import type { DatasetInfo, DatasetRef } from '../../../shared/dataset'
import {
  LAYER_TYPES,
  LOSSES,
  MONITORS,
  OPTIMIZERS,
  SPLIT_MODES,
  type LayerSpec,
  type LayerType,
  type LossName,
  type ModelSpec,
  type Monitor,
  type OptimizerName,
  type SplitMode,
  type TrainConfig,
} from '../../../shared/model-spec'
import { getPreset, type PresetName } from '../../../shared/presets'
import type { RunDetail } from '../../../shared/runs'
import { summarizeModel, type ModelSummary } from '../../../shared/spec-shapes'
import {
  DEFAULT_BATCH_NORM_EPSILON,
  DEFAULT_BATCH_NORM_MOMENTUM,
  validateModelSpec,
  type SpecIssue,
} from '../../../shared/spec-validation'
import { learningRateAfterSwitch, validateTrainConfig } from '../../../shared/train-config'
import { api } from '../lib/api.svelte'

const STORAGE_KEY = 'sinapse.builder.v1'
const MNIST_SHAPE: [number, number, number] = [28, 28, 1]
const MNIST_CLASSES = 10

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
  limitOn: boolean
  limit: unknown
}

interface Saved {
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

/** A new layer of `type` with the defaults a beginner would pick; Reshape keeps `inputShape`. */
export function createLayer(type: LayerType, inputShape: number[] | null): LayerSpec {
  switch (type) {
    case 'flatten':
      return { type }
    case 'dense':
      return { type, units: 128, activation: 'relu', useBias: true }
    case 'dropout':
      return { type, rate: 0.2 }
    case 'conv2d':
      return {
        type,
        filters: 32,
        kernelSize: 3,
        strides: 1,
        padding: 'same',
        activation: 'relu',
        useBias: true,
      }
    case 'maxPooling2d':
    case 'averagePooling2d':
      return { type, poolSize: 2, strides: 2, padding: 'valid' }
    case 'batchNormalization':
      return {
        type,
        momentum: DEFAULT_BATCH_NORM_MOMENTUM,
        epsilon: DEFAULT_BATCH_NORM_EPSILON,
      }
    case 'reshape':
      return { type, targetShape: inputShape ? [...inputShape] : [...MNIST_SHAPE] }
  }
}

function settingsFromPreset(name: PresetName, dataset: SettingsDraft | null): SettingsDraft {
  return settingsFromConfig(getPreset(name).config, {
    dataset: dataset?.dataset ?? 'mnist',
    idxFolder: dataset?.idxFolder ?? '',
  })
}

/** The form for a saved run's dataset reference (mnist, fashion-mnist or idx:<folder>). */
function datasetChoiceOf(ref: DatasetRef): Pick<SettingsDraft, 'dataset' | 'idxFolder'> {
  if (ref.startsWith('idx:')) return { dataset: 'idx', idxFolder: ref.slice(4) }
  return { dataset: ref === 'fashion-mnist' ? 'fashion-mnist' : 'mnist', idxFolder: '' }
}

function settingsFromConfig(
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
    limitOn: c.limit !== null,
    limit: c.limit ?? 2000,
  }
}

function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return (options as readonly unknown[]).includes(value)
}

/** Reads the saved builder, dropping it whole if any part is not what this version writes. */
function readSaved(storage: Storage): Saved | null {
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

/**
 * The model being built and its training settings. Survives view switches (module singleton)
 * and reloads (saved to localStorage on every change), so a half-built model is never lost.
 */
export class BuilderState {
  layers = $state<LayerItem[]>([])
  settings = $state<SettingsDraft>(settingsFromPreset('tutorial-mlp', null))
  runName = $state('')
  /** Facts about the chosen dataset; null while loading or when it cannot be read. */
  datasetInfo = $state.raw<DatasetInfo | null>(null)
  datasetError = $state<string | null>(null)
  datasetLoading = $state(false)

  #nextId = 1
  #datasetRequest = 0

  readonly datasetRef: DatasetRef | null = $derived.by(() => {
    const s = this.settings
    if (s.dataset !== 'idx') return s.dataset
    const folder = s.idxFolder.trim()
    return folder ? (`idx:${folder}` as DatasetRef) : null
  })

  /** The validation context: the loaded dataset's facts, else MNIST's (Fashion-MNIST's match). */
  readonly context = $derived({
    classCount: this.datasetInfo?.classNames.length ?? MNIST_CLASSES,
    imageShape: this.datasetInfo?.imageShape ?? MNIST_SHAPE,
  })

  readonly spec: ModelSpec = $derived({
    inputShape: [...this.context.imageShape],
    layers: this.layers.map((l) => l.spec),
  })

  readonly specResult = $derived(validateModelSpec($state.snapshot(this.spec), this.context))
  readonly summary: ModelSummary = $derived(summarizeModel($state.snapshot(this.spec)))

  /** The settings as a TrainConfig-shaped object, for the validator. */
  readonly config = $derived.by(() => {
    const s = this.settings
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
      limit: s.limitOn ? s.limit : null,
    }
  })

  readonly configResult = $derived(validateTrainConfig(this.config))

  readonly specIssues: SpecIssue[] = $derived(this.specResult.ok ? [] : this.specResult.issues)
  readonly configIssues: SpecIssue[] = $derived(
    this.configResult.ok ? [] : this.configResult.issues,
  )

  constructor(private readonly storage: Storage) {
    const saved = readSaved(storage)
    if (saved) {
      this.layers = saved.layers.map((spec) => ({ id: this.#nextId++, spec }))
      this.settings = { ...settingsFromPreset('tutorial-mlp', null), ...saved.settings }
      this.runName = saved.runName
    } else {
      this.layers = this.#items(getPreset('tutorial-mlp').spec.layers)
    }
    $effect.root(() => {
      $effect(() => {
        const saved: Saved = {
          layers: $state.snapshot(this.layers).map((l) => l.spec),
          settings: $state.snapshot(this.settings),
          runName: this.runName,
        }
        this.storage.setItem(STORAGE_KEY, JSON.stringify(saved))
      })
    })
  }

  #items(specs: LayerSpec[]): LayerItem[] {
    return specs.map((spec) => ({ id: this.#nextId++, spec: structuredClone(spec) }))
  }

  indexOf(id: number): number {
    return this.layers.findIndex((l) => l.id === id)
  }

  /** Replaces the model with a preset's (and its recipe), or with no layers at all. */
  loadPreset(name: PresetName | 'empty'): void {
    if (name === 'empty') {
      this.layers = []
      return
    }
    this.layers = this.#items(getPreset(name).spec.layers)
    this.settings = settingsFromPreset(name, this.settings)
  }

  /** Loads a saved run's model, settings and dataset, to train it again or change it. */
  loadRun(run: Pick<RunDetail, 'spec' | 'config' | 'dataset' | 'name'>): void {
    this.layers = this.#items(run.spec.layers)
    this.settings = settingsFromConfig(run.config, datasetChoiceOf(run.dataset))
    this.runName = run.name
  }

  /**
   * Adds a layer of `type`. It goes before a final softmax layer if there is one, since new
   * layers almost always belong inside the network, not after its output. Returns its index.
   */
  add(type: LayerType): number {
    const last = this.layers[this.layers.length - 1]?.spec
    const beforeOutput = last?.type === 'dense' && last.activation === 'softmax'
    const index = beforeOutput ? this.layers.length - 1 : this.layers.length
    const inputShape =
      index === 0 ? this.spec.inputShape : this.summary.layers[index - 1]?.outputShape
    this.layers.splice(index, 0, {
      id: this.#nextId++,
      spec: createLayer(type, inputShape ?? null),
    })
    return index
  }

  /** Appends the output layer: Dense with one unit per class and softmax. Returns its index. */
  addOutput(): number {
    this.layers.push({
      id: this.#nextId++,
      spec: { type: 'dense', units: this.context.classCount, activation: 'softmax', useBias: true },
    })
    return this.layers.length - 1
  }

  remove(id: number): void {
    const index = this.indexOf(id)
    if (index >= 0) this.layers.splice(index, 1)
  }

  /** Inserts a copy right after the layer; returns the copy's index. */
  duplicate(id: number): number {
    const index = this.indexOf(id)
    if (index < 0) return -1
    const copy = structuredClone($state.snapshot(this.layers[index].spec))
    this.layers.splice(index + 1, 0, { id: this.#nextId++, spec: copy })
    return index + 1
  }

  /** Moves a layer to `target` (clamped); returns its new index. */
  moveTo(id: number, target: number): number {
    const index = this.indexOf(id)
    if (index < 0) return -1
    const to = Math.max(0, Math.min(this.layers.length - 1, target))
    if (to === index) return index
    const [item] = this.layers.splice(index, 1)
    this.layers.splice(to, 0, item)
    return to
  }

  /** Switches optimizer; an untouched learning rate follows to the new one's Keras default. */
  setOptimizer(next: OptimizerName): void {
    const s = this.settings
    s.learningRate = learningRateAfterSwitch(s.optimizer, next, s.learningRate)
    s.optimizer = next
  }

  /** Writes one field of a layer as typed; the validator judges it. */
  setField(id: number, field: string, value: unknown): void {
    const item = this.layers.find((l) => l.id === id)
    if (item) (item.spec as unknown as Record<string, unknown>)[field] = value
  }

  /** Loads the chosen dataset's facts; a newer choice wins over a slower older request. */
  async loadDatasetInfo(ref: DatasetRef | null): Promise<void> {
    const request = ++this.#datasetRequest
    this.datasetInfo = null
    this.datasetError = null
    if (!ref) {
      this.datasetLoading = false
      return
    }
    this.datasetLoading = true
    try {
      const info = await api['datasets:info']({ ref })
      if (request === this.#datasetRequest) this.datasetInfo = info
    } catch (err) {
      if (request === this.#datasetRequest) {
        this.datasetError = err instanceof Error ? err.message : String(err)
      }
    } finally {
      if (request === this.#datasetRequest) this.datasetLoading = false
    }
  }
}

export const builderState = new BuilderState(localStorage)

/**
 * Issues listed in the model-level summary rather than beside a field: those about the whole
 * model, and the output-layer rule (Dense with one unit per class and softmax), which is about
 * how the model ends as much as about the last layer.
 */
export function isModelLevelIssue(issue: SpecIssue): boolean {
  return issue.layerIndex === null || issue.key.startsWith('spec.output')
}

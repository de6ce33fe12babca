import type { DatasetInfo, DatasetRef } from '../../../shared/dataset'
import {
  type LayerSpec,
  type LayerType,
  type ModelSpec,
  type OptimizerName,
} from '../../../shared/model-spec'
import { getPreset, type PresetName } from '../../../shared/presets'
import type { RunDetail } from '../../../shared/runs'
import { appliesSoftmax, summarizeModel, type ModelSummary } from '../../../shared/spec-shapes'
import {
  DEFAULT_BATCH_NORM_EPSILON,
  DEFAULT_BATCH_NORM_MOMENTUM,
  DEFAULT_LEAKY_RELU_SLOPE,
  validateModelSpec,
  type SpecIssue,
} from '../../../shared/spec-validation'
import { learningRateAfterSwitch, validateTrainConfig } from '../../../shared/train-config'
import { api } from '../lib/api.svelte'
import {
  configOf,
  datasetChoiceOf,
  datasetRefOf,
  readSaved,
  settingsFromConfig,
  settingsFromPreset,
  STORAGE_KEY,
  type LayerItem,
  type Saved,
  type SettingsDraft,
} from './builder-form'

export {
  parseNumberInput,
  type DatasetChoice,
  type LayerItem,
  type SettingsDraft,
} from './builder-form'

const MNIST_SHAPE: [number, number, number] = [28, 28, 1]
const MNIST_CLASSES = 10

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
    case 'activation':
      return { type, activation: 'relu' }
    case 'relu':
      return { type, maxValue: null, negativeSlope: 0, threshold: 0 }
    case 'leakyRelu':
      return { type, negativeSlope: DEFAULT_LEAKY_RELU_SLOPE }
    case 'rescaling':
      return { type, scale: 1 / 255, offset: 0 }
    case 'zeroPadding2d':
      return {
        type,
        padding: [
          [1, 1],
          [1, 1],
        ],
      }
    case 'spatialDropout2d':
      return { type, rate: 0.2 }
    case 'softmax':
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return { type }
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

  readonly datasetRef: DatasetRef | null = $derived(datasetRefOf(this.settings))

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
  readonly config = $derived(configOf(this.settings))

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

  /** Replaces the layers (a lesson's locked model), keeping the settings. */
  setLayers(specs: LayerSpec[]): void {
    this.layers = this.#items(specs)
  }

  /**
   * Adds a layer of `type`. It goes before a final softmax layer if there is one (and before the
   * Dense a separate Softmax or Activation('softmax') follows), since new layers almost always
   * belong inside the network, not after its output. Returns its index.
   */
  add(type: LayerType): number {
    const specs = this.layers.map((l) => l.spec)
    let index = specs.length
    const last = specs[index - 1]
    if (last && appliesSoftmax(last)) {
      index--
      // Dense(classes) followed by a separate softmax layer: the two are the output.
      if (last.type !== 'dense' && specs[index - 1]?.type === 'dense') index--
    }
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

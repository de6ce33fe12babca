import { AppError } from '../../shared/errors'
import {
  Group,
  readBudget,
  readFloats,
  readH5,
  readStringAttr,
  type H5File,
  type ReadBudget,
} from './h5'
import {
  assembleModel,
  checkStoredShape,
  mapKerasConfig,
  type ImportedModel,
  type MappedLayer,
} from './keras-config'

/** model_config is JSON of a few kilobytes; anything huge is not a Keras config. */
const MAX_CONFIG_CHARS = 1024 * 1024

/** Parses a JSON attribute, refusing oversized or invalid text. */
export function parseConfigJson(text: string, fileName: string): unknown {
  if (text.length > MAX_CONFIG_CHARS) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.configTooLarge', {
      file: fileName,
      size: text.length,
      limit: MAX_CONFIG_CHARS,
    })
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.configNotJson', { file: fileName })
  }
}

/**
 * Reads a Keras legacy HDF5 model (`model.save('x.h5')`, Keras 2 or 3): the `model_config`
 * attribute and, under `model_weights`, each layer's group whose `weight_names` attribute lists its
 * datasets in Keras order — `dense/dense/kernel:0` (Keras 2) or `dense/sequential/dense/kernel`
 * (Keras 3) alike.
 */
export async function readKerasH5(bytes: Uint8Array, fileName: string): Promise<ImportedModel> {
  return readH5(bytes, fileName, (file) => {
    const configText = readStringAttr(file, 'model_config')
    if (typeof configText !== 'string') {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.noConfig', { file: fileName })
    }
    const mapped = mapKerasConfig(parseConfigJson(configText, fileName))
    const root = file.get('model_weights')
    if (!(root instanceof Group)) {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.noWeights', { file: fileName })
    }
    const budget = readBudget(fileName)
    return assembleModel(mapped, (layer, shapes) => readLegacyLayer(root, layer, shapes, budget))
  })
}

function readLegacyLayer(
  root: Group,
  layer: MappedLayer,
  shapes: number[][],
  budget: ReadBudget,
): Float32Array[] {
  const missing = () =>
    new AppError('MODEL_CORRUPT', 'modelfiles.layerWeightsMissing', {
      file: budget.file,
      layer: layer.name,
    })
  const group = root.get(layer.name)
  const names = group instanceof Group ? readStringAttr(group, 'weight_names') : null
  if (!(group instanceof Group) || !Array.isArray(names) || names.length !== shapes.length) {
    throw missing()
  }
  return names.map((path, i) => {
    if (path.split('/').some((part) => part === '..' || part === '')) throw missing()
    const check = (shape: number[]) => checkStoredShape(layer, { name: path, shape }, shapes[i])
    const values = readFloats(group.get(path), check, budget)
    if (!values) throw missing()
    return values
  })
}

/**
 * Reads the weights file of a Keras 3 `.keras` archive (model.weights.h5), whose layout is
 * `layers/<name>/vars/<i>`. Keras names each layer's group after its class (dense, dense_1, …,
 * counted per class in model order); the layer's own name is tried as a fallback.
 */
export async function readKerasWeightsH5(
  bytes: Uint8Array,
  fileName: string,
  mapped: ReturnType<typeof mapKerasConfig>,
): Promise<ImportedModel> {
  return readH5(bytes, fileName, (file: H5File) => {
    const layersGroup = file.get('layers')
    if (!(layersGroup instanceof Group)) {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.noWeights', { file: fileName })
    }
    const paths = classPaths(mapped.layers)
    const budget = readBudget(fileName)
    return assembleModel(mapped, (layer, shapes) => {
      const index = mapped.layers.indexOf(layer)
      const candidates = [paths[index], layer.name]
      for (const name of candidates) {
        const vars = layersGroup.get(`${name}/vars`)
        if (!(vars instanceof Group)) continue
        const values = shapes.map((shape, i) =>
          readFloats(
            vars.get(String(i)),
            (stored) =>
              checkStoredShape(layer, { name: `${name}/vars/${i}`, shape: stored }, shape),
            budget,
          ),
        )
        if (values.every((v) => v !== null)) return values as Float32Array[]
      }
      throw new AppError('MODEL_CORRUPT', 'modelfiles.layerWeightsMissing', {
        file: fileName,
        layer: layer.name,
      })
    })
  })
}

const SNAKE_CLASS: Record<string, string> = {
  Dense: 'dense',
  Conv2D: 'conv2d',
  BatchNormalization: 'batch_normalization',
  Flatten: 'flatten',
  Dropout: 'dropout',
  Reshape: 'reshape',
  MaxPooling2D: 'max_pooling2d',
  AveragePooling2D: 'average_pooling2d',
}

function classPaths(layers: MappedLayer[]): string[] {
  const seen = new Map<string, number>()
  return layers.map((l) => {
    const stem = SNAKE_CLASS[l.className] ?? l.className.toLowerCase()
    const n = seen.get(stem) ?? 0
    seen.set(stem, n + 1)
    return n === 0 ? stem : `${stem}_${n}`
  })
}

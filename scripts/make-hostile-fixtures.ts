// Writes the hostile model files in tests/fixtures/hostile: Keras files that are small on disk but
// would make a naive reader decompress gigabytes. Run with
// `node --import tsx scripts/make-hostile-fixtures.ts`; the output is deterministic.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import h5wasm from 'h5wasm'
import { Dataset, Group, writeH5, type H5File } from '../src/main/models/h5'
import { writeZip } from '../src/main/models/keras-zip'

/** 63 Dense layers × (kernel + bias) = 126 names for the same two datasets. */
const LAYERS = 63
const UNITS = 4096

function denseNames(count: number, sameName: boolean): string[] {
  return Array.from({ length: count }, (_, i) => (sameName || i === 0 ? 'dense' : `dense_${i}`))
}

function modelConfig(names: string[]): string {
  return JSON.stringify({
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        { class_name: 'InputLayer', config: { batch_shape: [null, 784], name: 'input_layer' } },
        ...names.map((name) => ({
          class_name: 'Dense',
          config: { name, units: UNITS, activation: 'relu', use_bias: true },
        })),
      ],
    },
  })
}

/** One 4096×4096 zero kernel (64 MB, a few KB compressed) and one bias, in `group`. */
function writeSharedWeights(group: Group): void {
  group.create_dataset({
    name: 'kernel',
    data: new Float32Array(UNITS * UNITS),
    shape: [UNITS, UNITS],
    dtype: '<f',
    chunks: [512, UNITS],
    compression: 9,
  })
  group.create_dataset({ name: 'bias', data: new Float32Array(UNITS), shape: [UNITS], dtype: '<f' })
}

function groupAt(parent: Group | H5File, path: string): Group {
  let group = parent as Group
  for (const part of path.split('/')) {
    group = (group.get(part) as Group | null) ?? (group.create_group(part) as Group)
  }
  return group
}

/**
 * A legacy Keras `.h5` whose layers all read one compressed kernel: each layer's weight_names
 * lead, through HDF5 hard links (or, with `sameName`, through 63 layers of one name), to the same
 * 64 MB dataset. A reader that reads before it checks shapes decompresses 126 × 64 MB.
 */
export function buildH5Bomb(sameName = false): Promise<Uint8Array> {
  const names = denseNames(LAYERS, sameName)
  return writeH5((file) => {
    file.create_attribute('model_config', modelConfig(names))
    file.create_attribute('keras_version', '3.9.2')
    file.create_attribute('backend', 'tensorflow')
    const weights = groupAt(file, 'model_weights')
    const shared = groupAt(weights, 'dense/sequential/dense')
    writeSharedWeights(shared)
    for (const name of new Set(names)) {
      const layer = groupAt(weights, name)
      layer.create_attribute('weight_names', [
        `sequential/${name}/kernel`,
        `sequential/${name}/bias`,
      ])
      if (name === 'dense') continue
      const inner = groupAt(layer, `sequential/${name}`)
      inner.create_hard_link('/model_weights/dense/sequential/dense/kernel', 'kernel')
      inner.create_hard_link('/model_weights/dense/sequential/dense/bias', 'bias')
    }
  })
}

/** The same bomb as a Keras 3 `.keras` archive: `layers/dense_N/vars/{0,1}` all hard links. */
export async function buildKerasBomb(): Promise<Uint8Array> {
  const names = denseNames(LAYERS, false)
  const weights = await writeH5((file) => {
    writeSharedWeights(groupAt(file, 'layers/dense/vars'))
    const vars = file.get('layers/dense/vars') as Group
    vars.create_hard_link('/layers/dense/vars/kernel', '0')
    vars.create_hard_link('/layers/dense/vars/bias', '1')
    for (const name of names.slice(1)) {
      const group = groupAt(file, `layers/${name}/vars`)
      group.create_hard_link('/layers/dense/vars/kernel', '0')
      group.create_hard_link('/layers/dense/vars/bias', '1')
    }
  })
  return writeZip([
    { name: 'config.json', bytes: new TextEncoder().encode(modelConfig(names)) },
    { name: 'model.weights.h5', bytes: weights },
  ])
}

/**
 * A real Keras legacy `.h5` (given as bytes) whose first Dense kernel is stored transposed:
 * 128×784 where the layer needs 784×128. Same element count, other weights.
 */
export async function transposeFirstKernel(bytes: Uint8Array): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready
  const path = '/transpose-fixture.h5'
  FS.writeFile(path, bytes)
  try {
    const file = new h5wasm.File(path, 'a')
    try {
      const layer = file.get('model_weights/dense') as Group
      const [kernelPath, biasPath] = layer.attrs.weight_names.value as string[]
      const kernel = layer.get(kernelPath) as Dataset
      const [rows, cols] = kernel.shape as number[]
      const values = kernel.value as Float32Array
      const transposed = new Float32Array(values.length)
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) transposed[c * rows + r] = values[r * cols + c]
      }
      const folder = kernelPath.slice(0, kernelPath.lastIndexOf('/'))
      ;(layer.get(folder) as Group).create_dataset({
        name: 'kernel_transposed',
        data: transposed,
        shape: [cols, rows],
        dtype: '<f',
      })
      layer.delete_attribute('weight_names')
      layer.create_attribute('weight_names', [`${folder}/kernel_transposed`, biasPath])
    } finally {
      file.close()
    }
    return new Uint8Array(FS.readFile(path))
  } finally {
    FS.unlink(path)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = join(import.meta.dirname, '..', 'tests', 'fixtures', 'hostile')
  writeFileSync(join(out, 'h5-bomb-hard-links.h5'), await buildH5Bomb())
  writeFileSync(join(out, 'h5-bomb-same-names.h5'), await buildH5Bomb(true))
  writeFileSync(join(out, 'keras-bomb-hard-links.keras'), await buildKerasBomb())
}

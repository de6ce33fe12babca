import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeH5 } from '../../../src/main/models/h5'
import { writeKerasH5 } from '../../../src/main/models/keras-h5-export'
import { readKerasH5 } from '../../../src/main/models/keras-h5-import'
import { createServices, type Services } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/train-config'
import { transposeFirstKernel } from '../../../scripts/make-hostile-fixtures'
import { refusal } from '../refusal'

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures')
const file = (...parts: string[]) => new Uint8Array(readFileSync(join(fixtures, ...parts)))

describe('hostile Keras files', () => {
  let services: Services
  let dataDir: string

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sinapse-hostile-models-'))
    services = await createServices({
      dataDir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
  })
  afterAll(async () => {
    await services.close()
  })

  /** Imports as the page does (the models:import handler, also used over the WebSocket). */
  const importUpload = (name: string, bytes: Uint8Array) =>
    services.modelFiles.importModel({ files: [{ name, bytes }] })

  it('refuses a 135 KB .h5 whose 126 weight names reach one compressed 64 MB dataset', async () => {
    const bomb = file('hostile', 'h5-bomb-hard-links.h5')
    expect(bomb.length).toBeLessThan(300 * 1024)
    const err = await refusal(importUpload('bomb.h5', bomb))
    // Refused from the config alone: 63 Dense(4096) layers are far above the largest model.
    expect(err.code).toBe('MODEL_CORRUPT')
    expect(err.key).toBe('modelfiles.tooManyWeights')
    expect(err.message).toContain('weights; Sinapse takes models of at most')
  })

  it('refuses an .h5 whose layers share one name, before reading any weight', async () => {
    const err = await refusal(importUpload('same.h5', file('hostile', 'h5-bomb-same-names.h5')))
    expect(err.key).toBe('modelfiles.duplicateLayer')
    expect(err.message).toContain('"dense"')
  })

  it('refuses the same bomb inside a .keras archive', async () => {
    const err = await refusal(
      importUpload('bomb.keras', file('hostile', 'keras-bomb-hard-links.keras')),
    )
    expect(err.key).toBe('modelfiles.tooManyWeights')
  })

  it('refuses a real Keras .h5 whose first kernel is stored transposed, naming both shapes', async () => {
    const real = file('keras', 'mnist_mlp_keras3.h5')
    // The untouched file imports, so the refusal below is about the transposition alone.
    expect((await readKerasH5(real, 'real.h5')).spec.layers.length).toBeGreaterThan(2)
    const transposed = await transposeFirstKernel(real)
    const err = await refusal(importUpload('transposed.h5', transposed))
    expect(err.key).toBe('modelfiles.weightShapeMismatch')
    expect(err.params).toMatchObject({ layer: 'dense', actual: '128×784', expected: '784×128' })
  })

  it('refuses a Keras file whose weights hold NaN or an infinity, adding nothing', async () => {
    const real = await readKerasH5(file('keras', 'mnist_mlp_keras3.h5'), 'real.h5')
    for (const [bad, count] of [
      [NaN, 784 * 128],
      [Infinity, 1],
      [-Infinity, 1],
    ] as const) {
      const weights = real.weights.map((arrays) => arrays.map((a) => a.slice()))
      // Before the fix the all-NaN kernel imported and "predicted" from the biases alone: TF.js's
      // ReLU turns NaN into 0.
      const [kernelLayer] = weights.flatMap((arrays, i) => (arrays.length ? [i] : []))
      if (count === 1) weights[kernelLayer][0][5] = bad
      else weights[kernelLayer][0].fill(bad)
      const bytes = await writeKerasH5({ ...real, weights }, DEFAULT_TRAIN_CONFIG)
      const err = await refusal(importUpload('diverged.h5', bytes))
      expect(err.code).toBe('MODEL_CORRUPT')
      expect(err.key).toBe('modelfiles.weightsNotFinite')
      expect(err.params).toMatchObject({ layer: kernelLayer + 1, weight: 'kernel', count })
      expect(err.localized('en')).toContain('not numbers (NaN) or are infinite')
      expect(err.localized('pt-BR')).toContain('não são números (NaN) ou são infinitos')
    }
    // Nothing added: checked with every other refusal by 'leaves nothing behind' below.
  })

  it('refuses functional Keras files that are not a single chain, naming the layer', async () => {
    const residual = await functionalH5([
      ['input_1', 'InputLayer', []],
      ['conv2d', 'Conv2D', ['input_1']],
      ['conv2d_1', 'Conv2D', ['conv2d']],
      ['add', 'Add', ['conv2d', 'conv2d_1']],
      ['flatten', 'Flatten', ['add']],
      ['dense', 'Dense', ['flatten']],
    ])
    const merge = await refusal(importUpload('residual.h5', residual))
    expect(merge.key).toBe('kerasimport.merge')
    expect(merge.message).toContain('Layer "add" (Add) joins 2 branches')
    const branch = await functionalH5([
      ['input_1', 'InputLayer', []],
      ['conv2d', 'Conv2D', ['input_1']],
      ['flatten', 'Flatten', ['conv2d']],
      ['flatten_1', 'Flatten', ['conv2d']],
      ['dense', 'Dense', ['flatten']],
    ])
    const split = await refusal(importUpload('branch.h5', branch))
    expect(split.message).toContain('branches after layer "conv2d"')
    const lambda = await functionalH5([
      ['input_1', 'InputLayer', []],
      ['lambda', 'Lambda', ['input_1']],
      ['flatten', 'Flatten', ['lambda']],
      ['dense', 'Dense', ['flatten']],
    ])
    const lambdaRefusal = await refusal(importUpload('lambda.h5', lambda))
    expect(lambdaRefusal.key).toBe('modelfiles.unknownLayer')
    expect(lambdaRefusal.message).toContain('Lambda')
    // A custom layer class (registered in the student's Python code) is named the same way.
    const custom = await functionalH5([
      ['input_1', 'InputLayer', []],
      ['my_block', 'MyResidualBlock', ['input_1']],
      ['flatten', 'Flatten', ['my_block']],
      ['dense', 'Dense', ['flatten']],
    ])
    const customRefusal = await refusal(importUpload('custom.h5', custom))
    expect(customRefusal.key).toBe('modelfiles.unknownLayer')
    expect(customRefusal.message).toContain('MyResidualBlock')
  })

  it('refuses a real Keras 2 model whose output is sigmoid, naming the layer and the activation', async () => {
    const real = await readKerasH5(file('keras', 'mnist_mlp_barelist_keras2.h5'), 'real.h5')
    const last = real.spec.layers.at(-1)!
    expect(last.type).toBe('dense')
    const sigmoid = {
      ...real,
      spec: {
        ...real.spec,
        layers: [...real.spec.layers.slice(0, -1), { ...last, activation: 'sigmoid' }],
      },
    } as typeof real
    const bytes = await writeKerasH5(sigmoid, DEFAULT_TRAIN_CONFIG)
    const err = await refusal(importUpload('sigmoid.h5', bytes))
    expect(err.code).toBe('INVALID_SPEC')
    expect(err.message).toContain('Sinapse cannot import this model as it is (1 problem(s))')
    expect(err.message).toContain('(Dense) is the output layer: it must use softmax')
    expect(err.message).toContain('current value: sigmoid')
  })

  it('leaves nothing behind after the refusals', () => {
    expect(services.runs.list()).toEqual([])
    expect(readdirSync(join(dataDir, 'models')).filter((n) => !n.startsWith('.'))).toEqual([])
  })
})

/** A Keras 2 functional .h5 wired as `layers` ([name, class, inbound names]); no weights needed. */
async function functionalH5(layers: [string, string, string[]][]): Promise<Uint8Array> {
  const configOf = (name: string, className: string) =>
    className === 'InputLayer'
      ? { name, batch_input_shape: [null, 28, 28, 1] }
      : className === 'Conv2D'
        ? { name, filters: 1, kernel_size: [3, 3], padding: 'same' }
        : className === 'Dense'
          ? { name, units: 10, activation: 'softmax' }
          : { name }
  const config = {
    class_name: 'Functional',
    config: {
      name: 'model',
      layers: layers.map(([name, className, from]) => ({
        name,
        class_name: className,
        config: configOf(name, className),
        inbound_nodes: from.length ? [from.map((f) => [f, 0, 0, {}])] : [],
      })),
      input_layers: [[layers[0][0], 0, 0]],
      output_layers: [[layers[layers.length - 1][0], 0, 0]],
    },
  }
  return writeH5((file) => {
    file.create_attribute('keras_version', '2.10.0')
    file.create_attribute('model_config', JSON.stringify(config))
    const names = layers.map(([name]) => name)
    file.create_group('model_weights').create_attribute('layer_names', names, [names.length])
  })
}

import { describe, expect, it } from 'vitest'
import { mapKerasConfig } from '../../../src/main/models/keras-config'
import { AppError } from '../../../src/shared/errors'
import { translate } from '../../../src/shared/i18n'

type Layer = { name: string; class_name: string; config: object; from: string[] }

const input = (name: string, key = 'batch_input_shape'): Layer => ({
  name,
  class_name: 'InputLayer',
  config: { [key]: [null, 28, 28, 1], dtype: 'float32', name },
  from: [],
})
const conv = (name: string, from: string[]): Layer => ({
  name,
  class_name: 'Conv2D',
  config: { name, filters: 4, kernel_size: [3, 3], activation: 'relu' },
  from,
})
const flatten = (name: string, from: string[]): Layer => ({
  name,
  class_name: 'Flatten',
  config: { name },
  from,
})
const dense = (name: string, from: string[], units = 10): Layer => ({
  name,
  class_name: 'Dense',
  config: { name, units, activation: 'softmax' },
  from,
})

/** A Keras 2 functional config: inbound_nodes as [[[name, 0, 0, {}], …]]. */
function keras2(layers: Layer[], inputs: string[], outputs: string[], className = 'Functional') {
  return {
    class_name: className,
    config: {
      name: 'model',
      layers: layers.map((l) => ({
        name: l.name,
        class_name: l.class_name,
        config: l.config,
        inbound_nodes: l.from.length ? [l.from.map((f) => [f, 0, 0, {}])] : [],
      })),
      input_layers: inputs.map((n) => [n, 0, 0]),
      output_layers: outputs.map((n) => [n, 0, 0]),
    },
    keras_version: '2.10.0',
  }
}

/** A Keras 3 functional config: inbound_nodes as [{args: [tensor…], kwargs}], endpoints flat. */
function keras3(layers: Layer[], inputs: string[], outputs: string[]) {
  const tensor = (from: string) => ({
    class_name: '__keras_tensor__',
    config: { shape: [null, 28, 28, 1], dtype: 'float32', keras_history: [from, 0, 0] },
  })
  const endpoint = (names: string[]) =>
    names.length === 1 ? [names[0], 0, 0] : names.map((n) => [n, 0, 0])
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'functional',
      trainable: true,
      layers: layers.map((l) => ({
        module: 'keras.layers',
        class_name: l.class_name,
        config: l.class_name === 'InputLayer' ? { ...l.config } : l.config,
        registered_name: null,
        name: l.name,
        inbound_nodes:
          l.from.length === 0
            ? []
            : [
                {
                  // A merge layer takes its inputs as one list argument.
                  args: l.from.length === 1 ? [tensor(l.from[0])] : [l.from.map(tensor)],
                  kwargs: {},
                },
              ],
      })),
      input_layers: endpoint(inputs),
      output_layers: endpoint(outputs),
    },
  }
}

const chain = [
  input('input_1'),
  conv('conv2d', ['input_1']),
  flatten('flatten', ['conv2d']),
  dense('dense', ['flatten']),
]
// The same layers listed out of order: the chain follows the inbound nodes, not the listing.
const shuffled = [chain[2], chain[0], chain[3], chain[1]]

function refusal(topology: unknown): AppError {
  try {
    mapKerasConfig(topology)
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return err as AppError
  }
  throw new Error('expected a refusal')
}

describe('functional models that are a single chain', () => {
  const sequentialLayers = [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid' },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ]

  it.each([
    ['Keras 2.3 "Model"', keras2(chain, ['input_1'], ['dense'], 'Model')],
    ['Keras 2.10 "Functional"', keras2(chain, ['input_1'], ['dense'])],
    ['Keras 3 args/keras_history', keras3(chain, ['input_1'], ['dense'])],
    ['layers listed out of order', keras2(shuffled, ['input_1'], ['dense'])],
  ])('maps %s to the equivalent Sequential layers', (_, topology) => {
    const mapped = mapKerasConfig(topology)
    expect(mapped.inputShape).toEqual([28, 28, 1])
    expect(mapped.layers.map((l) => l.name)).toEqual(['conv2d', 'flatten', 'dense'])
    expect(mapped.layers.map((l) => l.layer)).toMatchObject(sequentialLayers)
  })

  it('reads the Keras 3 InputLayer batch_shape', () => {
    const layers = [input('inp', 'batch_shape'), ...chain.slice(1)]
    layers[1] = conv('conv2d', ['inp'])
    expect(mapKerasConfig(keras3(layers, ['inp'], ['dense'])).inputShape).toEqual([28, 28, 1])
  })

  it('refuses a branch, naming the layer whose output feeds two layers', () => {
    const layers = [
      input('input_1'),
      conv('conv2d', ['input_1']),
      flatten('flatten', ['conv2d']),
      flatten('flatten_1', ['conv2d']),
      dense('dense', ['flatten']),
    ]
    for (const topology of [
      keras2(layers, ['input_1'], ['dense']),
      keras3(layers, ['input_1'], ['dense']),
    ]) {
      const err = refusal(topology)
      expect(err.key).toBe('kerasimport.branch')
      expect(err.params).toMatchObject({ layer: 'conv2d', count: 2, next: 'flatten, flatten_1' })
      expect(translate('en', err.key, err.params)).toContain('branches after layer "conv2d"')
      expect(translate('pt-BR', err.key, err.params)).toContain('ramifica depois da camada')
    }
  })

  it('refuses a merge (Add, Concatenate), naming the merging layer', () => {
    const layers = [
      input('input_1'),
      conv('a', ['input_1']),
      conv('b', ['a']),
      { name: 'add', class_name: 'Add', config: { name: 'add' }, from: ['a', 'b'] },
      flatten('flatten', ['add']),
      dense('dense', ['flatten']),
    ]
    // Keras 3 passes the merged tensors as one list argument; both layouts name the merge.
    for (const topology of [
      keras2(layers, ['input_1'], ['dense']),
      keras3(layers, ['input_1'], ['dense']),
    ]) {
      const err = refusal(topology)
      expect(err.key).toBe('kerasimport.merge')
      expect(err.params).toMatchObject({ layer: 'add', className: 'Add', count: 2 })
    }
  })

  it('refuses several inputs or outputs, naming them', () => {
    const twoIn = [
      input('in_a'),
      input('in_b'),
      {
        name: 'cat',
        class_name: 'Concatenate',
        config: { name: 'cat' },
        from: ['in_a', 'in_b'],
      },
      flatten('flatten', ['cat']),
      dense('dense', ['flatten']),
    ]
    const merged = refusal(keras2(twoIn, ['in_a', 'in_b'], ['dense']))
    expect(merged.key).toBe('kerasimport.merge')
    const inputs = refusal(keras2(chain, ['input_1', 'other'], ['dense']))
    expect(inputs.key).toBe('kerasimport.inputs')
    expect(inputs.params).toMatchObject({ count: 2, names: 'input_1, other' })
    const outputs = refusal(keras3(chain, ['input_1'], ['dense', 'flatten']))
    expect(outputs.key).toBe('kerasimport.outputs')
    // The output is the middle of the chain: the rest of the chain is a second output.
    const early = refusal(keras2(chain, ['input_1'], ['flatten']))
    expect(early.key).toBe('kerasimport.outputs')
  })

  it('refuses a layer used twice (a shared layer)', () => {
    const topology = keras2(chain, ['input_1'], ['dense'])
    const layers = topology.config.layers as { inbound_nodes: unknown[] }[]
    layers[1].inbound_nodes = [[['input_1', 0, 0, {}]], [['input_1', 0, 0, {}]]]
    const err = refusal(topology)
    expect(err.key).toBe('kerasimport.shared')
    expect(err.params).toMatchObject({ layer: 'conv2d', count: 2 })
  })

  it('refuses broken wiring as a damaged config, never as a crash', () => {
    const unknown = keras2(
      [...chain.slice(0, 3), dense('dense', ['nowhere'])],
      ['input_1'],
      ['dense'],
    )
    expect(refusal(unknown).key).toBe('modelfiles.badConfig')
    const cycle = keras2(
      [input('input_1'), flatten('f', ['g']), flatten('g', ['f']), dense('dense', ['input_1'])],
      ['input_1'],
      ['dense'],
    )
    expect(refusal(cycle).key).toBe('kerasimport.inputs')
    expect(refusal({ class_name: 'Functional', config: { layers: 'x' } }).key).toBe(
      'modelfiles.badConfig',
    )
    expect(refusal(keras2(chain, [], ['dense'])).key).toBe('modelfiles.badConfig')
    const lambda = keras2(
      [
        input('input_1'),
        { ...flatten('l', ['input_1']), class_name: 'Lambda' },
        dense('dense', ['l']),
      ],
      ['input_1'],
      ['dense'],
    )
    expect(refusal(lambda).key).toBe('modelfiles.unknownLayer')
    expect(refusal({ class_name: 'MyModel', config: {} }).key).toBe('modelfiles.notSequential')
  })
})

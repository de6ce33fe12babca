import { strToU8 } from 'fflate'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readKerasH5 } from '../../../src/main/models/keras-h5-import'
import { readKerasArchive, readZip } from '../../../src/main/models/keras-zip'
import { refusal } from '../refusal'

const FIXTURES = join(import.meta.dirname, '../../fixtures/keras')
const archive = readZip(readFileSync(join(FIXTURES, 'mnist_mlp_keras3.keras')), 'mlp.keras')
const config = JSON.parse(
  new TextDecoder().decode(archive.find((f) => f.name === 'config.json')?.bytes),
) as {
  class_name: string
  config: { layers: { class_name: string; config: Record<string, unknown> }[] }
}

/** The real Keras 3 archive with its config.json changed by `edit`. */
function edited(edit: (c: typeof config) => unknown) {
  const copy = structuredClone(config)
  const text = JSON.stringify(edit(copy) ?? copy)
  return archive.map((f) => (f.name === 'config.json' ? { ...f, bytes: strToU8(text) } : f))
}

// English words a Portuguese message never needs; names from the file are checked apart.
const ENGLISH =
  /\b(the|is|are|not|missing|entry|layers?|without|cannot|shape|does|fed|chain|damaged|invalid|list|units|of|has)\b/i

const cases: [string, ReturnType<typeof edited>, string, string][] = [
  [
    'a Dense layer whose units is text',
    edited((c) => void (c.config.layers[2].config.units = 'abc')),
    'the Dense layer has an invalid units: "abc"',
    'a camada Dense tem units inválido: "abc"',
  ],
  [
    'a Dense layer without units',
    edited((c) => void delete c.config.layers[2].config.units),
    'the Dense layer has no units',
    'a camada Dense não tem units',
  ],
  [
    'an empty layer list',
    edited((c) => void (c.config.layers = [])),
    'it lists no layers',
    'ela não lista nenhuma camada',
  ],
  [
    'an InputLayer without a shape',
    edited((c) => void delete c.config.layers[0].config.batch_shape),
    'the InputLayer has no shape',
    'a InputLayer não tem formato',
  ],
  [
    'a negative input size',
    edited((c) => void (c.config.layers[0].config.batch_shape = [null, 28, -28])),
    'the input shape [null,28,-28] is not a list',
    'o formato de entrada [null,28,-28] não é uma lista',
  ],
  [
    'a layer entry that is text',
    edited((c) => void ((c.config.layers as unknown[])[1] = 'Flatten')),
    'an entry of the layer list is not a layer',
    'um item da lista de camadas não é uma camada',
  ],
  [
    'a functional model whose layer is fed by a missing one',
    edited(() => ({
      class_name: 'Functional',
      config: {
        layers: [
          {
            class_name: 'InputLayer',
            name: 'in',
            config: { name: 'in', batch_shape: [null, 784] },
            inbound_nodes: [],
          },
          {
            class_name: 'Dense',
            name: 'out',
            config: { name: 'out', units: 10 },
            inbound_nodes: [[['ghost', 0, 0, {}]]],
          },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
    })),
    'layer out is fed by ghost, which is not in the model',
    'a camada out recebe de ghost, que não está no modelo',
  ],
]

describe('a damaged Keras model description, said in the reader’s language', () => {
  for (const [what, files, en, pt] of cases) {
    it(what, async () => {
      const err = await refusal(readKerasArchive(files, 'mlp.keras'))
      expect(err.code).toBe('MODEL_CORRUPT')
      expect(err.localized('en')).toContain(`(${en}`)
      expect(err.message).toBe(err.localized('en'))
      const message = err.localized('pt-BR')
      expect(message).toContain(`(${pt}`)
      expect(
        message.replace(
          /"[^"]*"|\[[^\]]*\]|\b(InputLayer|Dense|Keras|TensorFlow\.js|units|out|ghost)\b/g,
          '',
        ),
      ).not.toMatch(ENGLISH)
    })
  }

  it('an oversized description writes its numbers the reader’s way', async () => {
    const layer = { class_name: 'Dense', config: { name: 'd', units: 1 } }
    const huge = edited(() => ({
      class_name: 'Sequential',
      config: { layers: Array.from({ length: 30_000 }, () => layer) },
    }))
    const err = await refusal(readKerasArchive(huge, 'many.keras'))
    expect(err.key).toBe('modelfiles.configTooLarge')
    expect(err.localized('en')).toContain('more than the 1,048,576')
    expect(err.localized('pt-BR')).toContain('mais do que os 1.048.576')
    expect(err.localized('pt-BR')).not.toContain('1,048,576')
  })

  it('an unknown layer class is named as written, in a Portuguese sentence', async () => {
    const lstm = edited((c) => void (c.config.layers[2].class_name = 'LSTM'))
    const err = await refusal(readKerasArchive(lstm, 'lstm.keras'))
    expect(err.localized('pt-BR')).toContain(
      'Este modelo usa uma camada LSTM, que o Sinapse não suporta',
    )
  })

  it('a damaged .h5 or archive: the library’s English stays out of the Portuguese message', async () => {
    const truncated = new Uint8Array(readFileSync(join(FIXTURES, 'mnist_cnn_keras3.h5'))).slice(
      0,
      20000,
    )
    const h5 = await refusal(readKerasH5(truncated, 't.h5'))
    expect(h5.key).toBe('modelfiles.h5Damaged')
    expect(h5.localized('pt-BR')).toBe(
      'Não foi possível ler o arquivo t.h5 como HDF5: ele está danificado ou incompleto. Copie-o de novo.',
    )
    const zip = readFileSync(join(FIXTURES, 'mnist_mlp_keras3.keras'))
    let cut: unknown = null
    try {
      readZip(new Uint8Array(zip).slice(0, zip.length - 30), 'cut.keras')
    } catch (e) {
      cut = e
    }
    expect(cut).toMatchObject({ key: 'modelfiles.zipDamaged' })
    expect((cut as { localized: (l: string) => string }).localized('pt-BR')).toBe(
      'O arquivo compactado cut.keras está danificado. Copie-o de novo.',
    )
  })
})

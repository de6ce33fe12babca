import { Group } from 'h5wasm'
import { describe, expect, it } from 'vitest'
import { readH5 } from '../../../src/main/models/h5'
import { expectedWeightShapes } from '../../../src/main/models/keras-config'
import { writeKerasH5 } from '../../../src/main/models/keras-h5-export'
import { readKerasH5 } from '../../../src/main/models/keras-h5-import'
import { generateKerasModelCode } from '../../../src/shared/keras-code'
import { getPreset } from '../../../src/shared/presets'
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/train-config'

/** The tutorial MLP as the app trains it ([28, 28, 1] images), with deterministic weights. */
function tutorialModel() {
  const spec = getPreset('tutorial-mlp').spec
  let seed = 1
  const weights = expectedWeightShapes(spec).map((layer) =>
    layer.map((shape) =>
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
        seed = (seed * 16807) % 2147483647
        return seed / 2147483647 - 0.5
      }),
    ),
  )
  return { spec, weights }
}

async function declaredInput(bytes: Uint8Array): Promise<unknown> {
  return readH5(bytes, 'x.h5', (file) => {
    void (file.get('model_weights') as Group)
    const config = JSON.parse(file.attrs.model_config.value as string) as {
      config: { layers: { class_name: string; config: { batch_shape: unknown } }[] }
    }
    return config.config.layers[0].config.batch_shape
  })
}

describe('the exported .h5 is the model its Keras code describes', () => {
  it("declares the tutorial MLP's input as (28, 28), like the code shown beside it", async () => {
    const model = tutorialModel()
    const code = generateKerasModelCode(model.spec, DEFAULT_TRAIN_CONFIG)
    expect(code).toContain('Input(shape=(28, 28))')
    const bytes = await writeKerasH5(model, DEFAULT_TRAIN_CONFIG)
    expect(await declaredInput(bytes)).toEqual([null, 28, 28])
  })

  it('reads back as the very same model, without an added Reshape', async () => {
    const model = tutorialModel()
    const back = await readKerasH5(await writeKerasH5(model, DEFAULT_TRAIN_CONFIG), 'mlp.h5')
    expect(back.spec).toEqual(model.spec)
    expect(back.weights).toEqual(model.weights)
  })

  it('keeps 28×28×1 for a CNN, whose code also starts from (28, 28, 1)', async () => {
    const spec = getPreset('lenet-cnn').spec
    const code = generateKerasModelCode(spec, DEFAULT_TRAIN_CONFIG)
    expect(code).toContain('Input(shape=(28, 28, 1))')
    const weights = expectedWeightShapes(spec).map((layer) =>
      layer.map((shape) => new Float32Array(shape.reduce((a, b) => a * b, 1))),
    )
    expect(
      await declaredInput(await writeKerasH5({ spec, weights }, DEFAULT_TRAIN_CONFIG)),
    ).toEqual([null, 28, 28, 1])
  })
})

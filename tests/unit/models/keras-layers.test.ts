import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkBundleModel } from '../../../src/main/bundles/model-check'
import {
  buildTfjsFiles,
  mapKerasConfig,
  type ImportedModel,
} from '../../../src/main/models/keras-config'
import { buildKerasModelConfig, writeKerasH5 } from '../../../src/main/models/keras-h5-export'
import { readKerasH5 } from '../../../src/main/models/keras-h5-import'
import { readTfjsModel } from '../../../src/main/models/tfjs-import'
import { initBackend, tf } from '../../../src/main/training/backend'
import { kerasRelu } from '../../../src/main/training/custom-layers'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { activationOf, layerHealth, traceLayers } from '../../../src/main/training/inspect'
import {
  buildModel,
  createForward,
  crossEntropy,
  reseedDropout,
} from '../../../src/main/training/model-factory'
import { loadModel, saveModel } from '../../../src/main/training/model-io'
import { AppError } from '../../../src/shared/errors'
import { generateKerasModelCode } from '../../../src/shared/keras-code'
import type { LayerSpec, ModelSpec } from '../../../src/shared/model-spec'
import { validateModelSpec } from '../../../src/shared/spec-validation'
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/train-config'
import type { ImageSet } from '../../../src/main/training/datasets/types'

/*
 * The layer kinds added for Keras 2 models, end to end: Keras semantics in TF.js, import of Keras 2
 * and Keras 3 configs, and the round trips (.h5 export → import, TF.js export, Sinapse's own save)
 * giving the same predictions on real MNIST digits.
 */

const conv = (
  filters: number,
  kernelSize: number,
  strides: number,
  padding: 'valid' | 'same',
): LayerSpec => ({
  type: 'conv2d',
  filters,
  kernelSize,
  strides,
  padding,
  activation: 'linear',
  useBias: true,
})

/** The same trunk for both models: every new kind except the two global poolings and Softmax. */
const trunk: LayerSpec[] = [
  { type: 'rescaling', scale: 2, offset: -1 },
  {
    type: 'zeroPadding2d',
    padding: [
      [1, 2],
      [0, 3],
    ],
  },
  conv(4, 3, 2, 'same'),
  { type: 'activation', activation: 'tanh' },
  { type: 'relu', maxValue: 0.6, negativeSlope: 0.1, threshold: 0.05 },
  { type: 'maxPooling2d', poolSize: 3, strides: 2, padding: 'same' },
  conv(6, 3, 1, 'same'),
  { type: 'leakyRelu', negativeSlope: 0.2 },
  { type: 'spatialDropout2d', rate: 0.3 },
  { type: 'averagePooling2d', poolSize: 2, strides: 1, padding: 'valid' },
  {
    type: 'zeroPadding2d',
    padding: [
      [1, 1],
      [1, 1],
    ],
  },
  { type: 'relu', maxValue: null, negativeSlope: 0, threshold: 0 },
]

/** Ends in GlobalAveragePooling2D → Dense(10) → Softmax. */
const specA: ModelSpec = {
  inputShape: [28, 28, 1],
  layers: [
    ...trunk,
    conv(8, 3, 2, 'valid'),
    { type: 'globalAveragePooling2d' },
    { type: 'dense', units: 10, activation: 'linear', useBias: true },
    { type: 'softmax' },
  ],
}

/** Ends in Conv2D(10) → GlobalMaxPooling2D → Activation('softmax'). */
const specB: ModelSpec = {
  inputShape: [28, 28, 1],
  layers: [
    ...trunk,
    conv(10, 3, 2, 'valid'),
    { type: 'globalMaxPooling2d' },
    { type: 'activation', activation: 'softmax' },
  ],
}

const root = mkdtempSync(join(tmpdir(), 'sinapse-keras-layers-'))
let testSet: ImageSet
/** 64 real test digits, values in [0, 1]. */
let images: Float32Array

beforeAll(async () => {
  await initBackend()
  testSet = (await loadDataset('mnist')).test
  images = Float32Array.from(testSet.images.subarray(0, 64 * 784), (b) => b / 255)
}, 60_000)

afterAll(() => rmSync(root, { recursive: true, force: true }))

/** A model of `spec` whose every weight (biases too) is a distinct seeded random value. */
function randomModel(spec: ModelSpec, seed: number): LayersModel {
  const model = buildModel(tf, spec, { ...DEFAULT_TRAIN_CONFIG, seed })
  model.setWeights(
    model.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', seed + i)),
  )
  return model
}

function weightsOf(model: LayersModel): Float32Array[][] {
  return model.layers.map((layer) => layer.getWeights().map((w) => new Float32Array(w.dataSync())))
}

function modelFrom(imported: ImportedModel): LayersModel {
  const model = buildModel(tf, imported.spec, DEFAULT_TRAIN_CONFIG)
  model.setWeights(
    imported.weights.flatMap((layer, i) =>
      layer.map((values, j) => tf.tensor(values, model.layers[i].getWeights()[j].shape)),
    ),
  )
  return model
}

function predict(model: LayersModel): Float32Array {
  return tf.tidy(
    () => (model.predict(tf.tensor(images, [64, 28, 28, 1])) as Tensor).dataSync() as Float32Array,
  )
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length)
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]))
  return max
}

/** Predictions that really depend on the input (not one constant row) and are probabilities. */
function expectMeaningful(p: Float32Array): void {
  for (let r = 0; r < 64; r++) {
    const row = p.subarray(r * 10, r * 10 + 10)
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
  }
  expect(maxDiff(p.subarray(0, 10), p.subarray(10, 20))).toBeGreaterThan(1e-4)
}

function expectAppError(fn: () => unknown, key: string): AppError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).key).toBe(key)
    return err as AppError
  }
  throw new Error(`expected ${key}`)
}

describe('both test models are valid specs', () => {
  it('validate for 10 classes', () => {
    for (const spec of [specA, specB]) {
      const result = validateModelSpec(spec, { classCount: 10, imageShape: [28, 28, 1] })
      expect(result.ok ? 'ok' : result.issues).toBe('ok')
    }
  })
})

describe('Keras semantics in TF.js', () => {
  const x = [-3, -1, 0, 0.5, 1, 2, 5, 8]
  const run = (layer: LayerSpec, values = x, shape = [1, values.length]) => {
    const model = buildModel(
      tf,
      { inputShape: shape.slice(1), layers: [layer] },
      DEFAULT_TRAIN_CONFIG,
    )
    const out = tf.tidy(() =>
      Array.from((model.predict(tf.tensor(values, shape)) as Tensor).dataSync()),
    )
    model.dispose()
    return out
  }
  const close = (actual: number[], expected: number[]) =>
    actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6))

  it('ReLU: cap, slope and threshold exactly as keras.activations.relu', () => {
    const relu = (maxValue: number | null, negativeSlope: number, threshold: number) =>
      run({ type: 'relu', maxValue, negativeSlope, threshold })
    close(relu(null, 0, 0), [0, 0, 0, 0.5, 1, 2, 5, 8])
    close(relu(6, 0, 0), [0, 0, 0, 0.5, 1, 2, 5, 6])
    close(relu(null, 0.5, 0), [-1.5, -0.5, 0, 0.5, 1, 2, 5, 8])
    close(relu(null, 0, 2), [0, 0, 0, 0, 0, 0, 5, 8])
    // x·(x > 1), clipped to [0, 6], minus 0.1·relu(1 − x).
    close(relu(6, 0.1, 1), [-0.4, -0.2, -0.1, -0.05, 0, 2, 5, 6])
    close(
      Array.from(tf.tidy(() => kerasRelu(tf.tensor(x), 0, 0, 0).dataSync())),
      [0, 0, 0, 0, 0, 0, 0, 0],
    )
  })

  it('LeakyReLU, Activation, Softmax and Rescaling', () => {
    close(run({ type: 'leakyRelu', negativeSlope: 0.3 }), [-0.9, -0.3, 0, 0.5, 1, 2, 5, 8])
    close(run({ type: 'leakyRelu', negativeSlope: 0 }), [0, 0, 0, 0.5, 1, 2, 5, 8])
    close(run({ type: 'activation', activation: 'relu' }), [0, 0, 0, 0.5, 1, 2, 5, 8])
    close(run({ type: 'activation', activation: 'sigmoid' }, [0, 2]), [0.5, 1 / (1 + Math.exp(-2))])
    close(run({ type: 'activation', activation: 'linear' }), x)
    close(run({ type: 'rescaling', scale: 1 / 255, offset: -0.5 }, [0, 255, 51]), [-0.5, 0.5, -0.3])
    // Softmax over the LAST axis of a 2×2 input (tfjs's own default would be axis 1 of 3).
    const e = Math.exp(1)
    close(run({ type: 'softmax' }, [0, 1, 1, 0], [1, 2, 2]), [
      1 / (1 + e),
      e / (1 + e),
      e / (1 + e),
      1 / (1 + e),
    ])
  })

  it('ZeroPadding2D puts zeros on each side; global pooling takes each channel whole', () => {
    // A 2×2 image with 2 channels: channel 0 = 1..4, channel 1 = 10..40.
    const image = [1, 10, 2, 20, 3, 30, 4, 40]
    const padded = run(
      {
        type: 'zeroPadding2d',
        padding: [
          [1, 0],
          [0, 2],
        ],
      },
      image,
      [1, 2, 2, 2],
    )
    // 3 rows × 4 columns × 2 channels: a row of zeros on top, two columns of zeros on the right.
    expect(padded).toEqual([
      ...[0, 0, 0, 0, 0, 0, 0, 0],
      ...[1, 10, 2, 20, 0, 0, 0, 0],
      ...[3, 30, 4, 40, 0, 0, 0, 0],
    ])
    close(run({ type: 'globalAveragePooling2d' }, image, [1, 2, 2, 2]), [2.5, 25])
    close(run({ type: 'globalMaxPooling2d' }, image, [1, 2, 2, 2]), [4, 40])
  })

  it('SpatialDropout2D drops whole channels while training and nothing at inference', () => {
    const layer: LayerSpec = { type: 'spatialDropout2d', rate: 0.5 }
    const ones = new Array(4 * 3 * 3 * 8).fill(1)
    expect(run(layer, ones, [4, 3, 3, 8])).toEqual(ones)
    const model = buildModel(tf, { inputShape: [3, 3, 8], layers: [layer] }, DEFAULT_TRAIN_CONFIG)
    const forward = createForward(tf, model)
    const trained = (step: number) => {
      reseedDropout(model, 7, step)
      return tf.tidy(() =>
        Array.from(forward(tf.ones([4, 3, 3, 8]), true).output.dataSync() as Float32Array),
      )
    }
    const out = trained(0)
    let dropped = 0
    for (let b = 0; b < 4; b++) {
      for (let c = 0; c < 8; c++) {
        const channel = [...Array(9).keys()].map((p) => out[b * 72 + p * 8 + c])
        // Each channel of each image is all 0 or all 1 / (1 − 0.5) = 2.
        expect(new Set(channel).size).toBe(1)
        expect([0, 2]).toContain(channel[0])
        if (channel[0] === 0) dropped++
      }
    }
    expect(dropped).toBeGreaterThan(0)
    expect(dropped).toBeLessThan(32)
    expect(trained(1)).not.toEqual(out)
    expect(trained(0)).toEqual(out)
    model.dispose()
  })

  it('a separate final softmax trains from the logits, like a softmax Dense', () => {
    for (const spec of [specA, specB]) {
      const model = randomModel(spec, 5)
      const forward = createForward(tf, model)
      tf.tidy(() => {
        const x = tf.tensor(images.subarray(0, 4 * 784), [4, 28, 28, 1])
        const out = forward(x, false)
        expect(out.fromLogits).toBe(true)
        const probs = tf.softmax(out.output).dataSync()
        const direct = (model.predict(x) as Tensor).dataSync()
        probs.forEach((p, i) => expect(p).toBeCloseTo(direct[i], 6))
        const loss = crossEntropy(tf, out, tf.tensor1d([7, 2, 1, 0], 'int32')).dataSync()
        expect(loss.every((v) => Number.isFinite(v) && v > 0)).toBe(true)
      })
      model.dispose()
    }
  })
})

describe('round trips keep every prediction (within 1e-6)', () => {
  for (const [name, spec] of [
    ['A (global average pooling, Softmax)', specA],
    ['B (global max pooling, Activation softmax)', specB],
  ] as const) {
    it(`model ${name}: .h5 export → import`, async () => {
      const model = randomModel(spec, 11)
      const original: ImportedModel = { spec, weights: weightsOf(model) }
      const before = predict(model)
      expectMeaningful(before)
      const h5 = await writeKerasH5(original, DEFAULT_TRAIN_CONFIG)
      const back = await readKerasH5(h5, 'model.h5')
      expect(back.spec).toEqual(spec)
      const again = modelFrom(back)
      expect(maxDiff(predict(again), before)).toBeLessThanOrEqual(1e-6)
      // And once more: the re-imported model exports the same Keras config.
      expect(buildKerasModelConfig(back)).toEqual(buildKerasModelConfig(original))
      model.dispose()
      again.dispose()
    })

    it(`model ${name}: TF.js export loads in TF.js and imports back`, async () => {
      const model = randomModel(spec, 13)
      const before = predict(model)
      const { modelJson, weightsBin } = buildTfjsFiles({ spec, weights: weightsOf(model) })
      const json = JSON.parse(new TextDecoder().decode(modelJson))
      const loaded = await tf.loadLayersModel({
        load: async () => ({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: weightsBin.slice().buffer,
        }),
      })
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(
        model.layers.map((l) => l.getClassName()),
      )
      expect(maxDiff(predict(loaded), before)).toBeLessThanOrEqual(1e-6)
      const files = [
        { name: 'model.json', bytes: modelJson },
        { name: 'weights.bin', bytes: weightsBin },
      ]
      expect(readTfjsModel(files).spec).toEqual(spec)
      model.dispose()
      loaded.dispose()
    })

    it(`model ${name}: Sinapse's own save and load, and the bundle check`, async () => {
      const model = randomModel(spec, 17)
      const before = predict(model)
      const dir = join(root, `saved-${spec.layers.length}-${name[0]}`)
      await saveModel(tf, model, dir)
      const loaded = await loadModel(tf, dir, null)
      expect(maxDiff(predict(loaded), before)).toBeLessThanOrEqual(1e-6)
      const files = readdirSync(dir).map((f) => ({
        name: f,
        bytes: new Uint8Array(readFileSync(join(dir, f))),
      }))
      expect(() => checkBundleModel('run.sinapse', spec, files)).not.toThrow()
      model.dispose()
      loaded.dispose()
    })
  }
})

describe('Keras configs: Keras 2 and Keras 3 layouts of each new kind', () => {
  const sequential = (...layers: { class_name: string; config: object }[]) => ({
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1] } },
        ...layers.map((l, i) => ({
          class_name: l.class_name,
          config: { name: `l${i}`, ...l.config },
        })),
      ],
    },
  })
  const mapOne = (className: string, config: object): LayerSpec =>
    mapKerasConfig(sequential({ class_name: className, config })).layers[0].layer

  it('Activation (Keras 2 and 3 alike)', () => {
    expect(mapOne('Activation', { activation: 'relu' })).toEqual({
      type: 'activation',
      activation: 'relu',
    })
    expect(mapOne('Activation', { activation: 'softmax', trainable: true })).toEqual({
      type: 'activation',
      activation: 'softmax',
    })
  })

  it('ReLU: Keras 2 writes floats or None; defaults when left out', () => {
    expect(
      mapOne('ReLU', { max_value: 6.0, negative_slope: 0.0, threshold: 0.0, dtype: 'float32' }),
    ).toEqual({ type: 'relu', maxValue: 6, negativeSlope: 0, threshold: 0 })
    expect(mapOne('ReLU', { max_value: null, negative_slope: 0.1, threshold: 0.5 })).toEqual({
      type: 'relu',
      maxValue: null,
      negativeSlope: 0.1,
      threshold: 0.5,
    })
    expect(mapOne('ReLU', {})).toEqual({
      type: 'relu',
      maxValue: null,
      negativeSlope: 0,
      threshold: 0,
    })
  })

  it('LeakyReLU: Keras 2 alpha, Keras 3 negative_slope, default 0.3', () => {
    expect(mapOne('LeakyReLU', { alpha: 0.1 })).toEqual({ type: 'leakyRelu', negativeSlope: 0.1 })
    expect(mapOne('LeakyReLU', { negative_slope: 0.2 })).toEqual({
      type: 'leakyRelu',
      negativeSlope: 0.2,
    })
    expect(mapOne('LeakyReLU', {})).toEqual({ type: 'leakyRelu', negativeSlope: 0.3 })
  })

  it('Softmax, Rescaling, ZeroPadding2D, global pooling and SpatialDropout2D', () => {
    expect(mapOne('Softmax', { axis: -1 })).toEqual({ type: 'softmax' })
    expect(mapOne('Softmax', { axis: [-1] })).toEqual({ type: 'softmax' })
    expect(mapOne('Softmax', {})).toEqual({ type: 'softmax' })
    expect(mapOne('Rescaling', { scale: 0.00392156862745098, offset: 0.0 })).toEqual({
      type: 'rescaling',
      scale: 0.00392156862745098,
      offset: 0,
    })
    expect(mapOne('Rescaling', { scale: 2 })).toEqual({ type: 'rescaling', scale: 2, offset: 0 })
    expect(
      mapOne('ZeroPadding2D', {
        padding: [
          [1, 2],
          [3, 4],
        ],
        data_format: 'channels_last',
      }),
    ).toEqual({
      type: 'zeroPadding2d',
      padding: [
        [1, 2],
        [3, 4],
      ],
    })
    expect(mapOne('ZeroPadding2D', {})).toEqual({
      type: 'zeroPadding2d',
      padding: [
        [1, 1],
        [1, 1],
      ],
    })
    expect(
      mapOne('GlobalAveragePooling2D', { data_format: 'channels_last', keepdims: false }),
    ).toEqual({ type: 'globalAveragePooling2d' })
    expect(mapOne('GlobalMaxPooling2D', {})).toEqual({ type: 'globalMaxPooling2d' })
    // Keras 2 stores Dropout's fields (noise_shape, seed) and no data_format.
    expect(
      mapOne('SpatialDropout2D', { rate: 0.25, noise_shape: null, seed: null, trainable: true }),
    ).toEqual({ type: 'spatialDropout2d', rate: 0.25 })
    expect(
      mapOne('SpatialDropout2D', { rate: 0.1, seed: null, data_format: 'channels_last' }),
    ).toEqual({ type: 'spatialDropout2d', rate: 0.1 })
  })

  it('strided and same-padded Conv2D and pooling', () => {
    expect(
      mapOne('Conv2D', {
        filters: 8,
        kernel_size: [5, 5],
        strides: [2, 2],
        padding: 'same',
        activation: 'linear',
      }),
    ).toEqual(conv(8, 5, 2, 'same'))
    expect(
      mapOne('AveragePooling2D', { pool_size: [3, 3], strides: [1, 1], padding: 'same' }),
    ).toEqual({ type: 'averagePooling2d', poolSize: 3, strides: 1, padding: 'same' })
    expect(mapOne('MaxPooling2D', { pool_size: [2, 2], strides: null })).toEqual({
      type: 'maxPooling2d',
      poolSize: 2,
      strides: 2,
      padding: 'valid',
    })
  })

  it('refuses options Sinapse cannot reproduce, naming them', () => {
    const option = (className: string, config: object) =>
      expectAppError(() => mapOne(className, config), 'modelfiles.unsupportedOption').params
    expect(option('Activation', { activation: 'elu' })).toEqual({
      className: 'Activation',
      option: 'activation=elu',
    })
    expect(option('Softmax', { axis: 1 }).option).toBe('axis=1')
    expect(option('Softmax', { axis: [1, 2] }).option).toBe('axis=[1,2]')
    expect(option('Rescaling', { scale: [0.5, 0.25, 1] }).option).toBe('scale=[0.5,0.25,1]')
    expect(option('Rescaling', { scale: 1, offset: [1] }).option).toBe('offset=[1]')
    expect(option('GlobalAveragePooling2D', { keepdims: true }).option).toBe('keepdims=True')
    expect(option('GlobalMaxPooling2D', { data_format: 'channels_first' }).option).toBe(
      'data_format=channels_first',
    )
    expect(option('ZeroPadding2D', { data_format: 'channels_first' }).option).toBe(
      'data_format=channels_first',
    )
    expect(option('SpatialDropout2D', { rate: 0.1, data_format: 'channels_first' }).option).toBe(
      'data_format=channels_first',
    )
  })

  it('refuses damaged values as a damaged config', () => {
    const damaged = (className: string, config: object) =>
      String(expectAppError(() => mapOne(className, config), 'modelfiles.badConfig').params.detail)
    expect(damaged('ReLU', { max_value: '6' })).toContain('max_value')
    expect(damaged('ReLU', { negative_slope: null })).toContain('negative_slope')
    expect(damaged('ReLU', { threshold: 'x' })).toContain('threshold')
    expect(damaged('LeakyReLU', { alpha: null })).toContain('alpha')
    expect(damaged('LeakyReLU', { negative_slope: 'a' })).toContain('negative_slope')
    expect(damaged('Rescaling', {})).toContain('scale')
    expect(damaged('ZeroPadding2D', { padding: [1, 2, 3] })).toContain('padding')
    expect(damaged('SpatialDropout2D', {})).toContain('rate')
  })

  it('names an unknown layer type in a sentence without a wrong article, in both languages', () => {
    const err = expectAppError(() => mapOne('PReLU', {}), 'modelfiles.unknownLayer')
    expect(err.localized('en')).toMatch(
      /^This model uses a layer of type PReLU, which Sinapse does not support\. Sinapse imports these layer types: InputLayer, Flatten, Dense, .*Activation, ReLU, LeakyReLU, Softmax, Rescaling, ZeroPadding2D, GlobalAveragePooling2D, GlobalMaxPooling2D, SpatialDropout2D\.$/,
    )
    expect(err.localized('pt-BR')).toMatch(
      /^Este modelo usa uma camada PReLU, que o Sinapse não suporta\. O Sinapse importa estes tipos de camada: InputLayer, .*SpatialDropout2D\.$/,
    )
    const option = expectAppError(
      () => mapOne('Activation', { activation: 'elu' }),
      'modelfiles.unsupportedOption',
    )
    expect(option.localized('en')).toMatch(
      /^This model uses a layer of type Activation with activation=elu,/,
    )
  })

  it('the .h5 export writes Keras 3 configs (negative_slope, keepdims)', () => {
    const model = randomModel(specA, 3)
    const config = buildKerasModelConfig({ spec: specA, weights: weightsOf(model) }) as {
      config: { layers: { class_name: string; config: Record<string, unknown> }[] }
    }
    const byClass = (name: string) =>
      config.config.layers.find((l) => l.class_name === name)?.config ?? {}
    expect(byClass('LeakyReLU')).toMatchObject({ negative_slope: 0.2 })
    expect(byClass('LeakyReLU')).not.toHaveProperty('alpha')
    expect(byClass('ReLU')).toMatchObject({ max_value: 0.6, negative_slope: 0.1, threshold: 0.05 })
    expect(byClass('GlobalAveragePooling2D')).toMatchObject({ keepdims: false })
    expect(byClass('Softmax')).toMatchObject({ axis: -1, name: 'softmax' })
    expect(byClass('ZeroPadding2D')).toMatchObject({ name: 'zero_padding2d' })
    expect(byClass('SpatialDropout2D')).toMatchObject({ rate: 0.3, name: 'spatial_dropout2d' })
    model.dispose()
  })
})

describe('X-ray and Keras code for the new kinds', () => {
  it('traces every layer of both models and checks the health of the activation layers', () => {
    for (const spec of [specA, specB]) {
      const model = randomModel(spec, 19)
      const trace = traceLayers(tf, model, images.subarray(0, 784))
      expect(trace.layers.map((l) => l.className)).toEqual(
        model.layers.map((l) => l.getClassName()),
      )
      expect(trace.layers[1].outputShape).toEqual([31, 31, 1])
      expect(trace.probabilities).toHaveLength(10)
      expect(trace.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
      const named = trace.histograms.map((h) => h.activation)
      expect(named).toEqual(expect.arrayContaining(['tanh', 'relu', 'leaky_relu']))
      const health = layerHealth(tf, model, testSet, 32)
      expect(health.map((h) => [h.name, h.activation])).toEqual(
        expect.arrayContaining([
          ['activation', 'tanh'],
          ['re_lu', 'relu'],
        ]),
      )
      model.dispose()
    }
  })

  it('names the activation of every activation layer', () => {
    const model = randomModel(specA, 23)
    const byName = Object.fromEntries(model.layers.map((l) => [l.name, activationOf(l)]))
    expect(byName).toMatchObject({
      activation: 'tanh',
      re_lu: 'relu',
      leaky_re_lu: 'leaky_relu',
      softmax: 'softmax',
      rescaling: null,
      zero_padding2d: null,
    })
    model.dispose()
  })

  it('writes each new kind as Keras code', () => {
    const code = generateKerasModelCode(
      {
        inputShape: [28, 28, 1],
        layers: [
          ...specA.layers,
          {
            type: 'zeroPadding2d',
            padding: [
              [2, 2],
              [3, 3],
            ],
          },
          { type: 'relu', maxValue: 6, negativeSlope: 0, threshold: 0 },
          { type: 'globalMaxPooling2d' },
        ],
      },
      DEFAULT_TRAIN_CONFIG,
    )
    for (const line of [
      'tf.keras.layers.Rescaling(2, offset=-1),',
      'tf.keras.layers.ZeroPadding2D(padding=((1, 2), (0, 3))),',
      "tf.keras.layers.Conv2D(4, (3, 3), strides=(2, 2), padding='same'),",
      "tf.keras.layers.Activation('tanh'),",
      'tf.keras.layers.ReLU(max_value=0.6, negative_slope=0.1, threshold=0.05),',
      "tf.keras.layers.MaxPooling2D(pool_size=(3, 3), strides=(2, 2), padding='same'),",
      'tf.keras.layers.LeakyReLU(0.2),',
      'tf.keras.layers.SpatialDropout2D(0.3),',
      "tf.keras.layers.AveragePooling2D(pool_size=(2, 2), strides=(1, 1), padding='valid'),",
      'tf.keras.layers.ZeroPadding2D(padding=1),',
      'tf.keras.layers.ReLU(),',
      'tf.keras.layers.GlobalAveragePooling2D(),',
      'tf.keras.layers.Softmax(),',
      'tf.keras.layers.ZeroPadding2D(padding=(2, 3)),',
      'tf.keras.layers.ReLU(max_value=6),',
      'tf.keras.layers.GlobalMaxPooling2D()',
    ]) {
      expect(code).toContain(line)
    }
  })
})

import type { Tensor } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { getPreset } from '../../../src/shared/presets'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import type { ImageSet } from '../../../src/main/training/datasets/types'
import {
  OCCLUSION_PATCH,
  convFilters,
  denseTemplates,
  layerHealth,
  occlusionMap,
  saliencyMap,
  testInputs,
  topActivations,
  traceLayers,
} from '../../../src/main/training/inspect'
import { buildModel } from '../../../src/main/training/model-factory'

let test: ImageSet
let lenet: LayersModel
let mlp: LayersModel

beforeAll(async () => {
  await initBackend()
  test = (await loadDataset('mnist')).test
  const cnn = getPreset('lenet-cnn')
  lenet = buildModel(tf, cnn.spec, { ...cnn.config, seed: 3 })
  const dense = getPreset('tutorial-mlp')
  mlp = buildModel(tf, dense.spec, { ...dense.config, seed: 4 })
}, 60_000)

/** Each layer applied by hand to the previous one's output: the reference for the trace. */
function chainedOutputs(
  model: LayersModel,
  input: Float32Array,
): { shape: number[]; values: number[] }[] {
  return tf.tidy(() => {
    let h = tf.tensor(input, [1, 28, 28, 1]) as Tensor
    return model.layers.map((layer) => {
      h = layer.apply(h, { training: false }) as Tensor
      return { shape: h.shape.slice(1), values: Array.from(h.dataSync()) }
    })
  })
}

function expectClose(actual: number[], expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]))
  expect(worst).toBeLessThan(tol)
}

describe('traceLayers', () => {
  it.each([
    ['LeNet', () => lenet],
    ['tutorial MLP', () => mlp],
  ])("equals the %s's layers applied one after another, in Keras layout", (_, model) => {
    const input = testInputs(test, 7, 1)
    const trace = traceLayers(tf, model(), input)
    const reference = chainedOutputs(model(), input)
    expect(trace.layers.map((l) => l.className)).toEqual(
      model().layers.map((l) => l.getClassName()),
    )
    trace.layers.forEach((layer, i) => {
      expect(layer.outputShape).toEqual(reference[i].shape)
      expectClose(layer.output, reference[i].values)
    })
    const predicted = (model().predict(tf.tensor(input, [1, 28, 28, 1])) as Tensor).dataSync()
    expectClose(trace.probabilities, Array.from(predicted))
  })

  it('shows LeNet feature maps channels last, and a histogram of every hidden layer', () => {
    const trace = traceLayers(tf, lenet, testInputs(test, 0, 1))
    const conv = trace.layers.find((l) => l.className === 'Conv2D')!
    expect(conv.outputShape).toHaveLength(3)
    expect(conv.outputShape.slice(0, 2)).toEqual([28, 28])
    const hidden = trace.layers.filter((l, i) => l.activation && i < trace.layers.length - 1)
    expect(trace.histograms.map((h) => h.name)).toEqual(hidden.map((l) => l.name))
    for (const h of trace.histograms) {
      const layer = trace.layers[h.layer]
      expect(h.counts.reduce((a, b) => a + b, 0)).toBe(layer.output.length)
      expect(h.min).toBe(Math.min(...layer.output))
      expect(h.max).toBe(Math.max(...layer.output))
    }
  })
})

describe('saliency and occlusion', () => {
  it('gives a 28×28 saliency map equal to |∂ logit / ∂ input| computed directly', () => {
    const input = testInputs(test, 3, 1)
    const { probabilities } = traceLayers(tf, mlp, input)
    const digit = probabilities.indexOf(Math.max(...probabilities))
    const map = saliencyMap(tf, mlp, input, digit)
    expect(map).toHaveLength(28 * 28)
    // The MLP's logits are linear in the hidden layer: d logit / d x = W1 · diag(relu') · W2[:, c].
    const expected = tf.tidy(() => {
      const [w1, b1, w2] = mlp.layers.filter((l) => l.weights.length).flatMap((l) => l.getWeights())
      const x = tf.tensor(input, [1, 784])
      const active = tf.cast(tf.greater(tf.add(tf.matMul(x, w1), b1), 0), 'float32')
      const column = tf.slice(w2, [0, digit], [-1, 1])
      return Array.from(
        tf.abs(tf.matMul(w1, tf.mul(tf.reshape(active, [-1, 1]), column))).dataSync(),
      )
    })
    expectClose(map, expected, 1e-4)
    expect(Math.max(...map)).toBeGreaterThan(0)
  })

  it('measures the drop when the square around a pixel is blanked', () => {
    const input = testInputs(test, 0, 1)
    const { probabilities } = traceLayers(tf, lenet, input)
    const digit = probabilities.indexOf(Math.max(...probabilities))
    const map = occlusionMap(tf, lenet, input, digit, probabilities[digit])
    expect(map).toHaveLength(784)
    const [row, col] = [14, 13]
    const hidden = Float32Array.from(input)
    const half = (OCCLUSION_PATCH - 1) / 2
    for (let r = row - half; r <= row + half; r++)
      for (let c = col - half; c <= col + half; c++) hidden[r * 28 + c] = 0
    const p = (lenet.predict(tf.tensor(hidden, [1, 28, 28, 1])) as Tensor).dataSync()[digit]
    expect(map[row * 28 + col]).toBeCloseTo(probabilities[digit] - p, 5)
    // Blanking the empty corner changes nothing.
    expect(map[0]).toBeCloseTo(0, 6)
  })
})

describe('weights', () => {
  it("turns the MLP's first Dense kernel into one 28×28 template per unit", () => {
    const templates = denseTemplates(mlp)!
    const kernel = mlp.layers.find((l) => l.getClassName() === 'Dense')!.getWeights()[0]
    const [inputs, units] = kernel.shape
    expect(inputs).toBe(784)
    expect(templates.units).toBe(units)
    const w = kernel.dataSync()
    for (const [u, p] of [
      [0, 0],
      [5, 400],
      [units - 1, 783],
    ])
      expect(templates.values[u * 784 + p]).toBe(w[p * units + u])
    expect(denseTemplates(lenet)).toBeNull()
  })

  it("returns LeNet's conv kernels in Keras layout", () => {
    const filters = convFilters(lenet)
    const convs = lenet.layers.filter((l) => l.getClassName() === 'Conv2D')
    expect(filters.map((f) => f.name)).toEqual(convs.map((l) => l.name))
    expect(filters[0].shape).toEqual(convs[0].getWeights()[0].shape)
    expect(filters[0].values).toEqual(Array.from(convs[0].getWeights()[0].dataSync()))
    expect(convFilters(mlp)).toEqual([])
  })
})

describe('unit health and top images', () => {
  it('counts a ReLU unit pushed far below zero as dead, and only it', () => {
    const dense = getPreset('tutorial-mlp')
    const model = buildModel(tf, dense.spec, { ...dense.config, seed: 5 })
    const hidden = model.layers.find((l) => l.getClassName() === 'Dense')!
    const [kernel, bias] = hidden.getWeights()
    const before = layerHealth(tf, model, test, 200)[0]
    const b = Array.from(bias.dataSync())
    const deadBefore = Math.round(before.deadShare! * b.length)
    b[0] = -1000
    hidden.setWeights([kernel, tf.tensor1d(b)])
    const after = layerHealth(tf, model, test, 200)
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ activation: 'relu', units: b.length, images: 200 })
    expect(Math.round(after[0].deadShare! * b.length)).toBe(deadBefore + 1)
    expect(after[0].saturatedShare).toBeNull()
    model.dispose()
  })

  it('finds the test images that excite a unit most, strongest first', () => {
    const unit = 3
    const top = topActivations(tf, mlp, test, 1, unit, 5)
    expect(top).toHaveLength(5)
    for (let i = 1; i < top.length; i++)
      expect(top[i - 1].activation).toBeGreaterThanOrEqual(top[i].activation)
    const all = tf.tidy(() => {
      const x = tf.tensor(testInputs(test, 0, test.count), [test.count, 28, 28, 1])
      const h = mlp.layers[1].apply(mlp.layers[0].apply(x)) as Tensor
      return tf.slice(h, [0, unit], [-1, 1]).dataSync()
    })
    let best = 0
    for (let i = 1; i < all.length; i++) if (all[i] > all[best]) best = i
    expect(top[0].index).toBe(best)
    expect(top[0].activation).toBeCloseTo(all[best], 5)
    expect(() => topActivations(tf, mlp, test, 1, 10_000, 5)).toThrow(/unit/)
  })

  it('leaves no tensor behind', () => {
    const input = testInputs(test, 1, 1)
    const all = () => {
      for (const model of [lenet, mlp]) {
        traceLayers(tf, model, input)
        saliencyMap(tf, model, input, 2)
        occlusionMap(tf, model, input, 2, 0.5)
        convFilters(model)
        denseTemplates(model)
        layerHealth(tf, model, test, 50)
      }
      topActivations(tf, mlp, test, 1, 0, 3)
    }
    all()
    const before = tf.memory().numTensors
    all()
    expect(tf.memory().numTensors).toBe(before)
  })
})

import { afterAll, describe, expect, it } from 'vitest'
import {
  HiddenLayerNet,
  NEURON_ACTIVATIONS,
  PLANE,
  accuracy,
  addPoint,
  presetPoints,
  readNeuron,
  trainEpoch,
  type Neuron,
} from '../../../../src/renderer/src/lib/learn/perceptron'
import { readyTf, tf } from '../../../../src/renderer/src/lib/learn/tf'

const START: Neuron = { w1: 0.3, w2: -0.4, b: 0.1, activation: 'step' }

function trainNeuron(neuron: Neuron, preset: 'and' | 'or' | 'xor', epochs: number, lr = 0.1) {
  const points = presetPoints(preset)
  let n = neuron
  let best = 0
  for (let i = 0; i < epochs; i++) {
    n = trainEpoch(n, points, lr)
    best = Math.max(
      best,
      accuracy(points, (a, b) => readNeuron(n, a, b).predicted),
    )
  }
  return { neuron: n, final: accuracy(points, (a, b) => readNeuron(n, a, b).predicted), best }
}

describe('perceptron lab', () => {
  afterAll(() => expect(tf.memory().numTensors).toBe(0))

  it('learns AND and OR to 100% with the step rule', () => {
    expect(trainNeuron(START, 'and', 50).final).toBe(1)
    expect(trainNeuron(START, 'or', 50).final).toBe(1)
  })

  it('learns AND and OR with every smooth activation', () => {
    for (const activation of NEURON_ACTIVATIONS.filter((a) => a !== 'step' && a !== 'relu')) {
      expect(trainNeuron({ ...START, activation }, 'and', 2000, 0.5).final).toBe(1)
      expect(trainNeuron({ ...START, activation }, 'or', 2000, 0.5).final).toBe(1)
    }
  })

  it('never passes 75% on XOR with one neuron, whatever the activation', () => {
    for (const activation of NEURON_ACTIVATIONS) {
      expect(trainNeuron({ ...START, activation }, 'xor', 500, 0.3).best).toBeLessThanOrEqual(0.75)
    }
  })

  it('shows the weighted sum the readout prints', () => {
    const r = readNeuron({ w1: 2, w2: -1, b: 0.5, activation: 'sigmoid' }, 1, 1)
    expect(r.z).toBeCloseTo(1.5, 12)
    expect(r.out).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 12)
    expect(r.predicted).toBe(1)
  })

  it('refuses a point outside the plane and keeps the points as they were', () => {
    const points = presetPoints('and')
    expect(addPoint(points, { x1: PLANE.max + 0.01, x2: 0, label: 1 })).toEqual({ ok: false })
    expect(addPoint(points, { x1: Number.NaN, x2: 0, label: 1 })).toEqual({ ok: false })
    expect(points).toHaveLength(4)
    const added = addPoint(points, { x1: 0.5, x2: 1.5, label: 0 })
    expect(added.ok && added.points).toHaveLength(5)
  })

  it('solves XOR with a hidden layer of 2 to 8 neurons (seeded, on TensorFlow.js)', async () => {
    await readyTf()
    const points = presetPoints('xor')
    for (let hidden = 2; hidden <= 8; hidden++) {
      const net = new HiddenLayerNet(hidden, 7)
      let steps = 0
      while (accuracy(points, net.classify) < 1 && steps < 3000) {
        net.train(points, 10)
        steps += 10
      }
      expect(accuracy(points, net.classify), `${hidden} hidden neurons`).toBe(1)
      net.dispose()
    }
  })
})

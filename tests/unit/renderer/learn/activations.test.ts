import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACTIVATIONS } from '../../../../src/shared/model-spec'
import {
  ELEMENTWISE_ACTIVATIONS,
  activationAt,
  activationCurve,
  softmaxWithTemperature,
} from '../../../../src/renderer/src/lib/learn/activations'
import { readyTf, tf } from '../../../../src/renderer/src/lib/learn/tf'

describe('activations lab', () => {
  beforeAll(() => readyTf())
  afterAll(() => expect(tf.memory().numTensors).toBe(0))

  it('draws every activation the builder offers (softmax in its own panel)', () => {
    expect([...ELEMENTWISE_ACTIVATIONS, 'softmax'].sort()).toEqual([...ACTIVATIONS].sort())
  })

  it('gives f and its derivative', () => {
    const s = 1 / (1 + Math.exp(-0.7))
    expect(activationAt('sigmoid', 0.7).f).toBeCloseTo(s, 6)
    expect(activationAt('sigmoid', 0.7).df).toBeCloseTo(s * (1 - s), 6)
    expect(activationAt('tanh', -0.4).df).toBeCloseTo(1 - Math.tanh(-0.4) ** 2, 6)
    expect(activationAt('relu', -2)).toEqual({ f: 0, df: 0 })
    expect(activationAt('relu', 3)).toEqual({ f: 3, df: 1 })
    expect(activationAt('linear', -2)).toEqual({ f: -2, df: 1 })
    const curve = activationCurve('relu', -1, 1, 5)
    expect(curve.xs).toEqual([-1, -0.5, 0, 0.5, 1])
    expect(curve.f).toEqual([0, 0, 0, 0.5, 1])
  })

  it('softmax adds to 1, and the temperature flattens or sharpens it', () => {
    const logits = [2, 1, 0.5, -1]
    const p1 = softmaxWithTemperature(logits, 1)
    const exps = logits.map(Math.exp)
    const sum = exps.reduce((a, b) => a + b)
    p1.forEach((p, i) => expect(p).toBeCloseTo(exps[i] / sum, 6))
    const hot = softmaxWithTemperature(logits, 5)
    const cold = softmaxWithTemperature(logits, 0.2)
    expect(hot[0]).toBeLessThan(p1[0])
    expect(cold[0]).toBeGreaterThan(0.99)
    expect(hot.reduce((a, b) => a + b)).toBeCloseTo(1, 6)
    expect(() => softmaxWithTemperature(logits, 0)).toThrow(RangeError)
  })
})

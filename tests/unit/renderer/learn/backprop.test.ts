import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  PARAMS,
  START_NET,
  backward,
  forward,
  tfGradients,
  update,
  type TinyNet,
} from '../../../../src/renderer/src/lib/learn/backprop'
import { readyTf, tf } from '../../../../src/renderer/src/lib/learn/tf'

describe('backpropagation lab', () => {
  beforeAll(() => readyTf())
  afterAll(() => expect(tf.memory().numTensors).toBe(0))

  it('gives the gradients tf.grad computes, within 1e-6, step after step', () => {
    let net: TinyNet = START_NET
    for (let step = 0; step < 10; step++) {
      const { grads } = backward(net, EXAMPLE)
      const reference = tfGradients(net, EXAMPLE)
      for (const g of grads) expect(Math.abs(g.grad - reference[g.name]), g.name).toBeLessThan(1e-6)
      expect(grads.map((g) => g.name)).toEqual(PARAMS)
      net = update(net, grads, 0.5)
    }
  })

  it('each gradient is the product of the factors it shows', () => {
    const { grads, forward: f } = backward(START_NET, EXAMPLE)
    const w21 = grads.find((g) => g.name === 'w21')!
    expect(w21.factors.map((k) => k.symbol)).toEqual(['(y − t)', 'v₁', 'h₁(1 − h₁)', 'x₂'])
    expect(w21.grad).toBeCloseTo(
      (f.y - EXAMPLE.t) * START_NET.v[0] * f.h[0] * (1 - f.h[0]) * EXAMPLE.x[1],
      14,
    )
  })

  it('a small learning rate lowers the loss; a large one overshoots and diverges', () => {
    const run = (lr: number, steps: number) => {
      let net = START_NET
      for (let i = 0; i < steps; i++) net = update(net, backward(net, EXAMPLE).grads, lr)
      return forward(net, EXAMPLE).loss
    }
    const start = forward(START_NET, EXAMPLE).loss
    expect(run(0.5, 20)).toBeLessThan(start / 10)
    expect(run(3, 20)).toBeGreaterThan(start * 10)
  })
})

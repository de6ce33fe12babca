import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  EXAMPLE,
  PARAMS,
  START_NET,
  backward,
  forward,
  lossCurve,
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

  it('starts from the loss of the initial weights, worked by hand', () => {
    // z₁ = 1·0.15 + 0.5·0.2 + 0.35 = 0.6, z₂ = 1·(−0.25) + 0.5·0.3 − 0.1 = −0.2
    const h1 = 1 / (1 + Math.exp(-0.6))
    const h2 = 1 / (1 + Math.exp(0.2))
    const y = 0.4 * h1 - 0.45 * h2 + 0.1
    const f = forward(START_NET, EXAMPLE)
    expect(f.z[0]).toBeCloseTo(0.6, 12)
    expect(f.z[1]).toBeCloseTo(-0.2, 12)
    expect(f.y).toBeCloseTo(y, 12)
    expect(f.loss).toBeCloseTo(0.5 * (y - 1.5) ** 2, 12)
    expect(f.loss).toBeCloseTo(0.9036, 4)
  })

  it('marks the initial loss in the loss box before any update, and the newest point after', () => {
    const start = forward(START_NET, EXAMPLE).loss
    const one = lossCurve([start], 200, 60, 4)
    expect(one.mark).toEqual({ x: 4, y: 30 })
    expect(one.startY).toBe(30)
    expect(one.path).toBe('M4.0,30.0')

    const losses = [start, start / 2, start / 10]
    const three = lossCurve(losses, 200, 60, 4)
    expect(three.path.split('L')).toHaveLength(3)
    expect(three.mark.x).toBeCloseTo(196, 9)
    // Log scale: the highest loss at the top edge, the lowest at the bottom, inside the padding.
    expect(three.path.startsWith('M4.0,4.0')).toBe(true)
    expect(three.mark.y).toBeCloseTo(56, 9)
    expect(three.startY).toBe(4)
  })

  it('keeps a diverged loss inside the box', () => {
    const curve = lossCurve([1, 1e9, Number.POSITIVE_INFINITY], 200, 60, 4)
    expect(curve.path).not.toMatch(/NaN|Infinity/)
    expect(curve.mark.y).toBeGreaterThanOrEqual(4)
    expect(curve.mark.y).toBeLessThanOrEqual(56)
  })
})

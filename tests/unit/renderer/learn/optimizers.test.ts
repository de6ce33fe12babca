import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  RACE_OPTIMIZERS,
  Race,
  SURFACES,
  SURFACE_DEFS,
  defaultSettings,
  disposeOptimizer,
} from '../../../../src/renderer/src/lib/learn/optimizers'
import { readyTf, tf } from '../../../../src/renderer/src/lib/learn/tf'

/** The reference: a fresh tf.train optimizer of the given kind minimizing the same function. */
function referencePath(
  make: () => tf.Optimizer,
  f: (p: tf.Tensor1D) => tf.Scalar,
  start: [number, number],
  steps: number,
): number[][] {
  const optimizer = make()
  const v = tf.tidy(() => tf.variable(tf.tensor1d(start)))
  const path = [start as number[]]
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      optimizer.minimize(() => f(v as tf.Tensor1D))
    })
    path.push(Array.from(v.dataSync()))
  }
  v.dispose()
  disposeOptimizer(optimizer)
  return path
}

describe('optimizers lab', () => {
  beforeAll(() => readyTf())
  afterAll(() => expect(tf.memory().numTensors).toBe(0))

  it.each(SURFACES)('each path equals repeated minimize of its tf.train optimizer (%s)', (name) => {
    const surface = SURFACE_DEFS[name]
    const s = { ...defaultSettings(name), momentum: 0.8, rho: 0.85, beta1: 0.8, beta2: 0.99 }
    const race = new Race(surface, RACE_OPTIMIZERS, s)
    race.step(40)
    const lr = s.learningRates
    const makers = {
      sgd: () => tf.train.sgd(lr.sgd),
      momentum: () => tf.train.momentum(lr.momentum, 0.8),
      rmsprop: () => tf.train.rmsprop(lr.rmsprop, 0.85),
      adam: () => tf.train.adam(lr.adam, 0.8, 0.99),
      adagrad: () => tf.train.adagrad(lr.adagrad),
    }
    for (const racer of race.racers) {
      const expected = referencePath(makers[racer.name], surface.tf, surface.start, 40)
      expect(racer.path.length, racer.name).toBe(41)
      racer.path.forEach(([x, y], i) => {
        expect(x, `${racer.name} step ${i}`).toBe(expected[i][0])
        expect(y, `${racer.name} step ${i}`).toBe(expected[i][1])
      })
      expect(racer.losses[40]).toBeCloseTo(surface.f(...racer.path[40]), 6)
    }
    race.dispose()
  })

  it('on the bowl every optimizer gets much lower than where it started', () => {
    const surface = SURFACE_DEFS.bowl
    const race = new Race(surface, RACE_OPTIMIZERS, defaultSettings('bowl'))
    race.step(300)
    for (const racer of race.racers) {
      expect(racer.losses.at(-1)!, racer.name).toBeLessThan(racer.losses[0] / 20)
    }
    race.dispose()
  })

  it('a diverging optimizer stops at the edge instead of filling the path with NaN', () => {
    const s = defaultSettings('rosenbrock')
    s.learningRates.sgd = 0.1
    const race = new Race(SURFACE_DEFS.rosenbrock, ['sgd'], s)
    race.step(100)
    expect(race.racers[0].path.length).toBeLessThan(101)
    race.dispose()
  })
})

import { tf } from './tf'

export const SURFACES = ['bowl', 'rosenbrock', 'saddle'] as const
export type SurfaceName = (typeof SURFACES)[number]

export interface Surface {
  name: SurfaceName
  /** The plain formula, for the contour picture. */
  f: (x: number, y: number) => number
  /** The same formula on tensors, for the optimizers. */
  tf: (p: tf.Tensor1D) => tf.Scalar
  domain: { x: [number, number]; y: [number, number] }
  start: [number, number]
  minimum: [number, number]
}

function parts(p: tf.Tensor1D): [tf.Tensor, tf.Tensor] {
  return [tf.slice(p, 0, 1), tf.slice(p, 1, 1)]
}

export const SURFACE_DEFS: Record<SurfaceName, Surface> = {
  // 20 times steeper across than along: one learning rate is too big for y and too small for x.
  bowl: {
    name: 'bowl',
    f: (x, y) => 0.1 * x * x + 2 * y * y,
    tf: (p) => {
      const [x, y] = parts(p)
      return tf.sum(tf.add(tf.mul(0.1, tf.square(x)), tf.mul(2, tf.square(y)))) as tf.Scalar
    },
    domain: { x: [-5, 5], y: [-2.5, 2.5] },
    start: [-4.5, 1.8],
    minimum: [0, 0],
  },
  // A long curved valley; its floor is nearly flat, its walls steep.
  rosenbrock: {
    name: 'rosenbrock',
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    tf: (p) => {
      const [x, y] = parts(p)
      return tf.sum(
        tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))),
      ) as tf.Scalar
    },
    domain: { x: [-2, 2], y: [-1, 3] },
    start: [-1.5, 2.5],
    minimum: [1, 1],
  },
  // Flat at the start along y: plain gradient descent lingers near the saddle point.
  saddle: {
    name: 'saddle',
    f: (x, y) => x * x - y * y + 0.25 * y ** 4,
    tf: (p) => {
      const [x, y] = parts(p)
      return tf.sum(
        tf.add(tf.sub(tf.square(x), tf.square(y)), tf.mul(0.25, tf.pow(y, 4))),
      ) as tf.Scalar
    },
    domain: { x: [-2.5, 2.5], y: [-2.5, 2.5] },
    start: [-2, 0.01],
    minimum: [0, Math.SQRT2],
  },
}

export const RACE_OPTIMIZERS = ['sgd', 'momentum', 'rmsprop', 'adam', 'adagrad'] as const
export type RaceOptimizer = (typeof RACE_OPTIMIZERS)[number]

export interface RaceSettings {
  learningRates: Record<RaceOptimizer, number>
  /** SGD with momentum's β. */
  momentum: number
  /** RMSprop's decay ρ. */
  rho: number
  beta1: number
  beta2: number
}

/** Learning rates that make each optimizer's character visible on each surface. */
export function defaultSettings(surface: SurfaceName): RaceSettings {
  const learningRates: Record<SurfaceName, Record<RaceOptimizer, number>> = {
    bowl: { sgd: 0.4, momentum: 0.05, rmsprop: 0.05, adam: 0.1, adagrad: 0.5 },
    rosenbrock: { sgd: 0.001, momentum: 0.0005, rmsprop: 0.01, adam: 0.05, adagrad: 0.5 },
    saddle: { sgd: 0.05, momentum: 0.02, rmsprop: 0.01, adam: 0.05, adagrad: 0.3 },
  }
  return {
    learningRates: learningRates[surface],
    momentum: 0.9,
    rho: 0.9,
    beta1: 0.9,
    beta2: 0.999,
  }
}

/** The tf.train optimizer for a racer, built the same way for the lab and its tests. */
export function createOptimizer(name: RaceOptimizer, s: RaceSettings): tf.Optimizer {
  const lr = s.learningRates[name]
  switch (name) {
    case 'sgd':
      return tf.train.sgd(lr)
    case 'momentum':
      return tf.train.momentum(lr, s.momentum)
    case 'rmsprop':
      return tf.train.rmsprop(lr, s.rho)
    case 'adam':
      return tf.train.adam(lr, s.beta1, s.beta2)
    case 'adagrad':
      return tf.train.adagrad(lr)
  }
}

/**
 * Frees an optimizer's tensors. TF.js 4.22's MomentumOptimizer.dispose forgets the learning-rate
 * scalar its SGD parent keeps (`c`), one tensor per optimizer.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose()
  if (optimizer instanceof tf.MomentumOptimizer) {
    const { c } = optimizer as unknown as { c?: tf.Tensor }
    if (c && !c.isDisposed) c.dispose()
  }
}

export interface Racer {
  name: RaceOptimizer
  path: [number, number][]
  losses: number[]
}

/** Paths far outside the picture stop: a diverging optimizer is shown leaving, not followed. */
const ESCAPE = 1e6

/**
 * Every chosen optimizer starts at the surface's start and takes `minimize` steps on the same
 * function; `step` advances them all, so the paths can be drawn frame by frame.
 */
export class Race {
  readonly racers: Racer[]
  steps = 0
  private readonly vars: tf.Variable[]
  private readonly optimizers: tf.Optimizer[]

  constructor(
    readonly surface: Surface,
    names: readonly RaceOptimizer[],
    settings: RaceSettings,
  ) {
    this.racers = names.map((name) => ({
      name,
      path: [surface.start],
      losses: [surface.f(...surface.start)],
    }))
    this.vars = names.map(() => tf.tidy(() => tf.variable(tf.tensor1d(surface.start))))
    this.optimizers = names.map((name) => createOptimizer(name, settings))
  }

  step(count = 1): void {
    for (let n = 0; n < count; n++) {
      this.racers.forEach((racer, i) => {
        const last = racer.path[racer.path.length - 1]
        if (!Number.isFinite(last[0] + last[1]) || Math.abs(last[0]) + Math.abs(last[1]) > ESCAPE)
          return
        const v = this.vars[i]
        tf.tidy(() => {
          this.optimizers[i].minimize(() => this.surface.tf(v as tf.Tensor1D))
        })
        const [x, y] = v.dataSync()
        racer.path.push([x, y])
        racer.losses.push(this.surface.f(x, y))
      })
      this.steps++
    }
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose())
    this.optimizers.forEach(disposeOptimizer)
  }
}

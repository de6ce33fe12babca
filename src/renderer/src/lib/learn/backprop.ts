import { tf } from './tf'

/**
 * The lab's network: 2 inputs → 2 sigmoid hidden units → 1 linear output, loss ½(y − t)². A
 * linear output lets a too-large learning rate really diverge (a sigmoid output would cap the loss).
 */
export interface TinyNet {
  /** w[i][j]: input i → hidden j. */
  w: [[number, number], [number, number]]
  b: [number, number]
  /** v[j]: hidden j → output. */
  v: [number, number]
  c: number
}

export interface Example {
  x: [number, number]
  t: number
}

export const START_NET: TinyNet = {
  w: [
    [0.15, -0.25],
    [0.2, 0.3],
  ],
  b: [0.35, -0.1],
  v: [0.4, -0.45],
  c: 0.1,
}
export const EXAMPLE: Example = { x: [1, 0.5], t: 1.5 }

export interface Forward {
  /** Hidden sums and activations. */
  z: [number, number]
  h: [number, number]
  y: number
  loss: number
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

export function forward(net: TinyNet, ex: Example): Forward {
  const z = [0, 1].map((j) => ex.x[0] * net.w[0][j] + ex.x[1] * net.w[1][j] + net.b[j]) as [
    number,
    number,
  ]
  const h = z.map(sigmoid) as [number, number]
  const y = h[0] * net.v[0] + h[1] * net.v[1] + net.c
  return { z, h, y, loss: 0.5 * (y - ex.t) ** 2 }
}

export type ParamName = 'w11' | 'w12' | 'w21' | 'w22' | 'b1' | 'b2' | 'v1' | 'v2' | 'c'
export const PARAMS: readonly ParamName[] = [
  'w11',
  'w12',
  'w21',
  'w22',
  'b1',
  'b2',
  'v1',
  'v2',
  'c',
]

/** One factor of a chain-rule product, named as the lab writes it. */
export interface Factor {
  symbol: string
  value: number
}

export interface ParamGradient {
  name: ParamName
  value: number
  factors: Factor[]
  grad: number
}

export function paramValue(net: TinyNet, name: ParamName): number {
  switch (name) {
    case 'w11':
    case 'w12':
    case 'w21':
    case 'w22':
      return net.w[Number(name[1]) - 1][Number(name[2]) - 1]
    case 'b1':
    case 'b2':
      return net.b[Number(name[1]) - 1]
    case 'v1':
    case 'v2':
      return net.v[Number(name[1]) - 1]
    case 'c':
      return net.c
  }
}

/**
 * The backward pass by the chain rule, each gradient as the product of the local slopes on the
 * way from the loss back to the parameter: ∂L/∂y = y − t, ∂y/∂vⱼ = hⱼ, ∂y/∂hⱼ = vⱼ,
 * ∂hⱼ/∂zⱼ = hⱼ(1 − hⱼ), ∂zⱼ/∂wᵢⱼ = xᵢ.
 */
export function backward(net: TinyNet, ex: Example): { forward: Forward; grads: ParamGradient[] } {
  const f = forward(net, ex)
  const dy: Factor = { symbol: '(y − t)', value: f.y - ex.t }
  const grads = PARAMS.map((name): ParamGradient => {
    let factors: Factor[]
    if (name === 'c') factors = [dy]
    else if (name[0] === 'v') {
      const j = Number(name[1]) - 1
      factors = [dy, { symbol: `h${sub(j + 1)}`, value: f.h[j] }]
    } else {
      const j = Number(name[name.length - 1]) - 1
      const toHidden: Factor[] = [
        dy,
        { symbol: `v${sub(j + 1)}`, value: net.v[j] },
        { symbol: `h${sub(j + 1)}(1 − h${sub(j + 1)})`, value: f.h[j] * (1 - f.h[j]) },
      ]
      if (name[0] === 'b') factors = toHidden
      else {
        const i = Number(name[1]) - 1
        factors = [...toHidden, { symbol: `x${sub(i + 1)}`, value: ex.x[i] }]
      }
    }
    return {
      name,
      value: paramValue(net, name),
      factors,
      grad: factors.reduce((p, k) => p * k.value, 1),
    }
  })
  return { forward: f, grads }
}

/** A digit as a subscript (x₁, h₂), as the lab writes its names. */
export function sub(n: number): string {
  return '₀₁₂₃₄₅₆₇₈₉'[n]
}

/** w − η·∂L/∂w for every parameter. */
export function update(net: TinyNet, grads: readonly ParamGradient[], lr: number): TinyNet {
  const g = Object.fromEntries(grads.map((p) => [p.name, p.grad])) as Record<ParamName, number>
  return {
    w: [
      [net.w[0][0] - lr * g.w11, net.w[0][1] - lr * g.w12],
      [net.w[1][0] - lr * g.w21, net.w[1][1] - lr * g.w22],
    ],
    b: [net.b[0] - lr * g.b1, net.b[1] - lr * g.b2],
    v: [net.v[0] - lr * g.v1, net.v[1] - lr * g.v2],
    c: net.c - lr * g.c,
  }
}

/** The same gradients from TensorFlow.js's automatic differentiation (`tf.grads`). */
export function tfGradients(net: TinyNet, ex: Example): Record<ParamName, number> {
  return tf.tidy(() => {
    const lossOf = (w: tf.Tensor, b: tf.Tensor, v: tf.Tensor, c: tf.Tensor): tf.Tensor => {
      const h = tf.sigmoid(tf.add(tf.matMul(tf.tensor2d([ex.x]), w), b))
      const y = tf.add(tf.sum(tf.mul(h, v)), c)
      return tf.mul(0.5, tf.square(tf.sub(y, ex.t)))
    }
    const [gw, gb, gv, gc] = tf
      .grads(lossOf)([tf.tensor2d(net.w), tf.tensor1d(net.b), tf.tensor1d(net.v), tf.scalar(net.c)])
      .map((t) => Array.from(t.dataSync()))
    return {
      w11: gw[0],
      w12: gw[1],
      w21: gw[2],
      w22: gw[3],
      b1: gb[0],
      b2: gb[1],
      v1: gv[0],
      v2: gv[1],
      c: gc[0],
    }
  })
}

/** The loss box's drawing, in the box's own units: the path, the newest point, the start level. */
export interface LossCurve {
  path: string
  mark: { x: number; y: number }
  /** Height of the first loss (the initial weights'), for a reference line across the box. */
  startY: number
}

/**
 * The loss after each update as a path across a `width`×`height` box, on a log scale so a
 * divergence still fits. The newest point always gets a mark, so before the first update — one
 * point, the initial weights' loss, no line yet — the box is not blank; while every loss is the
 * same (one point) they sit mid-height, since no scale says high or low yet.
 */
export function lossCurve(losses: readonly number[], width = 200, height = 60, pad = 4): LossCurve {
  const ys = losses.map((l) => Math.log10(Math.max(Number.isFinite(l) ? l : 1e300, 1e-8)))
  const min = Math.min(...ys)
  const max = Math.max(...ys)
  const flat = !(max - min > 1e-9)
  const points = ys.map((y, i) => ({
    x: pad + (ys.length === 1 ? 0 : (i / (ys.length - 1)) * (width - 2 * pad)),
    y: flat ? height / 2 : height - pad - ((y - min) / (max - min)) * (height - 2 * pad),
  }))
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('')
  const mark = points[points.length - 1] ?? { x: pad, y: height / 2 }
  return { path, mark, startY: points[0]?.y ?? height / 2 }
}

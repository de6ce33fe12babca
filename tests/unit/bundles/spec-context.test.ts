import { describe, expect, it } from 'vitest'
import { bundleSpecContext } from '../../../src/main/bundles/manifest'
import { validateModelSpec } from '../../../src/shared/spec-validation'

// A folder (IDX) dataset's class count is not in a bundle: it is read from the model. A model that
// ends in Dense(4) → Softmax (Keras 2 style) has no `units` on its last layer; reading only the last
// layer gave 0 classes and refused every such bundle.
describe('bundleSpecContext', () => {
  const idx = 'idx:/data/shapes' as const
  const spec = {
    inputShape: [8, 8, 1],
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'dense', units: 4, activation: 'linear' },
      { type: 'softmax' },
    ],
  }

  it('takes the class count from the last layer with units, past a final Softmax', () => {
    const ctx = bundleSpecContext(idx, spec)
    expect(ctx).toEqual({ classCount: 4, imageShape: [8, 8, 1] })
    expect(validateModelSpec(spec, ctx).ok).toBe(true)
  })

  it('reads a plain Dense(softmax) ending as before', () => {
    const plain = {
      ...spec,
      layers: [{ type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax' }],
    }
    expect(bundleSpecContext(idx, plain).classCount).toBe(3)
  })

  it('uses MNIST’s facts for MNIST and 0 classes for a spec with no Dense', () => {
    expect(bundleSpecContext('mnist', spec)).toEqual({ classCount: 10, imageShape: [28, 28, 1] })
    expect(
      bundleSpecContext(idx, { inputShape: [8, 8, 1], layers: [{ type: 'flatten' }] }).classCount,
    ).toBe(0)
    expect(bundleSpecContext(idx, null)).toEqual({ classCount: 0, imageShape: [] })
  })
})

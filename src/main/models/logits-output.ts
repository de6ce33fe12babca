import type { ModelSpec } from '../../shared/model-spec'

/**
 * A model whose last layer is a linear Dense of `classCount` units outputs logits: Keras's
 * `Dense(10)` with `from_logits=True`, the recipe of TensorFlow's beginner tutorial. Sinapse's
 * models end in softmax; adding it keeps every prediction (softmax keeps the largest score the
 * largest) and turns the scores into the probabilities that training's loss assumed. Returns the
 * spec ending in softmax, or null when the model does not end in logits.
 */
export function softmaxForLogits(spec: ModelSpec, classCount: number): ModelSpec | null {
  const last = spec.layers.at(-1)
  if (last?.type !== 'dense' || last.activation !== 'linear' || last.units !== classCount) {
    return null
  }
  return { ...spec, layers: [...spec.layers.slice(0, -1), { ...last, activation: 'softmax' }] }
}

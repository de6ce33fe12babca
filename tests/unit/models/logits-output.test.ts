import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readKerasH5 } from '../../../src/main/models/keras-h5-import'
import { writeKerasH5 } from '../../../src/main/models/keras-h5-export'
import { softmaxForLogits } from '../../../src/main/models/logits-output'
import type { ModelSpec } from '../../../src/shared/model-spec'
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/train-config'
import { useImportedRuns } from './imported-runs'

const FIXTURES = join(import.meta.dirname, '../../fixtures/keras')
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)))

const dense = (units: number, activation: 'relu' | 'linear' | 'softmax') =>
  ({ type: 'dense', units, activation, useBias: true }) as const

describe('softmaxForLogits', () => {
  const spec = (last: ModelSpec['layers'][number]): ModelSpec => ({
    inputShape: [28, 28, 1],
    layers: [{ type: 'flatten' }, dense(64, 'relu'), last],
  })

  it('ends a model whose last Dense gives 10 linear scores in softmax, nothing else changed', () => {
    expect(softmaxForLogits(spec(dense(10, 'linear')), 10)).toEqual(spec(dense(10, 'softmax')))
  })

  it('leaves models alone that do not end in 10 logits', () => {
    expect(softmaxForLogits(spec(dense(10, 'softmax')), 10)).toBeNull()
    expect(softmaxForLogits(spec(dense(10, 'relu')), 10)).toBeNull()
    expect(softmaxForLogits(spec(dense(5, 'linear')), 10)).toBeNull()
    expect(softmaxForLogits(spec({ type: 'dropout', rate: 0.5 }), 10)).toBeNull()
  })
})

describe('importing a Keras model that outputs logits (Dense(10) + from_logits=True)', () => {
  const harness = useImportedRuns('sinapse-logits-')
  const predict = harness.predict

  it('imports it ending in softmax, with the same predictions, and says so in the notes', async () => {
    // The Keras 3 MLP fixture, its last layer made linear: the file a from_logits model saves.
    const original = await readKerasH5(fixture('mnist_mlp_keras3.h5'), 'mlp.h5')
    const layers = original.spec.layers
    const last = layers.at(-1)
    expect(last).toMatchObject({ type: 'dense', units: 10, activation: 'softmax' })
    const logits = {
      ...original,
      spec: {
        ...original.spec,
        layers: [...layers.slice(0, -1), { ...last!, activation: 'linear' }],
      },
    } as typeof original
    const bytes = await writeKerasH5(logits, DEFAULT_TRAIN_CONFIG)

    const imported = await harness.services.modelFiles.importModel({
      files: [{ name: 'mnist_logits.h5', bytes }],
    })
    const run = harness.services.runs.get(imported.runId)
    expect(run.spec.layers.at(-1)).toMatchObject({ type: 'dense', activation: 'softmax' })
    expect(run.notes).toContain('logits')

    // softmax(logits) is what the softmax-ending original computes from the same weights.
    const reference = await harness.services.modelFiles.importModel({
      files: [{ name: 'mnist_mlp_keras3.h5', bytes: fixture('mnist_mlp_keras3.h5') }],
    })
    const expected = await predict(reference.runId)
    const got = await predict(imported.runId)
    expect(got).toHaveLength(16)
    got.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6)))
  }, 300_000)
})

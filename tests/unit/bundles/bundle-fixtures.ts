import { BUNDLE_FORMAT, decodeBundle, encodeBundle } from '../../../src/main/bundles/format'
import { tutorialConfig, tutorialSpec } from '../store/fixtures'

/** A uid in the bundle's format, distinct per `n`. */
export function uidOf(n: number): string {
  return `0b0a7d00-0000-4000-8000-${String(n).padStart(12, '0')}`
}

/**
 * A valid run bundle without a model (a run whose model was not saved), so the import paths can
 * be exercised without training. `extra` overrides manifest fields, `runExtra` the run's.
 */
export function modelLessBundle(
  n: number,
  name: string,
  extra: object = {},
  runExtra: object = {},
): Uint8Array {
  const at = '2026-11-30T10:00:00.000Z'
  return encodeBundle(
    {
      format: BUNDLE_FORMAT,
      version: 1,
      createdAt: at,
      appVersion: 'test',
      run: {
        uid: uidOf(n),
        name,
        kind: 'trained',
        status: 'completed',
        dataset: 'mnist',
        spec: tutorialSpec,
        config: { ...tutorialConfig, epochs: 1 },
        seed: tutorialConfig.seed,
        paramCount: 101_770,
        backend: 'cpu',
        createdAt: at,
        startedAt: at,
        finishedAt: at,
        error: null,
        notes: null,
        tags: ['mlp'],
        ...runExtra,
      },
      history: [
        { epoch: 1, loss: 0.4, accuracy: 0.88, valLoss: 0.3, valAccuracy: 0.9, durationMs: 900 },
      ],
      evaluation: null,
      model: null,
      ...extra,
    },
    [],
  )
}

/** The same bundle with its claimed test score edited to 99.9 %, re-sealed. */
export function claimPerfect(bytes: Uint8Array): Uint8Array {
  const { header, files } = decodeBundle(bytes, 'x')
  const evaluation = { ...(header.evaluation as object), accuracy: 0.999, loss: 0.001 }
  const { files: _table, ...rest } = header
  return encodeBundle({ ...rest, evaluation }, files)
}

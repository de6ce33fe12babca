import { describe, expect, it } from 'vitest'
import { decodeBundle, encodeBundle } from '../../../src/main/bundles/format'
import { validateBundle } from '../../../src/main/bundles/manifest'
import { AppError } from '../../../src/shared/errors'
import { getPreset } from '../../../src/shared/presets'

const LESSON_ID = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b'

/** A bundle header as Sinapse writes it, for a run that has no model (a failed run). */
function header(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const preset = getPreset('tutorial-mlp')
  return {
    format: 'sinapse-run-bundle',
    version: 1,
    createdAt: '2026-11-30T12:00:00.000Z',
    appVersion: '0.1.0',
    run: {
      uid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      name: 'MLP',
      kind: 'trained',
      status: 'failed',
      dataset: 'mnist',
      spec: preset.spec,
      config: preset.config,
      seed: 42,
      paramCount: 101_770,
      backend: 'cpu',
      createdAt: '2026-11-30T11:00:00.000Z',
      startedAt: '2026-11-30T11:00:01.000Z',
      finishedAt: '2026-11-30T11:00:02.000Z',
      error: 'stopped by the test',
      notes: null,
      tags: [],
    },
    history: [],
    evaluation: null,
    model: null,
    ...extra,
  }
}

function roundTrip(h: Record<string, unknown>) {
  const bytes = encodeBundle(h, [])
  const decoded = decodeBundle(bytes, 'entrega.sinapse')
  return validateBundle(decoded.header, decoded.files, 'entrega.sinapse')
}

function refusal(h: Record<string, unknown>): AppError {
  try {
    roundTrip(h)
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return err as AppError
  }
  throw new Error('the bundle was accepted')
}

const handIn = {
  student: 'Coruja 42',
  lessonId: LESSON_ID,
  lessonVersion: 3,
  handedInAt: '2026-11-30T12:00:00.000Z',
}

describe('hand-in fields in the bundle manifest', () => {
  it('a bundle written before lessons (no handIn field) still validates, with handIn null', () => {
    expect(roundTrip(header()).manifest.handIn).toBeNull()
  })

  it('keeps the student name and the lesson id and version', () => {
    expect(roundTrip(header({ handIn })).manifest.handIn).toEqual(handIn)
    expect(roundTrip(header({ handIn: null })).manifest.handIn).toBeNull()
  })

  it('refuses a hand-in with a bad student name, lesson id or version, naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...handIn, student: '' }, 'handIn.student'],
      [{ ...handIn, student: ' Ana' }, 'handIn.student'],
      [{ ...handIn, student: 'x'.repeat(81) }, 'handIn.student'],
      [{ ...handIn, student: 'Ana\u001b[2J' }, 'handIn.student'],
      [{ ...handIn, lessonId: '../../etc' }, 'handIn.lessonId'],
      [{ ...handIn, lessonVersion: 0 }, 'handIn.lessonVersion'],
      [{ ...handIn, extra: 1 }, 'handIn'],
    ]
    for (const [bad, field] of cases) {
      const err = refusal(header({ handIn: bad }))
      expect(err.key).toBe('modelfiles.bundle.manifestInvalid')
      expect(err.params.fields).toBe(field)
    }
  })
})

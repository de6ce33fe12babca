import { describe, expect, it } from 'vitest'
import {
  applyLessonLocks,
  checkRunAgainstLesson,
  draftLesson,
  findUnsafeMarkdown,
  formatLessonCheck,
  formatLessonIssue,
  keptLessonRules,
  normalizeStudentName,
  pickLocalized,
  validateLesson,
  type Lesson,
  type LessonCheck,
} from '../../../src/shared/lesson'
import { getPreset } from '../../../src/shared/presets'

const ID = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b'

/** The issue's example: test accuracy ≥ 0.97 with at most 50,000 parameters and 5 epochs. */
function classLesson(): Lesson {
  const preset = getPreset('tutorial-mlp')
  const lesson = draftLesson(ID, preset.spec, { ...preset.config, epochs: 5, seed: 7 })
  return {
    ...lesson,
    title: { 'pt-BR': 'MLP pequena', en: 'A small MLP' },
    instructions: {
      'pt-BR': '# Meta\nChegue a **97%** com poucos parâmetros.',
      en: '# Goal\nReach **97%** with few parameters.',
    },
    controls: { ...lesson.controls, optimizer: 'locked', learningRate: 'locked', limit: 'hidden' },
    goal: { metric: 'testAccuracy', threshold: 0.97 },
    constraints: { maxParams: 50_000, maxEpochs: 5, maxLayers: null, allowedLayers: null },
  }
}

function check(checks: LessonCheck[], id: LessonCheck['id']): LessonCheck {
  const found = checks.find((c) => c.id === id)
  expect(found, id).toBeDefined()
  return found!
}

describe('validateLesson', () => {
  it('accepts a complete lesson and returns it normalized, through JSON', () => {
    const lesson = classLesson()
    const result = validateLesson(JSON.parse(JSON.stringify(lesson)))
    expect(result).toEqual({ ok: true, lesson })
  })

  it('fills a missing control with free and fills the spec defaults', () => {
    const raw = JSON.parse(JSON.stringify(classLesson())) as Record<string, unknown>
    const controls = raw.controls as Record<string, string>
    delete controls.batchSize
    const spec = (raw.model as { spec: { layers: Record<string, unknown>[] } }).spec
    delete spec.layers[1].useBias
    const result = validateLesson(raw)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.lesson.controls.batchSize).toBe('free')
    expect(result.lesson.model.spec!.layers[1]).toMatchObject({ useBias: true })
  })

  it('reports every problem with the field and a message in both languages', () => {
    const raw = {
      ...classLesson(),
      id: 'not-a-uuid',
      version: 0,
      title: { 'pt-BR': '', en: ' ' },
      seed: 8,
      goal: { metric: 'testAccuracy', threshold: 97 },
      constraints: { maxParams: 0, maxEpochs: null, maxLayers: null, allowedLayers: ['lambda'] },
      extra: true,
    }
    const result = validateLesson(raw)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => i.field)).toEqual([
      'extra',
      'id',
      'version',
      'title',
      'config.seed',
      'goal.threshold',
      'constraints.maxParams',
      'constraints.allowedLayers',
    ])
    const seed = result.issues.find((i) => i.field === 'config.seed')!
    expect(formatLessonIssue(seed, 'en')).toBe(
      'config.seed: The training settings use seed 7 but the lesson fixes seed 8; they must be the same.',
    )
    expect(formatLessonIssue(seed, 'pt-BR')).toBe(
      'config.seed: As configurações do treino usam a semente 7, mas a aula fixa a semente 8; as duas precisam ser iguais.',
    )
    const goal = result.issues.find((i) => i.field === 'goal.threshold')!
    expect(formatLessonIssue(goal, 'pt-BR')).toContain('de 0 a 1 (0,97 = 97%); veio 97')
  })

  it('refuses a bad spec or config inside the lesson, naming the layer', () => {
    const lesson = classLesson()
    const raw = {
      ...lesson,
      model: {
        mode: 'locked',
        spec: { ...lesson.model.spec!, layers: [{ type: 'flatten' }, { type: 'dense', units: 7 }] },
      },
      config: { ...lesson.config, epochs: 0 },
    }
    const result = validateLesson(raw)
    expect(result.ok).toBe(false)
    if (result.ok) return
    const fields = result.issues.map((i) => i.field)
    expect(fields).toContain('config.epochs')
    expect(fields.some((f) => f.startsWith('model.spec'))).toBe(true)
  })

  it('refuses a locked model without a starting model, and an IDX folder as dataset', () => {
    const lesson = classLesson()
    const result = validateLesson({
      ...lesson,
      model: { spec: null, mode: 'locked' },
      dataset: 'idx:/home/prof/letras',
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => i.key)).toEqual([
      'lesson.datasetInvalid',
      'lesson.modelModeNeedsSpec',
    ])
  })

  it('refuses a fixed epoch count the lesson’s own limit forbids', () => {
    const lesson = classLesson()
    const result = validateLesson({
      ...lesson,
      config: { ...lesson.config, epochs: 10 },
      controls: { ...lesson.controls, epochs: 'locked' },
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => i.key)).toEqual(['lesson.fixedBreaksConstraint'])
  })

  it('refuses instructions that are too long or hold control characters', () => {
    const lesson = classLesson()
    const result = validateLesson({
      ...lesson,
      instructions: { 'pt-BR': 'a'.repeat(20_001), en: 'bell \u0007' },
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((i) => [i.field, i.key])).toEqual([
      ['instructions.pt-BR', 'lesson.textTooLong'],
      ['instructions.en', 'lesson.textControlChars'],
    ])
  })

  it('refuses a non-object with a message', () => {
    const result = validateLesson([1, 2])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(formatLessonIssue(result.issues[0], 'en')).toBe(
      'A lesson must be a JSON object; got [1,2].',
    )
  })
})

describe('hostile Markdown', () => {
  const hostile: [string, number, string][] = [
    ['Olá\n<script>alert(1)</script>', 2, '<script'],
    ['![x](y.png)\n\n<img src=x onerror=alert(1)>', 3, '<img'],
    ['texto <!-- comentário -->', 1, '<!--'],
    ['[clique](javascript:alert(1))', 1, 'javascript:'],
    ['[clique]( JavaScript :alert(1))', 1, 'JavaScript :'],
    ['[a](data:text/html;base64,PHNjcmlwdD4=)', 1, 'data:'],
    ['[a](<vbscript:msgbox>)', 1, '<vbscript'],
    ['ok\n</div>', 2, '</div'],
    ['<svg/onload=alert(1)>', 1, '<svg'],
  ]
  for (const [text, line, found] of hostile) {
    it(`refuses ${JSON.stringify(text.slice(0, 30))}, naming line ${line}`, () => {
      const unsafe = findUnsafeMarkdown(text)
      expect(unsafe?.line).toBe(line)
      expect(unsafe?.found.startsWith(found)).toBe(true)
      const result = validateLesson({
        ...classLesson(),
        instructions: { 'pt-BR': 'tudo bem', en: text },
      })
      expect(result.ok).toBe(false)
      if (result.ok) return
      expect(result.issues).toHaveLength(1)
      expect(result.issues[0].field).toBe('instructions.en')
      expect(formatLessonIssue(result.issues[0], 'pt-BR')).toContain(`linha ${line}`)
      expect(formatLessonIssue(result.issues[0], 'en')).toContain(`line ${line}`)
    })
  }

  it('accepts ordinary Markdown, comparisons and https links', () => {
    for (const text of [
      '# Título\n\n- **negrito** e *itálico*\n- `model.fit()`\n\n1. x < 5 e y > 3',
      '[TensorFlow](https://www.tensorflow.org) e 3 <= 4',
      'a -> b',
    ]) {
      expect(findUnsafeMarkdown(text)).toBeNull()
    }
  })
})

describe('checkRunAgainstLesson', () => {
  const lesson = classLesson()
  const spec = lesson.model.spec!

  it('passes a run that keeps every rule and reaches the goal', () => {
    const checks = checkRunAgainstLesson(lesson, spec, lesson.config, {
      dataset: 'mnist',
      epochsTrained: 5,
      testAccuracy: 0.975,
    })
    expect(checks.map((c) => [c.id, c.kind, c.pass])).toEqual([
      ['goal', 'goal', true],
      ['dataset', 'constraint', true],
      ['maxParams', 'constraint', false],
      ['maxEpochs', 'constraint', true],
      ['seed', 'lock', true],
      ['optimizer', 'lock', true],
      ['learningRate', 'lock', true],
      ['limit', 'lock', true],
    ])
    // The tutorial MLP has 101,770 parameters: over this lesson's 50,000.
    expect(formatLessonCheck(check(checks, 'maxParams'), 'en')).toBe(
      '101,770 parameters: more than the 50,000 the lesson allows.',
    )
    expect(formatLessonCheck(check(checks, 'maxParams'), 'pt-BR')).toBe(
      '101.770 parâmetros: mais que os 50.000 que a aula permite.',
    )
    expect(keptLessonRules(checks)).toBe(false)
  })

  it('a small enough model keeps the parameter rule', () => {
    const small = {
      ...spec,
      layers: [
        { type: 'flatten' as const },
        { type: 'dense' as const, units: 32, activation: 'relu' as const, useBias: true },
        { type: 'dense' as const, units: 10, activation: 'softmax' as const, useBias: true },
      ],
    }
    const checks = checkRunAgainstLesson(lesson, small, lesson.config, { testAccuracy: 0.96 })
    expect(check(checks, 'maxParams')).toMatchObject({ pass: true, params: { value: 25_450 } })
    expect(check(checks, 'goal').pass).toBe(false)
    expect(formatLessonCheck(check(checks, 'goal'), 'en')).toBe(
      'Goal not reached yet: test accuracy is 0.96; the goal is ≥ 0.97.',
    )
    expect(formatLessonCheck(check(checks, 'goal'), 'pt-BR')).toBe(
      'Meta ainda não atingida: acurácia no teste é 0,96; a meta é ≥ 0,97.',
    )
    expect(keptLessonRules(checks)).toBe(true)
  })

  it('flags each locked or hidden setting that was changed, and the seed', () => {
    const config = { ...lesson.config, learningRate: 0.01, limit: 60000, seed: 1, batchSize: 64 }
    const checks = checkRunAgainstLesson(lesson, spec, config, {})
    expect(check(checks, 'learningRate').pass).toBe(false)
    expect(check(checks, 'limit').pass).toBe(false)
    expect(check(checks, 'seed').pass).toBe(false)
    expect(check(checks, 'optimizer').pass).toBe(true)
    // batchSize is free: no check at all.
    expect(checks.find((c) => c.id === 'batchSize')).toBeUndefined()
    expect(formatLessonCheck(check(checks, 'learningRate'), 'en')).toBe(
      'Learning rate: 0.01 instead of 0.001, the value the teacher fixed.',
    )
    expect(formatLessonCheck(check(checks, 'learningRate'), 'pt-BR')).toBe(
      'Taxa de aprendizado: 0,01 em vez de 0,001, o valor que o professor fixou.',
    )
    expect(check(checks, 'goal')).toMatchObject({ pass: null, key: 'lesson.check.goalPending' })
  })

  it('compares a locked model field by field, whatever the key order', () => {
    const locked: Lesson = { ...lesson, model: { spec, mode: 'locked' } }
    const reordered = JSON.parse(
      JSON.stringify({ layers: spec.layers.map((l) => ({ ...l })), inputShape: spec.inputShape }),
    ) as typeof spec
    expect(check(checkRunAgainstLesson(locked, reordered, lesson.config, {}), 'model').pass).toBe(
      true,
    )
    const wider = {
      ...spec,
      layers: spec.layers.map((l, i) => (i === 1 ? { ...l, units: 129 } : l)),
    } as typeof spec
    const changed = check(checkRunAgainstLesson(locked, wider, lesson.config, {}), 'model')
    expect(changed.pass).toBe(false)
    expect(formatLessonCheck(changed, 'en')).toBe(
      'The model (layers) is not the teacher’s model; the lesson fixes it.',
    )
  })

  it('counts the epochs actually trained, the dataset, the layer count and types', () => {
    const strict: Lesson = {
      ...lesson,
      constraints: { maxParams: null, maxEpochs: 3, maxLayers: 2, allowedLayers: ['dense'] },
    }
    const checks = checkRunAgainstLesson(strict, spec, lesson.config, {
      dataset: 'fashion-mnist',
      epochsTrained: 3,
    })
    expect(check(checks, 'maxEpochs').pass).toBe(true)
    expect(check(checks, 'dataset').pass).toBe(false)
    expect(check(checks, 'maxLayers')).toMatchObject({ pass: false, params: { value: 3 } })
    expect(formatLessonCheck(check(checks, 'allowedLayers'), 'en')).toBe(
      'Uses flatten, which the lesson does not allow (allowed: dense).',
    )
    // Without the epochs trained, the configured count is used.
    expect(check(checkRunAgainstLesson(strict, spec, lesson.config, {}), 'maxEpochs').pass).toBe(
      false,
    )
  })

  it('a loss goal is met from below', () => {
    const lossy: Lesson = { ...lesson, goal: { metric: 'valLoss', threshold: 0.1 } }
    expect(
      check(checkRunAgainstLesson(lossy, spec, lesson.config, { valLoss: 0.09 }), 'goal').pass,
    ).toBe(true)
    expect(
      check(checkRunAgainstLesson(lossy, spec, lesson.config, { valLoss: 0.11 }), 'goal').pass,
    ).toBe(false)
    expect(
      check(checkRunAgainstLesson(lossy, spec, lesson.config, { valLoss: NaN }), 'goal').pass,
    ).toBe(null)
  })
})

describe('applyLessonLocks', () => {
  it('puts back every locked or hidden setting, the seed, the dataset and a locked model', () => {
    const lesson = {
      ...classLesson(),
      model: { spec: classLesson().model.spec, mode: 'locked' as const },
    }
    const tampered = {
      spec: { ...lesson.model.spec!, layers: lesson.model.spec!.layers.slice(0, 2) },
      config: {
        ...lesson.config,
        optimizer: 'sgd' as const,
        learningRate: 0.5,
        limit: 60_000,
        seed: 3,
        batchSize: 64,
      },
      dataset: 'fashion-mnist' as const,
    }
    const fixed = applyLessonLocks(lesson, tampered)
    expect(fixed.config).toEqual({ ...lesson.config, batchSize: 64 })
    expect(fixed.spec).toEqual(lesson.model.spec)
    expect(fixed.dataset).toBe('mnist')
    // What the board will check of this request: every rule kept.
    const checks = checkRunAgainstLesson(lesson, fixed.spec, fixed.config, { dataset: 'mnist' })
    expect(checks.filter((c) => c.kind === 'lock').every((c) => c.pass)).toBe(true)
  })

  it('leaves a free model and free settings as the student made them', () => {
    const lesson = classLesson()
    const spec = { ...lesson.model.spec!, layers: lesson.model.spec!.layers.slice(1) }
    const fixed = applyLessonLocks(lesson, {
      spec,
      config: { ...lesson.config, epochs: 3 },
      dataset: 'mnist',
    })
    expect(fixed.spec).toBe(spec)
    expect(fixed.config.epochs).toBe(3)
  })
})

describe('names and languages', () => {
  it('a student name is one trimmed line of at most 80 characters', () => {
    expect(normalizeStudentName('  Ana   Souza ')).toBe('Ana Souza')
    expect(normalizeStudentName('Coruja-42')).toBe('Coruja-42')
    expect(normalizeStudentName('   ')).toBeNull()
    expect(normalizeStudentName('x'.repeat(81))).toBeNull()
    expect(normalizeStudentName('a\u0000b')).toBeNull()
    // A right-to-left override would reverse the board's columns after the name in a terminal.
    expect(normalizeStudentName('Ana\u202e99.9%')).toBeNull()
    expect(normalizeStudentName('Ana\u2067x')).toBeNull()
    expect(normalizeStudentName('أحمد')).toBe('أحمد')
  })

  it('falls back to the other language when one is empty', () => {
    expect(pickLocalized({ 'pt-BR': 'Aula 1', en: '' }, 'en')).toBe('Aula 1')
    expect(pickLocalized({ 'pt-BR': 'Aula 1', en: 'Lesson 1' }, 'en')).toBe('Lesson 1')
  })
})

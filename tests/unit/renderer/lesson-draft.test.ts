import { describe, expect, it } from 'vitest'
import { blankLessonForm, lessonFromForm } from '../../../src/renderer/src/state/lesson-draft'
import { validateLesson } from '../../../src/shared/lesson'
import { getPreset } from '../../../src/shared/presets'

const ID = '2b7e1f3a-9c4d-4e5f-8a6b-7c8d9e0f1a2b'
const preset = getPreset('tutorial-mlp')

function filled() {
  return {
    ...blankLessonForm(preset.config, 'mnist'),
    titlePt: '  Aula 1  ',
    instructionsEn: '# Goal\n**97%**',
    limit: '5000',
    seed: '11',
    goalThreshold: '0,97',
    maxParams: '50000',
    maxEpochs: '',
  }
}

describe('the teacher’s lesson form', () => {
  it('becomes a valid lesson: trimmed title, comma decimals, empty limits as none', () => {
    const form = filled()
    form.modes = { ...form.modes, learningRate: 'locked', limit: 'hidden', model: 'locked' }
    const result = validateLesson(lessonFromForm(ID, form, preset.spec, preset.config))
    if (!result.ok) throw new Error(JSON.stringify(result.issues))
    const lesson = result.lesson
    expect(lesson.title).toEqual({ 'pt-BR': 'Aula 1', en: '' })
    expect(lesson.goal).toEqual({ metric: 'testAccuracy', threshold: 0.97 })
    expect(lesson.constraints).toEqual({
      maxParams: 50_000,
      maxEpochs: null,
      maxLayers: null,
      allowedLayers: null,
    })
    expect(lesson.config).toMatchObject({ limit: 5000, seed: 11 })
    expect(lesson.seed).toBe(11)
    expect(lesson.model.mode).toBe('locked')
    expect(lesson.controls).toMatchObject({
      learningRate: 'locked',
      limit: 'hidden',
      epochs: 'free',
    })
  })

  it('without a starting model the model is free, whatever its select said', () => {
    const form = { ...filled(), startModel: 'none' as const }
    form.modes = { ...form.modes, model: 'locked' }
    const result = validateLesson(lessonFromForm(ID, form, preset.spec, preset.config))
    expect(result.ok && result.lesson.model).toEqual({ spec: null, mode: 'free' })
  })

  it('names each field typed wrong, in both languages', () => {
    const form = { ...filled(), maxParams: 'muitos', goalThreshold: '1,5', limit: '3', titlePt: '' }
    const result = validateLesson(lessonFromForm(ID, form, preset.spec, preset.config))
    expect(result.ok).toBe(false)
    const fields = result.ok ? [] : result.issues.map((i) => i.field)
    expect(fields).toEqual(
      expect.arrayContaining(['title', 'goal.threshold', 'constraints.maxParams', 'config.limit']),
    )
  })
})

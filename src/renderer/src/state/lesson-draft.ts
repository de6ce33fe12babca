import {
  LESSON_CONTROLS,
  type ControlMode,
  type GoalMetric,
  type Lesson,
  type LessonControl,
  type LessonDataset,
} from '../../../shared/lesson'
import type { ModelSpec, TrainConfig } from '../../../shared/model-spec'
import { parseNumberInput } from './builder-form'

/** The teacher's "Make a lesson" form, as typed (numbers may be raw text until validated). */
export interface LessonForm {
  titlePt: string
  titleEn: string
  instructionsPt: string
  instructionsEn: string
  /** Start from the builder's model, or from an empty one. */
  startModel: 'current' | 'none'
  modes: Record<LessonControl, ControlMode>
  dataset: LessonDataset
  /** Training images; empty for the whole training set. */
  limit: string
  seed: string
  goalMetric: GoalMetric
  goalThreshold: string
  maxParams: string
  maxEpochs: string
}

/** The form a teacher starts from: every setting free, the goal test accuracy ≥ 0.9. */
export function blankLessonForm(config: TrainConfig, dataset: LessonDataset): LessonForm {
  return {
    titlePt: '',
    titleEn: '',
    instructionsPt: '',
    instructionsEn: '',
    startModel: 'current',
    modes: Object.fromEntries(LESSON_CONTROLS.map((c) => [c, 'free'])) as LessonForm['modes'],
    dataset,
    limit: config.limit === null ? '' : String(config.limit),
    seed: String(config.seed),
    goalMetric: 'testAccuracy',
    goalThreshold: '0.9',
    maxParams: '',
    maxEpochs: '',
  }
}

/** A typed number, or the text itself so the validator names what is wrong; '' is null. */
function optionalNumber(text: string): number | string | null {
  return text.trim() === '' ? null : parseNumberInput(text)
}

/**
 * The lesson the form describes, built on the builder's model and settings as they are now.
 * Not validated: `validateLesson` judges it and names every problem by field.
 */
export function lessonFromForm(
  id: string,
  form: LessonForm,
  spec: ModelSpec,
  config: TrainConfig,
): unknown {
  const seed = parseNumberInput(form.seed)
  const { model: modelMode, ...controls } = form.modes
  return {
    id,
    version: 1,
    title: { 'pt-BR': form.titlePt.trim(), en: form.titleEn.trim() },
    instructions: { 'pt-BR': form.instructionsPt, en: form.instructionsEn },
    dataset: form.dataset,
    // Without a starting model there is nothing to lock: the student builds one.
    model: form.startModel === 'current' ? { spec, mode: modelMode } : { spec: null, mode: 'free' },
    config: { ...config, limit: optionalNumber(form.limit), seed },
    controls,
    seed,
    goal: { metric: form.goalMetric, threshold: parseNumberInput(form.goalThreshold) },
    constraints: {
      maxParams: optionalNumber(form.maxParams),
      maxEpochs: optionalNumber(form.maxEpochs),
      maxLayers: null,
      allowedLayers: null,
    },
  } satisfies Record<keyof Lesson, unknown>
}

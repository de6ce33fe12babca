import {
  applyLessonLocks,
  LESSON_CONTROLS,
  validateLesson,
  type LessonTrainRequest,
  type ControlMode,
  type Lesson,
  type LessonControl,
} from '../../../shared/lesson'
import { api } from '../lib/api.svelte'
import { builderState } from './builder.svelte'
import { datasetChoiceOf, settingsFromConfig, type SettingsDraft } from './builder-form'

const STORAGE_KEY = 'sinapse.lesson.v1'

/** The builder form's fields behind each lesson control. */
const FORM_FIELDS: Record<Exclude<LessonControl, 'model'>, (keyof SettingsDraft)[]> = {
  optimizer: ['optimizer'],
  learningRate: ['learningRate'],
  momentum: ['momentum'],
  loss: ['loss'],
  epochs: ['epochs'],
  batchSize: ['batchSize'],
  validationSplit: ['validationSplit'],
  splitMode: ['splitMode'],
  earlyStopping: ['earlyStoppingOn', 'monitor', 'patience'],
  limit: ['limitOn', 'limit'],
}

/**
 * The lesson pack a student opened: kept in this window's storage so a reload keeps it, applied
 * to the builder when opened, and read by the settings form (locked and hidden controls) and the
 * lesson panel (instructions, goal, hand-in).
 */
export class LessonState {
  lesson = $state.raw<Lesson | null>(null)
  error = $state<string | null>(null)
  student = $state('')

  constructor(private readonly storage: Storage) {
    try {
      const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as {
        lesson: unknown
        student: string
      } | null
      const checked = saved && validateLesson(saved.lesson)
      if (checked?.ok) {
        this.lesson = checked.lesson
        this.student = typeof saved?.student === 'string' ? saved.student : ''
        // The builder's form was saved on its own and may hold older values: the locks win.
        this.applyToBuilder()
      }
    } catch {
      storage.removeItem(STORAGE_KEY)
    }
  }

  /** The request `training:start` gets: under a lesson, with every lock put back. */
  trainRequest(request: LessonTrainRequest): LessonTrainRequest {
    return this.lesson ? applyLessonLocks(this.lesson, request) : request
  }

  /** Writes the lesson's fixed values (and a locked model) into the builder's form. */
  applyToBuilder(): void {
    const lesson = this.lesson
    if (!lesson) return
    const fixed = settingsFromConfig(lesson.config, datasetChoiceOf(lesson.dataset))
    const settings = builderState.settings
    const copy = (fields: (keyof SettingsDraft)[]): void => {
      for (const field of fields)
        (settings as unknown as Record<string, unknown>)[field] = fixed[field]
    }
    copy(['dataset', 'idxFolder', 'seed'])
    for (const control of LESSON_CONTROLS) {
      if (control !== 'model' && lesson.controls[control] !== 'free') copy(FORM_FIELDS[control])
    }
    if (lesson.model.mode !== 'free' && lesson.model.spec)
      builderState.setLayers(lesson.model.spec.layers)
  }

  /** How a setting may be used under the open lesson; everything is free without one. */
  modeOf(control: LessonControl): ControlMode {
    const lesson = this.lesson
    if (!lesson) return 'free'
    return control === 'model' ? lesson.model.mode : lesson.controls[control]
  }

  /** Opens a chosen or dropped `.sinapse-aula` file and loads its model and settings. */
  async open(file: File): Promise<void> {
    this.error = null
    try {
      const bytes = new Uint8Array(await file.arrayBuffer())
      const lesson = await api['lessons:open']({ name: file.name, bytes })
      this.lesson = lesson
      builderState.loadRun({
        spec: lesson.model.spec ?? { inputShape: [28, 28, 1], layers: [] },
        config: lesson.config,
        dataset: lesson.dataset,
        name: '',
      })
      this.save()
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err)
    }
  }

  close(): void {
    this.lesson = null
    this.error = null
    this.storage.removeItem(STORAGE_KEY)
  }

  save(): void {
    if (!this.lesson) return
    this.storage.setItem(
      STORAGE_KEY,
      JSON.stringify({ lesson: this.lesson, student: this.student }),
    )
  }
}

export const lessonState = new LessonState(localStorage)

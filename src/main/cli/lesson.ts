import { randomUUID } from 'node:crypto'
import { AppError } from '../../shared/errors'
import {
  CONTROL_MODES,
  GOAL_METRICS,
  LESSON_CONTROLS,
  MAX_INSTRUCTIONS_CHARS,
  checkRunAgainstLesson,
  draftLesson,
  formatLessonCheck,
  lessonMetricsOfRun,
  type GoalMetric,
  type Lesson,
  type LessonControl,
} from '../../shared/lesson'
import type { LayerType, ModelSpec, TrainConfig } from '../../shared/model-spec'
import { escapeControlChars as printable } from '../../shared/runs'
import { exportFile } from '../atomic-fs'
import type { Services } from '../services'
import { readUserText } from '../user-files'
import { numberFlag, runIdArg, type ParsedCli } from './args'
import type { Context as CliContext } from './index'
import { boardCommand } from './board'
import { resolveTrainRequest } from './train'

export const LESSON_ACTIONS = ['create', 'open', 'hand-in', 'board'] as const

/** `sinapse lesson create|open|hand-in`: lesson packs from the command line. */
export async function lessonCommand(
  parsed: ParsedCli,
  services: Services,
  ctx: CliContext,
): Promise<number> {
  const [action, ...rest] = parsed.positionals
  switch (action) {
    case 'create':
      return create(parsed, services, ctx)
    case 'open':
      return open(rest[0], services, ctx)
    case 'hand-in':
      return handIn(parsed, rest[0], services, ctx)
    case 'board':
      return boardCommand(rest[0], services, ctx, {
        csv: parsed.values.csv === true,
        replace: parsed.values.replace === true,
      })
    default:
      throw new AppError('INVALID_INPUT', 'cli.lesson.unknownAction', {
        action,
        actions: LESSON_ACTIONS.join(', '),
      })
  }
}

/** A goal as `testAccuracy>=0.97`, `valLoss<=0.1` or a bare `0.97` (test accuracy). */
export function parseGoal(text: string): { metric: GoalMetric; threshold: number } {
  const match = /^\s*(?:([A-Za-z]+)\s*(>=|<=|≥|≤)?\s*)?([0-9]*\.?[0-9]+)\s*$/.exec(text)
  const metric = (match?.[1] ?? 'testAccuracy') as GoalMetric
  if (!match || !(GOAL_METRICS as readonly string[]).includes(metric)) {
    throw new AppError('INVALID_INPUT', 'cli.lesson.badGoal', {
      value: text,
      metrics: GOAL_METRICS.join(', '),
    })
  }
  return { metric, threshold: Number(match[3]) }
}

function controlList(value: string | boolean | undefined, flag: string): LessonControl[] {
  if (typeof value !== 'string') return []
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const name of names) {
    if (!(LESSON_CONTROLS as readonly string[]).includes(name)) {
      throw new AppError('INVALID_INPUT', 'cli.lesson.badControl', {
        flag,
        value: name,
        known: LESSON_CONTROLS.join(', '),
      })
    }
  }
  return names as LessonControl[]
}

async function readInstructions(values: ParsedCli['values'], flag: string): Promise<string> {
  const path = values[flag]
  if (typeof path !== 'string') return ''
  // A few times the character cap in bytes (UTF-8); the validator then counts characters.
  return readUserText(path, { maxBytes: MAX_INSTRUCTIONS_CHARS * 4 })
}

async function create(parsed: ParsedCli, services: Services, ctx: CliContext): Promise<number> {
  const { values } = parsed
  const out = values.out
  if (typeof out !== 'string') throw new AppError('INVALID_INPUT', 'cli.lesson.missingOut', {})
  const request = await resolveTrainRequest(values)
  const blank = values.blank === true
  const draft = draftLesson(
    randomUUID(),
    blank ? null : (request.spec as ModelSpec),
    request.config as TrainConfig,
    request.dataset as Lesson['dataset'],
  )
  const locked = controlList(values.lock, '--lock')
  const hidden = controlList(values.hide, '--hide')
  const controls = { ...draft.controls }
  let modelMode = draft.model.mode
  for (const [list, mode] of [
    [locked, 'locked'],
    [hidden, 'hidden'],
  ] as const) {
    for (const control of list) {
      if (control === 'model') modelMode = mode
      else controls[control] = mode
    }
  }
  const allowed =
    typeof values['allow-layers'] === 'string'
      ? values['allow-layers'].split(',').map((s) => s.trim())
      : null
  const lesson = {
    ...draft,
    title: {
      'pt-BR': typeof values.title === 'string' ? values.title : '',
      en: typeof values['title-en'] === 'string' ? values['title-en'] : '',
    },
    instructions: {
      'pt-BR': await readInstructions(values, 'instructions'),
      en: await readInstructions(values, 'instructions-en'),
    },
    model: { spec: draft.model.spec, mode: modelMode },
    controls,
    goal: typeof values.goal === 'string' ? parseGoal(values.goal) : draft.goal,
    constraints: {
      maxParams: numberFlag(values, 'max-params', true) ?? null,
      maxEpochs: numberFlag(values, 'max-epochs', true) ?? null,
      maxLayers: numberFlag(values, 'max-layers', true) ?? null,
      allowedLayers: allowed as LayerType[] | null,
    },
  }
  const result = await services.lessons.writePackFile(lesson, out, { force: values.force === true })
  if (ctx.json) {
    ctx.out(JSON.stringify({ path: result.path, id: result.lesson.id, version: 1 }))
  } else {
    ctx.out(ctx.t('cli.lesson.created', { path: result.path, id: result.lesson.id }))
  }
  return 0
}

async function open(
  path: string | undefined,
  services: Services,
  ctx: CliContext,
): Promise<number> {
  if (!path) throw new AppError('INVALID_INPUT', 'cli.lesson.missingFile', {})
  const lesson = await services.lessons.readPackFile(path)
  if (ctx.json) {
    ctx.out(JSON.stringify(lesson))
    return 0
  }
  ctx.out(describeLesson(lesson, ctx))
  return 0
}

/** A lesson as the student reads it in a terminal: every text from the file made printable. */
function describeLesson(lesson: Lesson, ctx: CliContext): string {
  const { t, locale } = ctx
  const text = (s: { 'pt-BR': string; en: string }) =>
    printable(s[locale].trim() !== '' ? s[locale] : s[locale === 'en' ? 'pt-BR' : 'en'])
  const modes = (mode: (typeof CONTROL_MODES)[number]) =>
    [
      ...(lesson.model.mode === mode ? ['model'] : []),
      ...LESSON_CONTROLS.filter((c) => c !== 'model' && lesson.controls[c] === mode),
    ].join(', ') || '—'
  const { maxParams, maxEpochs, maxLayers, allowedLayers } = lesson.constraints
  const goal = formatLessonCheck(
    {
      id: 'goal',
      kind: 'goal',
      pass: null,
      key: 'lesson.check.goalPending',
      params: {
        metric: lesson.goal.metric,
        op: lesson.goal.metric.endsWith('Accuracy') ? '≥' : '≤',
        threshold: lesson.goal.threshold,
      },
    },
    locale,
  )
  return [
    t('cli.lesson.title', { title: text(lesson.title), id: lesson.id, version: lesson.version }),
    t('cli.lesson.dataset', { dataset: lesson.dataset, seed: lesson.seed }),
    goal,
    t('cli.lesson.constraints', {
      maxParams: maxParams ?? '—',
      maxEpochs: maxEpochs ?? '—',
      maxLayers: maxLayers ?? '—',
      allowedLayers: allowedLayers?.join(', ') ?? '—',
    }),
    t('cli.lesson.locked', { controls: modes('locked') }),
    t('cli.lesson.hidden', { controls: modes('hidden') }),
    '',
    text(lesson.instructions),
  ].join('\n')
}

async function handIn(
  parsed: ParsedCli,
  runArg: string | undefined,
  services: Services,
  ctx: CliContext,
): Promise<number> {
  const { values } = parsed
  const id = runIdArg(runArg)
  if (typeof values.lesson !== 'string') {
    throw new AppError('INVALID_INPUT', 'cli.lesson.missingLesson', {})
  }
  if (typeof values.student !== 'string') {
    throw new AppError('INVALID_INPUT', 'cli.lesson.missingStudent', {})
  }
  if (typeof values.out !== 'string') {
    throw new AppError('INVALID_INPUT', 'cli.lesson.missingOut', {})
  }
  const lesson = await services.lessons.readPackFile(values.lesson)
  const run = services.runs.get(id)
  const file = await services.bundles.exportHandIn({
    id,
    student: values.student,
    lessonId: lesson.id,
    lessonVersion: lesson.version,
  })
  await exportFile(values.out, file.bytes, { force: values.force === true })
  const checks = checkRunAgainstLesson(lesson, run.spec, run.config, lessonMetricsOfRun(run))
  if (ctx.json) {
    ctx.out(
      JSON.stringify({
        path: values.out,
        lessonId: lesson.id,
        checks: checks.map((c) => ({ ...c, reason: formatLessonCheck(c, ctx.locale) })),
      }),
    )
  } else {
    ctx.out(ctx.t('cli.lesson.handedIn', { id, path: values.out }))
    for (const c of checks) {
      ctx.out(`  ${c.pass === null ? '…' : c.pass ? '✓' : '✗'} ${formatLessonCheck(c, ctx.locale)}`)
    }
  }
  return 0
}

import { isAbsolute, join } from 'node:path'
import {
  accuracyOf,
  CLAIM_TOLERANCE,
  combineTallies,
  lossOf,
  privateTestMask,
  rankBoard,
  splitKey,
  tallySplit,
  type BoardEntry,
  type ClassBoard,
  type SplitScores,
  type SplitTally,
} from '../../shared/board'
import { AppError, toErrorInfo } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import {
  checkRunAgainstLesson,
  keptLessonRules,
  lessonMetricsOfRun,
  pickLocalized,
  validateLesson,
  type Lesson,
} from '../../shared/lesson'
import type { Emit } from '../../shared/ipc-contract'
import { escapeControlChars as printable, type RunDetail } from '../../shared/runs'
import type { DataPaths } from '../paths'
import type { BoardRepo } from '../store/board-repo'
import type { RunsRepo } from '../store/runs-repo'
import { loadDataset } from '../training/datasets/load'
import type { TrainingEngine } from '../training/engine'
import { LessonPackError } from '../lessons/pack'

export interface BoardInput {
  lesson?: unknown
  lessonId?: string
  /** Replace a stored lesson of the same id and version whose content differs. */
  replace?: boolean
}

export interface BoardServiceDeps {
  repo: RunsRepo
  boardRepo: BoardRepo
  engine: TrainingEngine
  paths: DataPaths
  locale: Locale
  /** Told after each hand-in is judged, so a class of forty shows how far re-scoring is. */
  emit?: Emit
}

/**
 * The class board: every run handed in for a lesson, each model re-scored on this machine on
 * the lesson's test split (public half and private half), judged against the lesson's rules,
 * ranked by the private score. Nothing a bundle claims about its own score is used to rank.
 */
export function createBoardService(deps: BoardServiceDeps) {
  const { repo, boardRepo, engine, paths } = deps
  // One re-scoring at a time: two boards opened at once share the worker, not race for it.
  let queue: Promise<unknown> = Promise.resolve()

  function checked(input: unknown): Lesson {
    const result = validateLesson(input)
    if (!result.ok) throw new LessonPackError('lesson', result.issues)
    return result.lesson
  }

  /**
   * The lesson given, saved for next time; or the one saved under `lessonId`. A lesson with the
   * id and version of a stored one but other content replaces it only with `replace`: the
   * teacher may have opened an edited or swapped file, and the board's rules would change
   * silently under every hand-in. The same lesson again changes nothing.
   */
  function lessonOf(input: BoardInput): Lesson {
    if (input.lesson !== undefined) {
      const lesson = checked(input.lesson)
      const stored = boardRepo.getLesson(lesson.id)
      const storedLesson = stored && validateLesson(stored.lesson)
      if (stored?.version === lesson.version && storedLesson?.ok) {
        if (sameJson(storedLesson.lesson, lesson)) return storedLesson.lesson
        if (input.replace !== true) {
          throw new AppError('CONFLICT', 'classroom.board.lessonChanged', {
            title: printable(pickLocalized(lesson.title, deps.locale)),
            id: lesson.id,
            version: lesson.version,
          })
        }
      }
      boardRepo.saveLesson(lesson.id, lesson.version, lesson)
      return lesson
    }
    const stored = input.lessonId ? boardRepo.getLesson(input.lessonId) : null
    if (!stored) {
      throw new AppError('NOT_FOUND', 'classroom.board.lessonUnknown', { id: input.lessonId ?? '' })
    }
    return checked(stored.lesson)
  }

  async function rescore(run: RunDetail, lesson: Lesson, labels: Uint8Array): Promise<SplitScores> {
    if (!run.model) {
      throw new AppError('MODEL_MISSING', 'evaluate.noModel', { id: run.id, name: run.name })
    }
    const key = splitKey(lesson, labels.length)
    const cached = boardRepo.getRescore(run.id, run.model.sha256, key)
    if (cached) return cached
    const modelDir = isAbsolute(run.model.path) ? run.model.path : join(paths.root, run.model.path)
    // Always the lesson's test set, whatever dataset the bundle names.
    const predictions = await engine.testPredictions({
      modelDir,
      sha256: run.model.sha256,
      dataset: lesson.dataset,
    })
    if (predictions.predicted.length !== labels.length) {
      throw new AppError('INTERNAL', 'error.internal', { detail: 'prediction count' })
    }
    const scores = tallySplit(
      predictions.predicted,
      predictions.trueProbability,
      labels,
      privateTestMask(lesson, labels.length),
    )
    boardRepo.saveRescore(run.id, run.model.sha256, key, scores)
    return scores
  }

  async function entryOf(
    run: RunDetail,
    lesson: Lesson,
    labels: Uint8Array,
  ): Promise<Omit<BoardEntry, 'rank'>> {
    let scores: SplitScores | null = null
    let scoreError = null
    try {
      scores = await rescore(run, lesson, labels)
    } catch (err) {
      scoreError = toErrorInfo(err, deps.locale)
    }
    const metricsOf = (t: SplitTally) => ({ accuracy: accuracyOf(t), loss: lossOf(t) })
    const priv = scores && metricsOf(scores.private)
    const test = scores && metricsOf(combineTallies(scores.public, scores.private))
    // The goal is judged on the private score; validation is the last epoch's (the model that
    // was handed in), read by the same function as the student's lesson panel.
    const checks = checkRunAgainstLesson(lesson, run.spec, run.config, {
      ...lessonMetricsOfRun(run),
      testAccuracy: priv?.accuracy ?? null,
      testLoss: priv?.loss ?? null,
    })
    const claimed = run.evaluation?.accuracy ?? null
    const goal = checks.find((c) => c.kind === 'goal')
    return {
      runId: run.id,
      name: run.name,
      student: run.student,
      status: run.status,
      paramCount: run.paramCount,
      epochs: run.epochs,
      config: run.config,
      history: run.history,
      claimed: { accuracy: claimed, loss: run.evaluation?.loss ?? null },
      public: scores && metricsOf(scores.public),
      private: priv,
      test,
      claimMismatch:
        claimed !== null &&
        test?.accuracy != null &&
        Math.abs(claimed - test.accuracy) > CLAIM_TOLERANCE,
      checks,
      keptRules: keptLessonRules(checks),
      goalMet: goal?.pass ?? null,
      scoreError,
    }
  }

  async function build(input: BoardInput): Promise<ClassBoard> {
    const lesson = lessonOf(input)
    const runs = repo
      .list()
      .filter((r) => r.lessonId === lesson.id)
      .map((r) => repo.get(r.id))
      .filter((r): r is RunDetail => r !== null)
    const { test } = await loadDataset(lesson.dataset)
    const labels = test.labels.subarray(0, test.count)
    const entries: Omit<BoardEntry, 'rank'>[] = []
    const progress = (done: number) =>
      deps.emit?.('board:progress', { lessonId: lesson.id, done, total: runs.length })
    progress(0)
    for (const run of runs) {
      entries.push(await entryOf(run, lesson, labels))
      progress(entries.length)
    }
    const mask = privateTestMask(lesson, labels.length)
    const privateCount = mask.reduce((sum, v) => sum + v, 0)
    return {
      lesson,
      publicCount: labels.length - privateCount,
      privateCount,
      entries: rankBoard(entries, lesson.goal),
    }
  }

  return {
    /**
     * The board of a lesson, given whole (from a pack the teacher opened; it is remembered) or by
     * the id of one opened before. Models are re-scored once per model and split, then cached.
     * A changed lesson under a stored id and version is refused (CONFLICT) unless `replace`.
     */
    board(input: BoardInput): Promise<ClassBoard> {
      const next = queue.then(() => build(input))
      queue = next.catch(() => undefined)
      return next
    },

    /** Lessons opened on the board before, newest first, for the board's picker. */
    lessons(): Lesson[] {
      return boardRepo.listLessons().flatMap((stored) => {
        const result = validateLesson(stored.lesson)
        return result.ok ? [result.lesson] : []
      })
    },
  }
}

/** Whether two JSON values hold the same data, whatever the order of their keys. */
function sameJson(a: unknown, b: unknown): boolean {
  const sorted = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
            .map(([k, v]) => [k, sorted(v)]),
        )
      : Array.isArray(value)
        ? value.map(sorted)
        : value
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b))
}

export type BoardService = ReturnType<typeof createBoardService>

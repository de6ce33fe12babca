import type { CsvCell } from './csv'
import type { ErrorInfo } from './errors'
import { isAccuracyMetric, type Lesson, type LessonCheck, type LessonGoal } from './lesson'
import type { TrainConfig } from './model-spec'
import { createRng, shuffleInPlace } from './random'
import type { EpochMetrics, RunStatus } from './runs'

/**
 * The class board's split of a dataset's test set, Kaggle style: the public part is what a
 * student's app may score a model on; the private part is scored only on the teacher's machine,
 * at the board, and ranks the class. A model tuned to the public score (or a bundle that claims
 * a score it does not have) ranks by what it really does on images it was never judged on.
 */
export const PUBLIC_FRACTION = 0.5

/** FNV-1a, 32 bits: a stable number from a lesson id. */
function hashText(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * Which of `count` test images are private for a lesson (1) or public (0): drawn from the
 * lesson's id and seed, so every machine draws the same split for the same lesson.
 */
export function privateTestMask(lesson: { id: string; seed: number }, count: number): Uint8Array {
  const order = new Uint32Array(count)
  for (let i = 0; i < count; i++) order[i] = i
  shuffleInPlace(order, createRng((hashText(lesson.id) ^ lesson.seed) >>> 0))
  const mask = new Uint8Array(count).fill(1)
  const publicCount = Math.round(count * PUBLIC_FRACTION)
  for (let i = 0; i < publicCount; i++) mask[order[i]] = 0
  return mask
}

/** A key naming the split, stored with each re-score so a changed split is scored again. */
export function splitKey(lesson: { id: string; seed: number }, count: number): string {
  return `${lesson.id}:${lesson.seed}:${count}:${PUBLIC_FRACTION}`
}

export interface SplitTally {
  correct: number
  count: number
  /** Sum of −ln p(true class); the split's cross-entropy loss is lossSum / count. */
  lossSum: number
}

export interface SplitScores {
  public: SplitTally
  private: SplitTally
}

// The same floor Keras's categorical cross-entropy clips probabilities to.
const EPSILON = 1e-7

/**
 * Tallies a model's predictions on the test set into its public and private scores. `predicted`
 * is each image's argmax class, `trueProbability` the probability it gave the true class.
 */
export function tallySplit(
  predicted: ArrayLike<number>,
  trueProbability: ArrayLike<number>,
  labels: ArrayLike<number>,
  mask: Uint8Array,
): SplitScores {
  const scores: SplitScores = {
    public: { correct: 0, count: 0, lossSum: 0 },
    private: { correct: 0, count: 0, lossSum: 0 },
  }
  for (let i = 0; i < mask.length; i++) {
    const tally = mask[i] === 1 ? scores.private : scores.public
    tally.count += 1
    if (predicted[i] === labels[i]) tally.correct += 1
    tally.lossSum -= Math.log(Math.min(1, Math.max(EPSILON, trueProbability[i])))
  }
  return scores
}

export function accuracyOf(tally: SplitTally): number | null {
  return tally.count === 0 ? null : tally.correct / tally.count
}

export function lossOf(tally: SplitTally): number | null {
  return tally.count === 0 ? null : tally.lossSum / tally.count
}

/** Whole test set, from both halves. */
export function combineTallies(a: SplitTally, b: SplitTally): SplitTally {
  return {
    correct: a.correct + b.correct,
    count: a.count + b.count,
    lossSum: a.lossSum + b.lossSum,
  }
}

/** One run on the class board, with the scores the teacher's machine gave it. */
export interface BoardEntry {
  runId: number
  name: string
  student: string | null
  status: RunStatus
  /** Place among the runs that kept every rule and were scored; null for the others. */
  rank: number | null
  paramCount: number
  epochs: number
  config: TrainConfig
  history: EpochMetrics[]
  /** What the bundle says its test score was (never used to rank). */
  claimed: { accuracy: number | null; loss: number | null }
  /** Re-scored here: the public half, the private half (ranks) and the whole test set. */
  public: { accuracy: number | null; loss: number | null } | null
  private: { accuracy: number | null; loss: number | null } | null
  test: { accuracy: number | null; loss: number | null } | null
  /** The bundle's claimed test accuracy is not what its model scores here. */
  claimMismatch: boolean
  checks: LessonCheck[]
  /** Every constraint and lock kept (the goal aside). */
  keptRules: boolean
  /** The goal judged on the private score; null when it cannot be told. */
  goalMet: boolean | null
  /** Why the model could not be re-scored (no model, a damaged one). */
  scoreError: ErrorInfo | null
}

export interface ClassBoard {
  lesson: Lesson
  publicCount: number
  privateCount: number
  entries: BoardEntry[]
}

/** A claimed test accuracy further than this from the re-score is not rounding: it is false. */
export const CLAIM_TOLERANCE = 0.002

/**
 * Orders the board: the runs that kept the rules and have a private score first, best first by
 * the lesson's goal (accuracy high, loss low; ties: fewer parameters, then the earlier run),
 * numbered 1, 2, …; then the rule-breakers and the unscored, unnumbered, in the same order.
 */
export function rankBoard(entries: Omit<BoardEntry, 'rank'>[], goal: LessonGoal): BoardEntry[] {
  const higherIsBetter = isAccuracyMetric(goal.metric)
  const score = (e: Omit<BoardEntry, 'rank'>): number | null =>
    (higherIsBetter ? e.private?.accuracy : e.private?.loss) ?? null
  const order = (a: Omit<BoardEntry, 'rank'>, b: Omit<BoardEntry, 'rank'>): number => {
    const sa = score(a)
    const sb = score(b)
    if (sa === null || sb === null) {
      if (sa !== sb) return sa === null ? 1 : -1
    } else if (sa !== sb) return higherIsBetter ? sb - sa : sa - sb
    return a.paramCount - b.paramCount || a.runId - b.runId
  }
  const ranked = entries.filter((e) => e.keptRules && score(e) !== null).sort(order)
  const others = entries.filter((e) => !(e.keptRules && score(e) !== null)).sort(order)
  return [
    ...ranked.map((e, i) => ({ ...e, rank: i + 1 })),
    ...others.map((e) => ({ ...e, rank: null })),
  ]
}

/** The board's CSV columns, in order; each has a header in the locale files. */
export const BOARD_CSV_COLUMNS = [
  'rank',
  'student',
  'run',
  'runId',
  'privateAccuracy',
  'publicAccuracy',
  'testAccuracy',
  'claimedAccuracy',
  'claimMismatch',
  'goalMet',
  'keptRules',
  'brokenRules',
  'paramCount',
  'epochs',
  'optimizer',
  'learningRate',
  'batchSize',
] as const
export type BoardCsvColumn = (typeof BOARD_CSV_COLUMNS)[number]

/** The board as CSV rows (fractions with a decimal point; yes/no as 1/0). */
export function boardCsvRows(board: ClassBoard): CsvCell[][] {
  const flag = (b: boolean | null): number | null => (b === null ? null : b ? 1 : 0)
  return board.entries.map((e) => [
    e.rank,
    e.student,
    e.name,
    e.runId,
    e.private?.accuracy ?? null,
    e.public?.accuracy ?? null,
    e.test?.accuracy ?? null,
    e.claimed.accuracy,
    flag(e.claimMismatch),
    flag(e.goalMet),
    flag(e.keptRules),
    e.checks
      .filter((c) => c.kind !== 'goal' && c.pass === false)
      .map((c) => c.id)
      .join('; '),
    e.paramCount,
    e.epochs,
    e.config.optimizer,
    e.config.learningRate,
    e.config.batchSize,
  ])
}

/**
 * How long re-scoring the rest of a board should take, from the pace so far: null until one
 * hand-in is done (no pace yet) and once all are. Cached scores come back at once, so the first
 * estimate may be low; each new hand-in corrects it.
 */
export function remainingMs(elapsedMs: number, done: number, total: number): number | null {
  if (done <= 0 || done >= total || elapsedMs < 0) return null
  return Math.round((elapsedMs / done) * (total - done))
}

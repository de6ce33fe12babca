import type { Database } from 'better-sqlite3'
import type { SplitScores } from '../../shared/board'

export interface StoredLesson {
  id: string
  version: number
  /** The lesson as validated when it was saved; callers validate it again when reading. */
  lesson: unknown
  savedAt: string
}

interface RescoreRow {
  public_correct: number
  public_count: number
  public_loss_sum: number
  private_correct: number
  private_count: number
  private_loss_sum: number
}

/** The class board's store: lessons the teacher opened, and each model's re-score. */
export function createBoardRepo(db: Database, deps: { now: () => Date }) {
  const selectRescore = db.prepare<[number, string, string], RescoreRow>(
    `SELECT public_correct, public_count, public_loss_sum, private_correct, private_count,
      private_loss_sum FROM rescores WHERE run_id = ? AND model_sha256 = ? AND split_key = ?`,
  )
  const insertRescore = db.prepare(`
    INSERT OR REPLACE INTO rescores (run_id, model_sha256, split_key, public_correct, public_count,
      public_loss_sum, private_correct, private_count, private_loss_sum, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  // An older version never replaces a newer one the teacher already opened.
  const upsertLesson = db.prepare(`
    INSERT INTO lessons (id, version, lesson_json, saved_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version, lesson_json = excluded.lesson_json,
      saved_at = excluded.saved_at WHERE excluded.version >= lessons.version`)
  const selectLesson = db.prepare<
    [string],
    { id: string; version: number; lesson_json: string; saved_at: string }
  >('SELECT id, version, lesson_json, saved_at FROM lessons WHERE id = ?')
  const selectLessons = db.prepare<
    [],
    { id: string; version: number; lesson_json: string; saved_at: string }
  >('SELECT id, version, lesson_json, saved_at FROM lessons ORDER BY saved_at DESC')
  const toLesson = (row: {
    id: string
    version: number
    lesson_json: string
    saved_at: string
  }) => ({
    id: row.id,
    version: row.version,
    lesson: JSON.parse(row.lesson_json) as unknown,
    savedAt: row.saved_at,
  })

  return {
    getRescore(runId: number, sha256: string, split: string): SplitScores | null {
      const row = selectRescore.get(runId, sha256, split)
      if (!row) return null
      return {
        public: {
          correct: row.public_correct,
          count: row.public_count,
          lossSum: row.public_loss_sum,
        },
        private: {
          correct: row.private_correct,
          count: row.private_count,
          lossSum: row.private_loss_sum,
        },
      }
    },

    saveRescore(runId: number, sha256: string, split: string, scores: SplitScores): void {
      insertRescore.run(
        runId,
        sha256,
        split,
        scores.public.correct,
        scores.public.count,
        scores.public.lossSum,
        scores.private.correct,
        scores.private.count,
        scores.private.lossSum,
        deps.now().toISOString(),
      )
    },

    saveLesson(id: string, version: number, lesson: unknown): void {
      upsertLesson.run(id, version, JSON.stringify(lesson), deps.now().toISOString())
    },

    getLesson(id: string): StoredLesson | null {
      const row = selectLesson.get(id)
      return row ? toLesson(row) : null
    },

    listLessons(): StoredLesson[] {
      return selectLessons.all().map(toLesson)
    },
  }
}

export type BoardRepo = ReturnType<typeof createBoardRepo>

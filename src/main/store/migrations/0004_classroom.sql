-- Who handed a run in and for which lesson (from a lesson pack's hand-in bundle); NULL for a
-- run trained here or imported without them.
ALTER TABLE runs ADD COLUMN student TEXT;
ALTER TABLE runs ADD COLUMN lesson_id TEXT;
CREATE INDEX runs_lesson_idx ON runs (lesson_id) WHERE lesson_id IS NOT NULL;

-- The class board's own scores: each handed-in model re-scored on this machine's test split, so
-- a bundle's claimed metrics are never trusted. Keyed by the model's hash and the split, so a
-- replaced model or another split is scored again.
CREATE TABLE rescores (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  model_sha256 TEXT NOT NULL,
  split_key TEXT NOT NULL,
  public_correct INTEGER NOT NULL,
  public_count INTEGER NOT NULL,
  -- Sum over the split of -ln p(true class), so a loss goal can be ranked too.
  public_loss_sum REAL NOT NULL,
  private_correct INTEGER NOT NULL,
  private_count INTEGER NOT NULL,
  private_loss_sum REAL NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (run_id, model_sha256, split_key)
) WITHOUT ROWID;

-- Lessons the teacher opened on the class board, so the board of a lesson can be shown again
-- without the pack file. The newest version of each lesson is kept.
CREATE TABLE lessons (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  lesson_json TEXT NOT NULL,
  saved_at TEXT NOT NULL
);

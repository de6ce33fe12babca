-- Runs, their per-epoch history, the current test evaluation and the saved model file.
-- Timestamps are ISO-8601 UTC text from the application's clock; JSON columns hold shared types.

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  -- Stable across machines: bundles exported elsewhere keep it, while `id` is local.
  uid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('trained', 'imported')),
  status TEXT NOT NULL
    CHECK (status IN ('queued', 'running', 'completed', 'stopped', 'failed', 'interrupted')),
  dataset TEXT NOT NULL,
  spec_json TEXT NOT NULL,
  config_json TEXT NOT NULL,
  seed INTEGER NOT NULL,
  param_count INTEGER NOT NULL,
  backend TEXT,
  error TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  -- Which process trains the run; lets another process tell a live run from an orphan.
  owner_pid INTEGER,
  owner_token TEXT,
  heartbeat_at TEXT,
  notes TEXT,
  tags_json TEXT NOT NULL DEFAULT '[]',
  pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1))
);

CREATE INDEX runs_newest_idx ON runs (created_at DESC, id DESC);
CREATE INDEX runs_active_idx ON runs (status) WHERE status IN ('queued', 'running');

-- loss and accuracy are NULL only for NaN (SQLite stores NaN as NULL): a diverging training has one.
CREATE TABLE epochs (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  loss REAL,
  accuracy REAL,
  val_loss REAL,
  val_accuracy REAL,
  duration_ms REAL NOT NULL,
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

-- One current evaluation per run: re-evaluating replaces the row.
CREATE TABLE evaluations (
  run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  loss REAL,
  accuracy REAL,
  confusion_json TEXT NOT NULL,
  per_class_json TEXT NOT NULL,
  sample_count INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE models (
  run_id INTEGER NOT NULL UNIQUE REFERENCES runs (id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

import { randomUUID } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import type { DatasetRef } from '../../shared/dataset'
import { AppError } from '../../shared/errors'
import type { MessageKey } from '../../shared/i18n'
import { DEFAULT_INPUT_SCALE, type InputScale } from '../../shared/input-scale'
import type { ModelSpec, TrainConfig } from '../../shared/model-spec'
import type { OrphanReason, RunOwner } from './process-liveness'
import type {
  BackendName,
  EpochMetrics,
  Evaluation,
  ModelFile,
  RunDetail,
  RunKind,
  RunStatus,
  RunSummary,
} from '../../shared/runs'

/**
 * Stored in `error` for runs whose owner died. `error` holds either a message key like this one
 * (translate it with `isMessageKey`) or the raw text a failed training reported.
 */
export const INTERRUPTED_ERROR = 'store.runInterrupted' satisfies MessageKey

/** What `error` holds for a run marked interrupted by another process, by the reason it found. */
export const ORPHAN_ERRORS = {
  ownerGone: 'store.interrupted.ownerGone',
  pidReused: 'store.interrupted.pidReused',
  ownerSilent: 'store.interrupted.ownerSilent',
} as const satisfies Record<OrphanReason, MessageKey>

/**
 * Tells why a queued or running run's owner no longer trains it, or null while it does
 * (`whyOrphaned` from process-liveness, bound to the asking process).
 */
export type OwnerCheck = (owner: RunOwner) => OrphanReason | null

export type StoredRunSummary = RunSummary
export type StoredRunDetail = RunDetail

export interface CreateRunInput {
  name: string
  kind: RunKind
  status: 'queued' | 'running'
  dataset: DatasetRef
  spec: ModelSpec
  config: TrainConfig
  seed: number
  paramCount: number
  /** The process that trains the run; null means nobody does, so it counts as orphaned. */
  ownerPid: number | null
  /** Distinguishes this owner from a later process that reuses the same pid. */
  ownerToken: string | null
  /** The owner process's start id, where the OS gives one (see process-liveness). */
  ownerStartId?: string | null
  /** Kept when a run comes from another machine; a new random UUID otherwise. */
  uid?: string
}

/**
 * A complete run from another machine (a run bundle), saved whole with its own timestamps. A run
 * that was still training there arrives finished (interrupted), since nobody here trains it.
 */
export interface ImportRunInput {
  uid: string
  name: string
  kind: RunKind
  status: Exclude<RunStatus, 'queued' | 'running'>
  dataset: DatasetRef
  spec: ModelSpec
  config: TrainConfig
  seed: number
  paramCount: number
  backend: BackendName | null
  error: string | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  notes: string | null
  tags: string[]
  /** Who handed the run in, and for which lesson (a lesson pack's hand-in bundle). */
  student?: string | null
  lessonId?: string | null
  /** Absent in bundles made before Sinapse recorded it: '1'. */
  inputScale?: InputScale
  /** The restore-best-weights epoch the model holds; absent or null: the last epoch's. */
  weightsEpoch?: number | null
  history: EpochMetrics[]
  evaluation: Evaluation | null
  model: ModelFile | null
}

/** An evaluation or model file to save; `createdAt` defaults to the repo's clock. */
export type Stamped<T extends { createdAt: string }> = Omit<T, 'createdAt'> & { createdAt?: string }

export interface RunsRepo {
  create(input: CreateRunInput): StoredRunSummary
  markRunning(id: number, info: { backend: BackendName }): void
  /**
   * Records how a run ended. A run another process already marked interrupted (its owner had
   * fallen silent) stays so: returns false then.
   */
  finish(id: number, status: 'completed' | 'stopped' | 'failed', error: string | null): boolean
  /**
   * The owner's sign of life. Returns false when the run is no longer this owner's to train
   * (another process marked it interrupted meanwhile): the owner must stop.
   */
  heartbeat(id: number, ownerToken: string | null): boolean
  /** Replaces a finished run's error note (say, once a refused model was saved elsewhere). */
  setError(id: number, error: string | null): void
  addEpoch(id: number, metrics: EpochMetrics): void
  saveEvaluation(id: number, evaluation: Stamped<Evaluation>): Evaluation
  saveModel(id: number, model: Stamped<ModelFile>): ModelFile
  /** Records which epoch's weights the run's model holds (restored best), or null for the last. */
  setWeightsEpoch(id: number, epoch: number | null): void
  list(): StoredRunSummary[]
  get(id: number): StoredRunDetail | null
  getByUid(uid: string): StoredRunDetail | null
  /** Every model folder a run references, as stored (relative to the data folder, or absolute). */
  modelPaths(): string[]
  rename(id: number, name: string): void
  setNotes(id: number, notes: string | null): void
  /** Records the run's pixel convention and drops its stored evaluation, made under the old one. */
  setInputScale(id: number, scale: InputScale): void
  setTags(id: number, tags: string[]): void
  setPinned(id: number, pinned: boolean): void
  delete(id: number): boolean
  /**
   * Deletes every run (epochs, evaluations, model rows and rescores cascade) and every lesson the
   * class board remembered, in one write transaction, and
   * returns the model folders they referenced; `{ busyId }` and nothing deleted while a run is
   * queued or running. Then compacts the file, so deleted rows do not linger in free pages.
   */
  deleteAll(): { deleted: number; modelPaths: string[] } | { busyId: number }
  /** Marks interrupted every queued or running run whose owner `check` finds gone or silent. */
  markOrphans(check: OwnerCheck): number[]
  /**
   * Creates the run only if no other run is queued or running with a live owner, in one write
   * transaction, so two processes starting at the same instant cannot both train.
   */
  createWhenIdle(
    input: CreateRunInput,
    check: OwnerCheck,
  ): { run: StoredRunSummary } | { busyId: number }
  /**
   * Saves a complete run (row, epochs, evaluation, model) in one transaction, unless a run with
   * the same uid exists: then nothing changes and that run is returned with `created: false`.
   */
  importRun(input: ImportRunInput): { run: StoredRunDetail; created: boolean }
}

interface SummaryRow {
  id: number
  uid: string
  name: string
  kind: RunKind
  status: RunStatus
  dataset: string
  backend: BackendName | null
  seed: number
  param_count: number
  epoch_count: number
  best_val_accuracy: number | null
  test_accuracy: number | null
  created_at: string
  started_at: string | null
  finished_at: string | null
  error: string | null
  notes: string | null
  tags_json: string
  pinned: number
  student: string | null
  lesson_id: string | null
}

interface DetailRow extends SummaryRow {
  spec_json: string
  config_json: string
  input_scale: InputScale
  weights_epoch: number | null
}

interface EpochRow {
  epoch: number
  loss: number | null
  accuracy: number | null
  val_loss: number | null
  val_accuracy: number | null
  duration_ms: number
}

interface EvaluationRow {
  loss: number | null
  accuracy: number | null
  confusion_json: string
  per_class_json: string
  sample_count: number
  created_at: string
}

interface ModelRow {
  path: string
  sha256: string
  size_bytes: number
  created_at: string
}

interface OwnerRow {
  id: number
  owner_pid: number | null
  owner_token: string | null
  owner_start_id: string | null
  heartbeat_at: string | null
}

// The aggregates are correlated subqueries on the epochs primary key (run_id, epoch) and the
// evaluations primary key, so listing stays a single indexed pass however long the history is.
const SUMMARY_SELECT = `
  SELECT r.id, r.uid, r.name, r.kind, r.status, r.dataset, r.backend, r.seed, r.param_count,
    r.created_at, r.started_at, r.finished_at, r.error, r.notes, r.tags_json, r.pinned,
    r.student, r.lesson_id,
    (SELECT count(*) FROM epochs e WHERE e.run_id = r.id) AS epoch_count,
    (SELECT max(e.val_accuracy) FROM epochs e WHERE e.run_id = r.id) AS best_val_accuracy,
    (SELECT v.accuracy FROM evaluations v WHERE v.run_id = r.id) AS test_accuracy`

/** The run store: every read and write of runs and their history, on prepared statements. */
export function createRunsRepo(db: Database, deps: { now: () => Date }): RunsRepo {
  const stamp = (): string => deps.now().toISOString()

  const insertRun = db.prepare(`
    INSERT INTO runs (uid, name, kind, status, dataset, spec_json, config_json, seed, param_count,
      created_at, started_at, owner_pid, owner_token, owner_start_id, heartbeat_at)
    VALUES (@uid, @name, @kind, @status, @dataset, @specJson, @configJson, @seed, @paramCount,
      @createdAt, @startedAt, @ownerPid, @ownerToken, @ownerStartId, @createdAt)`)
  const updateRunning = db.prepare(
    "UPDATE runs SET status = 'running', backend = ?, started_at = coalesce(started_at, ?), heartbeat_at = ? WHERE id = ?",
  )
  const updateFinished = db.prepare(
    "UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')",
  )
  const updateHeartbeat = db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?')
  const updateOwnHeartbeat = db.prepare(
    "UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status IN ('queued', 'running') AND owner_token IS ?",
  )
  const selectExists = db.prepare<[number], { id: number }>('SELECT id FROM runs WHERE id = ?')
  const insertEpoch = db.prepare(`
    INSERT INTO epochs (run_id, epoch, loss, accuracy, val_loss, val_accuracy, duration_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?)`)
  const upsertEvaluation = db.prepare(`
    INSERT INTO evaluations (run_id, loss, accuracy, confusion_json, per_class_json, sample_count,
      created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (run_id) DO UPDATE SET loss = excluded.loss, accuracy = excluded.accuracy,
      confusion_json = excluded.confusion_json, per_class_json = excluded.per_class_json,
      sample_count = excluded.sample_count, created_at = excluded.created_at`)
  const upsertModel = db.prepare(`
    INSERT INTO models (run_id, path, sha256, size_bytes, created_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (run_id) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256,
      size_bytes = excluded.size_bytes, created_at = excluded.created_at`)
  const selectList = db.prepare<[], SummaryRow>(
    `${SUMMARY_SELECT} FROM runs r ORDER BY r.created_at DESC, r.id DESC`,
  )
  const selectById = db.prepare<[number], DetailRow>(
    `${SUMMARY_SELECT}, r.spec_json, r.config_json, r.input_scale, r.weights_epoch FROM runs r WHERE r.id = ?`,
  )
  const selectByUid = db.prepare<[string], DetailRow>(
    `${SUMMARY_SELECT}, r.spec_json, r.config_json, r.input_scale, r.weights_epoch FROM runs r WHERE r.uid = ?`,
  )
  const selectEpochs = db.prepare<[number], EpochRow>(
    'SELECT epoch, loss, accuracy, val_loss, val_accuracy, duration_ms FROM epochs WHERE run_id = ? ORDER BY epoch',
  )
  const selectEvaluation = db.prepare<[number], EvaluationRow>(
    'SELECT loss, accuracy, confusion_json, per_class_json, sample_count, created_at FROM evaluations WHERE run_id = ?',
  )
  const selectModel = db.prepare<[number], ModelRow>(
    'SELECT path, sha256, size_bytes, created_at FROM models WHERE run_id = ?',
  )
  const selectModelPaths = db.prepare<[], string>('SELECT path FROM models').pluck()
  const updateName = db.prepare('UPDATE runs SET name = ? WHERE id = ?')
  const updateNotes = db.prepare('UPDATE runs SET notes = ? WHERE id = ?')
  const updateInputScale = db.prepare('UPDATE runs SET input_scale = ? WHERE id = ?')
  const updateWeightsEpoch = db.prepare('UPDATE runs SET weights_epoch = ? WHERE id = ?')
  const deleteEvaluation = db.prepare('DELETE FROM evaluations WHERE run_id = ?')
  const setInputScaleTx = db.transaction((id: number, scale: InputScale) => {
    mustChange(updateInputScale.run(scale, id).changes, id)
    deleteEvaluation.run(id)
  })
  const updateError = db.prepare('UPDATE runs SET error = ? WHERE id = ?')
  const updateTags = db.prepare('UPDATE runs SET tags_json = ? WHERE id = ?')
  const updatePinned = db.prepare('UPDATE runs SET pinned = ? WHERE id = ?')
  const deleteRun = db.prepare('DELETE FROM runs WHERE id = ?')
  const deleteAllRuns = db.prepare('DELETE FROM runs')
  // "Delete all my data" means all of it: the class board's remembered lessons (teachers' titles
  // and instructions) go in the same transaction as the runs (rescores cascade with them).
  const deleteAllLessons = db.prepare('DELETE FROM lessons')
  const selectBusy = db
    .prepare<[], number>("SELECT id FROM runs WHERE status IN ('queued', 'running') LIMIT 1")
    .pluck()
  const selectActive = db.prepare<[], OwnerRow>(
    "SELECT id, owner_pid, owner_token, owner_start_id, heartbeat_at FROM runs WHERE status IN ('queued', 'running') ORDER BY id",
  )
  // Re-checks status and owner so a run that finished (or changed hands) meanwhile is left alone.
  const updateInterrupted = db.prepare(`
    UPDATE runs SET status = 'interrupted', finished_at = ?, error = ?
    WHERE id = ? AND status IN ('queued', 'running') AND owner_pid IS ? AND owner_token IS ?`)

  const mustChange = (changes: number, id: number): void => {
    if (changes === 0) throw new AppError('NOT_FOUND', 'error.runNotFound', { id })
  }
  // Rows that reference a run fail on the foreign key when the run does not exist.
  const forRun = <T>(id: number, write: () => T): T => {
    try {
      return write()
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new AppError('NOT_FOUND', 'error.runNotFound', { id })
      }
      throw err
    }
  }

  const insertImportedRun = db.prepare(`
    INSERT INTO runs (uid, name, kind, status, dataset, spec_json, config_json, seed, param_count,
      backend, error, created_at, started_at, finished_at, notes, tags_json, student, lesson_id,
      input_scale, weights_epoch)
    VALUES (@uid, @name, @kind, @status, @dataset, @specJson, @configJson, @seed, @paramCount,
      @backend, @error, @createdAt, @startedAt, @finishedAt, @notes, @tagsJson, @student,
      @lessonId, @inputScale, @weightsEpoch)`)

  // Immediate, so the uid check and the insert hold the write lock together: two processes
  // importing the same bundle at once cannot both create it.
  const importRunTx = db.transaction((input: ImportRunInput) => {
    const existing = selectByUid.get(input.uid)
    if (existing) return { id: existing.id, created: false }
    const result = insertImportedRun.run({
      uid: input.uid,
      name: input.name,
      kind: input.kind,
      status: input.status,
      dataset: input.dataset,
      specJson: JSON.stringify(input.spec),
      configJson: JSON.stringify(input.config),
      seed: input.seed,
      paramCount: input.paramCount,
      backend: input.backend,
      error: input.error,
      createdAt: input.createdAt,
      startedAt: input.startedAt,
      finishedAt: input.finishedAt,
      notes: input.notes,
      tagsJson: JSON.stringify(input.tags),
      student: input.student ?? null,
      lessonId: input.lessonId ?? null,
      inputScale: input.inputScale ?? DEFAULT_INPUT_SCALE,
      weightsEpoch: input.weightsEpoch ?? null,
    })
    const id = Number(result.lastInsertRowid)
    for (const m of input.history) {
      insertEpoch.run(id, m.epoch, m.loss, m.accuracy, m.valLoss, m.valAccuracy, m.durationMs)
    }
    const e = input.evaluation
    if (e) {
      upsertEvaluation.run(
        id,
        e.loss,
        e.accuracy,
        encodeNumbers(e.confusionMatrix),
        encodeNumbers(e.perClass),
        e.sampleCount,
        e.createdAt,
      )
    }
    const m = input.model
    if (m) upsertModel.run(id, m.path, m.sha256, m.sizeBytes, m.createdAt)
    return { id, created: true }
  })

  const deleteAllTx = db.transaction(
    (): { deleted: number; modelPaths: string[] } | { busyId: number } => {
      const busyId = selectBusy.get()
      if (busyId !== undefined) return { busyId }
      const modelPaths = selectModelPaths.all()
      const deleted = deleteAllRuns.run().changes
      deleteAllLessons.run()
      return { deleted, modelPaths }
    },
  )

  const addEpochTx = db.transaction((id: number, m: EpochMetrics) => {
    insertEpoch.run(id, m.epoch, m.loss, m.accuracy, m.valLoss, m.valAccuracy, m.durationMs)
    updateHeartbeat.run(stamp(), id)
  })

  // One read transaction, so the run and its history come from the same snapshot while another
  // connection keeps writing epochs.
  const readDetail = db.transaction((find: () => DetailRow | undefined): StoredRunDetail | null => {
    const row = find()
    if (!row) return null
    const evaluation = selectEvaluation.get(row.id)
    const model = selectModel.get(row.id)
    return {
      ...toSummary(row),
      spec: JSON.parse(row.spec_json) as ModelSpec,
      config: JSON.parse(row.config_json) as TrainConfig,
      inputScale: row.input_scale,
      weightsEpoch: row.weights_epoch,
      history: selectEpochs.all(row.id).map(toEpoch),
      evaluation: evaluation ? toEvaluation(evaluation) : null,
      model: model ? toModel(model) : null,
    }
  })

  const markOrphansTx = db.transaction((check: OwnerCheck): number[] => {
    const finishedAt = stamp()
    const marked: number[] = []
    for (const run of selectActive.all()) {
      const reason = check({
        pid: run.owner_pid,
        token: run.owner_token,
        startId: run.owner_start_id,
        heartbeatAt: run.heartbeat_at,
      })
      if (reason === null) continue
      const result = updateInterrupted.run(
        finishedAt,
        ORPHAN_ERRORS[reason],
        run.id,
        run.owner_pid,
        run.owner_token,
      )
      if (result.changes > 0) marked.push(run.id)
    }
    return marked
  })

  const repo: RunsRepo = {
    create(input) {
      const createdAt = stamp()
      const result = insertRun.run({
        uid: input.uid ?? randomUUID(),
        name: input.name,
        kind: input.kind,
        status: input.status,
        dataset: input.dataset,
        specJson: JSON.stringify(input.spec),
        configJson: JSON.stringify(input.config),
        seed: input.seed,
        paramCount: input.paramCount,
        createdAt,
        startedAt: input.status === 'running' ? createdAt : null,
        ownerPid: input.ownerPid,
        ownerToken: input.ownerToken,
        ownerStartId: input.ownerStartId ?? null,
      })
      const created = selectById.get(Number(result.lastInsertRowid))
      if (!created) throw new Error('A run vanished right after it was inserted')
      return toSummary(created)
    },

    markRunning(id, { backend }) {
      const now = stamp()
      mustChange(updateRunning.run(backend, now, now, id).changes, id)
    },

    finish(id, status, error) {
      if (updateFinished.run(status, error, stamp(), id).changes > 0) return true
      mustChange(selectExists.get(id) ? 1 : 0, id)
      return false
    },

    heartbeat(id, ownerToken) {
      if (updateOwnHeartbeat.run(stamp(), id, ownerToken).changes > 0) return true
      mustChange(selectExists.get(id) ? 1 : 0, id)
      return false
    },

    addEpoch(id, metrics) {
      forRun(id, () => addEpochTx(id, metrics))
    },

    saveEvaluation(id, e) {
      const saved: Evaluation = { ...e, createdAt: e.createdAt ?? stamp() }
      forRun(id, () =>
        upsertEvaluation.run(
          id,
          saved.loss,
          saved.accuracy,
          encodeNumbers(saved.confusionMatrix),
          encodeNumbers(saved.perClass),
          saved.sampleCount,
          saved.createdAt,
        ),
      )
      return saved
    },

    saveModel(id, m) {
      const saved: ModelFile = { ...m, createdAt: m.createdAt ?? stamp() }
      forRun(id, () =>
        upsertModel.run(id, saved.path, saved.sha256, saved.sizeBytes, saved.createdAt),
      )
      return saved
    },

    setWeightsEpoch(id, epoch) {
      mustChange(updateWeightsEpoch.run(epoch, id).changes, id)
    },

    list() {
      return selectList.all().map(toSummary)
    },

    get(id) {
      return readDetail(() => selectById.get(id))
    },

    getByUid(uid) {
      return readDetail(() => selectByUid.get(uid))
    },

    modelPaths() {
      return selectModelPaths.all()
    },

    rename(id, name) {
      mustChange(updateName.run(name, id).changes, id)
    },

    setError(id, error) {
      mustChange(updateError.run(error, id).changes, id)
    },

    setNotes(id, notes) {
      mustChange(updateNotes.run(notes, id).changes, id)
    },

    setInputScale(id, scale) {
      setInputScaleTx(id, scale)
    },

    setTags(id, tags) {
      mustChange(updateTags.run(JSON.stringify(tags), id).changes, id)
    },

    setPinned(id, pinned) {
      mustChange(updatePinned.run(pinned ? 1 : 0, id).changes, id)
    },

    delete(id) {
      return deleteRun.run(id).changes > 0
    },

    deleteAll() {
      const result = deleteAllTx.immediate()
      if ('deleted' in result) {
        // Outside the transaction: VACUUM cannot run inside one.
        db.exec('VACUUM')
        db.pragma('wal_checkpoint(TRUNCATE)')
      }
      return result
    },

    markOrphans(check) {
      return markOrphansTx.immediate(check)
    },

    createWhenIdle(input, check) {
      return createWhenIdleTx.immediate(input, check)
    },

    importRun(input) {
      const { id, created } = importRunTx.immediate(input)
      const run = readDetail(() => selectById.get(id))
      if (!run) throw new Error('An imported run vanished right after it was saved')
      return { run, created }
    },
  }
  const createWhenIdleTx = db.transaction((input: CreateRunInput, check: OwnerCheck) => {
    markOrphansTx(check)
    const busy = selectActive.get()
    return busy ? { busyId: busy.id } : { run: repo.create(input) }
  })
  return repo
}

function toSummary(row: SummaryRow): StoredRunSummary {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    kind: row.kind,
    status: row.status,
    dataset: row.dataset as DatasetRef,
    backend: row.backend,
    seed: row.seed,
    paramCount: row.param_count,
    epochs: row.epoch_count,
    bestValAccuracy: row.best_val_accuracy,
    testAccuracy: row.test_accuracy,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    notes: row.notes,
    tags: JSON.parse(row.tags_json) as string[],
    pinned: row.pinned === 1,
    student: row.student,
    lessonId: row.lesson_id,
  }
}

// SQLite stores NaN as NULL, and a diverging training really does report a NaN loss, so the
// required metric columns read NULL back as NaN. An optional validation metric that was NaN
// reads back as null (absent); that ambiguity is accepted.
function toEpoch(row: EpochRow): EpochMetrics {
  return {
    epoch: row.epoch,
    loss: row.loss ?? Number.NaN,
    accuracy: row.accuracy ?? Number.NaN,
    valLoss: row.val_loss,
    valAccuracy: row.val_accuracy,
    durationMs: row.duration_ms,
  }
}

function toEvaluation(row: EvaluationRow): Evaluation {
  return {
    loss: row.loss ?? Number.NaN,
    accuracy: row.accuracy ?? Number.NaN,
    confusionMatrix: decodeNumbers(row.confusion_json) as number[][],
    perClass: decodeNumbers(row.per_class_json) as Evaluation['perClass'],
    sampleCount: row.sample_count,
    createdAt: row.created_at,
  }
}

function toModel(row: ModelRow): ModelFile {
  return {
    path: row.path,
    sha256: row.sha256,
    sizeBytes: row.size_bytes,
    createdAt: row.created_at,
  }
}

// JSON has no NaN or Infinity (a class never predicted has precision 0/0), so non-finite
// numbers travel as the strings 'NaN', 'Infinity' and '-Infinity'.
function encodeNumbers(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
  )
}

function decodeNumbers(json: string): unknown {
  return JSON.parse(json, (_key, v: unknown) =>
    v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : v,
  )
}

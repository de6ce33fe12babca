import type { LayersModel } from '@tensorflow/tfjs-layers'
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../shared/errors'
import { DEFAULT_INPUT_SCALE, toModelInput } from '../../shared/input-scale'
import type { ModelFile } from '../../shared/runs'
import { initBackend, tf } from './backend'
import { helperEntry } from './data-parallel'
import { loadDataset } from './datasets/load'
import { splitIndices } from './datasets/split'
import { evaluateWithPredictions, predictBatch } from './evaluate'
import {
  convFilters,
  denseTemplates,
  layerHealth,
  occlusionMap,
  saliencyMap,
  testInputs,
  topActivations,
  traceLayers,
} from './inspect'
import { buildModel } from './model-factory'
import { loadModel, saveModel } from './model-io'
import { computeFeatures, featureModel, judgeFeatures, type OodCalibration } from './ood'
import { createOodBanks, type OodJob } from './ood-banks'
import { readOodFile, writeOodFile } from './ood-file'
import { predictionsKey, writePredictionsFile } from './predictions-file'
import { estimateEpoch } from './step-timing'
import { timeTrainingSteps, trainModel } from './trainer'
import type {
  EstimateJob,
  EvaluateJob,
  InsightJob,
  InspectJob,
  JudgedPredictJob,
  JudgedPredictions,
  OodPrepared,
  PredictJob,
  SamplePredictions,
  SaveUnsavedJob,
  TrainEstimate,
  TrainJob,
  TrainOutcome,
  UnitJob,
  WorkerError,
  WorkerEvent,
  WorkerInit,
  WorkerRequest,
  WorkerResults,
} from './worker-protocol'

/*
 * The training worker: the one thread that owns TensorFlow.js. It answers requests from
 * engine.ts one message at a time; a training job yields to the event loop every few tens of
 * milliseconds, so predictions and evaluations can interleave with it.
 */

const port = parentPort
if (!port) throw new Error('worker.ts must run as a worker thread')

const init = (workerData ?? {}) as WorkerInit
const backendReady = initBackend(init.backend, { native: init.native })
// Swallowed here, reported by every request that awaits it.
backendReady.catch(() => {})

let cached: { dir: string; sha256: string | null; model: Promise<LayersModel> } | null = null
/** Trained models the data folder refused, by run id, until saved elsewhere. */
const unsaved = new Map<number, LayersModel>()
/** The run being trained, if any: estimates are refused meanwhile (they would slow it down). */
let trainingRunId: number | null = null
/** Resolves when the running training ends; null while none runs (OOD banks wait for it). */
let trainingEnded: Promise<void> | null = null

/**
 * How long an estimate warms up (at least, and at most while steps keep speeding up) and then
 * times steps; with model building and validation it takes about 2–3 s on an idle machine.
 */
const ESTIMATE_LIMITS = { minWarmMs: 800, warmBudgetMs: 1600, budgetMs: 800 }

function post(event: WorkerEvent): void {
  port?.postMessage(event)
}

port.on('message', (request: WorkerRequest) => {
  void answer(request)
})

async function answer(request: WorkerRequest): Promise<void> {
  try {
    post({ type: 'result', id: request.id, value: await handle(request) })
  } catch (err) {
    post({ type: 'error', id: request.id, error: toWorkerError(err) })
  }
}

async function handle(request: WorkerRequest): Promise<WorkerResults[keyof WorkerResults]> {
  switch (request.type) {
    case 'backend':
      return backendReady
    case 'train':
      return train(request.id, request.job, new Int32Array(request.stopFlag))
    case 'evaluate':
      return evaluate(request.job)
    case 'predict':
      return predict(request.job)
    case 'predictJudged':
      return predictJudged(request.job)
    case 'estimate':
      return estimate(request.job)
    case 'predictions':
      return (await scoreTestSet(request.job)).predictions
    case 'inspect':
      return inspect(request.job)
    case 'insight':
      return insight(request.job)
    case 'unit':
      return unitExamples(request.job)
    case 'saveUnsaved':
      return saveUnsaved(request.job)
    case 'oodPrepare':
      return oodPrepare(request.id, request.job)
    case 'oodCancel':
      return oodBanks.cancel(request.job)
  }
}

async function train(id: number, job: TrainJob, stopFlag: Int32Array): Promise<TrainOutcome> {
  const backend = await backendReady
  let model: LayersModel | null = null
  trainingRunId = job.runId
  let endTraining = () => {}
  trainingEnded = new Promise((resolve) => (endTraining = resolve))
  try {
    const dataset = await loadDataset(job.dataset)
    const split = splitIndices(dataset.train.count, job.config)
    model = buildModel(tf, job.spec, job.config)
    post({
      type: 'start',
      id,
      info: {
        backend,
        trainCount: split.train.length,
        valCount: split.validation.length,
        batchesPerEpoch: Math.ceil(split.train.length / job.config.batchSize),
      },
    })
    const result = await trainModel({
      tf,
      model,
      dataset,
      split,
      config: job.config,
      shouldStop: () => Atomics.load(stopFlag, 0) !== 0,
      onProgress: (progress) =>
        post({ type: 'progress', id, progress: { runId: job.runId, ...progress } }),
      onEpoch: (metrics) => post({ type: 'epoch', id, metrics }),
      helper: helperEntry(),
    })
    const keep = result.status === 'completed' || (result.status === 'stopped' && result.epochs > 0)
    let modelFile = null
    let notSaved: WorkerError | null = null
    if (keep) {
      try {
        modelFile = await saveModel(tf, model, job.modelDir)
      } catch (err) {
        // The data folder refused the model (read-only, full, replaced by a file): the trained
        // weights stay here in memory so the user can save them elsewhere (saveUnsaved).
        const cause = toWorkerError(err)
        notSaved = {
          code: cause.code,
          key: 'training.modelNotSaved',
          params: { path: job.modelDir, detail: String(cause.params.detail ?? cause.code) },
        }
        unsaved.get(job.runId)?.dispose()
        unsaved.set(job.runId, model)
      }
    }
    let evaluation = null
    if (keep) {
      const scored = evaluateWithPredictions(
        tf,
        model,
        dataset.test,
        dataset.info.classNames.length,
      )
      evaluation = scored.evaluation
      if (modelFile) await keepPredictions(job.modelDir, scored.predictions, modelFile.sha256)
    }
    if (notSaved) model = null
    return {
      status: result.status,
      error: notSaved ?? (result.error ? { code: 'TRAINING_FAILED', ...result.error } : null),
      model: modelFile,
      evaluation,
      backend,
      unsaved: notSaved !== null,
      weightsEpoch: keep ? result.weightsEpoch : null,
    }
  } catch (err) {
    return {
      status: 'failed',
      error: toWorkerError(err),
      model: null,
      evaluation: null,
      backend,
      unsaved: false,
      weightsEpoch: null,
    }
  } finally {
    trainingRunId = null
    model?.dispose()
    trainingEnded = null
    // After this training's answer is posted (microtasks run first): a waiting bank then resumes.
    setImmediate(endTraining)
  }
}

/**
 * Builds the model and times real training steps at the config's batch size, warm-up excluded,
 * plus the scoring of some validation samples and the shuffle, to predict one epoch's duration.
 */
async function estimate(job: EstimateJob): Promise<TrainEstimate> {
  const backend = await backendReady
  refuseWhileTraining()
  const dataset = await loadDataset(job.dataset)
  // Checked again: a training may have started while the dataset loaded.
  refuseWhileTraining()
  const split = splitIndices(dataset.train.count, job.config)
  const model = buildModel(tf, job.spec, job.config)
  try {
    const timing = await timeTrainingSteps({
      tf,
      model,
      dataset,
      split,
      config: job.config,
      limits: ESTIMATE_LIMITS,
      helper: helperEntry(),
    })
    return estimateEpoch(timing, {
      trainCount: split.train.length,
      valCount: split.validation.length,
      batchSize: job.config.batchSize,
      backend,
    })
  } finally {
    model.dispose()
  }
}

/** Saves a model kept in memory after the data folder refused it; it is kept until one works. */
async function saveUnsaved(job: SaveUnsavedJob): Promise<ModelFile> {
  const model = unsaved.get(job.runId)
  if (!model)
    throw new AppError('MODEL_MISSING', 'training.modelNoLongerInMemory', { id: job.runId })
  const saved = await saveModel(tf, model, job.modelDir)
  unsaved.delete(job.runId)
  model.dispose()
  return saved
}

function refuseWhileTraining(): void {
  if (trainingRunId !== null) throw new AppError('BUSY', 'error.busy', { id: trainingRunId })
}

async function evaluate(job: EvaluateJob) {
  return (await scoreTestSet(job)).evaluation
}

/** Scores the saved model on the test set and keeps the per-sample predictions beside it. */
async function scoreTestSet(job: EvaluateJob) {
  await backendReady
  const dataset = await loadDataset(job.dataset)
  const model = await cachedModel(job.modelDir, job.sha256)
  const scale = job.inputScale ?? DEFAULT_INPUT_SCALE
  const classes = dataset.info.classNames.length
  const scored = evaluateWithPredictions(tf, model, dataset.test, classes, scale)
  if (job.sha256 !== null) {
    await keepPredictions(job.modelDir, scored.predictions, predictionsKey(job.sha256, scale))
  }
  return scored
}

/**
 * Saves the predictions for the evaluation gallery. A failure to write them (a read-only model
 * folder) must not fail the training or the evaluation: they are recomputed when next needed.
 */
async function keepPredictions(dir: string, p: SamplePredictions, sha256: string): Promise<void> {
  await writePredictionsFile(dir, p, sha256).catch(() => {})
}

async function predict(job: PredictJob) {
  await backendReady
  const model = await cachedModel(job.modelDir, job.sha256)
  return predictBatch(tf, model, job.inputs, job.inputScale)
}

/**
 * Out-of-distribution calibrations. Each holds its bank (up to 10 MB), so only as many models as
 * the tester shows side by side stay in memory.
 */
const oodBanks = createOodBanks({
  tf,
  loadModel: (dir, sha256) => loadModel(tf, dir, sha256),
  loadTrain: async (dataset) => (await loadDataset(dataset)).train,
  readThreshold: readOodFile,
  writeThreshold: writeOodFile,
  yieldNow: () => new Promise((resolve) => setImmediate(resolve)),
  idle: () => trainingEnded,
  capacity: 4,
})

async function oodPrepare(id: number, job: OodJob): Promise<OodPrepared> {
  await backendReady
  const calibration = await oodBanks.prepare(job, (progress) =>
    post({ type: 'oodProgress', id, progress }),
  )
  return { threshold: calibration?.threshold ?? null }
}

/**
 * The calibration for judging `job`'s inputs: waited for, or (`wait: false`) only if ready, with
 * `pending` saying it is not.
 */
async function oodCalibrationFor(
  job: OodJob & { wait?: boolean },
): Promise<{ calibration: OodCalibration | null; pending: boolean }> {
  if (job.wait !== false) return { calibration: await oodBanks.prepare(job), pending: false }
  return oodReady(job)
}

function oodReady(job: OodJob): { calibration: OodCalibration | null; pending: boolean } {
  const ready = oodBanks.ready(job)
  return { calibration: ready ?? null, pending: ready === undefined }
}

/** Verdicts for `inputs` (each of the model's input size) against a calibration. */
function judgeInputs(
  model: LayersModel,
  inputs: Float32Array[],
  calibration: OodCalibration,
  job: OodJob,
) {
  const built = featureModel(tf, model)
  if (!built) return null
  const size = inputs[0]?.length ?? 0
  const all = new Float32Array(inputs.length * size)
  inputs.forEach((input, i) => all.set(input, i * size))
  // The feature model shares the model's weights: it is not disposed (that would dispose them).
  const features = computeFeatures(tf, built.model, all, inputs.length, job.inputScale)
  return judgeFeatures(tf, features.values, calibration)
}

async function predictJudged(job: JudgedPredictJob): Promise<JudgedPredictions> {
  await backendReady
  const { calibration, pending } = await oodCalibrationFor(job)
  // Loaded after the calibration: another request may have swapped the cached model meanwhile.
  const model = await cachedModel(job.modelDir, job.sha256)
  const probabilities = predictBatch(tf, model, job.inputs, job.inputScale)
  const ood = calibration ? judgeInputs(model, job.inputs, calibration, job) : null
  return { probabilities, ood, oodPending: pending }
}

async function inspect(job: InspectJob): Promise<WorkerResults['inspect']> {
  await backendReady
  const { test } = await loadDataset(job.dataset)
  const model = await cachedModel(job.modelDir, job.sha256)
  let input: Float32Array
  let testIndex: number | null = null
  let trueClass: number | null = null
  if ('testIndex' in job.input) {
    testIndex = job.input.testIndex
    if (!Number.isInteger(testIndex) || testIndex < 0 || testIndex >= test.count) {
      throw new AppError('INVALID_INPUT', 'inspect.badTestIndex', {
        // Image numbers, not quantities: written without grouping (10000, not 10,000).
        index: String(testIndex),
        max: String(test.count - 1),
      })
    }
    input = testInputs(test, testIndex, 1)
    trueClass = test.labels[testIndex]
  } else input = job.input.values
  // The X-ray shows the image as prepared; the model is fed it in its own convention.
  const fed = toModelInput(input, job.inputScale ?? DEFAULT_INPUT_SCALE)
  const judged = job.judge ? oodReady(job) : null
  const trace = traceLayers(tf, model, fed)
  const probabilities = trace.probabilities
  let digit = 0
  for (let c = 1; c < probabilities.length; c++)
    if (probabilities[c] > probabilities[digit]) digit = c
  return {
    input: Array.from(input),
    testIndex,
    trueClass,
    prediction: { digit, probabilities },
    layers: trace.layers,
    saliency: saliencyMap(tf, model, fed, digit),
    occlusion: occlusionMap(tf, model, fed, digit, probabilities[digit]),
    histograms: trace.histograms,
    ood: judged?.calibration
      ? (judgeInputs(model, [input], judged.calibration, job)?.[0] ?? null)
      : null,
    oodPending: judged?.pending ?? false,
  }
}

async function insight(job: InsightJob): Promise<WorkerResults['insight']> {
  await backendReady
  const dataset = await loadDataset(job.dataset)
  // No await between getting the model and using it: another request cannot swap it meanwhile.
  const model = await cachedModel(job.modelDir, job.sha256)
  return {
    classNames: dataset.info.classNames,
    testCount: dataset.test.count,
    filters: convFilters(model),
    templates: denseTemplates(model),
    health: layerHealth(tf, model, dataset.test, job.batch, job.inputScale),
  }
}

async function unitExamples(job: UnitJob): Promise<WorkerResults['unit']> {
  await backendReady
  const { test } = await loadDataset(job.dataset)
  const model = await cachedModel(job.modelDir, job.sha256)
  const size = test.images.length / test.count
  const top = topActivations(tf, model, test, job.layer, job.unit, job.limit, job.inputScale)
  return top.map((top) => ({
    ...top,
    trueClass: test.labels[top.index],
    // A copy: a Node Buffer's slice would share (and post) the whole test set's memory.
    pixels: new Uint8Array(test.images.subarray(top.index * size, (top.index + 1) * size)),
  }))
}

/** The last used saved model stays loaded: predicting digit after digit reuses it. */
async function cachedModel(dir: string, sha256: string | null): Promise<LayersModel> {
  // Without a hash the folder's content could change between calls, so it is always reloaded.
  if (cached && sha256 !== null && cached.dir === dir && cached.sha256 === sha256) {
    return cached.model
  }
  // The loading promise is cached, not the model: two requests arriving together (the X-ray asks
  // for an input and for the model's weights at once) share one load instead of each loading it
  // and the second disposing the model the first is still using.
  const previous = cached
  const model = loadModel(tf, dir, sha256)
  cached = { dir, sha256, model }
  model.catch(() => {
    if (cached?.model === model) cached = null
  })
  await model
  previous?.model.then((m) => m.dispose()).catch(() => {})
  return model
}

function toWorkerError(err: unknown): WorkerError {
  if (err instanceof AppError) return { code: err.code, key: err.key, params: err.params }
  const detail = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', key: 'error.internal', params: { detail } }
}

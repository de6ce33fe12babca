import { isAbsolute, join } from 'node:path'
import { AppError } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import type { Disagreements, EvaluationSamples, TestSample } from '../../shared/ipc-contract'
import type { RunDetail } from '../../shared/runs'
import type { DataPaths } from '../paths'
import type { RunsRepo } from '../store/runs-repo'
import { loadDataset } from '../training/datasets/load'
import type { ImageSet } from '../training/datasets/types'
import type { SamplePredictions, TrainingEngine } from '../training/engine'
import { predictionsKey, readPredictionsFile } from '../training/predictions-file'

export interface EvaluationServiceDeps {
  repo: RunsRepo
  engine: TrainingEngine
  paths: DataPaths
  locale: Locale
}

export interface SamplesQuery {
  id: number
  /** Only samples of this true class (null: any). */
  trueClass: number | null
  /** Only samples predicted as this class (null: any). */
  predictedClass: number | null
  mistakesOnly: boolean
  sort: 'confidenceDesc' | 'confidenceAsc'
  offset: number
  limit: number
}

/** Predictions kept in memory, so paging through a gallery reads the file once. */
const CACHE_SIZE = 4

/**
 * The evaluation view's data: test images filtered by confusion-matrix cell and sorted by the
 * model's confidence, and the test digits two runs disagree on. Per-sample predictions come from
 * the file the worker saves next to the model when it evaluates it; runs evaluated before that
 * file existed get it computed once, on demand.
 */
export function createEvaluationService(deps: EvaluationServiceDeps) {
  const { repo, engine, paths } = deps
  const cache = new Map<string, Promise<SamplePredictions>>()

  function getRun(id: number): RunDetail {
    const run = repo.get(id)
    if (!run) throw new AppError('NOT_FOUND', 'error.runNotFound', { id })
    return run
  }

  function modelOf(run: RunDetail): { dir: string; sha256: string } {
    if (!run.model) {
      throw new AppError('MODEL_MISSING', 'evaluate.noModel', { id: run.id, name: run.name })
    }
    const dir = isAbsolute(run.model.path) ? run.model.path : join(paths.root, run.model.path)
    return { dir, sha256: run.model.sha256 }
  }

  async function predictionsOf(run: RunDetail, test: ImageSet): Promise<SamplePredictions> {
    const model = modelOf(run)
    const key = `${model.dir}\n${model.sha256}\n${run.inputScale}`
    let pending = cache.get(key)
    if (!pending) {
      pending = (async () => {
        const stored = await readPredictionsFile(
          model.dir,
          predictionsKey(model.sha256, run.inputScale),
          test.count,
        )
        if (stored) return stored
        const computed = await engine.testPredictions({
          modelDir: model.dir,
          sha256: model.sha256,
          dataset: run.dataset,
          inputScale: run.inputScale,
        })
        if (computed.predicted.length !== test.count) {
          throw new AppError('INTERNAL', 'error.internal', { detail: 'prediction count' })
        }
        return computed
      })()
      cache.set(key, pending)
      // A failure is not remembered: fixing the model and retrying must work.
      pending.catch(() => cache.delete(key))
      while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string)
    }
    return pending
  }

  async function load(run: RunDetail) {
    modelOf(run)
    const dataset = await loadDataset(run.dataset)
    const predictions = await predictionsOf(run, dataset.test)
    return { test: dataset.test, predictions }
  }

  function sampleOf(
    test: ImageSet,
    p: SamplePredictions,
    index: number,
    sampleSize: number,
  ): TestSample {
    return {
      index,
      trueClass: test.labels[index],
      predictedClass: p.predicted[index],
      confidence: p.confidence[index],
      // A plain Uint8Array copy: the parsed set may be a Node Buffer, whose toJSON would turn
      // the bytes into a number list on browser mode's JSON wire instead of compact base64.
      pixels: new Uint8Array(test.images.subarray(index * sampleSize, (index + 1) * sampleSize)),
    }
  }

  /** Sorts indices by confidence (ties by index, so pages never overlap). */
  function sortByConfidence(indices: number[], p: SamplePredictions, descending: boolean): void {
    const sign = descending ? -1 : 1
    indices.sort((a, b) => sign * (p.confidence[a] - p.confidence[b]) || a - b)
  }

  return {
    /**
     * Test images whose true and predicted classes match the query (either may be null for
     * any; `mistakesOnly` keeps the wrong ones), sorted by the model's confidence, one page.
     */
    async samples(query: SamplesQuery): Promise<EvaluationSamples> {
      const run = getRun(query.id)
      const { test, predictions } = await load(run)
      const matching: number[] = []
      for (let i = 0; i < test.count; i++) {
        const truth = test.labels[i]
        const guess = predictions.predicted[i]
        if (query.trueClass !== null && truth !== query.trueClass) continue
        if (query.predictedClass !== null && guess !== query.predictedClass) continue
        if (query.mistakesOnly && truth === guess) continue
        matching.push(i)
      }
      sortByConfidence(matching, predictions, query.sort === 'confidenceDesc')
      const sampleSize = test.images.length / Math.max(1, test.count)
      return {
        total: matching.length,
        samples: matching
          .slice(query.offset, query.offset + query.limit)
          .map((i) => sampleOf(test, predictions, i, sampleSize)),
      }
    },

    /**
     * The test images run A got right and run B got wrong (`onlyA`), and the other way round
     * (`onlyB`). Each sample carries the wrong run's prediction, and each list starts with that
     * run's most confident mistakes. Both runs must be scored on the same dataset.
     */
    async disagreements(input: { a: number; b: number; limit: number }): Promise<Disagreements> {
      const runA = getRun(input.a)
      const runB = getRun(input.b)
      if (runA.dataset !== runB.dataset) {
        throw new AppError('INVALID_INPUT', 'evaluate.datasetMismatch', {
          a: runA.id,
          b: runB.id,
          datasetA: runA.dataset,
          datasetB: runB.dataset,
        })
      }
      const a = await load(runA)
      const b = await load(runB)
      const test = a.test
      const sampleSize = test.images.length / Math.max(1, test.count)
      const onlyA: number[] = []
      const onlyB: number[] = []
      for (let i = 0; i < test.count; i++) {
        const rightA = a.predictions.predicted[i] === test.labels[i]
        const rightB = b.predictions.predicted[i] === test.labels[i]
        if (rightA && !rightB) onlyA.push(i)
        else if (rightB && !rightA) onlyB.push(i)
      }
      sortByConfidence(onlyA, b.predictions, true)
      sortByConfidence(onlyB, a.predictions, true)
      return {
        countOnlyA: onlyA.length,
        countOnlyB: onlyB.length,
        onlyA: onlyA.slice(0, input.limit).map((i) => sampleOf(test, b.predictions, i, sampleSize)),
        onlyB: onlyB.slice(0, input.limit).map((i) => sampleOf(test, a.predictions, i, sampleSize)),
      }
    },
  }
}

export type EvaluationService = ReturnType<typeof createEvaluationService>

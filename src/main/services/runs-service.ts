import { rmSync } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import { AppError, toErrorInfo, type ErrorInfo } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import type { InputScale } from '../../shared/input-scale'
import type { Emit, PixelPrediction } from '../../shared/ipc-contract'
import type { OodVerdict } from '../../shared/ood'
import {
  preprocessDigit,
  preprocessFor,
  type PreprocessMode,
  type Preprocessed,
} from '../../shared/preprocess'
import {
  checkRunName,
  type Evaluation,
  type ModelFile,
  type RunDetail,
  type RunSummary,
} from '../../shared/runs'
import { decodeImage, readImageFile } from '../images/decode'
import type { DataPaths } from '../paths'
import type { RunsRepo } from '../store/runs-repo'
import type { TrainingEngine } from '../training/engine'
import { copyModelFolder } from '../training/model-io'
import type { ExportOptions } from '../atomic-fs'

export interface RunsServiceDeps {
  repo: RunsRepo
  engine: TrainingEngine
  paths: DataPaths
  emit: Emit
  locale: Locale
  isTraining: (runId: number) => boolean
  /** Told when a prediction found a run's judgement not ready, to prepare it in the background. */
  oodMissing?: (runId: number) => void
}

interface PixelInput {
  width: number
  height: number
  channels: 1 | 3 | 4
  data: Uint8Array
}

export type FilePrediction =
  | {
      file: string
      digit: number
      probabilities: number[]
      warnings: string[]
      /** Whether the image looks like the model's training data (null: cannot tell). */
      ood: OodVerdict | null
    }
  | { file: string; error: ErrorInfo }

function argmax(values: number[]): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i
  return best
}

/** Everything done to runs once they exist: list, inspect, evaluate, predict, export, delete. */
export function createRunsService(deps: RunsServiceDeps) {
  const { repo, engine, paths, emit, locale } = deps

  function get(id: number): RunDetail {
    const run = repo.get(id)
    if (!run) throw new AppError('NOT_FOUND', 'error.runNotFound', { id })
    return run
  }

  function modelOf(run: RunDetail): ModelFile & { dir: string } {
    if (!run.model)
      throw new AppError('MODEL_MISSING', 'runs.noModel', { id: run.id, status: run.status })
    const dir = isAbsolute(run.model.path) ? run.model.path : join(paths.root, run.model.path)
    return { ...run.model, dir }
  }

  /**
   * Runs the saved model on preprocessed digits, judging whether each looks like its training
   * images; the model must take MNIST-shaped input.
   */
  async function predictPreprocessed(
    run: RunDetail,
    items: Preprocessed[],
    wait: boolean,
  ): Promise<{ probabilities: number[][]; ood: (OodVerdict | null)[]; oodPending: boolean }> {
    const [h, w, c] = run.spec.inputShape
    if (h !== 28 || w !== 28 || c !== 1) {
      throw new AppError('INVALID_INPUT', 'runs.predictShape', {
        shape: run.spec.inputShape.join('×'),
      })
    }
    const model = modelOf(run)
    const judged = await engine.predictJudged({
      modelDir: model.dir,
      sha256: model.sha256,
      inputs: items.map((p) => p.input),
      inputScale: run.inputScale,
      dataset: run.dataset,
      wait,
    })
    if (judged.oodPending) deps.oodMissing?.(run.id)
    return {
      probabilities: judged.probabilities,
      ood: items.map((_, i) => judged.ood?.[i] ?? null),
      oodPending: judged.oodPending,
    }
  }

  return {
    list: (): RunSummary[] => repo.list(),
    get,

    /**
     * Applies a rename, notes, tags, pin or pixel convention; absent fields stay as they are. A
     * new convention drops the stored evaluation, which was made under the old one.
     */
    update(
      id: number,
      patch: {
        name?: string
        notes?: string | null
        tags?: string[]
        pinned?: boolean
        inputScale?: InputScale
      },
    ): RunSummary {
      const run = get(id)
      if (patch.name !== undefined) checkRunName(patch.name)
      if (patch.name !== undefined) repo.rename(id, patch.name)
      if (patch.notes !== undefined) repo.setNotes(id, patch.notes)
      if (patch.tags !== undefined) repo.setTags(id, [...new Set(patch.tags)])
      if (patch.pinned !== undefined) repo.setPinned(id, patch.pinned)
      if (patch.inputScale !== undefined && patch.inputScale !== run.inputScale) {
        repo.setInputScale(id, patch.inputScale)
      }
      emit('runs:changed', { runId: id })
      const summary = repo.list().find((r) => r.id === id)
      if (!summary) throw new AppError('NOT_FOUND', 'error.runNotFound', { id })
      return summary
    },

    /** Deletes the run, its epochs, evaluation and model folder. A training run must be stopped first. */
    delete(id: number): { deleted: boolean } {
      const run = get(id)
      if (deps.isTraining(id) || run.status === 'running' || run.status === 'queued') {
        throw new AppError('BUSY', 'runs.deleteRunning', { id })
      }
      const dir = run.model ? modelOf(run).dir : null
      const deleted = repo.delete(id)
      // The row goes first: a folder left behind by a failed rm is only disk space, while a row
      // pointing at a missing folder would be a broken run.
      if (dir) rmSync(dir, { recursive: true, force: true })
      emit('runs:changed', { runId: id })
      return { deleted }
    },

    /** Scores the run's saved model on its dataset's test set and stores the result. */
    async evaluate(id: number): Promise<Evaluation> {
      const run = get(id)
      const model = modelOf(run)
      const evaluation = await engine.evaluate({
        modelDir: model.dir,
        sha256: model.sha256,
        dataset: run.dataset,
        inputScale: run.inputScale,
      })
      repo.saveEvaluation(id, evaluation)
      emit('runs:changed', { runId: id })
      return evaluation
    },

    /**
     * Predicts decoded images, prepared MNIST-style or (`plain`) as the tutorial resizes them. It
     * answers at once: without verdicts (`oodPending`) while the run's judgement is being prepared.
     */
    async predictPixels(
      id: number,
      images: PixelInput[],
      mode: PreprocessMode = 'mnist',
    ): Promise<PixelPrediction[]> {
      const run = get(id)
      const prepare = preprocessFor(mode)
      const prepared = images.map((img) => prepare(img))
      const { probabilities, ood, oodPending } = await predictPreprocessed(run, prepared, false)
      return prepared.map((p, i) => ({
        digit: argmax(probabilities[i]),
        probabilities: probabilities[i],
        input: Array.from(p.steps.centered.data),
        warnings: p.warnings,
        ood: ood[i],
        oodPending,
      }))
    },

    /**
     * Predicts each image file, judged (waiting for the run's judgement: the CLI's answer is final);
     * a file that fails gets its own error and the others go on.
     */
    async predictFiles(id: number, files: string[]): Promise<FilePrediction[]> {
      const run = get(id)
      modelOf(run)
      const results: (FilePrediction | { file: string; prepared: Preprocessed })[] = []
      for (const file of files) {
        try {
          const bytes = await readImageFile(file)
          const img = await decodeImage(bytes)
          results.push({ file, prepared: preprocessDigit(img) })
        } catch (err) {
          results.push({ file, error: toErrorInfo(err, locale) })
        }
      }
      const good = results.filter(
        (r): r is { file: string; prepared: Preprocessed } => 'prepared' in r,
      )
      const judged = good.length
        ? await predictPreprocessed(
            run,
            good.map((g) => g.prepared),
            true,
          )
        : { probabilities: [], ood: [] }
      let next = 0
      return results.map((r) => {
        if (!('prepared' in r)) return r
        const p = judged.probabilities[next]
        const ood = judged.ood[next++]
        return {
          file: r.file,
          digit: argmax(p),
          probabilities: p,
          warnings: r.prepared.warnings,
          ood,
        }
      })
    },

    /**
     * Copies the run's model folder (model.json + weights.bin) into `outDir`; an existing target
     * folder is refused unless `force` (which replaces only the model's files in it).
     */
    async exportModel(
      id: number,
      outDir: string,
      options: ExportOptions = {},
    ): Promise<{ path: string }> {
      const run = get(id)
      const model = modelOf(run)
      const target = join(outDir, basename(model.dir))
      await copyModelFolder(model.dir, target, options)
      return { path: target }
    },
  }
}

export type RunsService = ReturnType<typeof createRunsService>

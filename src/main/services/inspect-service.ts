import { isAbsolute, join } from 'node:path'
import { AppError } from '../../shared/errors'
import type { InspectResult, InspectSource, ModelInsight, UnitExample } from '../../shared/inspect'
import { preprocessDigit } from '../../shared/preprocess'
import type { RunDetail } from '../../shared/runs'
import { decodeImage, readImageFile } from '../images/decode'
import type { DataPaths } from '../paths'
import type { RunsRepo } from '../store/runs-repo'
import type { TrainingEngine } from '../training/engine'

export interface InspectServiceDeps {
  repo: RunsRepo
  engine: TrainingEngine
  paths: DataPaths
  /** Told when an X-ray found a run's judgement not ready, to prepare it in the background. */
  oodMissing?: (runId: number) => void
}

/** Test images measured for dead and saturated units: enough for stable shares, under a second. */
export const HEALTH_BATCH = 500

/**
 * The X-ray of a run: what each layer of its saved model makes of one input (a test image, or
 * an image the user dropped or drew, through the same preprocessing as `predict`), and what its
 * weights look like. Reads only; nothing about the run changes.
 */
export function createInspectService(deps: InspectServiceDeps) {
  const { repo, engine, paths } = deps

  /** The run's saved model; a clear error when the run has none or is not for 28×28 digits. */
  function modelOf(id: number): { run: RunDetail; modelDir: string; sha256: string } {
    const run = repo.get(id)
    if (!run) throw new AppError('NOT_FOUND', 'error.runNotFound', { id })
    if (!run.model) {
      throw new AppError('MODEL_MISSING', 'inspect.noModel', { id, status: run.status })
    }
    const [h, w, c] = run.spec.inputShape
    if (h !== 28 || w !== 28 || c !== 1) {
      throw new AppError('INVALID_INPUT', 'runs.predictShape', {
        shape: run.spec.inputShape.join('×'),
      })
    }
    const modelDir = isAbsolute(run.model.path) ? run.model.path : join(paths.root, run.model.path)
    return { run, modelDir, sha256: run.model.sha256 }
  }

  async function inspect(id: number, source: InspectSource): Promise<InspectResult> {
    const { run, modelDir, sha256 } = modelOf(id)
    // Judged as the tester judges, without waiting for a judgement still being prepared.
    const job = { modelDir, sha256, dataset: run.dataset, inputScale: run.inputScale, judge: true }
    const prepared = source.kind === 'pixels' ? preprocessDigit(source.image) : null
    const input = source.kind === 'test' ? { testIndex: source.index } : { values: prepared!.input }
    const result = await engine.inspect({ ...job, input })
    if (result.oodPending) deps.oodMissing?.(id)
    return { ...result, warnings: prepared?.warnings ?? [] }
  }

  return {
    /** Every layer's output, the prediction, saliency and occlusion for one input. */
    inspect,

    /** The same for an image file (checked, capped and decoded like `predict`'s). */
    async inspectFile(id: number, file: string): Promise<InspectResult> {
      modelOf(id)
      const image = await decodeImage(await readImageFile(file))
      return inspect(id, { kind: 'pixels', image })
    },

    /** Conv filters, first-layer templates and unit health over the first test images. */
    async insight(id: number): Promise<ModelInsight> {
      const { run, modelDir, sha256 } = modelOf(id)
      return engine.insight({
        modelDir,
        sha256,
        dataset: run.dataset,
        batch: HEALTH_BATCH,
        inputScale: run.inputScale,
      })
    },

    /** The test images that excite unit `unit` of layer `layer` most, strongest first. */
    async unitExamples(
      id: number,
      layer: number,
      unit: number,
      limit: number,
    ): Promise<UnitExample[]> {
      const { run, modelDir, sha256 } = modelOf(id)
      return engine.unitExamples({
        modelDir,
        sha256,
        dataset: run.dataset,
        layer,
        unit,
        limit,
        inputScale: run.inputScale,
      })
    },
  }
}

export type InspectService = ReturnType<typeof createInspectService>

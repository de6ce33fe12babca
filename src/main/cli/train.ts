import { AppError } from '../../shared/errors'
import { estimateRemaining, type PacePoint } from '../../shared/eta'
import { translate, type Locale } from '../../shared/i18n'
import type { Events } from '../../shared/ipc-contract'
import type { OptimizerName, SplitMode, TrainConfig } from '../../shared/model-spec'
import { getPreset, PRESET_NAMES } from '../../shared/presets'
import type { EpochMetrics, RunDetail } from '../../shared/runs'
import {
  DEFAULT_LEARNING_RATES,
  learningRateAfterSwitch,
  mergeTrainConfig,
} from '../../shared/train-config'
import type { Services } from '../services'
import { readUserText } from '../user-files'
import { numberFlag, type ParsedCli } from './args'
import { formatDuration } from '../../shared/format'
import { formatNumber, progressBar } from './format'

export interface TrainOutput {
  write: (text: string) => void
  /** A live status line (terminal only); null when the output is not a terminal. */
  status: ((text: string) => void) | null
}

interface SpecFile {
  spec: unknown
  config: Partial<TrainConfig>
}

/** A spec is a few kilobytes of JSON; `--spec /dev/zero` or a huge file is refused. */
const MAX_SPEC_BYTES = 4 * 1024 * 1024

/** A spec file holds a ModelSpec, or `{ spec, config }` as the app exports it. */
async function readSpecFile(path: string): Promise<SpecFile> {
  const text = await readUserText(path, { maxBytes: MAX_SPEC_BYTES })
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new AppError('INVALID_SPEC', 'cli.specNotJson', {
      path,
      detail: err instanceof Error ? err.message : String(err),
    })
  }
  if (json && typeof json === 'object' && 'spec' in json) {
    const { spec, config } = json as { spec: unknown; config?: unknown }
    return {
      spec,
      config: config && typeof config === 'object' ? (config as Partial<TrainConfig>) : {},
    }
  }
  return { spec: json, config: {} }
}

/** The spec and config a `train` command line asks for: a preset or file, then flag overrides. */
export async function resolveTrainRequest(values: ParsedCli['values']): Promise<{
  spec: unknown
  config: unknown
  name?: string
  dataset: string
}> {
  const presetName =
    typeof values.preset === 'string' ? values.preset : values.spec ? null : 'tutorial-mlp'
  if (presetName !== null && !(PRESET_NAMES as readonly string[]).includes(presetName)) {
    throw new AppError('INVALID_INPUT', 'cli.unknownPreset', {
      preset: presetName,
      presets: PRESET_NAMES.join(', '),
    })
  }
  if (presetName && typeof values.spec === 'string' && typeof values.preset === 'string') {
    throw new AppError('INVALID_INPUT', 'cli.presetAndSpec', {})
  }
  const base = presetName
    ? getPreset(presetName as (typeof PRESET_NAMES)[number])
    : await (async () => {
        const file = await readSpecFile(values.spec as string)
        return {
          spec: file.spec,
          config: mergeTrainConfig(getPreset('tutorial-mlp').config, file.config),
        }
      })()

  const overrides: Partial<TrainConfig> = {}
  const set = <K extends keyof TrainConfig>(key: K, value: TrainConfig[K] | undefined) => {
    if (value !== undefined) overrides[key] = value
  }
  set('epochs', numberFlag(values, 'epochs', true))
  set('batchSize', numberFlag(values, 'batch-size', true))
  set('validationSplit', numberFlag(values, 'validation-split', false))
  set('learningRate', numberFlag(values, 'learning-rate', false))
  set('momentum', numberFlag(values, 'momentum', false))
  set('limit', numberFlag(values, 'limit', true))
  set('seed', numberFlag(values, 'seed', true))
  if (typeof values.optimizer === 'string') {
    overrides.optimizer = values.optimizer as OptimizerName
    // Like the builder: another optimizer starts from its own Keras rate unless one was given.
    if (overrides.learningRate === undefined && overrides.optimizer in DEFAULT_LEARNING_RATES) {
      const rate = learningRateAfterSwitch(
        base.config.optimizer,
        overrides.optimizer,
        base.config.learningRate,
      )
      overrides.learningRate = rate as number
    }
  }
  if (typeof values.split === 'string') overrides.splitMode = values.split as SplitMode
  if (typeof values['early-stopping'] === 'string') {
    overrides.earlyStopping = {
      monitor: values['early-stopping'] as NonNullable<TrainConfig['earlyStopping']>['monitor'],
      patience: numberFlag(values, 'patience', true) ?? 3,
    }
  }
  if (values['restore-best-weights'] === true) overrides.restoreBestWeights = true
  return {
    spec: base.spec,
    // Unknown optimizer or split names pass through here on purpose: the shared validator
    // rejects them with the same message the app shows.
    config: mergeTrainConfig(base.config, overrides),
    name: typeof values.name === 'string' ? values.name : undefined,
    dataset: typeof values.dataset === 'string' ? values.dataset : 'mnist',
  }
}

/** Prints a run's progress: a live bar on a terminal, one line per finished epoch always. */
export function createTrainReporter(locale: Locale, out: TrainOutput) {
  const t = (key: Parameters<typeof translate>[1], params = {}) => translate(locale, key, params)
  let epochs = 0
  /** The current epoch's progress points and the finished epochs, for the time left. */
  let points: PacePoint[] = []
  const history: EpochMetrics[] = []
  return {
    started(e: Events['training:started']) {
      out.write(
        t('cli.trainStarted', {
          id: e.runId,
          backend: e.backend,
          train: e.trainCount,
          val: e.valCount,
        }),
      )
    },
    setEpochs(count: number) {
      epochs = count
    },
    progress(p: Events['training:progress']) {
      if (points.at(-1)?.epoch !== p.epoch) points = []
      points.push(p)
      if (!out.status) return
      const eta = estimateRemaining({ progress: p, points, history, prior: null })
      out.status(
        t('cli.progressLine', {
          epoch: p.epoch,
          epochs: p.epochs,
          bar: progressBar(p.batch / p.batches, 24),
          batch: p.batch,
          batches: p.batches,
          loss: formatNumber(p.loss, locale),
          accuracy: formatNumber(p.accuracy, locale),
          eta: formatDuration(eta?.remainingMs, locale),
        }),
      )
    },
    epoch(e: Events['training:epoch']) {
      const m = e.metrics
      history.push(m)
      out.write(
        t(m.valLoss === null ? 'cli.epochLineNoVal' : 'cli.epochLine', {
          epoch: m.epoch,
          epochs: epochs || '?',
          loss: formatNumber(m.loss, locale),
          accuracy: formatNumber(m.accuracy, locale),
          valLoss: formatNumber(m.valLoss, locale),
          valAccuracy: formatNumber(m.valAccuracy, locale),
          seconds: formatNumber(m.durationMs / 1000, locale, 1),
        }),
      )
    },
  }
}

/** The `train --json` document. */
export function trainJson(run: RunDetail) {
  return {
    runId: run.id,
    status: run.status,
    backend: run.backend,
    epochs: run.history.map((m) => ({
      epoch: m.epoch,
      loss: m.loss,
      accuracy: m.accuracy,
      valLoss: m.valLoss,
      valAccuracy: m.valAccuracy,
      durationMs: m.durationMs,
    })),
    test: run.evaluation ? { loss: run.evaluation.loss, accuracy: run.evaluation.accuracy } : null,
    /** The epoch whose weights the saved model holds; null: the last epoch's. */
    weightsEpoch: run.weightsEpoch,
    error: run.error,
  }
}

export type { Services }

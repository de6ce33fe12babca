import type { AppInfo } from '../../shared/ipc-contract'
import type { BoardService } from '../services/board-service'
import type { BundleService } from '../services/bundle-service'
import type { EvaluationService } from '../services/evaluation-service'
import type { InspectService } from '../services/inspect-service'
import type { LessonService } from '../services/lesson-service'
import type { PrivacyService } from '../services/privacy-service'
import type { ModelFilesService } from '../services/model-files-service'
import type { OodService } from '../services/ood-service'
import type { RunsService } from '../services/runs-service'
import type { SavedFiles } from '../saved-files'
import type { TrainingService } from '../services/training-service'
import { describeDataset, testImages } from '../services/dataset-info'
import type { Handlers } from './types'

export interface HandlerDeps {
  runs: RunsService
  training: TrainingService
  evaluation: EvaluationService
  modelFiles: ModelFilesService
  bundles: BundleService
  inspect: InspectService
  lessons: LessonService
  board: BoardService
  privacy: PrivacyService
  ood: OodService
  savedFiles: SavedFiles
  info: () => Promise<AppInfo>
}

/** The complete command map: a command of the contract missing here is a type error. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const {
    runs,
    training,
    evaluation,
    modelFiles,
    bundles,
    inspect,
    lessons,
    board,
    privacy,
    ood,
    savedFiles,
    info,
  } = deps
  return {
    'app:info': () => info(),
    'datasets:info': ({ ref }) => describeDataset(ref),
    'datasets:testImages': ({ ref, indices }) => testImages(ref, indices),
    'runs:list': () => runs.list(),
    'runs:get': ({ id }) => runs.get(id),
    'runs:update': ({ id, ...patch }) => runs.update(id, patch),
    'runs:delete': ({ id }) => runs.delete(id),
    'runs:evaluate': ({ id }) => runs.evaluate(id),
    'training:start': async (input) => {
      const { runId, done } = await training.start(input)
      // The window follows the run through events; nobody awaits it here.
      done.catch(() => {})
      return { runId }
    },
    'training:estimate': (input) => training.estimate(input),
    'training:stop': ({ runId }) => training.stop(runId),
    'training:active': () => training.current(),
    'training:saveModel': ({ runId }) => training.saveUnsavedModel(runId),
    'evaluation:samples': (input) => evaluation.samples(input),
    'evaluation:disagreements': (input) => evaluation.disagreements(input),
    'models:import': (input) => modelFiles.importModel(input),
    'models:export': (input) => modelFiles.exportModel(input),
    'bundles:export': (input) => bundles.exportBundle(input),
    'bundles:import': (input) => bundles.importBundle(input),
    'bundles:handIn': (input) => bundles.exportHandIn(input),
    'lessons:create': async (input) => lessons.createPack(input),
    'lessons:open': async (input) => lessons.openPack(input),
    'board:get': (input) => board.board(input),
    'board:lessons': () => board.lessons(),
    'privacy:info': () => privacy.info(),
    'privacy:deleteAll': (input) => privacy.deleteAll(input),

    'bundles:importMany': ({ file, tag }, { locale }) =>
      bundles.importFiles([file], { tag, locale }),
    'predict:pixels': ({ runId, images, preprocessing }) =>
      runs.predictPixels(runId, images, preprocessing ?? 'mnist'),
    'files:reveal': ({ path }) => savedFiles.reveal(path),
    'ood:want': ({ holder, runIds }) => ood.want(holder, runIds),
    'inspect:input': ({ runId, source }) => inspect.inspect(runId, source),
    'inspect:model': ({ runId }) => inspect.insight(runId),
    'inspect:unit': ({ runId, layer, unit, limit }) =>
      inspect.unitExamples(runId, layer, unit, limit),
  }
}

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError, toErrorInfo } from '../../shared/errors'
import { formatAccuracy } from '../../shared/format'
import {
  isMessageKey,
  resolveLocale,
  translate,
  type Locale,
  type MessageKey,
  type MessageParams,
} from '../../shared/i18n'
import { tagSchema, type EventName, type Events } from '../../shared/ipc-contract'
import {
  IMPORT_DATASETS,
  isImportDataset,
  isInputScale,
  type ImportDataset,
  type InputScale,
} from '../../shared/input-scale'
import { nestValues, type InspectResult } from '../../shared/inspect'
import {
  escapeControlChars as printable,
  type BackendName,
  type RunDetail,
  type RunSummary,
} from '../../shared/runs'
import { ORPHAN_ERRORS } from '../store/runs-repo'
import { defaultDataDir } from '../paths'
import { toDiskFullError } from '../storage-errors'
import { exportFile, exportTargetPath } from '../atomic-fs'
import { createServices, type Services } from '../services'
import { nodeWorkerOptions } from '../training/engine'
import { createBroadcaster, startWebServer } from '../web/server'
import { numberFlag, parseCli, parseLoose, runIdArg, type ParsedCli } from './args'
import { formatDate, formatInteger, formatNumber, formatTable } from './format'
import { lessonCommand } from './lesson'

import { importPaths } from './import'
import { createTrainReporter, resolveTrainRequest, trainJson } from './train'
import { describeWeights } from '../../shared/smoothing'

export interface CliIo {
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
  env: NodeJS.ProcessEnv
  onSignal: (signal: 'SIGINT' | 'SIGTERM', handler: () => void) => void
}

const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu']

function cliLocale(values: ParsedCli['values'], env: NodeJS.ProcessEnv): Locale {
  const tag =
    typeof values.lang === 'string' ? values.lang : env.LC_ALL || env.LC_MESSAGES || env.LANG
  return resolveLocale(tag)
}

/** Runs one `sinapse` command line and returns the process exit status. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let locale = cliLocale(parseLoose(argv), io.env)
  let json = parseLoose(argv).json === true
  const t = (key: MessageKey, params: MessageParams = {}) => translate(locale, key, params)
  const out = (text: string) => io.stdout.write(text + '\n')
  let dataDir: string | null = null
  const fail = (err: unknown): number => {
    const info = toErrorInfo((dataDir && toDiskFullError(err, dataDir)) ?? err, locale)
    if (json) out(JSON.stringify({ error: info }))
    else io.stderr.write(`${t('cli.errorPrefix')} ${info.message}\n`)
    return info.code === 'INTERNAL' ? 70 : 1
  }

  let parsed: ParsedCli
  try {
    parsed = parseCli(argv)
  } catch (err) {
    return fail(err)
  }
  locale = cliLocale(parsed.values, io.env)
  json = parsed.values.json === true
  if (parsed.command === 'lesson' && (parsed.values.help || parsed.positionals.length === 0)) {
    out(t('cli.lesson.help'))
    return 0
  }
  if (parsed.command === 'help' || parsed.values.help) {
    out(t('cli.help'))
    return 0
  }
  const backend =
    typeof parsed.values.backend === 'string' ? parsed.values.backend : io.env.SINAPSE_BACKEND
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) {
    return fail(
      new AppError('INVALID_INPUT', 'cli.badBackend', {
        value: backend,
        backends: BACKENDS.join(', '),
      }),
    )
  }

  const listeners = new Map<EventName, (payload: never) => void>()
  const on = <E extends EventName>(event: E, handler: (payload: Events[E]) => void) =>
    listeners.set(event, handler as (payload: never) => void)
  let services: Services | null = null
  let broadcaster: ReturnType<typeof createBroadcaster> | null = null
  dataDir =
    typeof parsed.values['data-dir'] === 'string'
      ? parsed.values['data-dir']
      : defaultDataDir(io.env)
  try {
    services = await createServices({
      dataDir,
      locale,
      version: PACKAGE_VERSION,
      ...nodeWorkerOptions(),
      backend: backend as BackendName | undefined,
      // Browser mode prepares a trained model's judgement at once; a one-shot command would only
      // wait longer to exit.
      eagerOod: parsed.command === 'serve',
      emit: (event, payload) => {
        broadcaster?.emit(event, payload)
        ;(listeners.get(event) as ((p: typeof payload) => void) | undefined)?.(payload)
      },
    })
    if (parsed.command === 'serve') {
      broadcaster = createBroadcaster()
      return await serve(parsed, services, broadcaster, { io, locale, json, out, t, on })
    }
    return await dispatch(parsed, services, { io, locale, json, out, t, on })
  } catch (err) {
    return fail(err)
  } finally {
    await services?.close()
  }
}

export interface Context {
  io: CliIo
  locale: Locale
  json: boolean
  out: (text: string) => void
  t: (key: MessageKey, params?: MessageParams) => string
  on: <E extends EventName>(event: E, handler: (payload: Events[E]) => void) => void
}

/** `--input-scale` as given on the command line, checked; undefined when absent. */
function inputScaleFlag(parsed: ParsedCli): InputScale | undefined {
  const value = parsed.values['input-scale']
  return typeof value === 'string' ? parseInputScale(value) : undefined
}

/** `--dataset` of `import`, checked; undefined when absent. */
function importDatasetFlag(parsed: ParsedCli): ImportDataset | undefined {
  const value = parsed.values.dataset
  if (typeof value !== 'string') return undefined
  if (!isImportDataset(value)) {
    throw new AppError('INVALID_INPUT', 'kerasimport.badDataset', {
      value,
      datasets: IMPORT_DATASETS.join(', '),
    })
  }
  return value
}

function parseInputScale(value: string): InputScale {
  if (!isInputScale(value)) throw new AppError('INVALID_INPUT', 'kerasimport.badScale', { value })
  return value
}

function pct(value: number | null, locale: Locale): string {
  return value === null
    ? '—'
    : (value * 100).toLocaleString(locale, { maximumFractionDigits: 1 }) + '%'
}

async function dispatch(parsed: ParsedCli, services: Services, ctx: Context): Promise<number> {
  const { out, t, json, locale } = ctx
  const [first, ...others] = parsed.positionals
  switch (parsed.command) {
    case 'train':
      return train(parsed, services, ctx)
    case 'runs': {
      const runs = services.runs.list()
      if (json) out(JSON.stringify(runs))
      else if (runs.length === 0) out(t('cli.noRuns'))
      else {
        out(
          formatTable(
            [
              t('cli.col.id'),
              t('cli.col.name'),
              t('cli.col.status'),
              t('cli.col.epochs'),
              t('cli.col.bestVal'),
              t('cli.col.test'),
              t('cli.col.created'),
            ],
            runs.map((r) => [
              String(r.id),
              // Names come from bundles and files too: never let them drive the terminal.
              printable(r.name),
              statusText(r, t),
              String(r.epochs),
              formatAccuracy(r.bestValAccuracy, locale),
              formatAccuracy(r.testAccuracy, locale),
              formatDate(r.createdAt, locale),
            ]),
            [true, false, false, true, true, true, false],
          ),
        )
      }
      return 0
    }
    case 'show': {
      const run = services.runs.get(runIdArg(first))
      if (json) out(JSON.stringify(run))
      else out(describeRun(run, ctx))
      return 0
    }
    case 'evaluate': {
      const evaluation = await services.runs.evaluate(runIdArg(first))
      if (json) {
        out(
          JSON.stringify({
            loss: evaluation.loss,
            accuracy: evaluation.accuracy,
            confusionMatrix: evaluation.confusionMatrix,
            perClass: evaluation.perClass,
            sampleCount: evaluation.sampleCount,
          }),
        )
      } else {
        out(
          t('cli.testScore', {
            accuracy: evaluation.accuracy.toFixed(3),
            loss: evaluation.loss.toFixed(3),
          }),
        )
        out(confusionTable(evaluation.confusionMatrix, ctx))
      }
      return 0
    }
    case 'predict': {
      const id = runIdArg(first)
      if (others.length === 0) throw new AppError('INVALID_INPUT', 'cli.noImages', {})
      const results = await services.runs.predictFiles(id, others)
      if (json) out(JSON.stringify(results))
      else {
        for (const r of results) {
          if ('error' in r) out(t('cli.predictError', { file: r.file, message: r.error.message }))
          else {
            out(
              t('cli.predictLine', {
                file: r.file,
                digit: r.digit,
                confidence: pct(r.probabilities[r.digit], locale),
              }),
            )
            for (const w of r.warnings) out(`  ${t(`cli.warning.${w}` as MessageKey)}`)
            if (r.ood?.flagged) {
              out(
                `  ${t('cli.warning.ood', { score: formatNumber(r.ood.score, locale, 3), threshold: formatNumber(r.ood.threshold, locale, 3) })}`,
              )
            }
          }
        }
      }
      return results.some((r) => 'error' in r) ? 1 : 0
    }
    case 'inspect':
      return inspect(parsed, services, ctx)
    case 'export': {
      const id = runIdArg(first)
      const outDir = parsed.values.out
      if (typeof outDir !== 'string') throw new AppError('INVALID_INPUT', 'cli.missingOut', {})
      const format = parsed.values.format ?? 'tfjs'
      // Nothing the user has is replaced unless they say so.
      const options = { force: parsed.values.force === true }
      let path: string
      if (format === 'tfjs') path = (await services.runs.exportModel(id, outDir, options)).path
      else if (format === 'bundle')
        path = (await services.bundles.exportBundleToFile(id, outDir, options)).path
      else if (format === 'tfjs-zip' || format === 'h5') {
        const file = await services.modelFiles.exportModel({ id, format })
        path = await exportTargetPath(outDir, file.fileName)
        await exportFile(path, file.bytes, options)
      } else throw new AppError('INVALID_INPUT', 'cli.badFormat', { value: String(format) })
      if (json) out(JSON.stringify({ path }))
      else out(t('cli.exported', { id, path }))
      return 0
    }
    case 'import': {
      const tag = parsed.values.tag
      if (tag !== undefined && (typeof tag !== 'string' || !tagSchema.safeParse(tag).success)) {
        throw new AppError('INVALID_INPUT', 'classroom.cli.badTag', { value: String(tag) })
      }
      return importPaths(parsed.positionals, tag?.trim(), services, ctx, {
        dataset: importDatasetFlag(parsed),
        inputScale: inputScaleFlag(parsed),
      })
    }
    case 'input-scale': {
      const id = runIdArg(first)
      const wanted = others[0] === undefined ? undefined : parseInputScale(others[0])
      if (wanted !== undefined) services.runs.update(id, { inputScale: wanted })
      const scale = services.runs.get(id).inputScale
      if (json) out(JSON.stringify({ id, inputScale: scale }))
      else {
        const range = t(`kerasimport.range.${scale}`)
        const key = wanted === undefined ? 'kerasimport.scaleShown' : 'kerasimport.scaleSet'
        out(t(key, { id, range }))
      }
      return 0
    }
    case 'delete': {
      const id = runIdArg(first)
      const result = services.runs.delete(id)
      if (json) out(JSON.stringify(result))
      else out(t('cli.deleted', { id }))
      return 0
    }
    case 'lesson':
      return lessonCommand(parsed, services, ctx)
    case 'help':
    case 'serve':
      out(t('cli.help'))
      return 0
  }
}

/** The version the app and its bundles report; the CLI runs from the sources beside package.json. */
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

/** The built renderer that browser mode serves. */
const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer/', import.meta.url))

/** `sinapse serve`: browser mode until Ctrl-C; training in progress stops cleanly on exit. */
async function serve(
  parsed: ParsedCli,
  services: Services,
  broadcaster: ReturnType<typeof createBroadcaster>,
  ctx: Context,
): Promise<number> {
  const { io, out, t, json } = ctx
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new AppError('INVALID_INPUT', 'cli.rendererMissing', { path: RENDERER_DIR })
  }
  const port = numberFlag(parsed.values, 'port', true) ?? 0
  if (port < 0 || port > 65535) {
    throw new AppError('INVALID_INPUT', 'cli.badPort', { value: String(parsed.values.port) })
  }
  const server = await startWebServer({
    handlers: services.handlers,
    broadcaster,
    staticDir: RENDERER_DIR,
    port,
    locale: ctx.locale,
  }).catch((err: NodeJS.ErrnoException) => {
    throw new AppError('IO_ERROR', 'cli.serveFailed', { port, detail: err.code ?? err.message })
  })
  if (json)
    out(JSON.stringify({ url: server.url, port: server.port, dataDir: services.paths.root }))
  else out(t('cli.serving', { url: server.url, dataDir: services.paths.root }))
  await new Promise<void>((resolve) => {
    io.onSignal('SIGINT', resolve)
    io.onSignal('SIGTERM', resolve)
  })
  io.stderr.write(t('cli.serveStopping') + '\n')
  await server.close()
  return 0
}

async function train(parsed: ParsedCli, services: Services, ctx: Context): Promise<number> {
  const { io, locale, json, out, t } = ctx
  const request = await resolveTrainRequest(parsed.values)
  const isTerminal = io.stderr.isTTY === true
  let statusShown = false
  const reporter = createTrainReporter(locale, {
    // With --json the document is the only thing on stdout; humans still see a live bar.
    write: (text) => {
      if (statusShown) io.stderr.write('\r\x1b[2K')
      statusShown = false
      if (json) {
        if (isTerminal) io.stderr.write(text + '\n')
      } else out(text)
    },
    status: isTerminal
      ? (text) => {
          statusShown = true
          io.stderr.write('\r\x1b[2K' + text)
        }
      : null,
  })
  ctx.on('training:started', (e) => reporter.started(e))
  ctx.on('training:progress', (p) => reporter.progress(p))
  ctx.on('training:epoch', (e) => reporter.epoch(e))

  const { runId, done } = await services.training.start(request)
  const config = services.runs.get(runId).config
  reporter.setEpochs(config.epochs)
  let stopping = false
  const stop = () => {
    if (stopping) {
      // A second Ctrl-C quits at once; finished epochs are already saved and the next start
      // marks this run interrupted.
      io.stderr.write(t('cli.forceQuit') + '\n')
      process.exit(130)
    }
    stopping = true
    if (statusShown) io.stderr.write('\r\x1b[2K')
    io.stderr.write(t('cli.stopping') + '\n')
    services.training.stop(runId)
  }
  ctx.io.onSignal('SIGINT', stop)
  ctx.io.onSignal('SIGTERM', stop)

  let run = await done
  if (statusShown) io.stderr.write('\r\x1b[2K')
  // The data folder refused the trained model: save it elsewhere now, while this process still
  // holds it in memory, and say where (never lose it silently).
  if (services.training.hasUnsavedModel(run.id)) {
    let modelLost: unknown = null
    if (!json) out(errorText(run.error ?? '', ctx))
    await services.training.saveUnsavedModel(run.id).catch((err: unknown) => (modelLost = err))
    // Saved nowhere: the epochs and the test score are kept, and the error says why.
    if (modelLost !== null) throw modelLost
    run = services.runs.get(run.id)
  }
  if (json) out(JSON.stringify(trainJson(run)))
  else {
    out(
      t(`cli.finished.${run.status}` as MessageKey, {
        id: run.id,
        error: run.error ? errorText(run.error, ctx) : '',
      }),
    )
    if (run.error && run.status !== 'failed' && run.status !== 'interrupted') {
      out(errorText(run.error, ctx))
    }
    const weights = describeWeights(run)
    if (weights) {
      out(t(weights.key, { ...weights, value: formatNumber(weights.value, ctx.locale) }))
    }
    if (run.evaluation) {
      out(
        t('cli.testScore', {
          accuracy: run.evaluation.accuracy.toFixed(3),
          loss: run.evaluation.loss.toFixed(3),
        }),
      )
    }
  }
  if (run.status === 'completed') return 0
  return run.status === 'stopped' ? 130 : 1
}

/** The status word, and for a run another process interrupted, in short why. */
function statusText(
  run: Pick<RunSummary, 'status' | 'error'>,
  t: (key: MessageKey, params?: MessageParams) => string,
): string {
  const reason = ORPHAN_REASONS.find((r) => ORPHAN_ERRORS[r] === run.error)
  if (run.status !== 'interrupted' || !reason) return t(`cli.status.${run.status}`)
  return t('cli.status.interruptedBecause', { reason: t(`store.interruptedShort.${reason}`) })
}

const ORPHAN_REASONS = Object.keys(ORPHAN_ERRORS) as (keyof typeof ORPHAN_ERRORS)[]

/** `sinapse inspect <run> <image>` or `--test N`: the X-ray of one input, as text or JSON. */
async function inspect(parsed: ParsedCli, services: Services, ctx: Context): Promise<number> {
  const { out, t, locale } = ctx
  const [first, file] = parsed.positionals
  const id = runIdArg(first)
  const test = parsed.values.test
  let result: InspectResult
  if (typeof test === 'string') {
    const index = Number(test)
    if (test.trim() === '' || !Number.isInteger(index) || index < 0) {
      throw new AppError('INVALID_INPUT', 'cli.inspect.badTest', { value: test })
    }
    result = await services.inspect.inspect(id, { kind: 'test', index })
  } else if (file !== undefined) {
    result = await services.inspect.inspectFile(id, file)
  } else throw new AppError('INVALID_INPUT', 'cli.inspect.missingImage', {})
  const grid = (values: number[]) => nestValues(values, [28, 28])
  if (ctx.json) {
    out(
      JSON.stringify({
        input: grid(result.input),
        prediction: result.prediction,
        layers: result.layers.map((layer) => ({
          name: layer.name,
          class: layer.className,
          outputShape: layer.outputShape,
          output: nestValues(layer.output, layer.outputShape),
        })),
        saliency: grid(result.saliency),
      }),
    )
    return 0
  }
  const { digit, probabilities } = result.prediction
  const input =
    result.testIndex !== null
      ? t('cli.inspect.testInput', { index: result.testIndex, label: result.trueClass ?? '?' })
      : (file ?? '')
  out(t('cli.inspect.title', { id, input, digit, confidence: pct(probabilities[digit], locale) }))
  for (const w of result.warnings) out(`  ${t(`cli.warning.${w}` as MessageKey)}`)
  out('')
  out(t('cli.inspect.input'))
  out(asciiImage(result.input))
  out('')
  out(t('cli.inspect.layers'))
  const rows = result.layers.map((layer) => {
    let min = Infinity
    let max = -Infinity
    let sum = 0
    for (const v of layer.output) {
      min = Math.min(min, v)
      max = Math.max(max, v)
      sum += v
    }
    return [
      layer.name,
      layer.className,
      layer.outputShape.join('×'),
      formatNumber(min, locale, 3),
      formatNumber(max, locale, 3),
      formatNumber(sum / Math.max(1, layer.output.length), locale, 3),
    ]
  })
  const header = ['Layer', 'Class', 'Shape', 'Min', 'Max', 'Mean'] as const
  out(
    formatTable(
      header.map((h) => t(`cli.inspect.col${h}` as MessageKey)),
      rows,
      [false, false, false, true, true, true],
    ),
  )
  out('')
  out(t('cli.inspect.saliency', { digit }))
  out(asciiImage(result.saliency))
  return 0
}

/** A 28×28 map as text, each pixel a character from light to dark (scaled to the map's max). */
function asciiImage(values: number[]): string {
  const ramp = ' .:-=+*#%@'
  const max = Math.max(...values.map(Math.abs), 1e-12)
  const lines: string[] = []
  for (let r = 0; r < 28; r++) {
    let line = ''
    for (let c = 0; c < 28; c++) {
      const level = Math.round((Math.abs(values[r * 28 + c]) / max) * (ramp.length - 1))
      line += ramp[level].repeat(2)
    }
    lines.push(line.trimEnd())
  }
  return lines.join('\n')
}

/**
 * A stored error is either a message key (e.g. an interrupted run) or text already translated,
 * maybe from a bundle: its lines are kept, any other control character is escaped.
 */
function errorText(error: string, ctx: Context): string {
  const text = isMessageKey(error) ? ctx.t(error) : error
  return text.split('\n').map(printable).join('\n')
}

function describeRun(run: RunDetail, ctx: Context): string {
  const { t, locale } = ctx
  // Every field a bundle can carry is escaped: names, datasets and errors come from outside.
  const lines = [
    `${printable(run.name)} (#${run.id})`,
    t('cli.show.status', {
      status: statusText(run, t),
      backend: printable(run.backend ?? '—'),
    }),
    t('cli.show.dataset', {
      dataset: printable(run.dataset),
      params: formatInteger(run.paramCount, locale),
    }),
    t('cli.show.config', {
      optimizer: run.config.optimizer,
      lr: run.config.learningRate,
      epochs: run.config.epochs,
      batch: run.config.batchSize,
      split: run.config.validationSplit,
      seed: run.config.seed,
    }),
  ]
  if (run.error) lines.push(t('cli.show.error', { error: errorText(run.error, ctx) }))
  if (run.history.length) {
    lines.push(
      '',
      formatTable(
        ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 's'],
        run.history.map((m) => [
          String(m.epoch),
          formatNumber(m.loss, locale),
          formatNumber(m.accuracy, locale),
          formatNumber(m.valLoss, locale),
          formatNumber(m.valAccuracy, locale),
          formatNumber(m.durationMs / 1000, locale, 1),
        ]),
        [true, true, true, true, true, true],
      ),
    )
  }
  const weights = describeWeights(run)
  if (weights) {
    lines.push('', t(weights.key, { ...weights, value: formatNumber(weights.value, locale) }))
  }
  if (run.evaluation) {
    lines.push(
      '',
      t('cli.testScore', {
        accuracy: run.evaluation.accuracy.toFixed(3),
        loss: run.evaluation.loss.toFixed(3),
      }),
    )
  }
  if (run.model)
    lines.push(
      t('cli.show.model', {
        path: printable(run.model.path),
        sha: printable(run.model.sha256.slice(0, 12)),
      }),
    )
  return lines.join('\n')
}

function confusionTable(matrix: number[][], ctx: Context): string {
  const header = [ctx.t('cli.confusionCorner'), ...matrix.map((_, i) => String(i))]
  return formatTable(
    header,
    matrix.map((row, i) => [String(i), ...row.map(String)]),
    header.map(() => true),
  )
}

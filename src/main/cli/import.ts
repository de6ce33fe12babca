import { readdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { AppError, toErrorInfo } from '../../shared/errors'
import type { Locale, MessageKey, MessageParams } from '../../shared/i18n'
import type { BundleImportOutcome } from '../../shared/ipc-contract'
import { escapeControlChars as printable } from '../../shared/runs'
import { isZip, listZipNames } from '../models/keras-zip'
import { MAX_BUNDLE_ZIP_BYTES, isBundleName } from '../services/bundle-service'
import type { Services } from '../services'
import type { ImportOptions } from '../services/model-files-service'
import { readUserFile, userPathKind } from '../user-files'

interface ImportContext {
  locale: Locale
  json: boolean
  out: (text: string) => void
  t: (key: MessageKey, params?: MessageParams) => string
}

/**
 * `sinapse import <file|folder>…`: each path is a run bundle, a zip of bundles, a folder (its
 * `.sinapse` files, or a TensorFlow.js model folder when it holds none) or a model file. Every
 * bundle is imported on its own and reported as it finishes (with --json one JSON object per
 * line); returns 1 when any was refused.
 */
export async function importPaths(
  paths: string[],
  tag: string | undefined,
  services: Services,
  ctx: ImportContext,
  declared: ImportOptions = {},
): Promise<number> {
  if (paths.length === 0) throw new AppError('INVALID_INPUT', 'cli.noImportFile', {})
  const options = { tag, ...declared }
  const outcomes: BundleImportOutcome[] = []
  const report = (outcome: BundleImportOutcome): void => {
    outcomes.push(outcome)
    ctx.out(ctx.json ? JSON.stringify(outcome) : describeOutcome(outcome, ctx))
  }
  const refused = (file: string, err: unknown): void =>
    report({ file, error: toErrorInfo(err, ctx.locale) })

  for (const path of paths) {
    try {
      for (const outcome of await importPath(path, options, services)) report(outcome)
    } catch (err) {
      refused(path, err)
    }
  }
  if (!ctx.json && outcomes.length > 1) ctx.out(summarize(outcomes, ctx))
  return outcomes.some((o) => 'error' in o) ? 1 : 0
}

async function importPath(
  path: string,
  options: { tag?: string } & ImportOptions,
  services: Services,
): Promise<BundleImportOutcome[]> {
  const kind = await userPathKind(path)
  if (kind === 'folder') {
    const bundles = (await readdir(path)).filter(isBundleName).sort((a, b) => a.localeCompare(b))
    // A folder without bundles is a TensorFlow.js model folder, as `import` always took.
    if (bundles.length === 0) return [await importModel(path, options, services)]
    const outcomes: BundleImportOutcome[] = []
    for (const name of bundles)
      outcomes.push(await importBundleFile(join(path, name), options, services))
    return outcomes
  }
  if (isBundleName(path)) return [await importBundleFile(path, options, services)]
  if (path.toLowerCase().endsWith('.zip')) {
    const bytes = await readUserFile(path, { maxBytes: MAX_BUNDLE_ZIP_BYTES })
    // A zip holding bundles is a class's hand-ins; any other zip is a TensorFlow.js model.
    if (isZip(bytes) && listZipNames(bytes).some(isBundleName)) {
      return services.bundles.importFiles([{ name: basename(path), bytes }], options)
    }
  }
  return [await importModel(path, options, services)]
}

async function importBundleFile(
  path: string,
  options: { tag?: string },
  services: Services,
): Promise<BundleImportOutcome> {
  const { runId, duplicate } = await services.bundles.importBundleFile(path, options)
  return duplicate ? { file: path, duplicate: true, runId } : { file: path, runId }
}

async function importModel(
  path: string,
  options: { tag?: string } & ImportOptions,
  services: Services,
): Promise<BundleImportOutcome> {
  const { runId, dataset, inputScale, inputNote } = await services.modelFiles.importPath(path, {
    dataset: options.dataset,
    inputScale: options.inputScale,
  })
  if (options.tag) services.runs.update(runId, { tags: [options.tag] })
  return { file: path, runId, dataset, inputScale, inputNote }
}

function describeOutcome(outcome: BundleImportOutcome, ctx: ImportContext): string {
  const file = printable(outcome.file)
  if ('error' in outcome) {
    return ctx.t('classroom.cli.refused', { file, message: outcome.error.message })
  }
  if ('duplicate' in outcome) return ctx.t('classroom.cli.duplicate', { file, id: outcome.runId })
  const imported = ctx.t('classroom.cli.imported', { file, id: outcome.runId })
  return 'inputNote' in outcome && outcome.inputNote
    ? `${imported}\n${outcome.inputNote}`
    : imported
}

function summarize(outcomes: BundleImportOutcome[], ctx: ImportContext): string {
  const refused = outcomes.filter((o) => 'error' in o).length
  const duplicates = outcomes.filter((o) => 'duplicate' in o).length
  return ctx.t('classroom.cli.summary', {
    imported: outcomes.length - refused - duplicates,
    duplicates,
    refused,
  })
}

import { translate, type Locale } from '../../../shared/i18n'
import type { ModelSpec, TrainConfig } from '../../../shared/model-spec'
import {
  formatSpecIssue,
  validateModelSpec,
  type SpecContext,
} from '../../../shared/spec-validation'
import {
  DEFAULT_TRAIN_CONFIG,
  mergeTrainConfig,
  validateTrainConfig,
} from '../../../shared/train-config'

/** A spec is a few kilobytes of JSON, as `sinapse train --spec` reads it (the same 4 MB cap). */
const MAX_SPEC_BYTES = 4 * 1024 * 1024

/**
 * Reads a model spec file the way `sinapse train --spec` does: a ModelSpec, or `{ spec, config }`
 * (a partial config merged over the tutorial's), both checked by the shared validators.
 */
export async function openSpecFile(
  file: File,
  context: SpecContext,
  locale: Locale,
): Promise<
  { ok: true; value: { spec: ModelSpec; config: TrainConfig } } | { ok: false; message: string }
> {
  const fail = (detail: string) => ({
    ok: false as const,
    message: translate(locale, 'lessonui.specInvalid', { name: file.name, detail }),
  })
  if (file.size > MAX_SPEC_BYTES) return fail(`${Math.round(file.size / 1024 / 1024)} MB`)
  let json: unknown
  try {
    json = JSON.parse(await file.text())
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err))
  }
  const wrapped = json !== null && typeof json === 'object' && 'spec' in json
  const rawSpec = wrapped ? (json as { spec: unknown }).spec : json
  const rawConfig = wrapped ? ((json as { config?: unknown }).config ?? {}) : {}
  const spec = validateModelSpec(rawSpec, context)
  const config = validateTrainConfig(
    mergeTrainConfig(DEFAULT_TRAIN_CONFIG, rawConfig as Partial<TrainConfig>),
  )
  const issues = [...(spec.ok ? [] : spec.issues), ...(config.ok ? [] : config.issues)]
  if (!spec.ok || !config.ok) {
    return fail(issues.map((i) => formatSpecIssue(i, locale)).join(' '))
  }
  return { ok: true, value: { spec: spec.spec, config: config.config } }
}

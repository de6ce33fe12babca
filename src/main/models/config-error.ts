import { AppError } from '../../shared/errors'
import { translate, type Locale, type MessageKey, type MessageParams } from '../../shared/i18n'

/** More layers than any model Sinapse imports has; a longer list is damaged or not for MNIST. */
export const MAX_LAYERS = 64

/** Why a model description cannot be read: one of the `modelfiles.configReason.*` messages. */
export type ConfigReason = Extract<MessageKey, `modelfiles.configReason.${string}`>

/**
 * A model description Sinapse cannot read. The reason is a message of its own, so it is said in
 * the reader's language inside `modelfiles.badConfig`; names and values from the file (a layer
 * name, a shape) are data and stay as they are.
 */
export class ModelConfigError extends AppError {
  constructor(
    readonly reason: ConfigReason,
    readonly reasonParams: MessageParams = {},
  ) {
    super('MODEL_CORRUPT', 'modelfiles.badConfig', {
      detail: translate('en', reason, reasonParams),
    })
  }

  override localized(locale: Locale): string {
    return translate(locale, 'modelfiles.badConfig', {
      detail: translate(locale, this.reason, this.reasonParams),
    })
  }
}

/** A value from the file as it is written there, for a message. */
export function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}

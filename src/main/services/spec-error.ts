import { AppError } from '../../shared/errors'
import type { Locale, MessageKey } from '../../shared/i18n'
import { formatSpecIssue, type SpecIssue } from '../../shared/spec-validation'

/**
 * A rejected spec or config: every issue, each in the reader's language, one per line, under a
 * heading that says what was refused (a training by default, an imported model's own words).
 */
export class SpecError extends AppError {
  constructor(
    readonly issues: SpecIssue[],
    heading: MessageKey = 'runs.invalidSpec',
  ) {
    super('INVALID_SPEC', heading, { count: issues.length })
    this.message = this.localized('en')
  }

  override localized(locale: Locale): string {
    return [
      super.localized(locale),
      ...this.issues.map((i) => `- ${formatSpecIssue(i, locale)}`),
    ].join('\n')
  }
}

import { AppError } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import { formatSpecIssue, type SpecIssue } from '../../shared/spec-validation'

/** A rejected spec or config: every issue, each in the reader's language, one per line. */
export class SpecError extends AppError {
  constructor(readonly issues: SpecIssue[]) {
    super('INVALID_SPEC', 'runs.invalidSpec', { count: issues.length })
    this.message = this.localized('en')
  }

  override localized(locale: Locale): string {
    return [
      super.localized(locale),
      ...this.issues.map((i) => `- ${formatSpecIssue(i, locale)}`),
    ].join('\n')
  }
}

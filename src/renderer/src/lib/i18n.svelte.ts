import {
  LOCALES,
  resolveLocale,
  translate,
  type Locale,
  type MessageKey,
  type MessageParams,
} from '../../../shared/i18n'

const STORAGE_KEY = 'sinapse.locale'

function readStoredLocale(): Locale | null {
  const stored = localStorage.getItem(STORAGE_KEY)
  return LOCALES.find((l) => l === stored) ?? null
}

/** The interface language: the user's last choice, else the system's. */
export class LocaleState {
  current = $state<Locale>(readStoredLocale() ?? resolveLocale(navigator.language))

  constructor() {
    document.documentElement.lang = this.current
  }

  /** Reactive: a template that calls it re-renders when the language changes. */
  t = (key: MessageKey, params?: MessageParams): string => translate(this.current, key, params)

  set(locale: Locale): void {
    this.current = locale
    document.documentElement.lang = locale
    localStorage.setItem(STORAGE_KEY, locale)
  }
}

export const i18n = new LocaleState()

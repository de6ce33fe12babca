import { common as enCommon } from './en/common'
import { spec as enSpec } from './en/spec'
import { dataset as enDataset } from './en/dataset'
import { training as enTraining } from './en/training'
import { image as enImage } from './en/image'
import { store as enStore } from './en/store'
import { cli as enCli } from './en/cli'
import { common as ptCommon } from './pt-BR/common'
import { spec as ptSpec } from './pt-BR/spec'
import { dataset as ptDataset } from './pt-BR/dataset'
import { training as ptTraining } from './pt-BR/training'
import { image as ptImage } from './pt-BR/image'
import { store as ptStore } from './pt-BR/store'
import { cli as ptCli } from './pt-BR/cli'

const en = {
  ...enCommon,
  ...enSpec,
  ...enDataset,
  ...enTraining,
  ...enImage,
  ...enStore,
  ...enCli,
}
export type MessageKey = keyof typeof en

// Typed against the English keys: a string missing in Portuguese is a type error.
const ptBR: Record<MessageKey, string> = {
  ...ptCommon,
  ...ptSpec,
  ...ptDataset,
  ...ptTraining,
  ...ptImage,
  ...ptStore,
  ...ptCli,
}

export const LOCALES = ['pt-BR', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export type MessageParams = Record<string, string | number>

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'pt-BR': ptBR }

/** Maps an OS or browser language tag (pt, pt_BR.UTF-8, en-US…) to a supported locale. */
export function resolveLocale(tag: string | undefined | null): Locale {
  return tag && /^pt/i.test(tag) ? 'pt-BR' : 'en'
}

/** The message for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogs[locale][key] ?? en[key]
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

export function isMessageKey(key: string): key is MessageKey {
  return key in en
}

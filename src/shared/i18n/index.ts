import { common as enCommon } from './en/common'
import { spec as enSpec } from './en/spec'
import { dataset as enDataset } from './en/dataset'
import { training as enTraining } from './en/training'
import { image as enImage } from './en/image'
import { store as enStore } from './en/store'
import { cli as enCli } from './en/cli'
import { ui as enUi } from './en/ui'
import { runs as enRuns } from './en/runs'
import { modelfiles as enModelfiles } from './en/modelfiles'
import { tester as enTester } from './en/tester'
import { evaluate as enEvaluate } from './en/evaluate'
import { compare as enCompare } from './en/compare'
import { runlist as enRunlist } from './en/runlist'
import { dash as enDash } from './en/dash'
import { builder as enBuilder } from './en/builder'
import { learn as enLearn } from './en/learn'
import { xray as enXray } from './en/xray'
import { desktop as enDesktop } from './en/desktop'
import { lesson as enLesson } from './en/lesson'
import { kerasimport as enKerasimport } from './en/kerasimport'
import { classroom as enClassroom } from './en/classroom'
import { common as ptCommon } from './pt-BR/common'
import { spec as ptSpec } from './pt-BR/spec'
import { dataset as ptDataset } from './pt-BR/dataset'
import { training as ptTraining } from './pt-BR/training'
import { image as ptImage } from './pt-BR/image'
import { store as ptStore } from './pt-BR/store'
import { cli as ptCli } from './pt-BR/cli'
import { ui as ptUi } from './pt-BR/ui'
import { runs as ptRuns } from './pt-BR/runs'
import { modelfiles as ptModelfiles } from './pt-BR/modelfiles'
import { tester as ptTester } from './pt-BR/tester'
import { evaluate as ptEvaluate } from './pt-BR/evaluate'
import { compare as ptCompare } from './pt-BR/compare'
import { runlist as ptRunlist } from './pt-BR/runlist'
import { dash as ptDash } from './pt-BR/dash'
import { builder as ptBuilder } from './pt-BR/builder'
import { learn as ptLearn } from './pt-BR/learn'
import { xray as ptXray } from './pt-BR/xray'
import { desktop as ptDesktop } from './pt-BR/desktop'
import { lesson as ptLesson } from './pt-BR/lesson'
import { kerasimport as ptKerasimport } from './pt-BR/kerasimport'
import { classroom as ptClassroom } from './pt-BR/classroom'

const en = {
  ...enCommon,
  ...enSpec,
  ...enDataset,
  ...enTraining,
  ...enImage,
  ...enStore,
  ...enCli,
  ...enUi,
  ...enRuns,
  ...enModelfiles,
  ...enTester,
  ...enEvaluate,
  ...enCompare,
  ...enBuilder,
  ...enRunlist,
  ...enDash,
  ...enLearn,
  ...enXray,
  ...enDesktop,
  ...enLesson,
  ...enKerasimport,
  ...enClassroom,
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
  ...ptUi,
  ...ptRuns,
  ...ptModelfiles,
  ...ptTester,
  ...ptEvaluate,
  ...ptCompare,
  ...ptBuilder,
  ...ptRunlist,
  ...ptDash,
  ...ptLearn,
  ...ptXray,
  ...ptDesktop,
  ...ptLesson,
  ...ptKerasimport,
  ...ptClassroom,
}

export const LOCALES = ['pt-BR', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export type MessageParams = Record<string, string | number>

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'pt-BR': ptBR }

/** Maps an OS or browser language tag (pt, pt_BR.UTF-8, en-US…) to a supported locale. */
export function resolveLocale(tag: string | undefined | null): Locale {
  return tag && /^pt/i.test(tag) ? 'pt-BR' : 'en'
}

/**
 * The supported locale an HTTP Accept-Language header prefers most (by its q weights), or
 * `fallback` when it names none of them (absent, `*`, only other languages).
 */
export function negotiateLocale(header: string | undefined, fallback: Locale): Locale {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index }
    })
    .filter((entry) => /^(pt|en)(-|$)/i.test(entry.tag) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked.length > 0 ? resolveLocale(ranked[0].tag) : fallback
}

/** The message for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogs[locale][key] ?? en[key]
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole
    const value = params[name]
    // Numbers are written the reader's way (7,840,016 / 7.840.016; 0.5 / 0,5); short ones such as
    // run ids stay ungrouped, and small learning rates keep their digits.
    if (typeof value !== 'number') return value
    return value.toLocaleString(locale, {
      maximumFractionDigits: 10,
      useGrouping: Math.abs(value) >= 10_000,
    })
  })
}

/**
 * A number as a form field shows it: the locale's decimal separator (0,001 / 0.001), no grouping,
 * every digit the student typed. `parseNumberInput` reads either separator back.
 */
export function formatPlainNumber(value: number, locale: Locale): string {
  return value.toLocaleString(locale, { maximumFractionDigits: 20, useGrouping: false })
}

/** Every message key, for checks that read the whole catalog (the glossary test). */
export function messageKeys(): MessageKey[] {
  return Object.keys(en) as MessageKey[]
}

export function isMessageKey(key: string): key is MessageKey {
  return key in en
}

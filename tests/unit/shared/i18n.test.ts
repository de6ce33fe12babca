import { describe, expect, it } from 'vitest'
import {
  formatPlainNumber,
  LOCALES,
  messageKeys,
  translate,
  type MessageKey,
} from '../../../src/shared/i18n'
import { PAGES, VIEWS } from '../../../src/renderer/src/lib/route'
import { GLOSSARY } from '../../../src/shared/i18n/glossary'

describe('formatPlainNumber', () => {
  it("writes a form field's number with the locale's decimal separator and every digit", () => {
    expect(formatPlainNumber(0.001, 'pt-BR')).toBe('0,001')
    expect(formatPlainNumber(0.001, 'en')).toBe('0.001')
    expect(formatPlainNumber(0.2, 'pt-BR')).toBe('0,2')
    expect(formatPlainNumber(60000, 'pt-BR')).toBe('60000')
    expect(formatPlainNumber(1e-7, 'en')).toBe('0.0000001')
  })
})

describe('glossary', () => {
  for (const locale of LOCALES) {
    it(`${locale}: no message uses a variant the glossary rules out`, () => {
      const offenders: string[] = []
      for (const key of messageKeys()) {
        const text = translate(locale, key)
        for (const [name, entry] of Object.entries(GLOSSARY[locale])) {
          if (entry.avoid.some((re) => re.test(text))) offenders.push(`${key} (${name}): ${text}`)
        }
      }
      expect(offenders).toEqual([])
    })
  }

  it('the builder and Compare name momentum and the dataset the same way', () => {
    for (const locale of LOCALES) {
      expect(translate(locale, 'builder.settings.momentum')).toBe(
        translate(locale, 'compare.field.momentum'),
      )
      expect(translate(locale, 'builder.settings.dataset.mnist')).toBe(
        translate(locale, 'runlist.dataset.mnist'),
      )
    }
  })

  it('every nav tab and the page it opens share a name', () => {
    const titles: Record<(typeof VIEWS)[number], MessageKey> = {
      builder: 'builder.title',
      training: 'dash.title',
      runs: 'runlist.title',
      compare: 'compare.title',
      evaluate: 'evaluate.title',
      test: 'tester.title',
      learn: 'learn.title',
      xray: 'xray.title',
    }
    const mismatched: string[] = []
    for (const locale of LOCALES) {
      for (const view of VIEWS) {
        const tab = translate(locale, `ui.nav.${view}` as MessageKey)
        const page = translate(locale, titles[view])
        if (!page.toLowerCase().includes(tab.toLowerCase())) {
          mismatched.push(`${locale}: tab “${tab}” opens “${page}”`)
        }
      }
    }
    expect(mismatched).toEqual([])
  })

  it('every route, the pages outside the nav bar included, names the window title', () => {
    // App.svelte titles the window `ui.nav.<view>`: a missing key threw on every visit to the
    // class board and left the previous view's title in place.
    const keys = new Set<string>(messageKeys())
    const missing = [...VIEWS, ...PAGES].filter((view) => !keys.has(`ui.nav.${view}`))
    expect(missing).toEqual([])
    for (const locale of LOCALES) {
      expect(translate(locale, 'ui.nav.board')).toBe(translate(locale, 'classroom.board.title'))
    }
  })
})

import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { negotiateLocale, translate } from '../../../src/shared/i18n'

const MAIN = join(import.meta.dirname, '../../../src/main')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

describe('terminal and HTTP messages of the Node side', () => {
  it('writes no English literal to the terminal: every line goes through translate', () => {
    const literal =
      /(console\.(error|warn|log|info)|std(err|out)\.write)\(\s*(['"`])[^'"`]*[A-Za-z]{3}/
    const offenders = sources(MAIN).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          literal.test(line) ? [`${relative(MAIN, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    )
    expect(offenders).toEqual([])
  })

  it('has the desktop shell’s log lines in both languages', () => {
    expect(translate('pt-BR', 'desktop.log.closeSlow')).toContain('demorou demais')
    expect(translate('en', 'desktop.log.closeSlow')).toContain('took too long')
    expect(translate('pt-BR', 'desktop.log.loadError')).toContain('não foi possível')
  })

  it('picks the locale an Accept-Language header prefers, else the fallback', () => {
    expect(negotiateLocale('pt-BR,pt;q=0.9,en;q=0.8', 'en')).toBe('pt-BR')
    expect(negotiateLocale('en-US,en;q=0.9,pt;q=0.8', 'pt-BR')).toBe('en')
    expect(negotiateLocale('fr-FR, en;q=0.3, pt;q=0.7', 'en')).toBe('pt-BR')
    expect(negotiateLocale('de, *;q=0.5', 'pt-BR')).toBe('pt-BR')
    expect(negotiateLocale('*', 'en')).toBe('en')
    expect(negotiateLocale(undefined, 'pt-BR')).toBe('pt-BR')
    expect(negotiateLocale('pt;q=0, en', 'pt-BR')).toBe('en')
  })
})

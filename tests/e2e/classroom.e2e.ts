import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Download, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../../src/shared/csv'
import { modelLessBundle } from '../unit/bundles/bundle-fixtures'
import {
  launchBrowser,
  screenshot,
  scrollToTop,
  setLanguage,
  sidewaysScroll,
  startServe,
  tempDataDir,
  type Served,
} from './harness'

async function download(page: Page, click: () => Promise<void>): Promise<[string, Buffer]> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()])
  return [file.suggestedFilename(), readFileSync(await (file as Download).path())]
}

describe('collecting work: many bundles in one action', () => {
  let served: Served
  let browser: Browser
  let page: Page
  const folder = mkdtempSync(join(tmpdir(), 'sinapse-handins-'))
  const files = [1, 2, 3, 4, 5].map((n) => {
    const path = join(folder, `aluno-${n}.sinapse`)
    writeFileSync(path, modelLessBundle(n, `Trabalho ${n}`))
    return path
  })

  beforeAll(async () => {
    served = await startServe({ dataDir: tempDataDir() })
    ;({ browser, page } = await launchBrowser())
    await page.goto(`${served.url}#/runs`)
    await page.getByTestId('runs-empty').waitFor()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('imports all five picked bundles, each listed, with the bulk tag', async () => {
    await page.getByTestId('import-model-input').setInputFiles(files)
    await page.getByTestId('bundle-import-tag').fill('turma-3B')
    await page.getByTestId('bundle-import-start').click()
    await expect
      .poll(() => page.getByTestId('bundle-import-progress').textContent(), { timeout: 60_000 })
      .toBe('5 imported, 0 already here, 0 refused.')
    const statuses = await page
      .locator('[data-testid=bundle-import-outcomes] li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-status')))
    expect(statuses).toEqual(['imported', 'imported', 'imported', 'imported', 'imported'])
    await expect.poll(() => page.getByTestId('run-name').count(), { timeout: 20_000 }).toBe(5)
    const tags = await page.getByTestId('row-tag').allTextContents()
    expect(tags.filter((t) => t === 'turma-3B')).toHaveLength(5)
  }, 120_000)

  it('reports a duplicate and a damaged file beside a good one', async () => {
    const broken = join(folder, 'cortado.sinapse')
    writeFileSync(broken, modelLessBundle(6, 'Cortado').subarray(0, 200))
    const fresh = join(folder, 'aluno-7.sinapse')
    writeFileSync(fresh, modelLessBundle(7, 'Trabalho 7'))
    await page.getByTestId('bundle-import-close').click()
    await page.getByTestId('import-model-input').setInputFiles([files[0], broken, fresh])
    await page.getByTestId('bundle-import-start').click()
    await expect
      .poll(() => page.getByTestId('bundle-import-progress').textContent(), { timeout: 60_000 })
      .toBe('1 imported, 1 already here, 1 refused.')
    const rows = page.locator('[data-testid=bundle-import-outcomes] li')
    expect(await rows.nth(0).getAttribute('data-status')).toBe('duplicate')
    expect(await rows.nth(1).getAttribute('data-status')).toBe('refused')
    expect(await rows.nth(1).textContent()).toContain('is incomplete')
    expect(await rows.nth(2).getAttribute('data-status')).toBe('imported')
    await screenshot(page, 'classroom-import-en')
    // Refusals come in the page's language.
    await setLanguage(page, 'pt-BR')
    await page.getByTestId('bundle-import-close').click()
    await page.getByTestId('import-model-input').setInputFiles([broken])
    await page.getByTestId('bundle-import-start').click()
    await expect
      .poll(() => rows.nth(0).textContent(), { timeout: 60_000 })
      .toContain('está incompleto')
    await setLanguage(page, 'en')
  }, 120_000)

  it('exports the runs list as CSV with a byte order mark, safe cells and every run', async () => {
    const [name, bytes] = await download(page, () => page.getByTestId('runs-csv').click())
    expect(name).toBe('sinapse-runs.csv')
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parseCsv(bytes.toString('utf8'))
    expect(rows[0].slice(0, 3)).toEqual(['id', 'name', 'student'])
    expect(
      rows
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(['Trabalho 1', 'Trabalho 2', 'Trabalho 3', 'Trabalho 4', 'Trabalho 5', 'Trabalho 7'])
  })

  it('fits the projector size in both languages', async () => {
    for (const locale of ['pt-BR', 'en'] as const) {
      await setLanguage(page, locale)
      await page.setViewportSize({ width: 683, height: 512 })
      await scrollToTop(page)
      expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0)
      await screenshot(page, `classroom-import-683-${locale}`)
    }
    await page.setViewportSize({ width: 1366, height: 768 })
  })
})

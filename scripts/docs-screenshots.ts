/**
 * The screenshots in docs/screenshots/: the tutorial's 30-epoch run (its Progress page with the
 * overfitting judgement, its run page), the tester with the plain-resize toggle and an export's
 * note, in pt-BR and English at 1366×768, each view also checked for sideways scroll at 683 px.
 *
 *   node --import tsx scripts/docs-screenshots.ts [--data-dir <folder with the run>]
 *
 * Without --data-dir it trains the tutorial's run first (`sinapse train --preset tutorial-mlp`:
 * 30 epochs, 20 % validation; about a minute on an idle machine). Needs Chromium
 * (/usr/bin/chromium) and a built renderer (`npx electron-vite build`).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Page } from 'playwright-core'
import {
  dropFile,
  launchBrowser,
  scrollToTop,
  setLanguage,
  sidewaysScroll,
  startServe,
  tempDataDir,
  trainWithCli,
} from '../tests/e2e/harness'

const ROOT = join(import.meta.dirname, '..')
const OUT = join(ROOT, 'docs/screenshots')
const DIGIT = join(ROOT, 'tests/fixtures/digits/2-off-center-big-canvas.png')

const at = process.argv.indexOf('--data-dir')
let dataDir = at > 0 ? process.argv[at + 1] : ''
let runId = 1
if (!dataDir) {
  dataDir = tempDataDir('sinapse-docs-')
  runId = trainWithCli(dataDir, '--preset', 'tutorial-mlp', '--name', 'Tutorial MLP').runId
}

/** The visible window as a small palette PNG (a few tens of kB), and its size. */
async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  const png = await page.screenshot({ fullPage })
  const small = await sharp(png).png({ palette: true, quality: 90, effort: 8 }).toBuffer()
  writeFileSync(join(OUT, `${name}.png`), small)
  console.log(`${name}.png  ${Math.round(small.length / 1024)} kB`)
}

/** Paints twice after a change, so charts and notes are drawn before the capture. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  )
}

/** Scrolls `selector`'s element to just under the sticky top bar. */
async function scrollUnderBar(page: Page, selector: string): Promise<void> {
  await page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const bar = document.querySelector('.topbar')?.getBoundingClientRect().height ?? 0
      window.scrollBy(0, el.getBoundingClientRect().top - bar - 12)
    })
  await settle(page)
}

async function narrow(page: Page, what: string): Promise<void> {
  await page.setViewportSize({ width: 683, height: 768 })
  await settle(page)
  console.log(`${what} at 683 px: ${await sidewaysScroll(page)} px of sideways scroll`)
  await page.setViewportSize({ width: 1366, height: 768 })
  await settle(page)
}

mkdirSync(OUT, { recursive: true })
const served = await startServe({ dataDir, lang: 'pt-BR' })
const { browser, page } = await launchBrowser({ locale: 'pt-BR' })
try {
  await page.setViewportSize({ width: 1366, height: 768 })
  for (const lang of ['pt-BR', 'en'] as const) {
    await page.goto(served.url + '#/builder')
    await page.locator('#view-title').waitFor()
    await setLanguage(page, lang)

    // The finished run on the Progress page: its judgement and curves.
    await page.goto(served.url + '#/training')
    await page.getByTestId('overfit').waitFor()
    await page.locator('[data-metric=loss] canvas').first().waitFor()
    await scrollToTop(page)
    await settle(page)
    await shoot(page, `tutorial-run-overfit-${lang}`)
    await scrollUnderBar(page, '[data-metric=loss]')
    await shoot(page, `tutorial-run-curves-${lang}`)
    await narrow(page, `Progress (${lang})`)

    // The run's own page.
    await page.goto(served.url + `#/run?id=${runId}`)
    await page.locator('.history tbody tr').first().waitFor()
    await page.locator('[data-metric=accuracy] canvas').first().waitFor()
    await scrollToTop(page)
    await settle(page)
    await shoot(page, `run-page-${lang}`)
    await scrollUnderBar(page, '[data-metric=loss]')
    await shoot(page, `run-page-curves-${lang}`)
    await scrollUnderBar(page, '.history tr[data-epoch="4"]')
    await shoot(page, `run-page-history-${lang}`)
    await narrow(page, `run page (${lang})`)

    // The tester with the plain resize: the off-centre 2 squeezed whole, as the tutorial does.
    await page.goto(served.url + '#/test')
    await page.getByTestId('drop-zone').waitFor()
    const clear = page.locator('button', { hasText: /Remover todas as imagens|Remove all images/ })
    if (await clear.count()) await clear.click()
    await dropFile(page, '2-off-center-big-canvas.png', readFileSync(DIGIT), 'image/png')
    const answer = page.locator('[data-testid=image-result] [data-testid=prediction][data-digit]')
    await answer.first().waitFor({ timeout: 120_000 })
    await page.locator('[data-testid=preprocessing] input[value=plain]').check()
    await page.locator('[data-testid=image-result] [data-step=resized]').waitFor()
    await answer.first().waitFor({ timeout: 120_000 })
    await scrollToTop(page)
    await settle(page)
    await shoot(page, `tester-plain-resize-${lang}`, true)
    await narrow(page, `tester (${lang})`)
    await page.locator('[data-testid=preprocessing] input[value=mnist]').check()

    // An export and its note.
    await page.goto(served.url + '#/runs')
    const expand = page.locator(`tr[data-run-id="${runId}"] [aria-expanded]`)
    if ((await expand.getAttribute('aria-expanded')) !== 'true') await expand.click()
    await Promise.all([page.waitForEvent('download'), page.getByTestId('export-h5').click()])
    await page.getByTestId('export-done').waitFor()
    await settle(page)
    await shoot(page, `export-note-${lang}`)
    await narrow(page, `Runs with the export note (${lang})`)
  }
} finally {
  await browser.close()
  await served.close()
}

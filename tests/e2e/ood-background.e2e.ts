import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OodStatus } from '../../src/shared/ood'
import {
  SCREENSHOT_DIR,
  callCommand,
  launchBrowser,
  setLanguage,
  sidewaysScroll,
  startServe,
  tempDataDir,
  trainWithCli,
  waitUntil,
  type Served,
} from './harness'

const OOD = join(import.meta.dirname, '../fixtures/ood')
/** Flagged by 3-epoch tutorial MLPs at 1.44–1.47× the threshold (see ood.e2e.ts). */
const LETTER = 'letter-hand-lower-m-2.png'

/**
 * Records, in the page, what the prediction cards showed while the judgement was prepared: a
 * digit shown together with the "checking…" line (the answer did not wait for the bank), and the
 * progress texts seen. A MutationObserver, so no state is missed however fast it passes.
 */
async function watchCards(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = { digitWhileChecking: false, texts: [] as string[] }
    ;(window as unknown as { __ood: typeof seen }).__ood = seen
    const look = () => {
      for (const card of document.querySelectorAll('[data-testid=prediction][data-digit]')) {
        const checking = card.querySelector('[data-ood-state=computing]')
        if (!checking) continue
        seen.digitWhileChecking = true
        const text = checking.textContent?.trim() ?? ''
        if (seen.texts.at(-1) !== text) seen.texts.push(text)
      }
    }
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    })
  })
}

function seenInPage(page: Page) {
  return page.evaluate(
    () => (window as unknown as { __ood: { digitWhileChecking: boolean; texts: string[] } }).__ood,
  )
}

function shot(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return join(SCREENSHOT_DIR, `${name}.png`)
}

describe('the judgement is prepared in the background, shown when ready', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let base: string
  let small: number
  let mlp: number

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-ood-bg-')
    // No threshold is stored (the CLI prepares nothing eagerly): the first visit computes it all.
    small = trainWithCli(dataDir, '--epochs', '1', '--limit', '6000', '--name', 'Small').runId
    mlp = trainWithCli(dataDir, '--epochs', '3', '--name', 'Tutorial MLP').runId
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    await page.setViewportSize({ width: 1366, height: 768 })
    base = served.url.replace(/#.*$/, '')
  }, 600_000)
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('shows the digit at once, the check’s progress where the verdict goes, then the verdict', async () => {
    await page.goto(`${base}#/test`)
    await page.getByTestId('drop-zone').waitFor({ timeout: 30_000 })
    await setLanguage(page, 'en')
    await watchCards(page)
    await page.getByTestId('tester-file-input').setInputFiles(join(OOD, LETTER))
    const card = page.locator(`[data-testid=image-result][data-name="${LETTER}"]`)
    // The card still says it is checking, or already judged: either way the digit is there.
    await card.locator('[data-testid=prediction][data-digit]').waitFor({ timeout: 120_000 })
    if ((await card.locator('[data-ood-state=computing]').count()) > 0) {
      await page.screenshot({ path: shot('ood-checking-en-1366') })
    }
    await card.locator('[data-ood]').waitFor({ timeout: 300_000 })
    expect(await card.locator('[data-ood]').getAttribute('data-ood')).toBe('true')
    expect(await card.locator('[data-warning=ood]').textContent()).toContain(
      'This image does not look like the images the model was trained on',
    )
    expect(await card.locator('[data-ood-state=computing]').count()).toBe(0)
    const seen = await seenInPage(page)
    expect(seen.digitWhileChecking).toBe(true)
    expect(
      seen.texts.some((t) =>
        /Checking whether this looks like the training images… \d+\s?%/.test(t),
      ),
    ).toBe(true)
  }, 600_000)

  it('switching models back and forth, or closing the page, neither blocks nor breaks it', async () => {
    const box = page.locator(`input[type=checkbox][data-run-id="${small}"]`)
    // The small model's bank starts, is cancelled, starts again; the page is closed meanwhile.
    await box.check()
    await box.uncheck()
    await box.check()
    await page
      .locator(`[data-testid=prediction][data-run-id="${small}"][data-digit]`)
      .first()
      .waitFor()
    await page.close()

    // The server answers, and the small model's judgement gets ready for whoever asks next.
    page = await browser.newPage()
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${base}#/xray?run=${small}`)
    const verdict = page.locator('[data-testid=xray-ood] [data-ood-state]')
    await verdict.first().waitFor({ timeout: 120_000 })
    await page
      .locator(
        '[data-testid=xray-ood] [data-ood-state=fine], [data-testid=xray-ood] [data-ood-state=flagged]',
      )
      .first()
      .waitFor({ timeout: 300_000 })
    const statuses = await callCommand<OodStatus[]>(served, 'ood:want', {
      holder: 'xray',
      runIds: [small],
    })
    expect(statuses.ok && statuses.value[0]).toMatchObject({ runId: small, state: 'ready' })
  }, 600_000)

  it('the X-ray judges a dropped letter with the tester’s words, in both languages', async () => {
    await page.goto(`${base}#/xray?run=${mlp}`)
    await page.getByTestId('xray-prediction').waitFor({ timeout: 60_000 })
    await setLanguage(page, 'en')
    await waitUntil(
      () => callCommand<OodStatus[]>(served, 'ood:want', { holder: 'xray', runIds: [mlp] }),
      (r) => r.ok && r.value[0]?.state === 'ready',
      'the MLP’s judgement',
      300_000,
    )
    await page.getByTestId('tester-file-input').setInputFiles(join(OOD, LETTER))
    const warning = page.locator('[data-testid=xray-ood] [data-warning=ood]')
    await warning.waitFor({ timeout: 120_000 })
    expect(await warning.textContent()).toContain(
      'This image does not look like the images the model was trained on',
    )
    await warning.scrollIntoViewIfNeeded()
    await page.screenshot({ path: shot('xray-ood-en-1366') })
    await setLanguage(page, 'pt-BR')
    expect(await warning.textContent()).toContain(
      'Esta imagem não se parece com as imagens com que o modelo foi treinado',
    )
    await page.screenshot({ path: shot('xray-ood-pt-1366') })
    await page.setViewportSize({ width: 683, height: 768 })
    await warning.scrollIntoViewIfNeeded()
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: shot('xray-ood-pt-683') })
    await setLanguage(page, 'en')
    await page.screenshot({ path: shot('xray-ood-en-683') })
  }, 600_000)
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  launchBrowser,
  screenshot,
  scrollToTop,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

describe('restore the best epoch’s weights', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let runId: number
  let best: number

  beforeAll(async () => {
    const dataDir = tempDataDir()
    // 480 training images at a high rate: val_loss bottoms out after a few epochs, then rises.
    const run = trainWithCli(
      dataDir,
      ...['--epochs', '10', '--limit', '600', '--learning-rate', '0.005'],
      ...['--restore-best-weights', '--name', 'Best weights'],
    ) as unknown as { runId: number; weightsEpoch: number }
    runId = run.runId
    best = run.weightsEpoch
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    await page.setViewportSize({ width: 1366, height: 768 })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('the run page says which epoch’s weights the model holds', async () => {
    expect(best).toBeLessThan(10)
    await page.goto(`${served.url}#/run?id=${runId}`)
    const note = page.getByTestId('weights-epoch')
    await note.waitFor()
    expect(await note.textContent()).toContain(`weights from epoch ${best}, the lowest val_loss`)
    await scrollToTop(page)
    await screenshot(page, 'restore-best-run-en')
    await setLanguage(page, 'pt-BR')
    await expect.poll(() => note.textContent()).toContain(`pesos da época ${best}, a de menor`)
    await scrollToTop(page)
    await screenshot(page, 'restore-best-run-pt-BR')
    await setLanguage(page, 'en')
  })

  it('the builder offers it and its Keras code shows restore_best_weights=True', async () => {
    await page.goto(`${served.url}#/builder`)
    const restore = page.locator('#set-restore')
    await restore.waitFor()
    expect(await restore.inputValue()).toBe('last')
    await restore.selectOption('best')
    await expect
      .poll(() => page.locator('pre code').textContent())
      .toContain("EarlyStopping(monitor='val_loss', patience=30, restore_best_weights=True)")
    await restore.scrollIntoViewIfNeeded()
    await page.screenshot({ path: 'test-results/screenshots/restore-best-builder-en.png' })
    await setLanguage(page, 'pt-BR')
    await expect
      .poll(() => restore.locator('option:checked').textContent())
      .toContain('Os da melhor época')
    await restore.scrollIntoViewIfNeeded()
    await page.screenshot({ path: 'test-results/screenshots/restore-best-builder-pt-BR.png' })
    await setLanguage(page, 'en')
  })
})

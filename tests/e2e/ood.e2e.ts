import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { loadDataset } from '../../src/main/training/datasets/load'
import {
  SCREENSHOT_DIR,
  dropFile,
  launchBrowser,
  screenshot,
  scrollToTop,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

const OOD = join(import.meta.dirname, '../fixtures/ood')
/**
 * A handwritten m that 3-epoch tutorial MLPs flag far from the limit: its score was 1.44–1.47
 * times the threshold with seeds 42 (the CLI's default, used here), 7 and 13 (bench/ood.ts and
 * RELIABILITY.md have the rates; the letter A was flagged too, at 1.07–1.30 times).
 */
const LETTER = 'letter-hand-lower-m-2.png'

/** A real MNIST test digit as a PNG, dark ink on white like a scan. */
async function mnistDigitPng(index: number): Promise<{ bytes: Buffer; label: number }> {
  const { test } = await loadDataset('mnist')
  const pixels = Buffer.from(test.images.subarray(index * 784, (index + 1) * 784)).map(
    (v) => 255 - v,
  )
  const bytes = await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } })
    .resize(112, 112, { kernel: 'nearest' })
    .png()
    .toBuffer()
  return { bytes, label: test.labels[index] }
}

async function waitForAnswer(page: Page, name: string): Promise<string> {
  const cell = page.locator(`[data-testid=image-result][data-name="${name}"] [data-ood]`)
  await cell.waitFor({ timeout: 120_000 })
  return (await cell.getAttribute('data-ood')) ?? ''
}

describe('tester: images unlike the training data', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let base: string

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-ood-')
    trainWithCli(dataDir, '--epochs', '3', '--name', 'Tutorial MLP')
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    await page.setViewportSize({ width: 1366, height: 768 })
    base = served.url.replace(/#.*$/, '')
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('warns about a dropped letter, in view at 1366×768, and not about a real MNIST digit', async () => {
    await page.goto(`${base}#/test`)
    await page.getByTestId('drop-zone').waitFor({ timeout: 30_000 })
    await setLanguage(page, 'en')

    expect(await dropFile(page, LETTER, readFileSync(join(OOD, LETTER)), 'image/png')).toBe(true)
    expect(await waitForAnswer(page, LETTER)).toBe('true')
    const card = page.locator(`[data-testid=image-result][data-name="${LETTER}"]`)
    const warning = card.locator('[data-warning=ood]')
    expect(await warning.textContent()).toContain(
      'This image does not look like the images the model was trained on',
    )
    // The answer still reads as confidence, never certainty.
    expect(await card.locator('.confidence').textContent()).toMatch(/^\s*confidence \d/)
    // Dropped results scroll into view: the warning is on screen without scrolling by hand.
    await page.waitForFunction(
      (name) => {
        const el = document.querySelector(
          `[data-testid=image-result][data-name="${name}"] [data-warning=ood]`,
        )
        const box = el?.getBoundingClientRect()
        return !!box && box.top >= 0 && box.bottom <= window.innerHeight
      },
      LETTER,
      { timeout: 30_000 },
    )
    await page.screenshot({ path: shot('ood-letter-en-1366') })

    const digit = await mnistDigitPng(0)
    const name = `mnist-test-0-label-${digit.label}.png`
    await dropFile(page, name, digit.bytes, 'image/png')
    expect(await waitForAnswer(page, name)).toBe('false')
    const digitCard = page.locator(`[data-testid=image-result][data-name="${name}"]`)
    expect(await digitCard.locator('[data-testid=prediction]').getAttribute('data-digit')).toBe(
      String(digit.label),
    )
    expect(await digitCard.locator('[data-warning=ood]').count()).toBe(0)

    await setLanguage(page, 'pt-BR')
    expect(await warning.textContent()).toContain(
      'Esta imagem não se parece com as imagens com que o modelo foi treinado',
    )
    expect(await card.locator('.confidence').textContent()).toMatch(/^\s*confiança \d/)
    await warning.scrollIntoViewIfNeeded()
    await page.screenshot({ path: shot('ood-letter-pt-1366') })

    await page.setViewportSize({ width: 683, height: 768 })
    await warning.scrollIntoViewIfNeeded()
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
    await page.screenshot({ path: shot('ood-letter-pt-683') })
    await setLanguage(page, 'en')
    await warning.scrollIntoViewIfNeeded()
    await page.screenshot({ path: shot('ood-letter-en-683') })
    await page.setViewportSize({ width: 1366, height: 768 })
    await scrollToTop(page)
    await screenshot(page, 'ood-tester-full-en')
  })
})

function shot(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return join(SCREENSHOT_DIR, `${name}.png`)
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  launchBrowser,
  screenshot,
  scrollToTop,
  setLanguage,
  startServe,
  tempDataDir,
  type Served,
} from './harness'

type Box = { x: number; y: number; width: number; height: number }

async function boxOf(page: Page, testid: string): Promise<Box> {
  const box = await page.getByTestId(testid).boundingBox()
  if (!box) throw new Error(`${testid} is not laid out`)
  return box
}

describe('runs view, empty', () => {
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await startServe({ dataDir: tempDataDir('sinapse-runs-empty-') })
    ;({ browser, page } = await launchBrowser())
    await page.goto(`${served.url}#/runs`)
    await page.getByTestId('runs-empty').waitFor()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  for (const width of [1366, 683]) {
    for (const locale of ['pt-BR', 'en'] as const) {
      it(`keeps the import buttons with the empty-state message (${width} px, ${locale})`, async () => {
        await page.setViewportSize({ width, height: 768 })
        await setLanguage(page, locale)
        await expect
          .poll(() => page.locator('html').getAttribute('lang'))
          .toBe(locale === 'en' ? 'en' : 'pt-BR')
        const empty = page.getByTestId('runs-empty')
        await empty.waitFor()
        await scrollToTop(page)
        await screenshot(page, `runs-empty-${width}-${locale}`)

        const card = await boxOf(page, 'runs-empty')
        const body = await empty.locator('p').last().boundingBox()
        const action = await empty.locator('button.primary').boundingBox()
        expect(body && action).toBeTruthy()
        const cardMid = card.x + card.width / 2
        for (const id of ['import-model', 'import-folder']) {
          const b = await boxOf(page, id)
          // Inside the card…
          expect(b.x).toBeGreaterThanOrEqual(card.x)
          expect(b.x + b.width).toBeLessThanOrEqual(card.x + card.width)
          expect(b.y).toBeGreaterThanOrEqual(card.y)
          expect(b.y + b.height).toBeLessThanOrEqual(card.y + card.height)
          // …under the message and the main action, not beside them…
          expect(b.y).toBeGreaterThanOrEqual(action!.y + action!.height - 1)
          expect(b.y).toBeGreaterThanOrEqual(body!.y + body!.height)
          // …and close under it: within two button heights of the main action.
          expect(b.y - (action!.y + action!.height)).toBeLessThan(2 * b.height + 16)
        }
        // The pair of buttons is centred like the message above it, not pushed to a side.
        const model = await boxOf(page, 'import-model')
        const folder = await boxOf(page, 'import-folder')
        const left = Math.min(model.x, folder.x)
        const right = Math.max(model.x + model.width, folder.x + folder.width)
        expect(Math.abs((left + right) / 2 - cardMid)).toBeLessThan(card.width * 0.1)
        // No sideways scrolling.
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        ).toBe(true)
      })
    }
  }
})

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { VIEWS } from '../../src/renderer/src/lib/route'
import { LABS } from '../../src/renderer/src/lib/learn/labs'
import {
  launchBrowser,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

/** Screenshots of every view at the projector's and a laptop's size, both modes and languages. */
const SHOTS = join(import.meta.dirname, '../../test-results/projector')
const PROJECTOR = { width: 683, height: 512 }
const LAPTOP = { width: 1366, height: 768 }

/** Every view of the navigation bar, the run page, and each Learn lab. */
function routes(runId: number): string[] {
  return [
    ...VIEWS.filter((v) => v !== 'learn').map((v) =>
      v === 'compare' ? `compare?ids=${runId}` : v === 'xray' ? `xray?run=${runId}&test=0` : v,
    ),
    `run?id=${runId}`,
    ...LABS.map((lab) => `learn?lab=${lab}`),
  ]
}

async function sidewaysOverflow(page: Page): Promise<{ px: number; culprits: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 4)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)}`)
      .join(' ')
    return { px: document.documentElement.scrollWidth - width, culprits }
  })
}

async function setPresentation(page: Page, on: boolean): Promise<void> {
  const toggle = page.getByTestId('presentation-toggle')
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click()
  await expect
    .poll(() => page.evaluate(() => document.documentElement.dataset.presentation ?? 'off'))
    .toBe(on ? 'on' : 'off')
}

describe('projector and small screens', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let runId: number

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-projector-')
    runId = trainWithCli(dataDir, '--epochs', '1', '--limit', '600', '--name', 'Projector').runId
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    mkdirSync(SHOTS, { recursive: true })
  }, 400_000)
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  for (const locale of ['pt-BR', 'en'] as const) {
    it(`no view scrolls sideways at 683×512, normal and presentation mode (${locale})`, async () => {
      await page.setViewportSize(PROJECTOR)
      await page.goto(served.url)
      await setLanguage(page, locale)
      const failures: string[] = []
      for (const mode of ['normal', 'presentation'] as const) {
        await setPresentation(page, mode === 'presentation')
        for (const route of routes(runId)) {
          await page.setViewportSize(PROJECTOR)
          await page.goto(`${served.url.replace(/#.*$/, '')}#/${route}`)
          await page.locator('main h2').first().waitFor({ timeout: 60_000 })
          // Views that load data settle before they are measured.
          await page.waitForLoadState('networkidle').catch(() => {})
          const name = `${mode}-${locale}-${route.replace(/[?&=]/g, '_')}`
          const overflow = await sidewaysOverflow(page)
          if (overflow.px > 0) failures.push(`${name}: ${overflow.px} px (${overflow.culprits})`)
          await page.screenshot({ path: join(SHOTS, `${name}-683x512.png`) })
          await page.setViewportSize(LAPTOP)
          await page.screenshot({ path: join(SHOTS, `${name}-1366x768.png`) })
        }
      }
      expect(failures).toEqual([])
    }, 600_000)
  }

  it('presentation mode: toggled by Alt+P, remembered, steps through sections and labs by keyboard', async () => {
    await page.setViewportSize(LAPTOP)
    await page.goto(`${served.url.replace(/#.*$/, '')}#/builder`)
    await setPresentation(page, false)
    await page.locator('main h2').first().click()
    await page.keyboard.press('Alt+KeyP')
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.presentation))
      .toBe('on')
    // Larger type, and the side panel (the Keras code) is hidden.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(
      '19px',
    )
    expect(await page.locator('[data-side-panel]').first().isVisible()).toBe(false)
    await page.reload()
    await page.locator('main h2').first().waitFor()
    expect(await page.evaluate(() => document.documentElement.dataset.presentation)).toBe('on')

    // PageDown moves to the next section heading and focuses it; PageUp goes back.
    await page.locator('main h2').first().click()
    await page.keyboard.press('PageDown')
    const first = await page.evaluate(() => document.activeElement?.textContent?.trim())
    expect(first).toBeTruthy()
    await page.keyboard.press('PageDown')
    const second = await page.evaluate(() => document.activeElement?.textContent?.trim())
    expect(second).not.toBe(first)
    expect(await page.evaluate(() => document.activeElement?.tagName)).toMatch(/^H[23]$/)
    await page.keyboard.press('PageUp')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(first)

    // In Learn, → and ← change the lab.
    await page.goto(`${served.url.replace(/#.*$/, '')}#/learn?lab=perceptron`)
    await page.locator('#lab-panel[data-lab=perceptron] article').waitFor({ timeout: 60_000 })
    await page.locator('main h2').first().click()
    await page.keyboard.press('ArrowRight')
    await page.waitForFunction(() => location.hash === '#/learn?lab=activations')
    await page.keyboard.press('ArrowLeft')
    await page.waitForFunction(() => location.hash === '#/learn?lab=perceptron')

    await page.keyboard.press('Alt+KeyP')
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.presentation ?? 'off'))
      .toBe('off')
  }, 300_000)
})

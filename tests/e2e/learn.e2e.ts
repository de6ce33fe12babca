import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  launchBrowser,
  screenshot,
  setLanguage,
  startServe,
  tempDataDir,
  type Served,
} from './harness'

const LOCALES = ['en', 'pt-BR'] as const

function accuracyOf(page: Page): Promise<number> {
  return page
    .locator('[data-testid=perceptron-accuracy]')
    .getAttribute('data-value')
    .then((v) => Number(v))
}

async function openLab(page: Page, served: Served, lab: string): Promise<void> {
  await page.goto(`${served.url}#/learn?lab=${lab}`)
  await page.locator(`#lab-panel[data-lab=${lab}] article`).waitFor()
}

/** Trains continuously until the accuracy reaches `target` (or the network settles), then pauses. */
async function trainUntil(page: Page, target: number): Promise<void> {
  await page.getByTestId('train-run').click()
  await page.waitForFunction(
    (t) =>
      Number(
        document.querySelector('[data-testid=perceptron-accuracy]')?.getAttribute('data-value'),
      ) >= t,
    target,
    { timeout: 60_000 },
  )
  await page.locator('#lab-panel .controls button.primary').click()
}

/** Widths a projector and a laptop give: nothing may scroll sideways. */
async function shootBoth(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 })
  await screenshot(page, `${name}-1366`)
  await page.setViewportSize({ width: 683, height: 768 })
  await screenshot(page, `${name}-683`)
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName}.${el.className}`)
      .join(' '),
  )
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow, `${name} scrolls sideways at 683 px: ${wide}`).toBeLessThanOrEqual(0)
  await page.setViewportSize({ width: 1366, height: 768 })
}

describe.each(LOCALES)('Learn labs (%s)', (locale) => {
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await startServe({ dataDir: tempDataDir(), lang: locale })
    ;({ browser, page } = await launchBrowser({ locale: locale === 'en' ? 'en-US' : 'pt-BR' }))
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(served.url)
    await setLanguage(page, locale)
  })

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('opens from the tab bar', async () => {
    await page.goto(served.url)
    await page.locator('nav a[data-view=learn]').click()
    await expect
      .poll(() => page.locator('h2').first().textContent())
      .toBe(locale === 'en' ? 'Learn' : 'Aprender')
  })

  it('perceptron: AND and OR reach 100%, XOR stays ≤ 75% until a hidden layer solves it', async () => {
    await openLab(page, served, 'perceptron')
    await page.locator('[data-preset=and]').click()
    await trainUntil(page, 1)
    expect(await accuracyOf(page)).toBe(1)

    await page.locator('[data-preset=or]').click()
    await trainUntil(page, 1)
    expect(await accuracyOf(page)).toBe(1)

    // Hovering a point prints its weighted sum with the numbers filled in.
    await page.locator('.point').first().hover()
    await expect.poll(() => page.getByTestId('perceptron-readout').textContent()).toMatch(/=.*→/)

    await page.locator('[data-preset=xor]').click()
    // Every accuracy the page shows while it trains is recorded, not just the last one.
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=perceptron-accuracy]')!
      const w = window as unknown as { bestAccuracy: number }
      w.bestAccuracy = Number(el.getAttribute('data-value'))
      new MutationObserver(() => {
        w.bestAccuracy = Math.max(w.bestAccuracy, Number(el.getAttribute('data-value')))
      }).observe(el, { attributes: true })
    })
    await page.getByTestId('train-run').click()
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid=perceptron-epochs]')?.getAttribute('data-value'),
        ) >= 200,
      undefined,
      { timeout: 60_000 },
    )
    await page.locator('#lab-panel .controls button.primary').click()
    const best = await page.evaluate(
      () => (window as unknown as { bestAccuracy: number }).bestAccuracy,
    )
    expect(best).toBeLessThanOrEqual(0.75)
    await shootBoth(page, `learn-perceptron-xor-${locale}`)

    await page.getByTestId('hidden-toggle').check()
    await trainUntil(page, 1)
    expect(await accuracyOf(page)).toBe(1)
    expect(await page.locator('.hidden-maps canvas').count()).toBe(4)
    await shootBoth(page, `learn-perceptron-hidden-${locale}`)
  })

  it('perceptron: a point outside the plane is refused and nothing changes', async () => {
    await openLab(page, served, 'perceptron')
    const before = await page.locator('.point').count()
    const [x1, x2] = await page.locator('input.coord').all()
    await x1.fill('3')
    await x2.fill('0')
    await page.locator('form.row button[type=submit]').click()
    await expect.poll(() => page.getByTestId('perceptron-error').textContent()).toContain('3')
    expect(await page.locator('.point').count()).toBe(before)
    await x1.fill('1,25')
    await page.locator('form.row button[type=submit]').click()
    await expect.poll(() => page.locator('.point').count()).toBe(before + 1)
  })

  it('activations: curves and softmax follow the sliders', async () => {
    await openLab(page, served, 'activations')
    expect(await page.locator('[data-activation]').count()).toBe(5)
    const x = page.locator('input[name=activation-x]')
    await x.fill('-2')
    await expect
      .poll(() => page.getByTestId('activation-relu').textContent())
      .toMatch(/^f\(-2[.,]00\) = 0[.,]00/)
    const bars = page.getByTestId('softmax-bars')
    const before = await bars.textContent()
    await page.locator('input[name=temperature]').fill('4')
    await expect.poll(() => bars.textContent()).not.toBe(before)
    await shootBoth(page, `learn-activations-${locale}`)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { EXAMPLE, START_NET, forward } from '../../src/renderer/src/lib/learn/backprop'
import {
  launchBrowser,
  screenshot,
  scrollToTop,
  setLanguage,
  startServe,
  tempDataDir,
  type Served,
} from './harness'

async function openLab(page: Page, served: Served, lab: string): Promise<void> {
  await page.goto(`${served.url}#/learn?lab=${lab}`)
  await page.locator(`#lab-panel[data-lab=${lab}] article`).waitFor()
}

/** Labels whose box reaches outside their node's circle, in the diagram's own units. */
function spilledLabels(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid=backprop-node]', (nodes) =>
    nodes.flatMap((node) => {
      const circle = node.querySelector('circle')!
      const cx = circle.cx.baseVal.value
      const cy = circle.cy.baseVal.value
      const r = circle.r.baseVal.value
      return [...node.querySelectorAll('text')].flatMap((text) => {
        const b = (text as SVGTextElement).getBBox()
        const corners = [
          [b.x, b.y],
          [b.x + b.width, b.y],
          [b.x, b.y + b.height],
          [b.x + b.width, b.y + b.height],
        ]
        const out = corners.some(([x, y]) => Math.hypot(x - cx, y - cy) > r)
        return out ? [`${text.textContent} (${b.width.toFixed(1)} wide, r ${r})`] : []
      })
    }),
  )
}

describe('learn labs', () => {
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await startServe({ dataDir: tempDataDir('sinapse-learn-labs-') })
    ;({ browser, page } = await launchBrowser())
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  for (const locale of ['pt-BR', 'en'] as const) {
    it(`backprop (${locale}): node labels fit their circles; the loss box shows the initial loss before any update`, async () => {
      await openLab(page, served, 'backprop')
      await setLanguage(page, locale)
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(locale)
      const box = page.getByTestId('backprop-curve')
      const initial = forward(START_NET, EXAMPLE).loss
      const written = new Intl.NumberFormat(locale, {
        minimumFractionDigits: 4,
        maximumFractionDigits: 4,
      }).format(initial)
      for (const width of [1366, 683]) {
        await page.setViewportSize({ width, height: 768 })
        await page.getByTestId('backprop-loss').scrollIntoViewIfNeeded()
        await screenshot(page, `learn-labs-backprop-${width}-${locale}`)
        expect(await spilledLabels(page)).toEqual([])
        // Before any update the box is not blank: a mark at the initial loss, and its value.
        expect(await box.textContent()).toContain(written)
        const mark = await box.getByTestId('backprop-curve-mark').boundingBox()
        expect(mark && mark.width > 0 && mark.height > 0).toBe(true)
        expect(
          await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        ).toBe(true)
      }
      await page.setViewportSize({ width: 1366, height: 768 })
      // After updates the labels still fit, though the values changed.
      await page
        .getByRole('button', { name: locale === 'en' ? '10 updates' : '10 atualizações' })
        .click()
      await expect.poll(() => page.getByTestId('backprop-steps').textContent()).toContain('10')
      expect(await spilledLabels(page)).toEqual([])
      expect(await box.textContent()).toContain(written)
      await screenshot(page, `learn-labs-backprop-10-steps-${locale}`)
      await page.getByRole('button', { name: locale === 'en' ? 'Start over' : 'Recomeçar' }).click()
      await scrollToTop(page)
    })
  }

  /** Clicks Clear, checks Undo brings the state back; clears again and undoes with Ctrl+Z. */
  async function clearAndUndo(
    clear: string,
    undo: string,
    state: () => Promise<string>,
    cleared: (now: string) => void,
  ): Promise<void> {
    const before = await state()
    const undoButton = page.getByTestId(undo)
    expect(await undoButton.isDisabled()).toBe(true)
    for (const how of ['button', 'keys'] as const) {
      await page.getByTestId(clear).click()
      await expect.poll(() => undoButton.isEnabled()).toBe(true)
      cleared(await state())
      if (how === 'button') await undoButton.click()
      else await page.getByTestId(clear).press('Control+z')
      await expect.poll(state).toBe(before)
      expect(await undoButton.isDisabled()).toBe(true)
    }
  }

  for (const locale of ['pt-BR', 'en'] as const) {
    it(`each lab's clear or start-over can be undone, by button and Ctrl+Z (${locale})`, async () => {
      await openLab(page, served, 'perceptron')
      await setLanguage(page, locale)
      await expect
        .poll(() => page.getByTestId('perceptron-undo').textContent())
        .toBe(locale === 'en' ? 'Undo' : 'Desfazer')
      const points = () =>
        page
          .locator('[data-testid=perceptron-plane] .point')
          .evaluateAll((els) => els.map((e) => e.outerHTML).join('|'))
      await expect.poll(async () => (await points()).length).toBeGreaterThan(0)
      await clearAndUndo('perceptron-clear', 'perceptron-undo', points, (now) =>
        expect(now).toBe(''),
      )
      await page.setViewportSize({ width: 683, height: 768 })
      await page.getByTestId('perceptron-clear').scrollIntoViewIfNeeded()
      await screenshot(page, `learn-labs-perceptron-undo-683-${locale}`)
      await page.setViewportSize({ width: 1366, height: 768 })

      await openLab(page, served, 'backprop')
      const steps = page.getByTestId('backprop-steps')
      await page
        .getByRole('button', { name: locale === 'en' ? '10 updates' : '10 atualizações' })
        .click()
      await expect.poll(() => steps.textContent()).toContain('10')
      const backprop = async () =>
        `${await steps.textContent()} ${await page.getByTestId('backprop-loss').getAttribute('data-value')}`
      await clearAndUndo('backprop-reset', 'backprop-undo', backprop, (now) =>
        expect(now).toMatch(/\b0 /),
      )
      // A new update after Start over forgets what it wiped.
      await page.getByTestId('backprop-reset').click()
      await page.getByTestId('backprop-step').click()
      await expect.poll(() => steps.textContent()).toMatch(/\b1$/)
      expect(await page.getByTestId('backprop-undo').isDisabled()).toBe(true)
      await page.setViewportSize({ width: 683, height: 768 })
      await page.getByTestId('backprop-undo').scrollIntoViewIfNeeded()
      await screenshot(page, `learn-labs-backprop-undo-683-${locale}`)
      await page.setViewportSize({ width: 1366, height: 768 })

      await openLab(page, served, 'convolution')
      const input = page.getByTestId('conv-input')
      await expect.poll(() => page.getByTestId('conv-source').textContent()).toMatch(/\d/)
      const conv = async () =>
        `${await page.getByTestId('conv-source').textContent()}|${await input.evaluate((c) => (c as HTMLCanvasElement).toDataURL())}`
      const shown = await conv()
      await clearAndUndo('conv-clear', 'conv-undo', conv, (now) => expect(now).not.toBe(shown))
      await screenshot(page, `learn-labs-convolution-undo-1366-${locale}`)
    })
  }
})

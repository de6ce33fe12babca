import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  launchBrowser,
  screenshot,
  setLanguage,
  sidewaysScroll,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

/** How far `inner` sticks out of `outer` on either side, in CSS px (0: it is inside). */
async function overhang(page: Page, outer: string, inner: string): Promise<number> {
  return page.evaluate(
    ([outerSel, innerSel]) => {
      const box = document.querySelector(outerSel)!.getBoundingClientRect()
      let worst = 0
      for (const el of document.querySelectorAll(innerSel)) {
        const r = el.getBoundingClientRect()
        worst = Math.max(worst, box.left - r.left, r.right - box.right)
      }
      return worst
    },
    [outer, inner] as const,
  )
}

/** Defects found by walking the app as a student and a teacher at 683 px, in pt-BR. */
describe('a fresh walk at 683 px wide', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let base: string
  const pageErrors: string[] = []

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-walk-')
    trainWithCli(dataDir, '--epochs', '2', '--limit', '2000', '--seed', '5', '--name', 'Walk')
    served = await startServe({ dataDir, lang: 'pt-BR' })
    ;({ browser, page } = await launchBrowser({ locale: 'pt-BR' }))
    await page.setViewportSize({ width: 683, height: 768 })
    page.on('pageerror', (error) => pageErrors.push(error.message))
    base = served.url.replace(/#.*$/, '')
    await page.goto(served.url)
    await setLanguage(page, 'pt-BR')
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('opens the class board without a script error and titles the window after it', async () => {
    await page.goto(`${base}#/board`)
    await page.locator('#view-title', { hasText: 'Quadro da turma' }).waitFor()
    await expect.poll(() => page.title()).toBe('Quadro da turma · Sinapse')
    expect(pageErrors).toEqual([])
  })

  it('shows both axis names of the confusion matrix whole', async () => {
    await page.goto(`${base}#/evaluate?id=1`)
    await page.getByTestId('confusion-matrix').waitFor({ timeout: 60_000 })
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'walk-evaluate-683-pt-BR')
    const wrap = '[data-testid=confusion-matrix]'
    expect(await overhang(page, `${wrap} .corner`, `${wrap} .corner span`)).toBeLessThanOrEqual(0)
    expect(await overhang(page, `:has(> ${wrap})`, `${wrap} .cell`)).toBeLessThanOrEqual(0)
    // …and the corner itself is inside the card's visible box, not scrolled off its left.
    const cornerLeft = await page
      .locator(`${wrap} .corner`)
      .evaluate((el) => el.getBoundingClientRect().left)
    const cardLeft = await page
      .getByTestId('confusion-matrix')
      .evaluate((el) => el.parentElement!.getBoundingClientRect().left)
    expect(cornerLeft).toBeGreaterThanOrEqual(cardLeft)
  })

  it('keeps the best-epoch marks of the history table inside its card', async () => {
    await page.goto(`${base}#/run?id=1`)
    await page.locator('.history [data-mark]').first().waitFor({ timeout: 60_000 })
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'walk-run-683-pt-BR')
    expect(
      await overhang(page, '.history .table-scroll', '.history [data-mark]'),
    ).toBeLessThanOrEqual(0)
  })

  it("writes the labs' numbers with the Portuguese decimal comma", async () => {
    await page.goto(`${base}#/learn?lab=optimizers`)
    const rates = page.locator('td:has(> input.lr) output')
    await rates.first().waitFor()
    const shown = await rates.allTextContents()
    expect(shown.length).toBeGreaterThanOrEqual(4)
    // SGD's 0.4, Momentum's 0.05, …: every fractional rate has a comma and no point.
    for (const text of shown) expect(text.trim()).toMatch(/^\d+(,\d+)?$/)
    expect(shown.some((text) => text.includes(','))).toBe(true)

    await page.goto(`${base}#/learn?lab=perceptron`)
    await expect.poll(() => page.locator('input.coord').first().inputValue()).toBe('0,5')

    await page.goto(`${base}#/learn?lab=backprop`)
    const agreement = page.getByTestId('backprop-agreement')
    await expect.poll(() => agreement.textContent(), { timeout: 30_000 }).toMatch(/\de-\d/)
    expect(await agreement.textContent()).toMatch(/: \d(,\d)?e-\d+\s*$/)
  })

  it('brings a cleared drawing back with Undo, and Escape does not erase it', async () => {
    await page.goto(`${base}#/test`)
    const canvas = page.getByTestId('draw-canvas')
    await canvas.waitFor()
    const box = (await canvas.boundingBox())!
    const at = (x: number, y: number): [number, number] => [
      box.x + (x / 280) * box.width,
      box.y + (y / 280) * box.height,
    ]
    await page.mouse.move(...at(60, 45))
    await page.mouse.down()
    for (const [x, y] of [
      [130, 45],
      [200, 45],
      [155, 145],
      [110, 245],
    ]) {
      await page.mouse.move(...at(x, y), { steps: 6 })
    }
    await page.mouse.up()
    const answer = page.locator('[data-testid=draw-predictions] [data-digit]').first()
    await answer.waitFor({ timeout: 60_000 })
    const blank = page.getByText('Desenhe um dígito no quadrado preto')

    await canvas.focus()
    await page.keyboard.press('Escape')
    // The handler repaints synchronously: ink still on the canvas means Escape erased nothing.
    const ink = await canvas.evaluate((el) => {
      const data = (el as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 280, 280).data
      let sum = 0
      for (let i = 0; i < data.length; i += 4) sum += data[i]
      return sum
    })
    expect(ink).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Limpar' }).click()
    await blank.waitFor()
    expect(await answer.count()).toBe(0)

    const undo = page.getByRole('button', { name: 'Desfazer traço' })
    expect(await undo.isEnabled()).toBe(true)
    await undo.click()
    await answer.waitFor({ timeout: 60_000 })
    expect(await blank.count()).toBe(0)
  })
})

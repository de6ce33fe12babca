import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { Browser } from 'playwright-core'
import {
  launchBrowser,
  dropFile,
  screenshot,
  scrollToTop,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

const DIGITS = join(import.meta.dirname, '../fixtures/digits')
const WIDTH = 1366
const HEIGHT = 768

/** Dispatches a drop of one file on the tester's drop zone, as a file manager would. */
/** Whether the whole of an element lies inside the window, as the student sees it. */
async function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect()
    return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0
  })
}

/** The probability (0–1) a prediction card gives `digit`, read from its bar. */
async function probabilityOf(card: Locator, digit: number): Promise<number> {
  const title = await card.locator('ol li').nth(digit).getAttribute('title')
  return Number((title ?? '').replace(',', '.').replace(/[^\d.]/g, '')) / 100
}

describe('the tutorial walked at 1366×768 in Portuguese', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let runId = 0

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-walk-')
    // An earlier quick run, so the pickers have two runs to tell apart.
    trainWithCli(dataDir, '--epochs', '1', '--limit', '600', '--name', 'Rascunho')
    served = await startServe({ dataDir, lang: 'pt-BR' })
    ;({ browser, page } = await launchBrowser({ locale: 'pt-BR' }))
    await page.setViewportSize({ width: WIDTH, height: HEIGHT })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('builds the tutorial MLP and reaches Train without scrolling, then trains and shows its curves', async () => {
    await page.goto(served.url + '#/builder')
    await page.locator('[data-start=tutorial-mlp]').click()
    const train = page.locator('button[data-action=train]')
    await train.waitFor()
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    expect(await inViewport(train)).toBe(true)
    expect(await train.textContent()).toContain('Treinar')
    // Few epochs on part of the data: the walk, not the 30-epoch lesson.
    await page.locator('#set-epochs').fill('3')
    await page.locator('#set-limit-on').selectOption('on')
    await page.locator('#set-limit').fill('10000')
    // Filling scrolled the fields into view; the sticky Train bar stays in sight.
    expect(await inViewport(train)).toBe(true)
    await expect.poll(() => train.isEnabled(), { timeout: 60_000 }).toBe(true)
    await train.click()

    await expect.poll(() => page.url()).toMatch(/#\/training/)
    const outcome = page.locator('.outcome')
    await expect
      .poll(() => outcome.getAttribute('data-status'), { timeout: 240_000 })
      .toBe('completed')
    // Curves: both charts drawn, three epochs in the history, the judgement shown.
    for (const metric of ['loss', 'accuracy']) {
      await page.locator(`[data-metric=${metric}] canvas`).first().waitFor()
    }
    expect(await page.locator('.history tbody tr').count()).toBe(3)
    const verdict = await page.getByTestId('overfit').getAttribute('data-verdict')
    expect(verdict).toMatch(/\w/)
    expect(await outcome.getByTestId('test-accuracy').textContent()).toMatch(/\d+,\d+\s*%/)
    const evaluate = outcome.locator('a[href^="#/evaluate?id="]')
    runId = Number((await evaluate.getAttribute('href'))!.split('=')[1])
    expect(runId).toBeGreaterThan(1)
    await scrollToTop(page)
    await screenshot(page, 'walk-progress-pt-BR')
    await setLanguage(page, 'en')
    await page.getByTestId('overfit').waitFor()
    await scrollToTop(page)
    await screenshot(page, 'walk-progress-en')
    await setLanguage(page, 'pt-BR')
  })

  it('evaluates the run on the test set', async () => {
    await page.locator(`.outcome a[href="#/evaluate?id=${runId}"]`).click()
    await expect.poll(() => page.url()).toContain(`#/evaluate?id=${runId}`)
    await expect
      .poll(() => page.getByTestId('test-accuracy').first().textContent(), { timeout: 60_000 })
      .toMatch(/\d+,\d+\s*%/)
  })

  it('opens the run page and screenshots it in both languages', async () => {
    await page.goto(served.url + `#/run?id=${runId}`)
    await page.locator('.history tbody tr').first().waitFor()
    expect(await page.locator('.history tbody tr').count()).toBe(3)
    await scrollToTop(page)
    await screenshot(page, 'walk-run-page-pt-BR')
    await setLanguage(page, 'en')
    await page.getByTestId('open-in-builder').waitFor()
    await expect.poll(() => page.getByTestId('open-in-builder').textContent()).toContain('builder')
    await scrollToTop(page)
    await screenshot(page, 'walk-run-page-en')
    await setLanguage(page, 'pt-BR')
  })

  it('exports the .h5 and says so in the page, reachable by keyboard, in both languages', async () => {
    await page.goto(served.url + '#/runs')
    await page.locator(`tr[data-run-id="${runId}"] [aria-expanded]`).click()
    const h5 = page.getByTestId('export-h5')
    await h5.focus()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.keyboard.press('Enter'),
    ])
    const name = download.suggestedFilename()
    expect(name).toMatch(/\.h5$/)
    const done = page.getByTestId('export-done')
    await expect.poll(() => done.textContent()).toContain(name)
    expect(await done.textContent()).toContain('salvo')
    expect(await done.getAttribute('role')).toBe('status')
    // After the last export button, the next Tab stop is the note's own button.
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(
      await page.evaluate(
        () => document.activeElement?.closest('[data-testid=export-done]') !== null,
      ),
    ).toBe(true)
    await setLanguage(page, 'en')
    await expect.poll(() => done.textContent()).toContain(`Saved ${name}`)
    await done.getByRole('button').click()
    expect(await done.isHidden()).toBe(true)
    await setLanguage(page, 'pt-BR')
  })

  it('draws the sort arrow beside its own column’s name', async () => {
    const sort = page.locator('button[data-sort=testAccuracy]')
    await sort.click()
    const th = page.locator('th', { has: sort })
    await expect.poll(() => th.getAttribute('aria-sort')).toMatch(/ascending|descending/)
    const arrow = await sort.locator('.arrow').boundingBox()
    const cell = await th.boundingBox()
    expect(arrow && cell).toBeTruthy()
    expect(arrow!.x).toBeGreaterThanOrEqual(cell!.x)
    expect(arrow!.x + arrow!.width).toBeLessThanOrEqual(cell!.x + cell!.width)
  })

  it('labels which accuracy each picker shows: test in the tester, validation in Compare', async () => {
    await page.goto(served.url + '#/test')
    const chip = page.locator(`label:has(input[data-run-id="${runId}"])`)
    await chip.waitFor()
    expect(await chip.locator('[data-score]').getAttribute('data-score')).toBe('test')
    expect(await chip.textContent()).toMatch(/teste \d+,\d\s*%/)
    await page.goto(served.url + '#/compare')
    const toggle = page.locator('button.picker-toggle')
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
    const row = page.locator(`label:has(input[data-run-id="${runId}"])`)
    await row.waitFor()
    expect(await row.textContent()).toMatch(/val\. \d+,\d\s*%/)
  })

  it('tests an own image: the dropped image’s answer scrolls into view; step 5 is plain text', async () => {
    await page.goto(served.url + '#/test')
    await page.getByTestId('drop-zone').waitFor()
    await page.evaluate(() => window.scrollTo(0, 0))
    await dropFile(
      page,
      '7-thick-marker.png',
      readFileSync(join(DIGITS, '7-thick-marker.png')),
      'image/png',
    )
    const card = page.locator('[data-testid=image-result][data-name="7-thick-marker.png"]')
    const answer = card.locator(`[data-testid=prediction][data-run-id="${runId}"][data-digit]`)
    await answer.waitFor({ timeout: 90_000 })
    expect(await answer.getAttribute('data-digit')).toBe('7')
    await expect.poll(() => inViewport(card.locator('[data-testid=prediction]').first())).toBe(true)

    // "O que a rede vê" is a caption like the other steps, not something that looks clickable.
    const color = (step: string) =>
      card.locator(`[data-step=${step}] .caption`).evaluate((el) => getComputedStyle(el).color)
    expect(await color('input')).toBe(await color('gray'))
    expect(await card.locator('[data-step=input] a').count()).toBe(0)
  })

  it('shows the tutorial’s point with the toggle: an off-centre digit read MNIST-style, not with the plain resize', async () => {
    await page.getByRole('button', { name: 'Remover todas as imagens' }).click()
    await page
      .getByTestId('tester-file-input')
      .setInputFiles(join(DIGITS, '2-off-center-big-canvas.png'))
    const answer = page.locator(
      `[data-testid=image-result] [data-testid=prediction][data-run-id="${runId}"]`,
    )
    await expect.poll(() => answer.getAttribute('data-digit'), { timeout: 90_000 }).toBe('2')
    const centred = await probabilityOf(answer, 2)
    expect(centred).toBeGreaterThan(0.5)

    await page.locator('[data-testid=preprocessing] input[value=plain]').check()
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=image-result] [data-step=input] [role=img]') !== null,
    )
    await expect
      .poll(
        async () =>
          (await answer.getAttribute('data-digit')) !== null &&
          (await probabilityOf(answer, 2)) < centred,
        {
          timeout: 90_000,
        },
      )
      .toBe(true)
    const plain = await probabilityOf(answer, 2)
    // The steps shown are the plain resize's: no crop, no centring, the 2 small in its corner.
    const card = page.getByTestId('image-result')
    expect(await card.locator('[data-step=resized]').count()).toBe(1)
    expect(await card.locator('[data-step=cropped], [data-step=centered]').count()).toBe(0)
    // Squeezed whole, the small 2 stays in its corner: the MLP is far less sure, or wrong.
    expect(plain).toBeLessThan(centred / 2)
    await scrollToTop(page)
    await screenshot(page, 'walk-tester-plain-pt-BR')
    await setLanguage(page, 'en')
    await page.getByText('Your images').waitFor()
    await scrollToTop(page)
    await screenshot(page, 'walk-tester-plain-en')
    await page.locator('[data-testid=preprocessing] input[value=mnist]').check()
    await expect.poll(() => answer.getAttribute('data-digit'), { timeout: 90_000 }).toBe('2')
    expect(await card.locator('[data-step=cropped]').count()).toBe(1)
    await scrollToTop(page)
    await screenshot(page, 'walk-tester-mnist-en')
    await setLanguage(page, 'pt-BR')
    await scrollToTop(page)
    await screenshot(page, 'walk-tester-mnist-pt-BR')
  })
})

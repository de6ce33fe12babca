import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import type { Browser } from 'playwright-core'
import {
  callCommand,
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
    // Numbers in the fields are written like the hints beside them: with a decimal comma.
    expect(await page.locator('#set-split').inputValue()).toBe('0,2')
    expect(await page.locator('#set-split-hint').textContent()).toContain('0,2')
    expect(await page.locator('#set-lr').inputValue()).toBe('0,001')
    await page.locator('#set-optimizer').selectOption('sgd')
    expect(await page.locator('#set-lr').inputValue()).toBe('0,01')
    expect(await page.locator('#set-lr-hint').textContent()).toContain('0,01')
    await page.locator('#set-optimizer').selectOption('adam')
    expect(await page.locator('#set-lr').inputValue()).toBe('0,001')
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
    // The finished run's record loads after its status arrives (the table is briefly the empty
    // state's one row): wait for the three epochs instead of counting at once.
    await expect.poll(() => page.locator('.history tbody tr[data-epoch]').count()).toBe(3)
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
    await expect.poll(() => page.locator('.history tbody tr[data-epoch]').count()).toBe(3)
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
    // A web page cannot learn where the browser put a download: the note says which folder to
    // look in and how to list the browser's downloads, and opens no folder itself.
    expect(await done.textContent()).toContain('salvo na pasta de downloads do navegador')
    expect(await done.textContent()).toContain('Ctrl+J')
    expect(await done.getAttribute('role')).toBe('status')
    expect(await done.getByTestId('show-in-folder').count()).toBe(0)
    expect(await inViewport(done)).toBe(true)
    await scrollToTop(page)
    await screenshot(page, 'walk-export-note-pt-BR')
    const reveal = await callCommand(served, 'files:reveal', { path: '/etc/passwd' })
    expect(reveal).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(!reveal.ok && reveal.error.message).toContain('Só o aplicativo de desktop')
    await setLanguage(page, 'en')
    await expect.poll(() => done.textContent()).toContain(`Saved ${name}`)
    await screenshot(page, 'walk-export-note-en')
    // Reached and closed from the keyboard.
    await done.getByRole('button', { name: `Close the note about ${name}` }).focus()
    await page.keyboard.press('Enter')
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
    expect(await chip.textContent()).toMatch(/teste \d+,\d\d\s*%/)
    await page.goto(served.url + '#/compare')
    const toggle = page.locator('button.picker-toggle')
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
    const row = page.locator(`label:has(input[data-run-id="${runId}"])`)
    await row.waitFor()
    expect(await row.textContent()).toMatch(/val\. \d+,\d\d\s*%/)
  })

  it('tests an own image: the dropped image’s answer scrolls into view; step 5 links to its X-ray', async () => {
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

    // "O que a rede vê" looks like a link and is one: it opens this image's X-ray. The other
    // steps are plain captions.
    const link = card.locator('[data-step=input] a')
    expect(await link.textContent()).toContain('O que a rede vê')
    expect(await link.getAttribute('href')).toBe(`#/xray?run=${runId}`)
    expect(await card.locator('[data-step=gray] a').count()).toBe(0)
    await link.click()
    await expect.poll(() => page.url()).toContain(`#/xray?run=${runId}`)
    await expect.poll(() => page.locator('#view-title').textContent()).toContain('Raio-X')
    await page.goBack()
    await expect.poll(() => page.url()).toContain('#/test')
    await card.waitFor()
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

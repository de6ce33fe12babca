import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
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

const FIXTURES = join(import.meta.dirname, '../fixtures')
const DIGITS = join(FIXTURES, 'digits')
const HOSTILE = join(FIXTURES, 'hostile')
const digitFiles = readdirSync(DIGITS)
  .filter((name) => /^\d-/.test(name))
  .map((name) => join(DIGITS, name))

/** Each image card's file name and the digit the first (or given) run predicted for it. */
function readPredictions(page: Page, runId: number): Promise<[string, string | undefined][]> {
  return page.$$eval(
    '[data-testid=image-result]',
    (cards, id) =>
      cards.map((card): [string, string | undefined] => {
        const cell = card.querySelector<HTMLElement>(
          `[data-testid=prediction][data-run-id="${id}"]`,
        )
        return [(card as HTMLElement).dataset.name ?? '', cell?.dataset.digit]
      }),
    runId,
  )
}

async function waitForPredictions(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('[data-testid=image-result] [data-testid=prediction][data-digit]')
        .length >= n,
    count,
    { timeout: 90_000 },
  )
}

function drawnDigits(page: Page): Promise<(string | undefined)[]> {
  return page.$$eval('[data-testid=draw-predictions] [data-testid=prediction]', (cells) =>
    cells.map((cell) => (cell as HTMLElement).dataset.digit),
  )
}

/** Drags the mouse through points given in canvas units (0–280), as a student's stroke. */
async function stroke(
  page: Page,
  points: [number, number][],
  opts: { release?: boolean } = {},
): Promise<void> {
  const box = (await page.getByTestId('draw-canvas').boundingBox())!
  const at = ([x, y]: [number, number]): [number, number] => [
    box.x + (x / 280) * box.width,
    box.y + (y / 280) * box.height,
  ]
  await page.mouse.move(...at(points[0]))
  await page.mouse.down()
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]
    const [x1, y1] = points[i]
    for (let s = 1; s <= 8; s++) {
      await page.mouse.move(...at([x0 + ((x1 - x0) * s) / 8, y0 + ((y1 - y0) * s) / 8]))
      await page.waitForTimeout(15)
    }
  }
  if (opts.release !== false) await page.mouse.up()
}

describe('image tester and drawing canvas', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let base: string

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-tester-')
    trainWithCli(dataDir, '--epochs', '1', '--limit', '2000', '--seed', '3', '--name', 'Quick')
    // The tutorial MLP on the full training set: the newest run, chosen by default.
    trainWithCli(dataDir, '--epochs', '3', '--name', 'Tutorial MLP')
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    base = served.url.replace(/#.*$/, '')
  }, 300_000)
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('reads the fixture digits picked with the file input, at least 9 in 10 right', async () => {
    await page.goto(`${base}#/test`)
    await page.getByTestId('drop-zone').waitFor({ timeout: 30_000 })
    expect(await page.locator('input[data-run-id="2"]').isChecked()).toBe(true)
    expect(await page.locator('input[data-run-id="1"]').isChecked()).toBe(false)

    await page.getByTestId('tester-file-input').setInputFiles(digitFiles)
    await waitForPredictions(page, digitFiles.length)
    const predictions = await readPredictions(page, 2)
    expect(predictions).toHaveLength(digitFiles.length)
    const right = predictions.filter(([name, digit]) => name[0] === digit).length
    expect(right / predictions.length).toBeGreaterThanOrEqual(0.9)

    // Every image shows the four preprocessing steps and the network's own 28×28 input.
    const first = page.getByTestId('image-result').first()
    for (const step of ['gray', 'inverted', 'cropped', 'centered', 'input']) {
      expect(await first.locator(`[data-step=${step}] [role=img]`).count()).toBe(1)
    }
    expect(await first.locator('[data-testid=prediction] ol li').count()).toBe(10)
  })

  it('shows the same images on two runs side by side', async () => {
    await page.getByRole('button', { name: 'Remove all images' }).click()
    await page.locator('input[data-run-id="1"]').check()
    const some = ['1-light-on-dark-chalkboard.jpg', '0-dark-on-light-paper.jpg', '8-thin-pen.jpg']
    await page.getByTestId('tester-file-input').setInputFiles(some.map((f) => join(DIGITS, f)))
    await waitForPredictions(page, some.length * 2)
    const columns = await page.$$eval('[data-testid=image-result]', (cards) =>
      cards.map((card) =>
        Array.from(card.querySelectorAll<HTMLElement>('[data-testid=prediction]')).map(
          (cell) => cell.dataset.runId,
        ),
      ),
    )
    expect(columns).toEqual([
      ['2', '1'],
      ['2', '1'],
      ['2', '1'],
    ])
    const tutorial = await readPredictions(page, 2)
    expect(tutorial.map(([, digit]) => digit)).toEqual(['1', '0', '8'])

    await scrollToTop(page)
    await screenshot(page, 'tester-en')
    await setLanguage(page, 'pt-BR')
    await page.getByText('Suas imagens').waitFor()
    await scrollToTop(page)
    await screenshot(page, 'tester-pt-BR')
    await setLanguage(page, 'en')
  })

  it('takes a dropped file without navigating away', async () => {
    const before = page.url()
    const count = await page.getByTestId('image-result').count()
    const prevented = await dropFile(
      page,
      '7-thick-marker.png',
      readFileSync(join(DIGITS, '7-thick-marker.png')),
      'image/png',
    )
    expect(prevented).toBe(true)
    await page.locator('[data-testid=image-result][data-name="7-thick-marker.png"]').waitFor()
    await waitForPredictions(page, (count + 1) * 2)
    expect(page.url()).toBe(before)
    expect(await page.getByTestId('image-result').count()).toBe(count + 1)
    const [, digit] = (await readPredictions(page, 2)).at(-1)!
    expect(digit).toBe('7')
  })

  it('refuses hostile files with a clear reason and adds nothing', async () => {
    const count = await page.getByTestId('image-result').count()
    const svg = readFileSync(join(HOSTILE, 'svg-with-script.png'))
    await dropFile(page, 'svg-with-script.png', svg, 'image/png')
    const refusal = page.locator('[data-testid=refusal][data-name="svg-with-script.png"]')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('This file is an SVG drawing, not a photo')

    await page
      .getByTestId('tester-file-input')
      .setInputFiles(
        ['text-named.png', 'truncated.jpg', 'huge-30000x30000.png', 'empty.png'].map((f) =>
          join(HOSTILE, f),
        ),
      )
    const text = (name: string) =>
      page.locator(`[data-testid=refusal][data-name="${name}"]`).textContent()
    await page.locator('[data-testid=refusal][data-name="empty.png"]').waitFor()
    expect(await text('text-named.png')).toContain('contains text, not a picture')
    expect(await text('truncated.jpg')).toContain('damaged or incomplete')
    expect(await text('huge-30000x30000.png')).toContain('30000×30000 pixels is too large')
    expect(await text('empty.png')).toContain('The file is empty')
    expect(await page.getByTestId('image-result').count()).toBe(count)
  })

  it('predicts a drawn digit while it is drawn and after each stroke', async () => {
    await page.getByRole('button', { name: 'Remove all images' }).click()
    await page.locator('input[data-run-id="1"]').uncheck()
    await page.getByTestId('draw-canvas').scrollIntoViewIfNeeded()
    expect(await drawnDigits(page)).toEqual([])

    // A slanted 1, still held down: the throttled update answers before the pen lifts.
    await stroke(
      page,
      [
        [150, 40],
        [125, 240],
      ],
      { release: false },
    )
    await page.waitForFunction(
      () => document.querySelector('[data-testid=draw-predictions] [data-digit]') !== null,
    )
    await page.mouse.up()
    await expect.poll(() => drawnDigits(page)).toEqual(['1'])

    // A bar across the top turns it into a 7.
    await stroke(page, [
      [60, 45],
      [152, 40],
    ])
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('[data-testid=draw-predictions] [data-digit]')?.dataset
          .digit === '7',
    )
    expect(await drawnDigits(page)).toEqual(['7'])
    mkdirSync(SCREENSHOT_DIR, { recursive: true })
    await page
      .getByTestId('tester-draw')
      .screenshot({ path: join(SCREENSHOT_DIR, 'canvas-en.png') })

    // Ctrl+Z on the canvas takes the bar back off: a 1 again.
    await page.getByTestId('draw-canvas').focus()
    await page.keyboard.press('Control+z')
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('[data-testid=draw-predictions] [data-digit]')?.dataset
          .digit === '1',
    )
    await page.keyboard.press('Delete')
    await page.getByText('Draw a digit in the black square').waitFor()

    await setLanguage(page, 'pt-BR')
    await stroke(page, [
      [60, 45],
      [200, 45],
      [110, 245],
    ])
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('[data-testid=draw-predictions] [data-digit]')?.dataset
          .digit === '7',
    )
    await page
      .getByTestId('tester-draw')
      .screenshot({ path: join(SCREENSHOT_DIR, 'canvas-pt-BR.png') })
  })
})

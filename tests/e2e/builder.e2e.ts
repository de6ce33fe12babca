import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { RunSummary } from '../../src/shared/runs'
import {
  callCommand,
  launchBrowser,
  screenshot,
  setLanguage,
  startServe,
  tempDataDir,
  type Served,
} from './harness'

const rows = (page: Page) => page.locator('ol.layers > li.layer')
const row = (page: Page, n: number) => rows(page).nth(n)
const types = (page: Page) =>
  rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-type')))
const trainButton = (page: Page) => page.locator('button[data-action="train"]')
const code = (page: Page) => page.locator('pre code').textContent()

describe('architecture builder', () => {
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await startServe({ dataDir: tempDataDir() })
    ;({ browser, page } = await launchBrowser())
    page.on('dialog', (dialog) => void dialog.accept())
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('builds the tutorial MLP from the empty builder by clicking', async () => {
    await page.goto(`${served.url}#/builder`)
    await rows(page).first().waitFor({ timeout: 20_000 })
    await page.locator('[data-start="empty"]').click()
    expect(await rows(page).count()).toBe(0)
    await expect.poll(() => page.locator('.empty').textContent()).toContain('No layers yet')
    expect(await trainButton(page).isDisabled()).toBe(true)
    expect(await page.locator('#train-reason').textContent()).toContain('Add layers')

    await page.locator('[data-add="flatten"]').click()
    await page.locator('[data-add="dense"]').click()
    await page.locator('[data-add="dense"]').click()
    expect(await types(page)).toEqual(['flatten', 'dense', 'dense'])

    await row(page, 1).getByLabel('Units').fill('128')
    await row(page, 1).getByLabel('Activation').selectOption('relu')
    await row(page, 2).getByLabel('Units').fill('10')
    await row(page, 2).getByLabel('Activation').selectOption('softmax')

    await expect.poll(() => page.getByTestId('total-params').textContent()).toBe('101,770')
    expect(await page.locator('.summary tbody tr').allTextContents()).toEqual([
      'flatten (Flatten)(None, 784)0',
      'dense (Dense)(None, 128)100,480',
      'dense_1 (Dense)(None, 10)1,290',
    ])
    await expect.poll(() => code(page)).toContain("tf.keras.layers.Dense(128, activation='relu')")
    expect(await code(page)).toContain("tf.keras.layers.Dense(10, activation='softmax')")
    expect(await page.locator('.issues').textContent()).toContain('valid and ready to train')
    expect(await trainButton(page).isDisabled()).toBe(false)
  })

  it('rejects units 0 inline and disables Train until it is fixed', async () => {
    const units = row(page, 1).getByLabel('Units')
    await units.fill('0')
    await expect.poll(() => units.getAttribute('aria-invalid')).toBe('true')
    const messageId = (await units.getAttribute('aria-describedby')) ?? ''
    expect(await page.locator(`#${messageId}`).textContent()).toBe(
      'Layer 2 (Dense): units must be an integer between 1 and 4096 (current value: 0).',
    )
    expect(await trainButton(page).isDisabled()).toBe(true)
    expect(await page.locator('#train-reason').textContent()).toContain('Fix the 1 problem')
    // The code panel keeps the last valid version, marked as such.
    expect(await code(page)).toContain('Dense(128')
    expect(await page.locator('pre.stale').count()).toBe(1)

    await units.fill('128')
    await expect.poll(() => units.getAttribute('aria-invalid')).toBe('false')
    expect(await trainButton(page).isDisabled()).toBe(false)
  })

  it('reorders layers with the keyboard and announces the move', async () => {
    await row(page, 0).focus()
    await page.keyboard.press('Alt+ArrowDown')
    expect(await types(page)).toEqual(['dense', 'flatten', 'dense'])
    const announced = page.locator('.builder > p.sr-only[aria-live]')
    await expect.poll(() => announced.textContent()).toBe('Flatten moved to position 2 of 3.')
    // Focus follows the moved layer, so the next key press moves it again.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-type'))).toBe(
      'flatten',
    )
    // Dense on a 28×28×1 image is explained at the layer that receives it.
    expect(await row(page, 0).locator('p.message').textContent()).toContain('Add a Flatten layer')
    expect(await trainButton(page).isDisabled()).toBe(true)

    await page.keyboard.press('Alt+ArrowUp')
    expect(await types(page)).toEqual(['flatten', 'dense', 'dense'])
    await expect.poll(() => page.getByTestId('total-params').textContent()).toBe('101,770')

    // Drag the output layer by its handle above Flatten, then walk it back with the keyboard.
    // The list is scrolled to the middle first, as a user would: with the full palette above it
    // the last row starts under the sticky Train bar, which would take the press.
    await row(page, 1).evaluate((el) => el.scrollIntoView({ block: 'center' }))
    const handle = await row(page, 2).locator('.handle').boundingBox()
    const top = await row(page, 0).boundingBox()
    if (!handle || !top) throw new Error('layer rows are not visible')
    await page.mouse.move(handle.x + 5, handle.y + 5)
    await page.mouse.down()
    await page.mouse.move(handle.x + 5, handle.y - 20, { steps: 5 })
    await page.mouse.move(top.x + 50, top.y + 5, { steps: 10 })
    await page.mouse.up()
    await expect.poll(() => types(page)).toEqual(['dense', 'flatten', 'dense'])
    expect(await row(page, 0).getByLabel('Units').inputValue()).toBe('10')
    await page.keyboard.press('Alt+ArrowDown')
    await page.keyboard.press('Alt+ArrowDown')
    expect(await row(page, 2).getByLabel('Units').inputValue()).toBe('10')

    // Duplicate and Delete from the keyboard, then back to the tutorial network.
    await row(page, 1).getByRole('button', { name: 'Duplicate' }).click()
    expect(await types(page)).toEqual(['flatten', 'dense', 'dense', 'dense'])
    await row(page, 2).focus()
    await page.keyboard.press('Delete')
    expect(await types(page)).toEqual(['flatten', 'dense', 'dense'])
    await expect.poll(() => page.getByTestId('total-params').textContent()).toBe('101,770')
  })

  it('keeps the model across a reload and shows it in both languages', async () => {
    await page.reload()
    await rows(page).first().waitFor()
    expect(await types(page)).toEqual(['flatten', 'dense', 'dense'])
    expect(await row(page, 2).getByLabel('Units').inputValue()).toBe('10')
    // The backend times a few real steps of this model before Train is pressed.
    await expect
      .poll(() => page.getByTestId('estimate').textContent(), { timeout: 30_000 })
      .toMatch(/≈ [\d.]+ s per epoch · ≈ .+ in total\s+rough estimate.*·\s+on WebAssembly/)
    await screenshot(page, 'builder-en')

    await setLanguage(page, 'pt-BR')
    await expect.poll(() => page.getByTestId('total-params').textContent()).toBe('101.770')
    expect(await row(page, 1).getByLabel('Unidades').inputValue()).toBe('128')
    await expect
      .poll(() => page.getByTestId('estimate').textContent())
      .toMatch(/≈ [\d,]+ s por época · ≈ .+ no total\s+estimativa inicial/)
    await screenshot(page, 'builder-pt-BR')
    await setLanguage(page, 'en')
  })

  it('starts a short run with Train and goes to the live view', async () => {
    await page.locator('#set-epochs').fill('1')
    await page.locator('#set-limit-on').selectOption('on')
    await page.locator('#set-limit').fill('2000')
    await page.locator('#run-name').fill('Builder MLP')
    await expect.poll(() => trainButton(page).isDisabled()).toBe(false)
    await trainButton(page).click()
    await expect
      .poll(() => page.evaluate(() => location.hash), { timeout: 20_000 })
      .toBe('#/training')
    // Let the run finish so the server shuts down idle.
    await expect
      .poll(
        async () => {
          const list = await callCommand<RunSummary[]>(served, 'runs:list', {})
          return list.ok ? list.value.map((r) => `${r.name}:${r.status}`) : []
        },
        { timeout: 120_000, interval: 1000 },
      )
      .toEqual(['Builder MLP:completed'])
  })
})

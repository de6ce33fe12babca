import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { RunSummary } from '../../src/shared/runs'
import { callCommand, launchBrowser, startServe, tempDataDir, type Served } from './harness'

const layerRows = (page: Page) => page.locator('ol.layers > li.layer')
const trainButton = (page: Page) => page.locator('button[data-action="train"]')
const runRow = (page: Page, name: string) =>
  page.locator('tbody tr[data-run-id]', {
    has: page.locator('[data-testid=run-name]', { hasText: name }),
  })

/** Short settings for a classroom-sized try: a few epochs on the first images. */
async function quickSettings(page: Page, epochs: number, images: number, name: string) {
  await page.locator('#set-epochs').fill(String(epochs))
  await page.locator('#set-limit-on').selectOption('on')
  await page.locator('#set-limit').fill(String(images))
  await page.locator('#run-name').fill(name)
}

async function waitForOutcome(page: Page) {
  await expect
    .poll(() => page.locator('.outcome .message').textContent(), { timeout: 120_000 })
    .toBeTruthy()
}

describe('the whole workbench, as a new user meets it', () => {
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

  it('rebuilds the tutorial MLP from the empty builder and trains it live', async () => {
    await page.goto(`${served.url}#/builder`)
    await page.locator('[data-start="empty"]').click()
    await page.locator('[data-add="flatten"]').click()
    await page.locator('[data-add="dense"]').click()
    await page.locator('[data-add="dense"]').click()
    await layerRows(page).nth(1).getByLabel('Units').fill('128')
    await layerRows(page).nth(1).getByLabel('Activation').selectOption('relu')
    await layerRows(page).nth(2).getByLabel('Units').fill('10')
    await layerRows(page).nth(2).getByLabel('Activation').selectOption('softmax')
    await expect.poll(() => page.getByTestId('total-params').textContent()).toBe('101,770')
    await quickSettings(page, 2, 3000, 'Tutorial MLP')
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true)
    await trainButton(page).click()

    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/training')
    // A short run may finish before the page draws its first batch; the live updates themselves
    // are measured in training.e2e.ts.
    await waitForOutcome(page)
    expect(await page.locator('figure[data-metric=loss] canvas').count()).toBeGreaterThan(0)
    expect(await page.locator('figure[data-metric=accuracy] canvas').count()).toBeGreaterThan(0)
    expect(await page.locator('section.history tbody tr[data-epoch]').count()).toBe(2)
    expect(await page.getByTestId('test-print').textContent()).toMatch(
      /Test accuracy: 0\.\d{3}, Test loss: \d\.\d{3}/,
    )
  })

  it('finds the run in the history after a reload', async () => {
    await page.reload()
    await page.goto(`${served.url}#/runs`)
    await expect.poll(() => runRow(page, 'Tutorial MLP').count(), { timeout: 20_000 }).toBe(1)
    expect(await runRow(page, 'Tutorial MLP').locator('.pill').textContent()).toContain('Completed')
  })

  it('trains a CNN next, compares the two and deletes one', async () => {
    await page.goto(`${served.url}#/builder`)
    await page.locator('[data-start="lenet-cnn"]').click()
    await quickSettings(page, 1, 2000, 'LeNet CNN')
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true)
    await trainButton(page).click()
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/training')
    await waitForOutcome(page)

    await page.goto(`${served.url}#/runs`)
    await expect.poll(() => runRow(page, 'LeNet CNN').count(), { timeout: 20_000 }).toBe(1)
    await runRow(page, 'Tutorial MLP').getByTestId('select').check()
    await runRow(page, 'LeNet CNN').getByTestId('select').check()
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    await expect
      .poll(() => page.evaluate(() => location.hash))
      .toMatch(/^#\/compare\?ids=\d+(%2C|,)\d+$/)
    await expect.poll(() => page.locator('canvas').count(), { timeout: 20_000 }).toBeGreaterThan(1)
    expect(await page.locator('main').textContent()).toContain('LeNet CNN')

    await page.goto(`${served.url}#/runs`)
    await runRow(page, 'LeNet CNN').getByTestId('delete').click()
    await page
      .getByTestId('delete-dialog')
      .getByRole('button', { name: 'Delete permanently' })
      .click()
    await expect.poll(() => runRow(page, 'LeNet CNN').count()).toBe(0)
    const listed = await callCommand<RunSummary[]>(served, 'runs:list', {})
    expect(listed.ok && listed.value.map((r) => r.name)).toEqual(['Tutorial MLP'])
  })
})

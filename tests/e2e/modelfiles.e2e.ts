import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
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

const MLP_H5 = join(import.meta.dirname, '../fixtures/keras/mnist_mlp_keras3.h5')
const row = (page: Page, name: string) =>
  page.locator('tbody tr[data-run-id]', {
    has: page.locator('[data-testid=run-name]', { hasText: name }),
  })

describe('model files in the Runs view', () => {
  const dataDir = tempDataDir('sinapse-e2e-modelfiles-')
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser({ locale: 'en-US' }))
    await page.goto(`${served.url}#/runs`)
    await setLanguage(page, 'en')
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('imports a Keras .h5 through the Import button and lists the imported run', async () => {
    await page.getByTestId('import-model-input').setInputFiles(MLP_H5)
    // From the empty state the list replaces the button once the run exists: the row is the proof.
    await expect.poll(() => row(page, 'mnist_mlp_keras3').count(), { timeout: 30_000 }).toBe(1)
    await screenshot(page, 'import-en')
  }, 60_000)

  it('exports the run as .h5 and .zip through its details', async () => {
    await row(page, 'mnist_mlp_keras3').focus()
    await page.keyboard.press('Enter')
    const h5Button = page.getByTestId('export-h5')
    await h5Button.waitFor({ timeout: 10_000 })
    const [h5] = await Promise.all([page.waitForEvent('download'), h5Button.click()])
    expect(h5.suggestedFilename()).toBe('mnist_mlp_keras3.h5')
    const h5Bytes = readFileSync((await h5.path())!)
    expect([...h5Bytes.subarray(0, 8)]).toEqual([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-tfjs').click(),
    ])
    expect(zip.suggestedFilename()).toBe('mnist_mlp_keras3.zip')
    const zipBytes = readFileSync((await zip.path())!)
    expect([...zipBytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04])
    await setLanguage(page, 'pt-BR')
    await screenshot(page, 'import-pt-BR')
  }, 60_000)
})

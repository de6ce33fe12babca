import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  launchBrowser,
  screenshot,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

/** True when the page scrolls sideways (it must not, down to 683 px). */
function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  )
}

describe('X-ray of a run', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let base: string

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-xray-')
    trainWithCli(
      dataDir,
      '--preset',
      'lenet-cnn',
      '--epochs',
      '1',
      '--limit',
      '1500',
      '--name',
      'LeNet',
    )
    trainWithCli(dataDir, '--epochs', '1', '--limit', '3000', '--name', 'Tutorial MLP')
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    base = served.url.replace(/#.*$/, '')
  }, 400_000)
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it("shows the LeNet preset's feature maps, filters and unit health (English)", async () => {
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${base}#/xray?run=1&test=0`)
    await page.getByTestId('feature-maps').first().waitFor({ timeout: 90_000 })
    const layers = page.getByTestId('xray-layer')
    const first = layers.first()
    expect(await first.getAttribute('data-class')).toBe('Conv2D')
    const heading = (await first.locator('h4').textContent()) ?? ''
    const channels = Number(/×(\d+)\s/.exec(heading)?.[1])
    expect(channels).toBeGreaterThan(1)
    expect(await first.getByRole('img').count()).toBe(channels)
    expect(await page.locator('[data-class=MaxPooling2D] [data-testid=feature-maps]').count()).toBe(
      2,
    )
    await expect
      .poll(() => page.getByTestId('xray-answer').textContent())
      .toMatch(/^It answers \d \(/)
    await page.getByTestId('xray-filters').waitFor({ timeout: 60_000 })
    await page.getByTestId('xray-health').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('xray-health').locator('tbody tr').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('xray-templates').textContent()).toContain(
      'no Dense layer reading',
    )
    await screenshot(page, 'xray-lenet-en-1366')

    await page.setViewportSize({ width: 683, height: 768 })
    expect(await scrollsSideways(page)).toBe(false)
    await screenshot(page, 'xray-lenet-en-683')
  }, 180_000)

  it("shows the tutorial MLP's 28×28 templates and a neuron's favourite test images (Portuguese)", async () => {
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${base}#/xray?run=2&test=3`)
    await setLanguage(page, 'pt-BR')
    await page.getByTestId('template-tile').first().waitFor({ timeout: 90_000 })
    expect(await page.getByTestId('template-tile').count()).toBe(128)
    expect(await page.getByTestId('xray-templates').textContent()).toContain(
      'O que cada neurônio da primeira camada Dense procura',
    )
    await page.getByTestId('template-tile').nth(4).click()
    const examples = page.getByTestId('unit-examples')
    await examples.getByRole('button').nth(12).waitFor({ timeout: 60_000 })
    expect(await examples.textContent()).toContain('Imagens de teste que mais ativam o neurônio 5')
    expect(await page.getByTestId('xray-health').textContent()).toMatch(/nunca disparam/)
    await screenshot(page, 'xray-mlp-pt-1366')

    // A test number that is not one: a clear message, the button waits.
    const index = page.getByTestId('xray-test-index')
    await index.fill('doze')
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('Digite um número inteiro de 0 a 9999.')
    expect(await page.getByRole('button', { name: 'Examinar' }).isDisabled()).toBe(true)
    await index.fill('12')
    await index.press('Enter')
    await expect
      .poll(() => page.getByTestId('xray-prediction').textContent())
      .toContain('Imagem de teste 12')

    await page.setViewportSize({ width: 683, height: 768 })
    expect(await scrollsSideways(page)).toBe(false)
    await screenshot(page, 'xray-mlp-pt-683')
    await setLanguage(page, 'en')
  }, 180_000)

  it('X-rays an image dropped in the tester, from its own button', async () => {
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${base}#/test`)
    const name = '7-thick-marker.png'
    await page
      .getByTestId('tester-file-input')
      .setInputFiles(join(import.meta.dirname, '../fixtures/digits', name))
    const card = page.locator(`[data-testid=image-result][data-name="${name}"]`)
    const button = card.getByTestId('image-xray')
    await button.waitFor({ timeout: 60_000 })
    const runId = (await button.getAttribute('title'))?.match(/\d+$/)?.[0]
    expect(runId).toBeDefined()
    await button.click()
    await page.waitForFunction(() => location.hash.startsWith('#/xray?run='))
    expect(new URL(page.url()).hash).toBe(`#/xray?run=${runId}`)
    // The dropped file's pixels went through the X-ray: its name is the caption, layers appear.
    await expect
      .poll(() => page.getByTestId('xray-prediction').textContent(), { timeout: 60_000 })
      .toContain(name)
    await expect.poll(() => page.getByTestId('xray-layer').count()).toBeGreaterThan(0)
    await page.setViewportSize({ width: 683, height: 768 })
    expect(await scrollsSideways(page)).toBe(false)
    await page.setViewportSize({ width: 1366, height: 768 })
    await screenshot(page, 'xray-dropped-file-en-1366')
  }, 180_000)
})

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

const rows = (page: Page) => page.locator('ol.layers > li.layer')
const types = (page: Page) =>
  rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-type')))

describe('builder palette: the Keras layer kinds', () => {
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

  it('explains each kind and builds a Keras 2 style CNN ending in Activation(softmax)', async () => {
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${served.url}#/builder`)
    await rows(page).first().waitFor({ timeout: 20_000 })
    await setLanguage(page, 'en')
    await page.locator('[data-start="empty"]').click()

    await page.locator('[data-add="globalAveragePooling2d"]').hover()
    await expect
      .poll(() => page.getByTestId('palette-info').textContent())
      .toContain('GlobalAveragePooling2D: Averages each channel over the whole image')
    expect(await page.locator('[data-add="leakyRelu"]').getAttribute('title')).toContain(
      'negative values are multiplied by a small slope',
    )

    for (const type of [
      'rescaling',
      'zeroPadding2d',
      'conv2d',
      'activation',
      'spatialDropout2d',
      'globalMaxPooling2d',
      'dense',
      'softmax',
    ]) {
      await page.locator(`[data-add="${type}"]`).click()
    }
    expect(await types(page)).toEqual([
      'rescaling',
      'zeroPadding2d',
      'conv2d',
      'activation',
      'spatialDropout2d',
      'globalMaxPooling2d',
      'dense',
      'softmax',
    ])
    // Dense 128 → 10 units without activation: the Softmax after it is the output layer.
    await rows(page).nth(6).getByLabel('Units').fill('10')
    await rows(page).nth(6).getByLabel('Activation').selectOption('linear')
    await expect.poll(() => page.locator('button[data-action="train"]').isDisabled()).toBe(false)
    // A new layer goes before Dense(10) + Softmax.
    await page.locator('[data-add="relu"]').click()
    expect((await types(page)).slice(5)).toEqual(['globalMaxPooling2d', 'relu', 'dense', 'softmax'])
    await expect
      .poll(() => page.locator('pre code').first().textContent())
      .toContain('tf.keras.layers.ZeroPadding2D(padding=1)')
    await screenshot(page, 'layer-kinds-1366')

    await page.setViewportSize({ width: 683, height: 768 })
    await page.locator('[data-add="softmax"]').hover()
    await screenshot(page, 'layer-kinds-683')
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)

    await setLanguage(page, 'pt-BR')
    await page.locator('[data-add="zeroPadding2d"]').hover()
    await expect
      .poll(() => page.getByTestId('palette-info').textContent())
      .toContain('Adiciona linhas e colunas de zeros')
    await screenshot(page, 'layer-kinds-683-pt')
  }, 120_000)
})

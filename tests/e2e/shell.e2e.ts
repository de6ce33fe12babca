import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, startServe, tempDataDir, type Served } from './harness'

describe('app shell in the browser', () => {
  let served: Served
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    served = await startServe({ dataDir: tempDataDir() })
    ;({ browser, page } = await launchBrowser())
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('connects with the token, shows the backend and switches views and language', async () => {
    await page.goto(served.url)
    await expect
      .poll(() => page.locator('.badge').textContent(), { timeout: 20_000 })
      .toBe('WebAssembly')
    await page.keyboard.press('Alt+3')
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/runs')
    await page.getByRole('button', { name: 'Português' }).click()
    await expect.poll(() => page.getByRole('navigation').textContent()).toContain('Treinos')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt-BR')
  })

  it('cannot reach the commands without the token', async () => {
    const other = await browser.newPage()
    await other.goto(served.url.replace(/\?token=.*/, ''))
    await expect
      .poll(() => other.getByRole('alert').textContent(), { timeout: 20_000 })
      .toMatch(/not reachable|não está acessível/)
    await other.close()
  })
})

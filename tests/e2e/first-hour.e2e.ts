import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import {
  callCommand,
  launchBrowser,
  screenshot,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

/**
 * The tutorial's 30-epoch run as the student saw it: val_loss lowest (0.086) at epoch 7, then
 * creeping up to 0.144 with dips, while loss keeps falling.
 */
function tutorialHistory() {
  return Array.from({ length: 30 }, (_, i) => {
    const epoch = i + 1
    const loss = 0.26 * Math.pow(0.86, i)
    const valLoss =
      epoch === 30
        ? 0.144
        : epoch <= 7
          ? 0.086 + (7 - epoch) * 0.01
          : 0.086 + ((epoch - 7) / 23) * 0.058 + (epoch % 2 === 0 ? 0.006 : 0)
    return {
      epoch,
      loss,
      accuracy: 1 - loss / 3,
      valLoss,
      valAccuracy: 0.96 + Math.min(epoch, 25) * 0.0008,
      durationMs: 2100,
    }
  })
}

/** Gives a real (short) run the tutorial's 30-epoch history, straight in its database. */
function seedTutorialHistory(dataDir: string, runId: number): void {
  const db = new Database(join(dataDir, 'sinapse.db'))
  try {
    db.transaction(() => {
      db.prepare('DELETE FROM epochs WHERE run_id = ?').run(runId)
      const insert = db.prepare(
        'INSERT INTO epochs (run_id, epoch, loss, accuracy, val_loss, val_accuracy, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      for (const m of tutorialHistory()) {
        insert.run(runId, m.epoch, m.loss, m.accuracy, m.valLoss, m.valAccuracy, m.durationMs)
      }
      const row = db.prepare('SELECT config_json FROM runs WHERE id = ?').get(runId) as {
        config_json: string
      }
      const config = { ...JSON.parse(row.config_json), epochs: 30 }
      db.prepare('UPDATE runs SET config_json = ? WHERE id = ?').run(JSON.stringify(config), runId)
    })()
  } finally {
    db.close()
  }
}

describe('a student’s first hour', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let runId: number
  let otherId: number
  let dataDir: string

  beforeAll(async () => {
    dataDir = tempDataDir()
    otherId = trainWithCli(dataDir, '--epochs', '1', '--limit', '600', '--name', 'Other').runId
    runId = trainWithCli(dataDir, '--epochs', '1', '--limit', '600', '--name', 'Tutorial MLP').runId
    seedTutorialHistory(dataDir, runId)
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    await page.setViewportSize({ width: 1366, height: 768 })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('judges the finished tutorial run overfitting, from its best val_loss epoch', async () => {
    await page.goto(served.url + '#/training')
    const hint = page.getByTestId('overfit')
    await hint.waitFor()
    expect(await hint.getAttribute('data-verdict')).toBe('overfitting')
    const text = (await hint.textContent()) ?? ''
    expect(text).toContain('epoch 7')
    expect(text).toContain('0.086')
    expect(text).toContain('0.144')
    // The chart opens per epoch, its axis fitted to the epochs after the first.
    const perEpoch = page.locator('[data-metric=loss] button[data-view=epochs]')
    expect(await perEpoch.getAttribute('aria-pressed')).toBe('true')
    await page.waitForTimeout(300)
    await screenshot(page, 'first-hour-overfit-en')
    await setLanguage(page, 'pt-BR')
    await expect.poll(() => hint.textContent()).toContain('época 7')
    expect(await hint.textContent()).toContain('0,086')
    await page.waitForTimeout(300)
    await screenshot(page, 'first-hour-overfit-pt-BR')
    await setLanguage(page, 'en')
  })

  it('opens any run on its own page from Runs, and from there in the builder', async () => {
    await page.goto(served.url + '#/runs')
    await page.locator(`tr[data-run-id="${runId}"] [aria-expanded]`).click()
    // The run's details judge it too, from its whole history.
    const details = page.locator('.details', { has: page.getByTestId('open-run-page') })
    await expect
      .poll(() => details.getByTestId('overfit').getAttribute('data-verdict'))
      .toBe('overfitting')
    expect(await details.getByTestId('overfit').textContent()).toContain('epoch 7')
    await page.getByTestId('open-run-page').first().click()
    await expect.poll(() => page.url()).toContain(`#/run?id=${runId}`)
    await page.locator('[data-metric=accuracy]').waitFor()
    expect(await page.locator('#view-title').textContent()).toContain('Tutorial MLP')
    expect(await page.getByTestId('overfit').getAttribute('data-verdict')).toBe('overfitting')
    // History table with every epoch and its CSV.
    expect(await page.locator('.history tbody tr').count()).toBe(30)
    // The table marks the epoch the judgement names (lowest val_loss) as well as the highest
    // val_accuracy, each saying which it is.
    const lowest = page.locator('.history [data-mark=val-loss]')
    expect(await lowest.count()).toBe(1)
    expect(await page.locator('.history tr[data-epoch="7"] [data-mark=val-loss]').count()).toBe(1)
    expect(await lowest.textContent()).toContain('lowest val_loss')
    expect(await page.locator('.history [data-mark=val-accuracy]').textContent()).toContain(
      'highest val_accuracy',
    )
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('tutorial-mlp-history.csv')
    // Every export is confirmed in the page, not only the model files.
    await expect
      .poll(() => page.getByTestId('export-done').textContent())
      .toContain('Saved tutorial-mlp-history.csv')
    await screenshot(page, 'first-hour-run-page-en')
    await setLanguage(page, 'pt-BR')
    await expect
      .poll(() => page.getByTestId('open-in-builder').textContent())
      .toContain('construtor')
    await page.waitForTimeout(300)
    await screenshot(page, 'first-hour-run-page-pt-BR')
    await setLanguage(page, 'en')

    await page.getByTestId('open-in-builder').click()
    await expect.poll(() => page.url()).toContain('#/builder')
    expect(await page.locator('#set-limit').inputValue()).toBe('600')
    expect(await page.locator('#set-epochs').inputValue()).toBe('30')
  })

  it('scores an imported model at once and says where it came from', async () => {
    const exported = await callCommand<{ fileName: string; bytes: Uint8Array }>(
      served,
      'models:export',
      { id: otherId, format: 'h5' },
    )
    if (!exported.ok) throw new Error(exported.error.message)
    await page.goto(served.url + '#/runs')
    await page.getByTestId('import-model-input').setInputFiles({
      name: 'from-colab.h5',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(exported.value.bytes),
    })
    const imported = page.locator('tbody tr[data-run-id]', { hasText: 'from-colab' })
    await expect
      .poll(() => imported.getByTestId('test-accuracy').textContent(), { timeout: 120_000 })
      .toMatch(/\d/)
    await imported.locator('[aria-expanded]').click()
    await expect
      .poll(() => page.locator('textarea').first().inputValue())
      .toContain('Imported from from-colab.h5')
  })

  it('says a model without a test score is not evaluated yet, and evaluates it on request', async () => {
    // A run whose test score is missing (an import whose scoring failed, say).
    const db = new Database(join(dataDir, 'sinapse.db'))
    db.prepare('DELETE FROM evaluations WHERE run_id = ?').run(otherId)
    db.close()
    await page.goto(served.url + '#/runs')
    await page.reload()
    const row = page.locator(`tr[data-run-id="${otherId}"]`)
    await expect.poll(() => row.getByTestId('test-accuracy').textContent()).not.toMatch(/\d/)
    await row.locator('[aria-expanded]').click()
    const note = page.getByTestId('not-evaluated')
    expect(await note.textContent()).toContain('Not evaluated on the test set yet')
    await note.getByTestId('evaluate-now').click()
    await expect
      .poll(() => row.getByTestId('test-accuracy').textContent(), { timeout: 120_000 })
      .toMatch(/\d/)
  })

  it('reaches the run page from Evaluate and Compare', async () => {
    await page.goto(served.url + `#/evaluate?id=${runId}`)
    await page.locator(`[data-testid=run-page-link][href="#/run?id=${runId}"]`).click()
    await expect.poll(() => page.url()).toContain(`#/run?id=${runId}`)
    await page.goto(served.url + `#/compare?ids=${otherId},${runId}`)
    await page.locator(`[data-testid=run-page-link][href="#/run?id=${runId}"]`).click()
    await expect.poll(() => page.url()).toContain(`#/run?id=${runId}`)
  })

  it('fits the Progress page and the run page in 683 px (a projector at 150%) without sideways scroll', async () => {
    await page.setViewportSize({ width: 683, height: 768 })
    for (const [hash, name] of [
      ['#/training', 'first-hour-progress-683-en'],
      [`#/run?id=${runId}`, 'first-hour-run-page-683-en'],
    ]) {
      await page.goto(served.url + hash)
      await page.locator('.history tbody tr').first().waitFor()
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow, `${hash} scrolls sideways at 683 px`).toBeLessThanOrEqual(0)
      await screenshot(page, name)
    }
    await page.setViewportSize({ width: 1366, height: 768 })
  })

  it('walks the tutorial at 1366×768: Train is in sight without scrolling', async () => {
    await page.goto(served.url + '#/builder')
    await page.locator('[data-start=tutorial-mlp]').click()
    const train = page.locator('button[data-action=train]')
    await train.waitFor()
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    const box = await train.boundingBox()
    expect(box).not.toBeNull()
    expect(box!.y + box!.height).toBeLessThanOrEqual(768)
    // SGD starts from Keras's 0.01, and the form says why.
    await page.locator('#set-optimizer').selectOption('sgd')
    expect(await page.locator('#set-lr').inputValue()).toBe('0.01')
    expect(await page.locator('#set-lr-hint').textContent()).toContain('SGD')
    await page.locator('#set-optimizer').selectOption('adam')
    expect(await page.locator('#set-lr').inputValue()).toBe('0.001')
    await screenshot(page, 'first-hour-builder-1366-en')
    await page.locator('#set-epochs').fill('1')
    await page.locator('#set-limit-on').selectOption('on')
    await page.locator('#set-limit').fill('600')
    await expect.poll(() => train.isEnabled(), { timeout: 60_000 }).toBe(true)
    await train.click()
    await expect.poll(() => page.url()).toContain('#/training')
    await expect
      .poll(() => page.locator('.outcome').getAttribute('data-status'), { timeout: 120_000 })
      .toBe('completed')
  })
})

import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { getPreset } from '../../src/shared/presets'
import type { RunDetail, RunSummary } from '../../src/shared/runs'
import {
  callCommand,
  launchBrowser,
  screenshot,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  waitUntil,
  type Served,
} from './harness'

const BIN = join(import.meta.dirname, '../../bin/sinapse.js')

function listRuns(dataDir: string): RunSummary[] {
  const out = spawnSync(process.execPath, [BIN, 'runs', '--json', '--data-dir', dataDir], {
    encoding: 'utf8',
  })
  return JSON.parse(out.stdout) as RunSummary[]
}

/**
 * A CLI training interrupted with Ctrl+C after its first epoch: a real `stopped` run, so the
 * status filter has two statuses to tell apart.
 */
async function trainAndStop(dataDir: string, name: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'train',
      '--json',
      '--epochs',
      '200',
      '--limit',
      '1500',
      '--name',
      name,
      '--data-dir',
      dataDir,
    ],
    { stdio: 'ignore' },
  )
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await waitUntil(
    () => listRuns(dataDir).find((r) => r.name === name)?.epochs ?? 0,
    (epochs) => epochs >= 1,
    `a finished epoch of ${name}`,
  )
  child.kill('SIGINT')
  const code = await exited
  if (code !== 130) throw new Error(`the stopped training exited with ${code}, not 130`)
}

const names = (page: Page) => page.locator('tbody tr[data-run-id] [data-testid=run-name]')
const row = (page: Page, name: string) =>
  page.locator('tbody tr[data-run-id]', {
    has: page.locator('[data-testid=run-name]', { hasText: name }),
  })
const percent = (value: number) => `${(value * 100).toFixed(2)}%`

describe('runs view', () => {
  let dataDir: string
  let served: Served
  let browser: Browser
  let page: Page
  let cliRuns: RunSummary[]

  beforeAll(async () => {
    dataDir = tempDataDir('sinapse-e2e-runs-')
    const common = ['--epochs', '1', '--limit', '1500']
    trainWithCli(dataDir, ...common, '--name', 'MLP tutorial')
    trainWithCli(dataDir, ...common, '--preset', 'lenet-cnn', '--name', 'LeNet CNN')
    trainWithCli(dataDir, ...common, '--learning-rate', '0.01', '--name', 'MLP lr alta')
    await trainAndStop(dataDir, 'MLP parado')
    cliRuns = listRuns(dataDir)
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser({ locale: 'en-US' }))
    await page.goto(`${served.url}#/runs`)
    await setLanguage(page, 'en')
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('lists every CLI run with its status, architecture and accuracies', async () => {
    expect(cliRuns.map((r) => r.status).sort()).toEqual([
      'completed',
      'completed',
      'completed',
      'stopped',
    ])
    await expect.poll(() => names(page).count(), { timeout: 20_000 }).toBe(4)
    expect((await names(page).allTextContents()).sort()).toEqual(
      ['LeNet CNN', 'MLP lr alta', 'MLP parado', 'MLP tutorial'].sort(),
    )
    const lenet = row(page, 'LeNet CNN')
    await expect
      .poll(() => lenet.locator('td.architecture').getAttribute('title'))
      .toBe(
        'Conv2D 6 5×5 → MaxPool 2×2 → Conv2D 16 5×5 → MaxPool 2×2 → Flatten → Dense 120 → Dense 84 → Dense 10',
      )
    await expect
      .poll(() => row(page, 'MLP tutorial').locator('td.architecture').textContent())
      .toContain('Flatten → Dense 128 → Dense 10')
    for (const run of cliRuns.filter((r) => r.testAccuracy !== null)) {
      expect(await row(page, run.name).getByTestId('test-accuracy').textContent()).toBe(
        percent(run.testAccuracy as number),
      )
    }
    expect(await lenet.locator('td.num').first().textContent()).toBe('61,706')
    expect(await row(page, 'MLP parado').locator('.pill').textContent()).toContain('Stopped')
    expect(await page.getByTestId('runs-count').textContent()).toBe('4 runs')
  })

  it('sorts by test accuracy both ways, missing values last', async () => {
    const header = page.locator('th', { has: page.locator('[data-sort=testAccuracy]') })
    const byAccuracy = [...cliRuns].sort(
      (a, b) => (b.testAccuracy ?? -1) - (a.testAccuracy ?? -1) || b.id - a.id,
    )
    await page.locator('[data-sort=testAccuracy]').click()
    expect(await header.getAttribute('aria-sort')).toBe('descending')
    expect(await names(page).allTextContents()).toEqual(byAccuracy.map((r) => r.name))

    await page.locator('[data-sort=testAccuracy]').click()
    expect(await header.getAttribute('aria-sort')).toBe('ascending')
    const withScore = byAccuracy.filter((r) => r.testAccuracy !== null).reverse()
    const withoutScore = byAccuracy.filter((r) => r.testAccuracy === null)
    expect(await names(page).allTextContents()).toEqual(
      [...withScore, ...withoutScore].map((r) => r.name),
    )
  })

  it('filters by status and searches by name', async () => {
    await page.locator('.chip[data-status=stopped]').click()
    expect(await names(page).allTextContents()).toEqual(['MLP parado'])
    expect(await page.getByTestId('runs-count').textContent()).toBe('1 of 4 runs')
    await page.locator('.chip[data-status=completed]').click()
    expect(await names(page).count()).toBe(4)
    await page.getByRole('button', { name: 'All', exact: true }).click()

    await page.getByTestId('runs-search').fill('lenet')
    expect(await names(page).allTextContents()).toEqual(['LeNet CNN'])
    await page.getByTestId('runs-search').fill('nothing like this')
    await expect.poll(() => page.getByTestId('runs-no-match').isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Clear filters' }).click()
    expect(await names(page).count()).toBe(4)
    expect(await page.getByTestId('runs-search').inputValue()).toBe('')
  })

  it('renames inline: Esc cancels, Enter saves', async () => {
    const target = cliRuns.find((r) => r.name === 'MLP tutorial') as RunSummary
    await row(page, 'MLP tutorial').focus()
    await page.keyboard.press('F2')
    const input = page.getByTestId('rename-input')
    await input.fill('should not stick')
    await input.press('Escape')
    expect(await input.count()).toBe(0)
    expect(await names(page).allTextContents()).toContain('MLP tutorial')

    await row(page, 'MLP tutorial').getByTestId('rename').click()
    await input.fill('MLP do tutorial — turma B')
    await input.press('Enter')
    await expect.poll(() => names(page).allTextContents()).toContain('MLP do tutorial — turma B')
    const saved = await callCommand<RunDetail>(served, 'runs:get', { id: target.id })
    expect(saved.ok && saved.value.name).toBe('MLP do tutorial — turma B')
  })

  it('adds a tag and notes in the details panel', async () => {
    const target = cliRuns.find((r) => r.name === 'LeNet CNN') as RunSummary
    await row(page, 'LeNet CNN').focus()
    await page.keyboard.press('Enter')
    const details = page.locator(`#run-details-${target.id}`)
    await expect.poll(() => details.textContent()).toContain('sparse_categorical_crossentropy')
    expect(await details.textContent()).toContain('1,500')

    await details.getByTestId('tag-input').fill('cnn')
    await details.getByTestId('tag-input').press('Enter')
    await expect
      .poll(async () =>
        (await details.getByTestId('tag-chip').allTextContents()).map((s) => s.trim()),
      )
      .toEqual(['cnn'])
    await details.getByTestId('notes').fill('Convoluções aprendem mais rápido.')
    await details.getByTestId('save-notes').click()
    await expect
      .poll(async () => {
        const r = await callCommand<RunDetail>(served, 'runs:get', { id: target.id })
        return r.ok ? [r.value.tags, r.value.notes] : null
      })
      .toEqual([['cnn'], 'Convoluções aprendem mais rápido.'])
    expect(await row(page, 'LeNet CNN').getByTestId('row-tag').allTextContents()).toEqual(['cnn'])

    await page.getByTestId('runs-search').fill('CNN aprendem')
    // The notes just saved reach the list's search through a refetch: wait for it.
    await expect.poll(() => names(page).allTextContents()).toEqual(['LeNet CNN'])
    await page.getByTestId('runs-search').fill('')
  })

  it('pins a baseline that floats to the top in any sort', async () => {
    await row(page, 'MLP parado').getByTestId('pin').click()
    await expect.poll(() => names(page).first().textContent()).toBe('MLP parado')
    expect(await row(page, 'MLP parado').locator('.badge.baseline').textContent()).toBe('Baseline')
    await page.locator('[data-sort=name]').click()
    expect(await names(page).first().textContent()).toBe('MLP parado')
    const rest = (await names(page).allTextContents()).slice(1)
    expect(rest).toEqual([...rest].sort((a, b) => a.localeCompare(b)))
  })

  it('deletes only after an explicit confirmation', async () => {
    const target = cliRuns.find((r) => r.name === 'MLP lr alta') as RunSummary
    const dialog = page.getByTestId('delete-dialog')
    await row(page, 'MLP lr alta').focus()
    await page.keyboard.press('Delete')
    await expect.poll(() => dialog.isVisible()).toBe(true)
    expect(await dialog.locator('h2').textContent()).toBe('Delete “MLP lr alta”?')
    expect(await dialog.textContent()).toContain('cannot be undone')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.isVisible()).toBe(false)
    expect(await names(page).count()).toBe(4)

    await row(page, 'MLP lr alta').getByTestId('delete').click()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(await names(page).count()).toBe(4)

    await row(page, 'MLP lr alta').getByTestId('delete').click()
    await dialog.getByTestId('confirm-delete').click()
    await expect.poll(() => names(page).count()).toBe(3)
    expect(await page.getByTestId('runs-notice').textContent()).toBe('“MLP lr alta” was deleted.')
    const gone = await callCommand(served, 'runs:get', { id: target.id })
    expect(gone.ok).toBe(false)
  })

  it('shows the server refusing to delete a run that is still training', async () => {
    const preset = getPreset('tutorial-mlp')
    const started = await callCommand<{ runId: number }>(served, 'training:start', {
      name: 'MLP ao vivo',
      spec: preset.spec,
      config: { ...preset.config, epochs: 50, limit: 1500 },
      dataset: 'mnist',
    })
    if (!started.ok) throw new Error(started.error.message)
    const live = row(page, 'MLP ao vivo')
    await expect
      .poll(() => live.locator('.pill').textContent(), { timeout: 30_000 })
      .toContain('Training')
    await live.getByTestId('delete').click()
    await page.getByTestId('confirm-delete').click()
    await expect
      .poll(() => page.getByTestId('delete-error').textContent())
      .toBe(`Run ${started.value.runId} is training: stop it before deleting it.`)
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('delete-dialog').isVisible()).toBe(false)

    await callCommand(served, 'training:stop', { runId: started.value.runId })
    await expect
      .poll(() => live.locator('.pill').textContent(), { timeout: 30_000 })
      .toContain('Stopped')
    await live.getByTestId('delete').click()
    await page.getByTestId('confirm-delete').click()
    await expect.poll(() => names(page).count()).toBe(3)
  })

  it('compares 2 selected runs and saves screenshots in both languages', async () => {
    const compare = page.getByTestId('compare-button')
    await row(page, 'LeNet CNN').locator('[data-testid=select]').check()
    expect(await compare.isDisabled()).toBe(true)
    expect(await page.getByTestId('compare-reason').textContent()).toContain('at least 2')
    await row(page, 'MLP do tutorial — turma B').locator('[data-testid=select]').check()
    expect(await compare.isDisabled()).toBe(false)

    // The toast from the last action fades after a few seconds; the screenshots show the table.
    await expect.poll(() => page.getByTestId('runs-notice').count(), { timeout: 10_000 }).toBe(0)
    await page.mouse.move(0, 0)
    await screenshot(page, 'runs-en')
    await setLanguage(page, 'pt-BR')
    await expect.poll(() => page.locator('#view-title').textContent()).toBe('Treinos')
    expect(await page.getByTestId('runs-count').textContent()).toBe('3 treinos')
    await screenshot(page, 'runs-pt-BR')

    const ids = cliRuns
      .filter((r) => r.name === 'LeNet CNN' || r.name === 'MLP tutorial')
      .map((r) => r.id)
    await compare.click()
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/compare\?ids=/)
    const hash = await page.evaluate(() => location.hash)
    const chosen = decodeURIComponent(hash.split('ids=')[1]).split(',').map(Number)
    expect(chosen.sort()).toEqual(ids.sort())
  })
})

import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Download, Page } from 'playwright-core'
import {
  launchBrowser,
  screenshot,
  scrollToTop,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

/** Clicks what starts a download and returns the saved file's name and bytes. */
async function download(page: Page, click: () => Promise<void>): Promise<[string, Buffer]> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()])
  const path = await (file as Download).path()
  return [file.suggestedFilename(), readFileSync(path)]
}

function rowCells(page: Page, field: string) {
  return page.locator(`[data-testid=config-table] tr[data-field=${field}] td`).allTextContents()
}

describe('compare view', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let base: string

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-compare-')
    const common = ['--limit', '1500', '--seed', '7']
    trainWithCli(dataDir, '--epochs', '2', ...common, '--name', 'A')
    trainWithCli(dataDir, '--epochs', '2', ...common, '--learning-rate', '0.01', '--name', 'B')
    trainWithCli(dataDir, '--preset', 'lenet-cnn', '--epochs', '1', ...common, '--name', 'C')
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    base = served.url.replace(/#.*$/, '')
  })
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it('shows only the differing settings, best versus last, and the four charts', async () => {
    await page.goto(`${base}#/compare?ids=1,2,3`)
    await setLanguage(page, 'pt-BR')
    const config = page.getByTestId('config-table')
    await config.waitFor({ timeout: 30_000 })

    expect(await rowCells(page, 'learningRate')).toEqual(['0,001', '0,01', '0,001'])
    expect(await rowCells(page, 'epochs')).toEqual(['2', '2', '1'])
    expect((await rowCells(page, 'architecture'))[2]).toMatch(/^Conv2D 6 5×5/)
    // Identical in all three runs: hidden until "show all fields".
    expect(await config.locator('tr[data-field=batchSize]').count()).toBe(0)
    await page.getByLabel('Mostrar todos os campos').check()
    expect(await rowCells(page, 'batchSize')).toEqual(['32', '32', '32'])
    expect(await rowCells(page, 'limit')).toEqual(['1.500', '1.500', '1.500'])
    await page.getByLabel('Mostrar todos os campos').uncheck()
    expect(await config.locator('tr[data-field=batchSize]').count()).toBe(0)

    const results = page.getByTestId('results-table').locator('tbody tr')
    expect(await results.count()).toBe(3)
    // Each run has a best validation accuracy as a percentage and its epoch.
    for (const text of await results.locator('td:nth-child(2)').allTextContents()) {
      expect(text).toMatch(/\d+,\d{2}\s?%.*época [12]/s)
    }
    expect(await page.locator('figure[data-metric] canvas').count()).toBe(4)
    // A full-page capture draws the sticky top bar where the page is scrolled to.
    await scrollToTop(page)
    await screenshot(page, 'compare-pt-BR')
  })

  it('exports the table as CSV and a chart as PNG and SVG', async () => {
    const [csvName, csv] = await download(page, () => page.getByTestId('export-csv').click())
    expect(csvName).toBe('sinapse-compare.csv')
    const csvText = csv.toString('utf8')
    // Excel reads accents only with the byte order mark; lines end in CRLF (RFC 4180).
    expect(csvText.startsWith('\uFEFF')).toBe(true)
    const lines = csvText.slice(1).trimEnd().split('\r\n')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/^id,nome,melhor val_accuracy,/)
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2))).toEqual([
      ['1', 'A'],
      ['2', 'B'],
      ['3', 'C'],
    ])
    const header = lines[0].split(',')
    const lr = header.indexOf('Taxa de aprendizado')
    expect(lines.slice(1).map((line) => line.split(',')[lr])).toEqual(['0.001', '0.01', '0.001'])

    const valLoss = page.locator('figure[data-metric=valLoss]')
    const [pngName, png] = await download(page, () => valLoss.getByTestId('export-png').click())
    expect(pngName).toBe('sinapse-compare-val_loss.png')
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    // pixelRatio 2 on a 1000-pixel-wide drawing.
    expect(png.readUInt32BE(16)).toBe(2000)

    const [svgName, svg] = await download(page, () => valLoss.getByTestId('export-svg').click())
    expect(svgName).toBe('sinapse-compare-val_loss.svg')
    const text = svg.toString('utf8')
    expect(text.startsWith('<svg')).toBe(true)
    expect(text).toContain('Perda na validação (val_loss)')
    expect(text).toContain('#3 C')
    expect(text).toContain('Época')
  })

  it('switches to wall time, log scale and smoothing', async () => {
    const valLoss = page.locator('figure[data-metric=valLoss]')
    const exportSvg = async () =>
      (await download(page, () => valLoss.getByTestId('export-svg').click()))[1].toString('utf8')
    const before = await exportSvg()

    await page.getByRole('radio', { name: 'Tempo de treino' }).check()
    await expect
      .poll(() => valLoss.locator('[role=img]').getAttribute('aria-label'))
      .toContain('por Tempo de treino')
    await page.getByLabel('Escala logarítmica nas perdas').check()
    await page.getByLabel('Suavização').fill('0.6')
    await expect
      .poll(() => page.locator('output[for=compare-smoothing]').textContent())
      .toBe('0,60')

    const after = await exportSvg()
    expect(after).toContain('Tempo de treino')
    expect(after).not.toContain('>Época<')
    // Wall-time ticks in seconds, and the log axis's decade ticks.
    expect(after).toMatch(/>\d+(,\d)? s</)
    expect(after).toMatch(/>0,1</)
    expect(before).not.toMatch(/>0,1</)
    // With smoothing each run's measured line stays behind the smoothed one, faint.
    const faint = (svg: string) => svg.match(/<path d="M[^>]*stroke-opacity="0\.28"/g)?.length ?? 0
    expect(faint(before)).toBe(0)
    expect(faint(after)).toBe(3)
  })

  it('keeps the choice in the URL and explains what is wrong with it', async () => {
    await page.getByRole('button', { name: 'Tirar C da comparação' }).click()
    await expect
      .poll(() => page.evaluate(() => decodeURIComponent(location.hash)))
      .toBe('#/compare?ids=1,2')
    await expect.poll(() => page.getByTestId('config-table').locator('thead th').count()).toBe(3)
    // Runs A and B differ only in learning rate.
    expect(
      await page
        .getByTestId('config-table')
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-field'))),
    ).toEqual(['learningRate'])

    await page.goto(`${base}#/compare?ids=1,99`)
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('Não existe o treino #99')]))
    await expect
      .poll(() => page.getByTestId('compare-too-few').textContent())
      .toContain('(selecionados: 1)')
    await page.getByRole('checkbox', { name: /^C\b/ }).check()
    await expect
      .poll(() => page.evaluate(() => decodeURIComponent(location.hash)))
      .toBe('#/compare?ids=1,3')
    await page.getByTestId('config-table').waitFor()
  })

  it('reads the same in English', async () => {
    await page.goto(`${base}#/compare?ids=1,2,3`)
    await setLanguage(page, 'en')
    await page.getByTestId('config-table').waitFor()
    // The view keeps its settings for the session; show the plain picture again.
    await page.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('radio', { name: 'Epoch' }).check()
    await page.getByLabel('Log scale for losses').uncheck()
    await page.getByLabel('Smoothing').fill('0')
    expect(await rowCells(page, 'learningRate')).toEqual(['0.001', '0.01', '0.001'])
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('Compare runs')
    // A full-page capture draws the sticky top bar where the page is scrolled to.
    await scrollToTop(page)
    await screenshot(page, 'compare-en')
  })
})

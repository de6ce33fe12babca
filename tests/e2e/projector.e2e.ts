import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { VIEWS } from '../../src/renderer/src/lib/route'
import { LABS } from '../../src/renderer/src/lib/learn/labs'
import {
  launchBrowser,
  runCli,
  setLanguage,
  startServe,
  tempDataDir,
  trainWithCli,
  type Served,
} from './harness'

/** Screenshots of every view at the projector's and a laptop's size, both modes and languages. */
const SHOTS = join(import.meta.dirname, '../../test-results/projector')
const PROJECTOR = { width: 683, height: 512 }
const LAPTOP = { width: 1366, height: 768 }

/**
 * Every view of the navigation bar, the run page, the class board (its lesson picker and a
 * lesson's ranking), and each Learn lab.
 */
function routes(runIds: number[], lessonId: string): string[] {
  const [runId] = runIds
  return [
    ...VIEWS.filter((v) => v !== 'learn').map((v) =>
      v === 'compare'
        ? `compare?ids=${runIds.join(',')}`
        : v === 'xray'
          ? `xray?run=${runId}&test=0`
          : v,
    ),
    `run?id=${runId}`,
    'board',
    `board?lesson=${lessonId}`,
    ...LABS.map((lab) => `learn?lab=${lab}`),
  ]
}

/**
 * What a projector must keep in view: a slim top bar, with every view's tab and both language
 * buttons inside the window and inside the bar.
 */
async function topBarProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bar = document.querySelector('.topbar')?.getBoundingClientRect()
    if (!bar) return ['no top bar']
    const problems = bar.height > 80 ? [`top bar ${Math.round(bar.height)} px high`] : []
    const width = document.documentElement.clientWidth
    for (const el of document.querySelectorAll<HTMLElement>('.topbar nav a, .language button')) {
      const r = el.getBoundingClientRect()
      if (r.left < 0 || r.right > width || r.top < bar.top || r.bottom > bar.bottom + 1)
        problems.push(`${el.textContent?.trim()} off screen`)
    }
    return problems
  })
}

async function sidewaysOverflow(page: Page): Promise<{ px: number; culprits: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 4)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)}`)
      .join(' ')
    return { px: document.documentElement.scrollWidth - width, culprits }
  })
}

async function setPresentation(page: Page, on: boolean): Promise<void> {
  const toggle = page.getByTestId('presentation-toggle')
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click()
  await expect
    .poll(() => page.evaluate(() => document.documentElement.dataset.presentation ?? 'off'))
    .toBe(on ? 'on' : 'off')
}

describe('projector and small screens', () => {
  let served: Served
  let browser: Browser
  let page: Page
  const runIds: number[] = []
  let lessonId: string
  const packPath = join(tempDataDir('sinapse-projector-pack-'), 'aula.sinapse-aula')

  beforeAll(async () => {
    const dataDir = tempDataDir('sinapse-projector-')
    const quick = ['--epochs', '1', '--limit', '600']
    runIds.push(trainWithCli(dataDir, ...quick, '--name', 'Projector').runId)
    runIds.push(
      trainWithCli(dataDir, ...quick, '--learning-rate', '0.01', '--name', 'Projetor, taxa alta')
        .runId,
    )
    // A lesson with one student's hand-in imported, as a teacher's machine has after class.
    runCli(
      'lesson',
      'create',
      '--out',
      packPath,
      ...quick,
      '--title',
      'Aula no projetor',
      '--title-en',
      'Projector lesson',
      '--goal',
      'testAccuracy>=0.5',
      '--lock',
      'learningRate',
    )
    lessonId = (JSON.parse(runCli('lesson', 'open', packPath, '--json')) as { id: string }).id
    const studentDir = tempDataDir('sinapse-projector-student-')
    const handIn = join(studentDir, 'ana.sinapse')
    const studentRun = trainWithCli(studentDir, ...quick, '--name', 'Rede da Ana').runId
    runCli(
      'lesson',
      'hand-in',
      String(studentRun),
      '--lesson',
      packPath,
      '--student',
      'Ana Beatriz',
      '--out',
      handIn,
      '--data-dir',
      studentDir,
    )
    runIds.push(
      (JSON.parse(runCli('import', handIn, '--json', '--data-dir', dataDir)) as { runId: number })
        .runId,
    )
    // The teacher opened the lesson's board once: it is remembered and its scores are cached.
    runCli('lesson', 'board', packPath, '--json', '--data-dir', dataDir)
    served = await startServe({ dataDir })
    ;({ browser, page } = await launchBrowser())
    mkdirSync(SHOTS, { recursive: true })
  }, 400_000)
  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  for (const locale of ['pt-BR', 'en'] as const) {
    it(`no view scrolls sideways at 683×512, normal and presentation mode (${locale})`, async () => {
      await page.setViewportSize(PROJECTOR)
      await page.goto(served.url)
      await setLanguage(page, locale)
      // The student's side of the lesson: its panel beside the builder.
      await page.getByTestId('lesson-open').setInputFiles(packPath)
      await page.getByTestId('lesson-panel').waitFor()
      const failures: string[] = []
      for (const mode of ['normal', 'presentation'] as const) {
        await setPresentation(page, mode === 'presentation')
        for (const route of routes(runIds, lessonId)) {
          await page.setViewportSize(PROJECTOR)
          await page.goto(`${served.url.replace(/#.*$/, '')}#/${route}`)
          await page.locator('main h2').first().waitFor({ timeout: 60_000 })
          // Views that load data settle before they are measured.
          await page.waitForLoadState('networkidle').catch(() => {})
          if (route.startsWith('board?')) await page.getByTestId('board-table').waitFor()
          const name = `${mode}-${locale}-${route.replace(/[?&=]/g, '_')}`
          const overflow = await sidewaysOverflow(page)
          if (overflow.px > 0) failures.push(`${name}: ${overflow.px} px (${overflow.culprits})`)
          for (const problem of await topBarProblems(page)) failures.push(`${name}: ${problem}`)
          await page.screenshot({ path: join(SHOTS, `${name}-683x512.png`) })
          await page.setViewportSize(LAPTOP)
          await page.screenshot({ path: join(SHOTS, `${name}-1366x768.png`) })
        }
      }
      // The dialogs, open over the runs list.
      await setPresentation(page, false)
      await page.setViewportSize(PROJECTOR)
      for (const [opener, dialog] of [
        ['privacy-open', 'privacy-dialog'],
        ['delete', 'delete-dialog'],
      ] as const) {
        await page.goto(`${served.url.replace(/#.*$/, '')}#/runs`)
        await page.getByTestId('run-name').first().waitFor()
        await page.getByTestId(opener).first().click()
        await page.getByTestId(dialog).waitFor()
        const fit = await page.getByTestId(dialog).evaluate((el) => {
          const r = el.getBoundingClientRect()
          const width = document.documentElement.clientWidth
          return Math.max(
            el.scrollWidth - el.clientWidth,
            Math.round(r.right - width),
            Math.round(-r.left),
            document.documentElement.scrollWidth - width,
          )
        })
        if (fit > 0) failures.push(`${dialog}-${locale}: ${fit} px`)
        await page.screenshot({ path: join(SHOTS, `dialog-${locale}-${dialog}-683x512.png`) })
        await page.keyboard.press('Escape')
      }
      expect(failures).toEqual([])
    }, 900_000)
  }

  it('presentation mode: toggled by Alt+P, remembered, steps through sections and labs by keyboard', async () => {
    await page.setViewportSize(LAPTOP)
    await page.goto(`${served.url.replace(/#.*$/, '')}#/builder`)
    await setPresentation(page, false)
    await page.locator('main h2').first().click()
    await page.keyboard.press('Alt+KeyP')
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.presentation))
      .toBe('on')
    // Larger type, and the side panel (the Keras code) is hidden.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(
      '19px',
    )
    expect(await page.locator('[data-side-panel]').first().isVisible()).toBe(false)
    await page.reload()
    await page.locator('main h2').first().waitFor()
    expect(await page.evaluate(() => document.documentElement.dataset.presentation)).toBe('on')

    // PageDown moves to the next section heading and focuses it; PageUp goes back.
    await page.locator('main h2').first().click()
    await page.keyboard.press('PageDown')
    const first = await page.evaluate(() => document.activeElement?.textContent?.trim())
    expect(first).toBeTruthy()
    await page.keyboard.press('PageDown')
    const second = await page.evaluate(() => document.activeElement?.textContent?.trim())
    expect(second).not.toBe(first)
    expect(await page.evaluate(() => document.activeElement?.tagName)).toMatch(/^H[23]$/)
    await page.keyboard.press('PageUp')
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(first)

    // In Learn, → and ← change the lab.
    await page.goto(`${served.url.replace(/#.*$/, '')}#/learn?lab=perceptron`)
    await page.locator('#lab-panel[data-lab=perceptron] article').waitFor({ timeout: 60_000 })
    await page.locator('main h2').first().click()
    await page.keyboard.press('ArrowRight')
    await page.waitForFunction(() => location.hash === '#/learn?lab=activations')
    await page.keyboard.press('ArrowLeft')
    await page.waitForFunction(() => location.hash === '#/learn?lab=perceptron')

    await page.keyboard.press('Alt+KeyP')
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.presentation ?? 'off'))
      .toBe('off')
  }, 300_000)
})

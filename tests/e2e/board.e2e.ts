import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Download, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeLessonPack } from '../../src/main/lessons/pack'
import { prepareDataDir } from '../../src/main/paths'
import { createBundleService } from '../../src/main/services/bundle-service'
import { createRunsService } from '../../src/main/services/runs-service'
import { createTrainingService } from '../../src/main/services/training-service'
import { openDatabase } from '../../src/main/store/db'
import { createRunsRepo } from '../../src/main/store/runs-repo'
import {
  createTrainingEngine,
  nodeWorkerOptions,
  type TrainingEngine,
} from '../../src/main/training/engine'
import type { ClassBoard } from '../../src/shared/board'
import { parseCsv } from '../../src/shared/csv'
import { draftLesson, type Lesson } from '../../src/shared/lesson'
import { getPreset } from '../../src/shared/presets'
import { claimPerfect } from '../unit/bundles/bundle-fixtures'
import {
  callCommand,
  launchBrowser,
  SCREENSHOT_DIR,
  screenshot,
  scrollToTop,
  setLanguage,
  sidewaysScroll,
  startServe,
  tempDataDir,
  type Served,
  waitUntil,
} from './harness'

const LESSON_ID = '7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const preset = getPreset('tutorial-mlp')
const lesson: Lesson = {
  ...draftLesson(LESSON_ID, preset.spec, { ...preset.config, epochs: 1, limit: 1200 }),
  title: { 'pt-BR': 'Aula do quadro', en: 'Board lesson' },
  controls: { ...draftLesson(LESSON_ID, null, preset.config).controls, learningRate: 'locked' },
  goal: { metric: 'testAccuracy', threshold: 0.5 },
  constraints: { maxParams: 200_000, maxEpochs: 2, maxLayers: null, allowedLayers: null },
}

let engine: TrainingEngine
const closers: (() => void)[] = []

/** A student trains on their own machine (own data folder) and hands the run in. */
async function handIn(student: string, learningRate: number): Promise<Uint8Array> {
  const paths = prepareDataDir(mkdtempSync(join(tmpdir(), 'sinapse-student-')))
  const db = openDatabase(paths.database)
  closers.push(() => db.close())
  const repo = createRunsRepo(db, { now: () => new Date() })
  const deps = { repo, paths, emit: () => {}, locale: 'en' as const }
  const training = createTrainingService({
    ...deps,
    engine,
    owner: { pid: process.pid, token: 't', startId: null },
    checkOwner: () => null,
    fallbackDir: join(paths.root, 'fallback'),
  })
  const { done } = await training.start({
    name: `MLP ${student}`,
    spec: preset.spec,
    config: { ...lesson.config, learningRate },
    dataset: 'mnist',
  })
  const run = await done
  await createRunsService({ ...deps, engine, isTraining: () => false }).evaluate(run.id)
  const file = await createBundleService({ ...deps, version: 't' }).exportHandIn({
    id: run.id,
    student,
    lessonId: LESSON_ID,
    lessonVersion: 1,
  })
  return file.bytes
}

describe('the class board view', () => {
  let served: Served
  let browser: Browser
  let page: Page
  const folder = mkdtempSync(join(tmpdir(), 'sinapse-board-handins-'))
  const packPath = join(folder, 'aula.sinapse-aula')

  beforeAll(async () => {
    engine = createTrainingEngine(nodeWorkerOptions())
    const files: string[] = []
    for (const [student, lr] of [
      ['Ana', lesson.config.learningRate],
      ['Bia', lesson.config.learningRate],
      ['Caio', 0.05],
    ] as const) {
      const path = join(folder, `${student}.sinapse`)
      const bytes = await handIn(student, lr)
      writeFileSync(path, student === 'Bia' ? claimPerfect(bytes) : bytes)
      files.push(path)
    }
    writeFileSync(packPath, encodeLessonPack(lesson, 't'))
    served = await startServe({ dataDir: tempDataDir() })
    ;({ browser, page } = await launchBrowser())
    // No lesson yet: the board says what to do, and offers to open the lesson's file.
    await page.goto(`${served.url}#/board`)
    const start = page.getByTestId('board-empty')
    await start.waitFor()
    expect(await start.textContent()).toContain('No lesson opened on this computer yet')
    expect(await start.textContent()).toContain('import their .sinapse files in Runs')
    await screenshot(page, 'board-no-lessons-en')
    // An unknown lesson first: the empty state says what to do.
    await page.goto(`${served.url}#/board?lesson=${LESSON_ID}`)
    await page.getByTestId('board-error').waitFor()
    await page.getByTestId('board-open-pack').setInputFiles(packPath)
    await page.getByTestId('board-empty').waitFor({ timeout: 120_000 })
    await screenshot(page, 'board-empty-en')
    // The teacher imports the three hand-ins in one action.
    await page.goto(`${served.url}#/runs`)
    await page.getByTestId('import-model-input').setInputFiles(files)
    await page.getByTestId('bundle-import-start').click()
    await waitUntil(
      () => page.getByTestId('bundle-import-progress').textContent(),
      (text) => text === '3 imported, 0 already here, 0 refused.',
      'the import of three hand-ins',
    )
    await page.getByTestId('bundle-import-close').click()
  }, 900_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
    for (const close of closers) close()
    await engine?.close()
  })

  it('opens from a run of the lesson and ranks as the service does, the rule-breaker last', async () => {
    // Every state of the progress line while the three hand-ins are re-scored.
    await page.evaluate(() => {
      const seen: string[] = []
      Object.assign(window, { boardProgress: seen })
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid=board-progress]')?.textContent
        if (text && seen.at(-1) !== text) seen.push(text.replace(/\s+/g, ' ').trim())
      }).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    await page.getByTestId('run-board-link').first().click()
    await page.getByTestId('board-table').waitFor({ timeout: 300_000 })
    const progress = await page.evaluate(
      () => (window as unknown as { boardProgress: string[] }).boardProgress,
    )
    expect(progress.some((t) => /1 of 3 hand-ins re-scored\. About .+ left\./.test(t))).toBe(true)
    expect(progress.some((t) => t.includes('2 of 3 hand-ins re-scored.'))).toBe(true)
    const result = await callCommand<ClassBoard>(served, 'board:get', { lessonId: LESSON_ID })
    if (!result.ok) throw new Error(result.error.message)
    const service = result.value.entries.map((e) => [String(e.rank ?? '—'), String(e.runId)])
    const shown = await page
      .getByTestId('board-row')
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.querySelector('[data-testid=board-rank]')?.textContent?.trim() ?? '',
          r.getAttribute('data-run-id') ?? '',
        ]),
      )
    expect(shown).toEqual(service)
    expect(shown.map((r) => r[0])).toEqual(['1', '2', '—'])
    const last = page.getByTestId('board-row').last()
    expect(await last.textContent()).toContain('Caio')
    expect(await last.getByTestId('board-flags').textContent()).toMatch(/Learning rate/i)
    const bia = page.getByTestId('board-row').filter({ hasText: 'Bia' })
    expect(await bia.getByTestId('board-flags').textContent()).toContain(
      'claims a test accuracy of 99.90%',
    )
    expect(await page.getByTestId('board-legend').locator('li').count()).toBe(3)
    await screenshot(page, 'board-en')
  }, 400_000)

  it('downloads the board as CSV in the same order', async () => {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('board-csv').click(),
    ])
    const rows = parseCsv(readFileSync(await (file as Download).path()).toString('utf8'))
    expect(rows[0].slice(0, 4)).toEqual(['rank', 'student', 'run', 'run id'])
    expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2', ''])
    expect(rows[3][1]).toBe('Caio')
    expect(rows[3][11]).toBe('learningRate')
    expect(rows[3][10]).toBe('0')
  })

  it('lists the lessons opened before when no lesson is given, and opens one', async () => {
    // From a lesson's board back to the list: the old board does not stay on screen.
    await page.getByTestId('board-all-lessons').click()
    const picker = page.getByTestId('board-lessons')
    await picker.waitFor()
    const link = picker.getByRole('link', { name: 'Board lesson' })
    expect(await link.getAttribute('href')).toBe(`#/board?lesson=${LESSON_ID}`)
    expect(await picker.textContent()).toContain('version 1 · id 7a1c2b3d…')
    await screenshot(page, 'board-picker-en')
    await link.click()
    await page.getByTestId('board-table').waitFor({ timeout: 300_000 })
    expect(await page.getByTestId('board-row').count()).toBe(3)
  }, 400_000)

  it('prints the ranking: no bar, no buttons, the whole table within the page', async () => {
    await page.setViewportSize({ width: 794, height: 1123 })
    await page.emulateMedia({ media: 'print' })
    try {
      expect(await page.locator('.topbar').isVisible()).toBe(false)
      expect(await page.getByTestId('board-csv').isVisible()).toBe(false)
      expect(await page.getByTestId('board-setting').isVisible()).toBe(false)
      expect(await page.getByTestId('board-row').count()).toBe(3)
      const table = await page.getByTestId('board-table').boundingBox()
      expect(table!.x + table!.width).toBeLessThanOrEqual(794)
      expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0)
      await screenshot(page, 'board-print-en')
      const pdf = await page.pdf({ format: 'A4' })
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      writeFileSync(join(SCREENSHOT_DIR, 'board-print-en.pdf'), pdf)
    } finally {
      await page.emulateMedia({ media: 'screen' })
      await page.setViewportSize({ width: 1440, height: 900 })
    }
  })

  it('fits the projector size in both languages', async () => {
    for (const locale of ['pt-BR', 'en'] as const) {
      await setLanguage(page, locale)
      await page.setViewportSize({ width: 683, height: 512 })
      await scrollToTop(page)
      expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0)
      // The flags (who broke a rule) stay in view, not scrolled off inside the table.
      const flags = await page.getByTestId('board-flags').last().boundingBox()
      expect(flags!.x + flags!.width).toBeLessThanOrEqual(683)
      await screenshot(page, `board-683-${locale}`)
    }
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toContain('Class board')
    await setLanguage(page, 'pt-BR')
    await page.setViewportSize({ width: 1366, height: 768 })
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toContain('Quadro da turma')
    await screenshot(page, 'board-pt-BR')
  })
})

import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Download, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeLessonPack, encodeLessonPack } from '../../src/main/lessons/pack'
import type { ClassBoard } from '../../src/shared/board'
import { parseCsv } from '../../src/shared/csv'
import type { Lesson } from '../../src/shared/lesson'
import type { RunDetail, RunSummary } from '../../src/shared/runs'
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
  trainWithCli,
  waitUntil,
  type Served,
} from './harness'

const BIN = join(import.meta.dirname, '../../bin/sinapse.js')

async function download(page: Page, click: () => Promise<void>): Promise<[string, Buffer]> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()])
  return [file.suggestedFilename(), readFileSync(await (file as Download).path())]
}

async function value<T>(served: Served, name: string, input: unknown): Promise<T> {
  const result = await callCommand<T>(served, name, input)
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** At the projector's size (1024×768 at 150 %) the page must not scroll sideways. */
async function projector(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 683, height: 512 })
  await scrollToTop(page)
  expect(await sidewaysScroll(page), name).toBeLessThanOrEqual(0)
  await screenshot(page, name)
  await page.setViewportSize({ width: 1366, height: 768 })
}

/** What the window shows (a modal dialog scrolls inside itself, not with the page). */
async function dialogShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

describe('the classroom, done: a teacher’s pack, three students, one import, the board', () => {
  const folder = mkdtempSync(join(tmpdir(), 'sinapse-classroom-'))
  const packPath = join(folder, 'aula.sinapse-aula')
  let browser: Browser
  let teacher: Served
  let page: Page
  let lesson: Lesson
  const servers: Served[] = []
  const handIns: string[] = []

  beforeAll(async () => {
    teacher = await startServe({ dataDir: tempDataDir() })
    ;({ browser, page } = await launchBrowser())
    await page.setViewportSize({ width: 1366, height: 768 })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    for (const s of [teacher, ...servers]) await s?.close()
  })

  it('the teacher makes a pack in the builder’s dialog, with locks, a goal and instructions', async () => {
    await page.goto(`${teacher.url}#/builder`)
    await page.locator('#set-epochs').fill('1')
    await page.getByTestId('lesson-make').click()
    const dialog = page.getByTestId('lesson-make-dialog')
    await dialog.waitFor()
    await page.getByTestId('lessonmake-title-pt').fill('Aula 3: uma MLP pequena')
    await page.getByTestId('lessonmake-title-en').fill('Lesson 3: a small MLP')
    await page.getByTestId('lessonmake-instructions-pt').fill('# Meta\nChegue a **50%** no teste.')
    // Hostile Markdown is refused with the field and line named, and nothing is saved.
    await page.getByTestId('lessonmake-instructions-en').fill('# Goal\n<script>alert(1)</script>')
    await page.getByTestId('lessonmake-limit').fill('1000')
    await page.getByTestId('lessonmake-seed').fill('7')
    for (const control of ['optimizer', 'learningRate', 'epochs', 'limit']) {
      await page.getByTestId(`lessonmake-mode-${control}`).selectOption('locked')
    }
    await page.getByTestId('lessonmake-mode-splitMode').selectOption('hidden')
    await page.getByTestId('lessonmake-goal-threshold').fill('0.5')
    await page.getByTestId('lessonmake-max-params').fill('200000')
    await page.getByTestId('lessonmake-max-epochs').fill('2')
    await page.getByTestId('lessonmake-save').click()
    const issues = page.getByTestId('lessonmake-issues')
    await issues.waitFor()
    expect(await issues.textContent()).toContain('instructions.en')
    expect(await issues.textContent()).toContain('<script>')
    await page.getByTestId('lessonmake-instructions-en').fill('# Goal\nReach **50%** on the test.')
    expect(await page.getByTestId('lessonmake-preview').locator('strong').textContent()).toBe('50%')
    // Keyboard: the save button is reached and pressed without the mouse.
    await page.getByTestId('lessonmake-save').focus()
    const [name, bytes] = await download(page, () => page.keyboard.press('Enter'))
    expect(name).toMatch(/^Aula-3-uma-MLP-pequena-[0-9a-f]{8}\.sinapse-aula$/i)
    writeFileSync(packPath, bytes)
    lesson = decodeLessonPack(bytes, name)
    expect(lesson.title.en).toBe('Lesson 3: a small MLP')
    expect(lesson.model.spec?.layers).toHaveLength(3)
    expect(lesson.config).toMatchObject({ epochs: 1, limit: 1000, seed: 7, learningRate: 0.001 })
    expect(lesson.controls).toMatchObject({
      optimizer: 'locked',
      learningRate: 'locked',
      epochs: 'locked',
      limit: 'locked',
      splitMode: 'hidden',
      batchSize: 'free',
    })
    expect(lesson.goal).toEqual({ metric: 'testAccuracy', threshold: 0.5 })
    expect(lesson.constraints).toMatchObject({ maxParams: 200_000, maxEpochs: 2 })
    // One confirmation: the dialog closes and the page-wide note names the file.
    await dialog.waitFor({ state: 'hidden' })
    const note = page.getByTestId('export-done')
    await note.waitFor()
    expect(await note.textContent()).toContain(name)
    expect(await page.getByRole('status').filter({ hasText: name }).count()).toBe(1)
    await dialogShot(page, 'teacher-saved-en')
    await page.getByTestId('lesson-make').click()
    await dialog.waitFor()
    await dialogShot(page, 'teacher-dialog-en')
    // The language switch is behind the modal dialog: close, switch, open again.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await setLanguage(page, 'pt-BR')
    await page.getByTestId('lesson-make').click()
    await dialog.waitFor()
    expect(await page.getByRole('heading', { name: 'Criar um pacote de aula' }).count()).toBe(1)
    await dialogShot(page, 'teacher-dialog-pt-BR')
    await page.setViewportSize({ width: 683, height: 512 })
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0)
    expect(await dialog.evaluate((d) => d.scrollWidth - d.clientWidth)).toBeLessThanOrEqual(0)
    await dialogShot(page, 'teacher-dialog-683-pt-BR')
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await setLanguage(page, 'en')
  }, 120_000)

  it('three students (own data folders) open it, cannot change the locks, train and hand in', async () => {
    const students = [
      { name: 'Ana', batch: '16' },
      { name: 'Bia', batch: '64' },
      // Caio's builder still holds an old learning rate: the lock wins at train time.
      { name: 'Caio', batch: '32', staleLearningRate: 0.5 },
    ]
    for (const student of students) {
      const served = await startServe({ dataDir: tempDataDir('sinapse-student-') })
      servers.push(served)
      const context: BrowserContext = await browser.newContext({
        viewport: { width: 1366, height: 768 },
        locale: 'en-US',
        acceptDownloads: true,
      })
      const p = await context.newPage()
      await p.goto(`${served.url}#/builder`)
      await p.getByTestId('lesson-open').setInputFiles(packPath)
      await p.getByTestId('lesson-panel').waitFor()
      if (student.staleLearningRate) {
        await p.evaluate((lr) => {
          const saved = JSON.parse(localStorage.getItem('sinapse.builder.v1') ?? '{}') as {
            settings: Record<string, unknown>
          }
          saved.settings.learningRate = lr
          localStorage.setItem('sinapse.builder.v1', JSON.stringify(saved))
        }, student.staleLearningRate)
        await p.reload()
        await p.getByTestId('lesson-panel').waitFor()
      }
      for (const id of ['#set-optimizer', '#set-lr', '#set-epochs', '#set-limit', '#set-seed']) {
        expect(await p.locator(id).isDisabled(), id).toBe(true)
      }
      expect(await p.locator('#set-lr').inputValue()).toBe('0.001')
      expect(await p.locator('#set-split-mode').count()).toBe(0)
      expect(await p.locator('[data-lock=locked]').count()).toBeGreaterThanOrEqual(5)
      await p.locator('#set-batch').fill(student.batch)
      await p.locator('button[data-action=train]').click()
      const run = await waitUntil(
        () => value<RunSummary[]>(served, 'runs:list', {}),
        (runs) => runs.some((r) => r.status === 'completed' && r.testAccuracy !== null),
        `${student.name}'s training`,
        600_000,
      )
      const detail = await value<RunDetail>(served, 'runs:get', { id: run[0].id })
      expect(detail.config).toMatchObject({
        learningRate: 0.001,
        epochs: 1,
        limit: 1000,
        seed: 7,
        batchSize: Number(student.batch),
      })
      await p.goto(`${served.url}#/builder`)
      await p.getByTestId('lesson-student').fill(student.name)
      const handIn = p.getByTestId('lesson-hand-in')
      await waitUntil(() => handIn.isEnabled(), Boolean, 'the hand-in button')
      await p
        .locator('[data-testid=lesson-checks] [data-check=goal].pass')
        .waitFor({ timeout: 60_000 })
      if (student.name === 'Ana') {
        await scrollToTop(p)
        await screenshot(p, 'student-lesson-en')
        await setLanguage(p, 'pt-BR')
        await scrollToTop(p)
        await screenshot(p, 'student-lesson-pt-BR')
        await projector(p, 'student-lesson-683-pt-BR')
        await setLanguage(p, 'en')
      }
      const [file, bytes] = await download(p, () => handIn.click())
      expect(file).toMatch(/\.sinapse$/)
      const path = join(folder, `${student.name}.sinapse`)
      writeFileSync(path, bytes)
      handIns.push(path)
      await context.close()
    }
  }, 1_800_000)

  it('imports all in one action: a tampered bundle, a duplicate and a rule-breaker each reported', async () => {
    // A copy whose model bytes were changed after it was written: its checksum no longer holds.
    const tampered = Buffer.from(readFileSync(handIns[0]))
    tampered[tampered.length - 100] ^= 0xff
    const tamperedPath = join(folder, 'Ana-editado.sinapse')
    writeFileSync(tamperedPath, tampered)
    const duplicatePath = join(folder, 'Bia-copia.sinapse')
    writeFileSync(duplicatePath, readFileSync(handIns[1]))
    // Dani trains outside the app with a learning rate the lesson locked, then hands in.
    const daniDir = tempDataDir('sinapse-student-')
    const { runId } = trainWithCli(
      daniDir,
      '--epochs',
      '1',
      '--limit',
      '1000',
      '--seed',
      '7',
      '--learning-rate',
      '0.05',
    )
    const daniPath = join(folder, 'Dani.sinapse')
    const handIn = spawnSync(
      process.execPath,
      [
        BIN,
        'lesson',
        'hand-in',
        String(runId),
        '--lesson',
        packPath,
        '--student',
        'Dani',
        '--out',
        daniPath,
        '--data-dir',
        daniDir,
      ],
      { encoding: 'utf8' },
    )
    expect(handIn.status, handIn.stderr).toBe(0)

    await page.goto(`${teacher.url}#/runs`)
    await page
      .getByTestId('import-model-input')
      .setInputFiles([...handIns, tamperedPath, duplicatePath, daniPath])
    await page.getByTestId('bundle-import-start').click()
    await expect
      .poll(() => page.getByTestId('bundle-import-progress').textContent(), { timeout: 120_000 })
      .toBe('4 imported, 1 already here, 1 refused.')
    const rows = page.locator('[data-testid=bundle-import-outcomes] li')
    expect(
      await rows.evaluateAll((items) => items.map((li) => li.getAttribute('data-status'))),
    ).toEqual(['imported', 'imported', 'imported', 'refused', 'duplicate', 'imported'])
    expect(await rows.nth(3).textContent()).toContain('Ana-editado.sinapse')
    await screenshot(page, 'teacher-import-en')
    await page.getByTestId('bundle-import-close').click()
  }, 900_000)

  it('the board ranks by the re-scored private accuracy and flags the rule-breaker; CSV too', async () => {
    await page.goto(`${teacher.url}#/board?lesson=${lesson.id}`)
    await page.getByTestId('board-error').waitFor()
    await page.getByTestId('board-open-pack').setInputFiles(packPath)
    await page.getByTestId('board-table').waitFor({ timeout: 600_000 })
    const board = await value<ClassBoard>(teacher, 'board:get', { lessonId: lesson.id })
    const ranked = board.entries.filter((e) => e.rank !== null)
    expect(ranked.map((e) => e.student).sort()).toEqual(['Ana', 'Bia', 'Caio'])
    const scores = ranked.map((e) => e.private!.accuracy!)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const dani = board.entries.at(-1)!
    expect(dani.student).toBe('Dani')
    expect(dani.rank).toBeNull()
    expect(dani.checks.find((c) => c.id === 'learningRate')?.pass).toBe(false)

    const shown = await page
      .getByTestId('board-row')
      .evaluateAll((rows) =>
        rows.map((r) => [
          r.querySelector('[data-testid=board-rank]')?.textContent?.trim() ?? '',
          r.getAttribute('data-run-id') ?? '',
        ]),
      )
    expect(shown).toEqual(board.entries.map((e) => [String(e.rank ?? '—'), String(e.runId)]))
    expect(shown.map((r) => r[0])).toEqual(['1', '2', '3', '—'])
    const last = page.getByTestId('board-row').last()
    expect(await last.textContent()).toContain('Dani')
    expect(await last.getByTestId('board-flags').textContent()).toMatch(/Learning rate/)

    const [name, bytes] = await download(page, () => page.getByTestId('board-csv').click())
    expect(name).toMatch(/\.csv$/)
    const rows = parseCsv(bytes.toString('utf8'))
    expect(rows[0].slice(0, 4)).toEqual(['rank', 'student', 'run', 'run id'])
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual(
      board.entries.map((e) => [e.rank === null ? '' : String(e.rank), e.student ?? '']),
    )

    await screenshot(page, 'teacher-board-en')
    await projector(page, 'teacher-board-683-en')
    await setLanguage(page, 'pt-BR')
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toContain('Quadro da turma')
    await screenshot(page, 'teacher-board-pt-BR')
    await projector(page, 'teacher-board-683-pt-BR')
  }, 900_000)

  it('asks before an edited pack under the same version replaces the stored lesson; No keeps it', async () => {
    // The same id and version with another goal: an edited or swapped file.
    const edited = { ...lesson, goal: { ...lesson.goal, threshold: 0.25 } }
    const editedPath = join(folder, 'aula-editada.sinapse-aula')
    writeFileSync(editedPath, encodeLessonPack(edited, 'test'))
    const stored = async () =>
      (await value<ClassBoard>(teacher, 'board:get', { lessonId: lesson.id })).lesson.goal.threshold
    const questions: string[] = []
    let answer = false
    page.on('dialog', (dialog) => {
      questions.push(dialog.message())
      void (answer ? dialog.accept() : dialog.dismiss())
    })

    await page.getByTestId('board-open-pack').setInputFiles(editedPath)
    await expect
      .poll(() => page.getByTestId('board-error').textContent())
      .toContain('Nada foi substituído: o quadro abaixo continua com a lição')
    // The stored lesson's board is shown again, not an empty page.
    await page.getByTestId('board-table').waitFor()
    expect(questions).toHaveLength(1)
    expect(questions[0]).toContain('já está neste quadro com outro conteúdo')
    // The CLI's flag is not advice a teacher in the app can follow.
    expect(await page.getByTestId('board-error').textContent()).not.toContain('--replace')
    expect(await stored()).toBe(lesson.goal.threshold)
    await scrollToTop(page)
    await screenshot(page, 'teacher-board-kept-pt-BR')
    await projector(page, 'teacher-board-kept-683-pt-BR')

    answer = true
    await page.getByTestId('board-open-pack').setInputFiles(editedPath)
    await expect.poll(() => stored(), { timeout: 600_000 }).toBe(0.25)
    expect(questions).toHaveLength(2)
    // Replaced on Yes: the banner of the No before goes, the board is the edited lesson's.
    await expect.poll(() => page.getByTestId('board-error').count()).toBe(0)
    await page.getByTestId('board-table').waitFor()
  }, 900_000)
})

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLessonService } from '../../../src/main/services/lesson-service'
import type { ClassBoard } from '../../../src/shared/board'
import { cli, tempDataDir } from '../cli/cli-helpers'

const lessons = createLessonService({ version: 't' })

/** The lesson a board answers with for `which` (a pack or an id), or the CLI's failure. */
async function boardLesson(dataDir: string, which: string, ...flags: string[]) {
  const result = await cli(dataDir, 'lesson', 'board', which, '--json', ...flags)
  if (result.code !== 0) return { code: result.code, error: result.stdout + result.stderr }
  return { code: 0, lesson: (JSON.parse(result.stdout) as ClassBoard).lesson }
}

describe('a lesson opened on the class board again', () => {
  it('is a no-op when identical, refused when changed under the same version, replaced only when asked', async () => {
    const dataDir = tempDataDir()
    const work = tempDataDir()
    const original = join(work, 'aula.sinapse-aula')
    const created = await cli(
      dataDir,
      'lesson',
      'create',
      '--title',
      'Aula 4',
      '--goal',
      'testAccuracy>=0.9',
      '--out',
      original,
      '--json',
    )
    expect(created.code, created.stderr).toBe(0)
    const { id } = JSON.parse(created.stdout) as { id: string }
    const lesson = await lessons.readPackFile(original)
    // The same id and version, a stricter goal: an edited or swapped file.
    const changed = join(work, 'aula-editada.sinapse-aula')
    await lessons.writePackFile(
      { ...lesson, goal: { metric: 'testAccuracy', threshold: 0.99 } },
      changed,
    )

    expect((await boardLesson(dataDir, original)).lesson?.goal.threshold).toBe(0.9)
    expect((await boardLesson(dataDir, original)).lesson?.goal.threshold).toBe(0.9)

    const refused = await cli(dataDir, 'lesson', 'board', changed)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      `Lesson “Aula 4” (id ${id}, version 1) is already on this board with different content. Nothing was replaced.`,
    )
    expect(refused.stderr).toContain('run the command again with --replace')
    const pt = await cli(dataDir, 'lesson', 'board', changed, '--lang', 'pt-BR')
    expect(pt.code).toBe(1)
    expect(pt.stderr).toContain(
      `A lição “Aula 4” (id ${id}, versão 1) já está neste quadro com outro conteúdo. Nada foi substituído.`,
    )
    const json = await boardLesson(dataDir, changed)
    expect(json.code).toBe(1)
    expect(JSON.parse((json.error ?? '').split('\n')[0]).error.code).toBe('CONFLICT')
    expect((await boardLesson(dataDir, id)).lesson?.goal.threshold).toBe(0.9)

    expect((await boardLesson(dataDir, changed, '--replace')).lesson?.goal.threshold).toBe(0.99)
    expect((await boardLesson(dataDir, id)).lesson?.goal.threshold).toBe(0.99)
    // A newer version replaces without asking; the older one no longer does anything.
    const newer = join(work, 'aula-v2.sinapse-aula')
    await lessons.writePackFile({ ...lesson, version: 2 }, newer)
    expect((await boardLesson(dataDir, newer)).lesson?.version).toBe(2)
    expect((await boardLesson(dataDir, id)).lesson?.version).toBe(2)
  }, 120_000)
})

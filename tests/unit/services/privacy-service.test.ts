import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { prepareDataDir } from '../../../src/main/paths'
import { createPrivacyService } from '../../../src/main/services/privacy-service'
import { openDatabase } from '../../../src/main/store/db'
import { createBoardRepo } from '../../../src/main/store/board-repo'
import { createRunsRepo } from '../../../src/main/store/runs-repo'
import type { EventName } from '../../../src/shared/ipc-contract'
import { runInput } from '../store/fixtures'
import { refusal } from '../refusal'

const SECRET_NAME = 'Trabalho secreto da Ana Beatriz'

/** A real data folder with two finished runs, one model in it and one in a fallback folder. */
function folderWithRuns() {
  const paths = prepareDataDir(mkdtempSync(join(tmpdir(), 'sinapse-privacy-')))
  const fallback = mkdtempSync(join(tmpdir(), 'sinapse-fallback-'))
  const db = openDatabase(paths.database)
  const repo = createRunsRepo(db, { now: () => new Date() })
  const events: EventName[] = []
  let training = false
  const service = createPrivacyService({
    repo,
    paths,
    emit: (e) => void events.push(e),
    fallbackModelsDir: fallback,
    isTraining: () => training,
  })
  const a = repo.create(runInput({ name: SECRET_NAME, ownerPid: null, ownerToken: null }))
  repo.finish(a.id, 'completed', null)
  mkdirSync(join(paths.models, 'run-a'))
  writeFileSync(join(paths.models, 'run-a', 'model.json'), '{}')
  repo.saveModel(a.id, { path: join('models', 'run-a'), sha256: 'a'.repeat(64), sizeBytes: 2 })
  const b = repo.create(runInput({ name: 'CNN', ownerPid: null, ownerToken: null }))
  repo.finish(b.id, 'stopped', null)
  const outside = join(fallback, 'run-b')
  mkdirSync(outside)
  writeFileSync(join(outside, 'model.json'), '{}')
  repo.saveModel(b.id, { path: outside, sha256: 'b'.repeat(64), sizeBytes: 2 })
  // A file of the user's own in the fallback folder is not Sinapse's to delete.
  writeFileSync(join(fallback, 'minhas-notas.txt'), 'oi')
  return {
    paths,
    fallback,
    db,
    repo,
    events,
    service,
    setTraining: (v: boolean) => (training = v),
  }
}

describe('privacy', () => {
  it('says where everything is and how much there is', async () => {
    const f = folderWithRuns()
    const info = await f.service.info()
    expect(info).toMatchObject({
      dataDir: f.paths.root,
      databaseFile: f.paths.database,
      modelsDir: f.paths.models,
      fallbackModelsDir: f.fallback,
      runCount: 2,
      modelCount: 2,
    })
    expect(info.sizeBytes).toBeGreaterThan(0)
    f.db.close()
  })

  it('deletes nothing without the typed word, or while training', async () => {
    const f = folderWithRuns()
    const wrong = await refusal(f.service.deleteAll({ confirmation: 'sim' }))
    expect(wrong.localized('pt-BR')).toBe(
      'Nada foi apagado: digite APAGAR / DELETE exatamente para confirmar.',
    )
    f.setTraining(true)
    expect((await refusal(f.service.deleteAll({ confirmation: 'DELETE' }))).code).toBe('BUSY')
    f.setTraining(false)
    // A run queued or running in another process (the CLI) blocks it too.
    const busy = f.repo.create(runInput({ name: 'em andamento' }))
    expect((await refusal(f.service.deleteAll({ confirmation: 'APAGAR' }))).code).toBe('BUSY')
    expect(f.repo.list()).toHaveLength(3)
    f.repo.finish(busy.id, 'stopped', null)
    expect(existsSync(join(f.paths.models, 'run-a'))).toBe(true)
    expect(f.events).toEqual([])
    f.db.close()
  })

  it('deletes every run and model, leaves no trace in the database file, and the app keeps working', async () => {
    const f = folderWithRuns()
    const result = await f.service.deleteAll({ confirmation: ' APAGAR ' })
    expect(result).toEqual({ runsDeleted: 2, foldersDeleted: 2 })
    expect(f.repo.list()).toEqual([])
    expect(readdirSync(f.paths.models)).toEqual([])
    expect(readdirSync(f.fallback)).toEqual(['minhas-notas.txt'])
    expect(f.events).toEqual(['runs:changed'])
    f.db.close()
    // The file is compacted: the deleted run's name is nowhere in it (nor in a WAL beside it).
    for (const file of readdirSync(f.paths.root).filter((n) => n.startsWith('sinapse.db'))) {
      expect(readFileSync(join(f.paths.root, file)).includes(SECRET_NAME), file).toBe(false)
    }
    // And the data folder still works: a new run can be made.
    const db = openDatabase(f.paths.database)
    const repo = createRunsRepo(db, { now: () => new Date() })
    expect(repo.create(runInput({ name: 'de novo' })).id).toBeGreaterThan(0)
    db.close()
  })

  it('deletes the lessons the class board remembered too, their titles gone from the file', async () => {
    const f = folderWithRuns()
    const boardRepo = createBoardRepo(f.db, { now: () => new Date() })
    const lessonTitle = 'Aula da turma 8B da professora Joana'
    boardRepo.saveLesson('5f0c2a4e-8d1b-4c3a-9e7f-0a1b2c3d4e5f', 1, { title: lessonTitle })
    expect(boardRepo.listLessons()).toHaveLength(1)
    await f.service.deleteAll({ confirmation: 'DELETE' })
    expect(boardRepo.listLessons()).toEqual([])
    f.db.close()
    for (const file of readdirSync(f.paths.root).filter((n) => n.startsWith('sinapse.db'))) {
      expect(readFileSync(join(f.paths.root, file)).includes(lessonTitle), file).toBe(false)
    }
  })
})

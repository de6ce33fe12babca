import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { prepareDataDir, type DataPaths } from '../../../src/main/paths'
import { createBundleService, type BundleService } from '../../../src/main/services/bundle-service'
import { openDatabase } from '../../../src/main/store/db'
import { createRunsRepo, type RunsRepo } from '../../../src/main/store/runs-repo'
import type { BundleImportOutcome } from '../../../src/shared/ipc-contract'
import { cli, tempDataDir } from '../cli/cli-helpers'
import { modelLessBundle, uidOf } from './bundle-fixtures'

interface Folder {
  paths: DataPaths
  repo: RunsRepo
  bundles: BundleService
  close(): void
}
const open: Folder[] = []

function openFolder(): Folder {
  const paths = prepareDataDir(mkdtempSync(join(tmpdir(), 'sinapse-many-')))
  const db = openDatabase(paths.database)
  const repo = createRunsRepo(db, { now: () => new Date() })
  const folder = {
    paths,
    repo,
    bundles: createBundleService({ repo, paths, emit: () => {}, locale: 'en', version: '1' }),
    close: () => db.close(),
  }
  open.push(folder)
  return folder
}

afterAll(() => {
  for (const folder of open) folder.close()
})

const five = [1, 2, 3, 4, 5].map((n) => ({
  name: `aluno-${n}.sinapse`,
  bytes: modelLessBundle(n, `Aluno ${n}`),
}))

function truncated(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(0, bytes.length - 10)
}

describe('importing many bundles at once', () => {
  it('imports five bundles, each reported with its run, and adds the bulk tag', async () => {
    const folder = openFolder()
    const outcomes = await folder.bundles.importFiles(five, { tag: 'turma-3B' })
    expect(outcomes.map((o) => o.file)).toEqual(five.map((f) => f.name))
    expect(outcomes.every((o) => 'runId' in o && !('duplicate' in o))).toBe(true)
    const runs = folder.repo.list()
    expect(runs.map((r) => r.name).sort()).toEqual([
      'Aluno 1',
      'Aluno 2',
      'Aluno 3',
      'Aluno 4',
      'Aluno 5',
    ])
    for (const run of runs) expect(run.tags).toEqual(['turma-3B', 'mlp'])
  })

  it('reports a duplicate, a damaged file and a non-bundle, and still imports the rest', async () => {
    const folder = openFolder()
    await folder.bundles.importFiles([five[0]])
    const outcomes = await folder.bundles.importFiles([
      five[0],
      { name: 'cortado.sinapse', bytes: truncated(five[1].bytes) },
      { name: 'notas.txt', bytes: new TextEncoder().encode('not a bundle') },
      five[2],
    ])
    expect(outcomes[0]).toEqual({ file: 'aluno-1.sinapse', duplicate: true, runId: 1 })
    expect(outcomes[1]).toMatchObject({ file: 'cortado.sinapse', error: { code: 'INVALID_INPUT' } })
    expect((outcomes[1] as { error: { message: string } }).error.message).toContain('is incomplete')
    expect(outcomes[2]).toMatchObject({ file: 'notas.txt', error: { code: 'INVALID_INPUT' } })
    expect((outcomes[2] as { error: { message: string } }).error.message).toContain('notas.txt')
    expect(outcomes[3]).toEqual({ file: 'aluno-3.sinapse', runId: 2 })
    expect(
      folder.repo
        .list()
        .map((r) => r.uid)
        .sort(),
    ).toEqual([uidOf(1), uidOf(3)])
    // Nothing half-imported: no stray model folder or temporary file.
    expect(readdirSync(folder.paths.models)).toEqual([])
  })

  it('imports a zip of bundles entry by entry, naming each as zip/entry', async () => {
    const folder = openFolder()
    const zip = zipSync({
      'turma/aluno-1.sinapse': five[0].bytes,
      'turma/aluno-2.sinapse': truncated(five[1].bytes),
      'turma/leia-me.txt': new TextEncoder().encode('oi'),
    })
    const outcomes = await folder.bundles.importFiles([{ name: 'entregas.zip', bytes: zip }])
    expect(outcomes.map((o) => [o.file, 'error' in o])).toEqual([
      ['entregas.zip/turma/aluno-1.sinapse', false],
      ['entregas.zip/turma/aluno-2.sinapse', true],
    ])
    expect(folder.repo.list()).toHaveLength(1)

    const empty = zipSync({ 'x.txt': new TextEncoder().encode('x') })
    const [none] = await folder.bundles.importFiles([{ name: 'vazio.zip', bytes: empty }])
    expect(none).toMatchObject({ file: 'vazio.zip', error: { code: 'INVALID_INPUT' } })
    expect((none as { error: { message: string } }).error.message).toContain('no .sinapse')
  })

  it("keeps the student's name and the lesson id of a hand-in on the run", async () => {
    const folder = openFolder()
    const handIn = {
      student: 'Ana Souza',
      lessonId: '5f0c2a4e-8d1b-4c3a-9e7f-0a1b2c3d4e5f',
      lessonVersion: 2,
      handedInAt: '2026-11-30T11:00:00.000Z',
    }
    const [outcome] = await folder.bundles.importFiles([
      { name: 'ana.sinapse', bytes: modelLessBundle(11, 'MLP da Ana', { handIn }) },
    ])
    expect(outcome).toEqual({ file: 'ana.sinapse', runId: 1 })
    expect(folder.repo.get(1)).toMatchObject({
      student: 'Ana Souza',
      lessonId: '5f0c2a4e-8d1b-4c3a-9e7f-0a1b2c3d4e5f',
    })
    const [plain] = await folder.bundles.importFiles([five[0]])
    expect(folder.repo.get((plain as { runId: number }).runId)).toMatchObject({
      student: null,
      lessonId: null,
    })
  })

  it('keeps a run that already has 20 tags valid when the bulk tag is added', async () => {
    const folder = openFolder()
    const tags = Array.from({ length: 20 }, (_, i) => `t${i}`)
    const many = modelLessBundle(9, 'Vinte etiquetas', {}, { tags })
    await folder.bundles.importFiles([{ name: 'tags.sinapse', bytes: many }], { tag: 'aula-1' })
    const [run] = folder.repo.list()
    expect(run.tags).toHaveLength(20)
    expect(run.tags[0]).toBe('aula-1')
  })
})

describe('sinapse import with many paths', () => {
  function lines(stdout: string): BundleImportOutcome[] {
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as BundleImportOutcome)
  }

  it('takes files and folders at once, one JSON line per file, status 1 when one is refused', async () => {
    const dataDir = tempDataDir()
    const hand = mkdtempSync(join(tmpdir(), 'sinapse-handins-'))
    const folder = join(hand, 'turma')
    mkdirSync(folder)
    five.slice(0, 3).forEach((f) => writeFileSync(join(folder, f.name), f.bytes))
    writeFileSync(join(folder, 'leia-me.txt'), 'ignored: not a bundle')
    writeFileSync(join(hand, 'aluno-4.sinapse'), five[3].bytes)
    writeFileSync(join(hand, 'quebrado.sinapse'), truncated(five[4].bytes))

    const result = await cli(
      dataDir,
      'import',
      join(hand, 'aluno-4.sinapse'),
      folder,
      join(hand, 'quebrado.sinapse'),
      join(hand, 'aluno-4.sinapse'),
      '--tag',
      'turma-3B',
      '--json',
    )
    expect(result.code).toBe(1)
    const outcomes = lines(result.stdout)
    expect(outcomes).toEqual([
      { file: join(hand, 'aluno-4.sinapse'), runId: 1 },
      { file: join(folder, 'aluno-1.sinapse'), runId: 2 },
      { file: join(folder, 'aluno-2.sinapse'), runId: 3 },
      { file: join(folder, 'aluno-3.sinapse'), runId: 4 },
      {
        file: join(hand, 'quebrado.sinapse'),
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('quebrado.sinapse') },
      },
      { file: join(hand, 'aluno-4.sinapse'), duplicate: true, runId: 1 },
    ])
    const runs = JSON.parse((await cli(dataDir, 'runs', '--json')).stdout) as { tags: string[] }[]
    expect(runs).toHaveLength(4)
    expect(runs.every((r) => r.tags.includes('turma-3B'))).toBe(true)

    const ok = await cli(dataDir, 'import', join(folder, 'aluno-1.sinapse'), '--lang', 'pt-BR')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('já estava aqui como treino 2')
  }, 120_000)

  it('refuses a bad tag before importing anything', async () => {
    const dataDir = tempDataDir()
    const file = join(mkdtempSync(join(tmpdir(), 'sinapse-tag-')), 'a.sinapse')
    writeFileSync(file, five[0].bytes)
    const result = await cli(dataDir, 'import', file, '--tag', 'x'.repeat(41))
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('1 to 40 characters')
    expect(JSON.parse((await cli(dataDir, 'runs', '--json')).stdout)).toEqual([])
  })
})

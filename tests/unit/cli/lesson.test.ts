import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../../src/main/cli'
import { decodeBundle } from '../../../src/main/bundles/format'
import { validateBundle } from '../../../src/main/bundles/manifest'
import { cli, tempDataDir } from './cli-helpers'

describe('sinapse lesson', () => {
  it('create → open → hand-in, with locks, a goal and limits', async () => {
    const dataDir = tempDataDir()
    const work = tempDataDir()
    writeFileSync(join(work, 'pt.md'), '# Meta\nChegue a **97%** com até 50 000 parâmetros.\n')
    writeFileSync(join(work, 'en.md'), '# Goal\nReach **97%** with at most 50,000 parameters.\n')
    const pack = join(work, 'aula.sinapse-aula')
    const created = await cli(
      dataDir,
      'lesson',
      'create',
      '--preset',
      'tutorial-mlp',
      '--epochs',
      '1',
      '--limit',
      '600',
      '--seed',
      '7',
      '--title',
      'Aula 3',
      '--title-en',
      'Lesson 3',
      '--instructions',
      join(work, 'pt.md'),
      '--instructions-en',
      join(work, 'en.md'),
      '--goal',
      'testAccuracy>=0.97',
      '--lock',
      'optimizer,learningRate,epochs',
      '--hide',
      'limit',
      '--max-params',
      '150000',
      '--max-epochs',
      '5',
      '--out',
      pack,
      '--json',
    )
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const { id, path } = JSON.parse(created.stdout) as { id: string; path: string }
    expect(path).toBe(pack)
    expect(id).toMatch(/^[0-9a-f-]{36}$/)

    const opened = await cli(dataDir, 'lesson', 'open', pack, '--json')
    expect(opened.code).toBe(0)
    const lesson = JSON.parse(opened.stdout)
    expect(lesson).toMatchObject({
      id,
      version: 1,
      seed: 7,
      dataset: 'mnist',
      goal: { metric: 'testAccuracy', threshold: 0.97 },
      constraints: { maxParams: 150000, maxEpochs: 5, maxLayers: null, allowedLayers: null },
      model: { mode: 'free' },
    })
    expect(lesson.controls).toMatchObject({
      optimizer: 'locked',
      learningRate: 'locked',
      epochs: 'locked',
      limit: 'hidden',
      batchSize: 'free',
    })
    expect(lesson.config).toMatchObject({ epochs: 1, limit: 600, seed: 7 })

    const text = await cli(dataDir, 'lesson', 'open', pack, '--lang', 'pt-BR')
    expect(text.stdout).toContain(`Aula 3  (aula ${id}, versão 1)`)
    expect(text.stdout).toContain('Meta: acurácia no teste ≥ 0,97 — ainda não medida.')
    expect(text.stdout).toContain('Travadas pelo professor: optimizer, learningRate, epochs.')
    expect(text.stdout).toContain('Escondidas (fixas): limit.')
    expect(text.stdout).toContain('Chegue a **97%**')
    const en = await cli(dataDir, 'lesson', 'open', pack)
    expect(en.stdout).toContain('Lesson 3')
    expect(en.stdout).toContain('Reach **97%**')

    // The student trains with the lesson's settings, then hands in.
    const trained = await cli(
      dataDir,
      'train',
      '--epochs',
      '1',
      '--limit',
      '600',
      '--seed',
      '7',
      '--json',
    )
    expect(trained.code).toBe(0)
    const runId = String(JSON.parse(trained.stdout).runId)
    const bundle = join(work, 'entrega.sinapse')
    const handed = await cli(
      dataDir,
      'lesson',
      'hand-in',
      runId,
      '--lesson',
      pack,
      '--student',
      'Coruja Azul',
      '--out',
      bundle,
    )
    expect(handed.stderr).toBe('')
    expect(handed.code).toBe(0)
    expect(handed.stdout).toContain(`Run ${runId} handed in: ${bundle}`)
    expect(handed.stdout).toContain('✓ 101,770 parameters (at most 150,000).')
    expect(handed.stdout).toContain('✓ Learning rate: kept at the teacher’s value (0.001).')
    expect(handed.stdout).toMatch(
      /✗ Goal not reached yet: test accuracy is 0\.\d+; the goal is ≥ 0\.97\./,
    )
    const bytes = new Uint8Array(readFileSync(bundle))
    const decoded = decodeBundle(bytes, 'entrega.sinapse')
    const { manifest } = validateBundle(decoded.header, decoded.files, 'entrega.sinapse')
    expect(manifest.handIn).toMatchObject({
      student: 'Coruja Azul',
      lessonId: id,
      lessonVersion: 1,
    })

    // Never over an existing file without --force.
    const again = await cli(
      dataDir,
      'lesson',
      'hand-in',
      runId,
      '--lesson',
      pack,
      '--student',
      'Outra',
      '--out',
      bundle,
    )
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('--force')
    expect(new Uint8Array(readFileSync(bundle))).toEqual(bytes)
    expect(readdirSync(work).sort()).toEqual([
      'aula.sinapse-aula',
      'en.md',
      'entrega.sinapse',
      'pt.md',
    ])
  }, 120_000)

  it('refuses hostile instructions, bad goals and unknown settings with clear messages', async () => {
    const dataDir = tempDataDir()
    const work = tempDataDir()
    writeFileSync(join(work, 'bad.md'), 'Olá\n<img src=x onerror=alert(1)>\n')
    const out = join(work, 'a.sinapse-aula')
    const hostile = await cli(
      dataDir,
      'lesson',
      'create',
      '--instructions',
      join(work, 'bad.md'),
      '--out',
      out,
    )
    expect(hostile.code).toBe(1)
    expect(hostile.stderr).toContain('instructions.pt-BR')
    expect(hostile.stderr).toContain('line 2')
    const goal = await cli(dataDir, 'lesson', 'create', '--goal', 'f1>=0.9', '--out', out)
    expect(goal.code).toBe(1)
    expect(goal.stderr).toContain('The goal "f1>=0.9" is not understood')
    const lock = await cli(dataDir, 'lesson', 'create', '--lock', 'colour', '--out', out)
    expect(lock.code).toBe(1)
    expect(lock.stderr).toContain('--lock: unknown setting "colour"')
    expect(readdirSync(work)).toEqual(['bad.md'])

    writeFileSync(join(work, 'fake.sinapse-aula'), 'SINAPSE-BUNDLE nope')
    const fake = await cli(dataDir, 'lesson', 'open', join(work, 'fake.sinapse-aula'), '--json')
    expect(fake.code).toBe(1)
    expect(JSON.parse(fake.stdout).error.message).toContain('is not a Sinapse lesson pack')
    const action = await cli(dataDir, 'lesson', 'grade', '--lang', 'pt-BR')
    expect(action.stderr).toContain('Ação de aula desconhecida "grade"')
  })

  it('prints its own help in both languages', async () => {
    const chunks: string[] = []
    const io = {
      stdout: { write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream,
      stderr: { write: () => true } as unknown as NodeJS.WriteStream,
      env: { LANG: 'pt_BR.UTF-8' },
      onSignal: () => {},
    }
    expect(await runCli(['lesson'], io)).toBe(0)
    expect(chunks.join('')).toContain('Uso: sinapse lesson <create|open|hand-in>')
    const en = await cli(tempDataDir(), 'lesson', '--help')
    expect(en.stdout).toContain('Usage: sinapse lesson <create|open|hand-in>')
  })
})

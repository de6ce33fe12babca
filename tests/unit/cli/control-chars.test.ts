import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createDispatcher } from '../../../src/main/ipc/register'
import { createServices } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { cli, tempDataDir } from './cli-helpers'

const fixture = join(import.meta.dirname, '../../fixtures/keras/mnist_mlp_keras3.h5')
/** Clears the screen, sets the window title and rings the bell: what a hostile name would do. */
const HOSTILE = '\x1b[2J\x1b]0;pwned\x07evil\rname'

describe('control characters in run names', () => {
  const dataDir = tempDataDir()
  let runId = 0

  it('are escaped by `runs` and `show`, never printed raw', async () => {
    // A model file's name becomes the run's name, as a bundle's run name would.
    const file = join(dataDir, `${HOSTILE}.h5`)
    copyFileSync(fixture, file)
    const imported = await cli(dataDir, 'import', file, '--json')
    expect(imported.code).toBe(0)
    runId = JSON.parse(imported.stdout).runId

    const list = await cli(dataDir, 'runs')
    const show = await cli(dataDir, 'show', String(runId))
    for (const output of [list.stdout, show.stdout]) {
      const raw = [...output].filter((c) => c !== '\n' && (c < ' ' || c === '\x7f'))
      expect(raw).toEqual([])
      expect(output).toContain('\\x1b[2J\\x1b]0;pwned\\x07evil\\x0dname')
    }
    // JSON keeps the name exactly, escaped the JSON way.
    const json = await cli(dataDir, 'runs', '--json')
    expect(JSON.parse(json.stdout)[0].name).toBe(HOSTILE)
  })

  it('are refused on rename with a translated error, and the name stays', async () => {
    const services = await createServices({
      dataDir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    try {
      const dispatch = createDispatcher(services.handlers, { locale: () => 'en' })
      const en = await dispatch('runs:update', { id: runId, name: 'new\x1b[2Jname' }, 'en')
      expect(en).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
      expect((en as { error: { message: string } }).error.message).toContain(
        'cannot hold control characters',
      )
      const pt = await dispatch('runs:update', { id: runId, name: 'novo\tnome' }, 'pt-BR')
      expect((pt as { error: { message: string } }).error.message).toContain(
        'não pode ter caracteres de controle',
      )
      expect(services.runs.get(runId).name).toBe(HOSTILE)
      const fine = await dispatch('runs:update', { id: runId, name: 'Meu modelo ✓' }, 'en')
      expect(fine).toMatchObject({ ok: true, value: { name: 'Meu modelo ✓' } })
    } finally {
      await services.close()
    }
  })
})

/** Turns the rest of a terminal line right to left: "abc\u202Eevil" shows as "abclive". */
const RLO = '\u202e'

describe('text-direction marks and long names', () => {
  const dataDir = tempDataDir()

  it('escapes a right-to-left override in a run name, so columns after it are not reversed', async () => {
    const file = join(dataDir, `score 0.99${RLO}evil.h5`)
    copyFileSync(fixture, file)
    expect((await cli(dataDir, 'import', file)).code).toBe(0)
    const list = await cli(dataDir, 'runs')
    expect(list.stdout).not.toContain(RLO)
    expect(list.stdout).toContain('score 0.99\\u202eevil')
  })

  it('refuses a new training named with a direction mark, or longer than 200 characters', async () => {
    for (const name of [`evil${RLO}gnp.exe`, 'a\u2066b', 'A'.repeat(201)]) {
      const r = await cli(dataDir, 'train', '--epochs', '1', '--limit', '100', '--name', name)
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/control characters|at most 200 characters/)
    }
    const pt = await cli(
      dataDir,
      'train',
      '--epochs',
      '1',
      '--limit',
      '100',
      '--name',
      'B'.repeat(300),
      '--lang',
      'pt-BR',
    )
    expect(pt.stderr).toContain('no máximo 200 caracteres')
    const runs = JSON.parse((await cli(dataDir, 'runs', '--json')).stdout) as { name: string }[]
    expect(runs).toHaveLength(1)
  })
})

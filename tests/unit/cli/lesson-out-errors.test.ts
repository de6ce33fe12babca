import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { toIoError } from '../../../src/main/storage-errors'
import { cli, tempDataDir } from './cli-helpers'

describe('lesson create --out: errors name the path the user gave', () => {
  it('an invalid lesson is reported against --out, not a generated file name', async () => {
    const work = tempDataDir()
    const out = join(work, 'minha-aula.sinapse-aula')
    for (const lang of ['en', 'pt-BR']) {
      const r = await cli(
        tempDataDir(),
        'lesson',
        'create',
        '--max-epochs',
        '0',
        '--out',
        out,
        '--lang',
        lang,
      )
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`“${out}”`)
      expect(r.stderr).toContain('constraints.maxEpochs')
      // The generated name is `<title slug>-<first 8 hex of the id>.sinapse-aula`.
      expect(r.stderr).not.toMatch(/aula-[0-9a-f]{8}\.sinapse-aula/)
    }
    expect(readdirSync(work)).toEqual([])
  })

  it.skipIf(!existsSync('/proc/self'))(
    'a folder that cannot hold files is reported against --out, not the temporary file (needs /proc)',
    async () => {
      // /proc/self exists but refuses new files: the atomic write's temporary sibling fails.
      const out = '/proc/self/aula.sinapse-aula'
      const en = await cli(tempDataDir(), 'lesson', 'create', '--title', 'A', '--out', out)
      expect(en.code).toBe(1)
      expect(en.stderr).toContain(`Could not read or write ${out}: it, or a folder on its way`)
      expect(en.stderr).not.toContain('.tmp-')
      const pt = await cli(
        tempDataDir(),
        'lesson',
        'create',
        '--title',
        'A',
        '--out',
        out,
        '--lang',
        'pt-BR',
      )
      expect(pt.code).toBe(1)
      expect(pt.stderr).toContain(
        `Não foi possível ler ou gravar ${out}: ele, ou uma pasta no caminho`,
      )
      expect(pt.stderr).not.toContain('.tmp-')
    },
  )

  it('a system error without a translation keeps its reason but not the path it touched', async () => {
    const work = tempDataDir()
    const loop = join(work, 'loop')
    symlinkSync(loop, loop)
    const raw = await open(join(loop, '.aula.sinapse-aula.tmp-1-ab'), 'wx').then(
      () => null,
      (err: unknown) => err,
    )
    expect(String(raw)).toContain('.tmp-1-ab')
    const err = toIoError(join(work, 'aula.sinapse-aula'), raw)
    expect(err.code).toBe('IO_ERROR')
    expect(err.localized('en')).toBe(
      `Could not read or write ${join(work, 'aula.sinapse-aula')}: ELOOP: too many symbolic links encountered`,
    )
    const missing = await open(join(work, 'none', 'x'), 'r').catch((e: unknown) => e)
    mkdirSync(join(work, 'here'))
    expect(toIoError(join(work, 'here', 'x'), missing).localized('pt-BR')).not.toContain('none')
  })
})

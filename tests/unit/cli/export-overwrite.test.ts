import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, tempDataDir } from './cli-helpers'

const fixture = join(import.meta.dirname, '../../fixtures/keras/mnist_mlp_keras3.h5')

/**
 * An imported Keras file in the user's own folder, as a run: exporting it back as .h5 to the same
 * folder targets the user's original file (the run is named after it).
 */
async function importedRun(): Promise<{ dataDir: string; userDir: string; id: string }> {
  const dataDir = tempDataDir()
  const userDir = tempDataDir()
  copyFileSync(fixture, join(userDir, 'mine.h5'))
  const r = await cli(dataDir, 'import', join(userDir, 'mine.h5'), '--json')
  expect(r.code).toBe(0)
  return { dataDir, userDir, id: String(JSON.parse(r.stdout).runId) }
}

describe('export never replaces what the user has unless --force', () => {
  it('refuses an .h5 export over the user original, then --force replaces it', async () => {
    const { dataDir, userDir, id } = await importedRun()
    const original = join(userDir, 'mine.h5')
    const before = readFileSync(original)
    const r = await cli(dataDir, 'export', id, '--out', userDir, '--format', 'h5')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(original)
    expect(r.stderr).toContain('--force')
    expect(readFileSync(original).equals(before)).toBe(true)
    expect(readdirSync(userDir)).toEqual(['mine.h5'])

    const pt = await cli(
      dataDir,
      'export',
      id,
      '--out',
      userDir,
      '--format',
      'h5',
      '--lang',
      'pt-BR',
    )
    expect(pt.stderr).toContain('já existe')

    const f = await cli(dataDir, 'export', id, '--out', userDir, '--format', 'h5', '--force')
    expect(f.code).toBe(0)
    const after = readFileSync(original)
    expect(after.equals(before)).toBe(false)
    expect(after.subarray(0, 8).toString('latin1')).toBe('\x89HDF\r\n\x1a\n')
    expect(readdirSync(userDir)).toEqual(['mine.h5'])
  })

  it('refuses a bundle export over an existing --out file, then --force replaces it', async () => {
    const { dataDir, userDir, id } = await importedRun()
    const target = join(userDir, 'notes.sinapse')
    writeFileSync(target, 'my own notes')
    const r = await cli(dataDir, 'export', id, '--out', target, '--format', 'bundle', '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).error.message).toContain(target)
    expect(readFileSync(target, 'utf8')).toBe('my own notes')

    const f = await cli(dataDir, 'export', id, '--out', target, '--format', 'bundle', '--force')
    expect(f.code).toBe(0)
    expect(readFileSync(target).subarray(0, 14).toString('latin1')).toBe('SINAPSE-BUNDLE')
  })

  it('refuses a TF.js export into an existing folder; --force keeps the user files there', async () => {
    const { dataDir, userDir, id } = await importedRun()
    const outDir = join(userDir, 'export')
    const first = await cli(dataDir, 'export', id, '--out', outDir, '--json')
    expect(first.code).toBe(0)
    const { path } = JSON.parse(first.stdout) as { path: string }
    const modelJson = join(path, 'model.json')
    writeFileSync(join(path, 'README.txt'), 'my notes about this model')
    writeFileSync(modelJson, '{"edited": true}')
    mkdirSync(join(path, 'plots'))

    const r = await cli(dataDir, 'export', id, '--out', outDir, '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).error.message).toContain(path)
    expect(readFileSync(modelJson, 'utf8')).toBe('{"edited": true}')

    const f = await cli(dataDir, 'export', id, '--out', outDir, '--force', '--json')
    expect(f.code).toBe(0)
    expect(readdirSync(path).sort()).toEqual(['README.txt', 'model.json', 'plots', 'weights.bin'])
    expect(readFileSync(join(path, 'README.txt'), 'utf8')).toBe('my notes about this model')
    expect(JSON.parse(readFileSync(modelJson, 'utf8'))).toHaveProperty('weightsManifest')
  })

  it('takes --out model.h5 / model.zip as the file to write, as a bundle export does', async () => {
    const { dataDir, userDir, id } = await importedRun()
    // Before: a folder named copy.h5 with the model inside, and an existing plain file gave
    // "ENOTDIR: not a directory, lstat …".
    for (const [format, name, magic] of [
      ['h5', 'copy.h5', '\x89HDF'],
      ['tfjs-zip', 'copy.ZIP', 'PK\x03\x04'],
    ] as const) {
      const target = join(userDir, name)
      const r = await cli(dataDir, 'export', id, '--out', target, '--format', format, '--json')
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout).path).toBe(target)
      expect(readFileSync(target).subarray(0, 4).toString('latin1')).toBe(magic)
    }
    const notes = join(userDir, 'notes')
    writeFileSync(notes, 'mine')
    const r = await cli(dataDir, 'export', id, '--out', notes, '--format', 'h5')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${notes} already exists`)
    expect(r.stderr).not.toContain('ENOTDIR')
    expect(readFileSync(notes, 'utf8')).toBe('mine')
    expect(readdirSync(userDir).sort()).toEqual(['copy.ZIP', 'copy.h5', 'mine.h5', 'notes'])
  })
})

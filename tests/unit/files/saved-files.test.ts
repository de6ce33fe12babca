import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSavedFiles } from '../../../src/main/saved-files'
import { refusal } from '../refusal'

const dir = mkdtempSync(join(tmpdir(), 'sinapse-saved-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string): string {
  const path = join(dir, name)
  writeFileSync(path, name)
  return path
}

/** The files shown, and a SavedFiles that shows into it. */
function setup() {
  const shown: string[] = []
  return { shown, saved: createSavedFiles({ show: (path) => shown.push(path) }) }
}

describe('files the app saved, shown in their folder', () => {
  it('shows a file it recorded', async () => {
    const { shown, saved } = setup()
    const h5 = file('model.h5')
    saved.record(h5)
    await saved.reveal(h5)
    expect(shown).toEqual([h5])
  })

  it('refuses every path it did not record, saying so, and never calls the shell', async () => {
    const { shown, saved } = setup()
    const h5 = file('mine.h5')
    const other = file('other.txt')
    saved.record(h5)
    const sub = join(dir, 'sub')
    mkdirSync(sub, { recursive: true })
    for (const path of [other, dir, '/etc/passwd', 'mine.h5', './mine.h5', h5 + ' ', `${h5}x`]) {
      const err = await refusal(saved.reveal(path))
      expect(err.code, path).toBe('INVALID_INPUT')
      expect(err.key).toBe('files.revealUnknown')
    }
    // A link placed in a recorded folder is not a recorded file either.
    const link = join(sub, 'link.h5')
    symlinkSync(other, link)
    expect((await refusal(saved.reveal(link))).code).toBe('INVALID_INPUT')
    expect(shown).toEqual([])
  })

  it('takes only the very path it reported: no …/x/../ detour, no relative path', async () => {
    const { shown, saved } = setup()
    const h5 = file('again.h5')
    saved.record(h5)
    // join() would normalise it; a page may send it as it likes.
    expect((await refusal(saved.reveal(`${dir}/x/../again.h5`))).code).toBe('INVALID_INPUT')
    saved.record('relative.h5')
    expect((await refusal(saved.reveal('relative.h5'))).code).toBe('INVALID_INPUT')
    await saved.reveal(h5)
    expect(shown).toEqual([h5])
  })

  it('says a recorded file that was moved or deleted is gone, and a recorded folder is no file', async () => {
    const { shown, saved } = setup()
    const gone = file('gone.h5')
    saved.record(gone)
    rmSync(gone)
    const err = await refusal(saved.reveal(gone))
    expect(err.code).toBe('NOT_FOUND')
    expect(err.localized('pt-BR')).toContain('não está mais lá')
    const folder = join(dir, 'folder.h5')
    mkdirSync(folder)
    saved.record(folder)
    expect((await refusal(saved.reveal(folder))).code).toBe('NOT_FOUND')
    expect(shown).toEqual([])
  })

  it('forgets the oldest after 200 files', async () => {
    const { shown, saved } = setup()
    const first = file('first.h5')
    saved.record(first)
    for (let i = 0; i < 200; i++) saved.record(join(dir, `n${i}.csv`))
    expect((await refusal(saved.reveal(first))).code).toBe('INVALID_INPUT')
    // Recording again makes a file the newest.
    saved.record(first)
    await saved.reveal(first)
    expect(shown).toEqual([first])
  })

  it('refuses in browser mode and the CLI, where no folder may be opened, in both languages', async () => {
    const saved = createSavedFiles({ show: null })
    const h5 = file('web.h5')
    saved.record(h5)
    const err = await refusal(saved.reveal(h5))
    expect(err.key).toBe('files.revealDesktopOnly')
    expect(err.localized('en')).toContain('Only the desktop app')
    expect(err.localized('pt-BR')).toContain('Só o aplicativo de desktop')
  })
})

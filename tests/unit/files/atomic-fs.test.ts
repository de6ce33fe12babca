import {
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  writeFileAtomically,
  writeFileSynced,
  writeFolderAtomically,
} from '../../../src/main/atomic-fs'
import { AppError } from '../../../src/shared/errors'

// The real file system, with one fault switch: a rename chosen by the test fails as a full or
// failing disk would, between the steps of a write, so the test can see what survives.
const faults = vi.hoisted(() => ({
  rename: null as null | ((from: string, to: string) => boolean),
}))
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  const rename: typeof real.rename = async (from, to) => {
    if (faults.rename?.(String(from), String(to))) {
      throw Object.assign(new Error(`EIO: injected failure, rename '${from}'`), { code: 'EIO' })
    }
    return real.rename(from, to)
  }
  return { ...real, default: { ...real, rename }, rename }
})

let root: string
const text = (s: string) => new TextEncoder().encode(s)
const read = (file: string) => readFileSync(file, 'utf8')
/** Every name in a folder and its subfolders, sorted: leftovers show up here. */
const tree = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sinapse-atomic-'))
  faults.rename = null
})
afterEach(() => {
  faults.rename = null
  rmSync(root, { recursive: true, force: true })
})

async function ioError(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe('IO_ERROR')
  return err as AppError
}

describe('writeFileAtomically', () => {
  it('creates missing folders and leaves only the file', async () => {
    const file = join(root, 'a', 'b', 'data.bin')
    await writeFileAtomically(file, text('first'))
    expect(read(file)).toBe('first')
    expect(tree(root)).toEqual(['a', join('a', 'b'), join('a', 'b', 'data.bin')])
  })

  it('puts a new file in place of the old one instead of rewriting the old one', async () => {
    const file = join(root, 'data.bin')
    writeFileSync(file, 'old content')
    // A second name for the old file's bytes: a rename leaves them alone, an in-place write
    // (truncate and write the same file) changes them under every reader.
    const reader = join(root, 'reader-link')
    linkSync(file, reader)
    await writeFileAtomically(file, text('new content, longer'))
    expect(read(file)).toBe('new content, longer')
    expect(read(reader)).toBe('old content')
    expect(tree(root)).toEqual(['data.bin', 'reader-link'])
  })

  it('keeps the old content whole when writing the new bytes fails', async () => {
    const file = join(root, 'data.bin')
    writeFileSync(file, 'old content')
    // Not an ArrayBufferView: the write step throws after the file is opened.
    const unwritable = new Proxy(text('new'), {}) as Uint8Array
    await ioError(writeFileAtomically(file, unwritable))
    expect(read(file)).toBe('old content')
    expect(tree(root)).toEqual(['data.bin'])
  })

  it('keeps the old content whole when the final rename fails', async () => {
    const file = join(root, 'data.bin')
    writeFileSync(file, 'old content')
    faults.rename = (_from, to) => to === file
    const err = await ioError(writeFileAtomically(file, text('new content')))
    expect(err.params).toMatchObject({ path: file })
    expect(err.message).toContain('injected failure')
    expect(read(file)).toBe('old content')
    expect(tree(root)).toEqual(['data.bin'])
  })
})

describe('writeFileSynced', () => {
  it('writes a new file and never overwrites an existing one', async () => {
    const file = join(root, 'new.bin')
    await writeFileSynced(file, text('one'))
    expect(read(file)).toBe('one')
    await expect(writeFileSynced(file, text('two'))).rejects.toMatchObject({ code: 'EEXIST' })
    expect(read(file)).toBe('one')
  })
})

describe('writeFolderAtomically', () => {
  const dir = () => join(root, 'models', 'run-1')
  const oldFolder = () => {
    mkdirSync(dir(), { recursive: true })
    writeFileSync(join(dir(), 'model.json'), 'old model')
    writeFileSync(join(dir(), 'weights.bin'), 'old weights')
    writeFileSync(join(dir(), 'extra.txt'), 'only in the old one')
  }
  const newFiles = [
    { name: 'model.json', bytes: text('new model') },
    { name: 'weights.bin', bytes: text('new weights') },
  ]
  const expectOldFolderWhole = () => {
    expect(tree(join(root, 'models'))).toEqual([
      'run-1',
      join('run-1', 'extra.txt'),
      join('run-1', 'model.json'),
      join('run-1', 'weights.bin'),
    ])
    expect(read(join(dir(), 'model.json'))).toBe('old model')
    expect(read(join(dir(), 'weights.bin'))).toBe('old weights')
  }

  it('creates the folder with exactly the given files', async () => {
    await writeFolderAtomically(dir(), newFiles)
    expect(tree(join(root, 'models'))).toEqual([
      'run-1',
      join('run-1', 'model.json'),
      join('run-1', 'weights.bin'),
    ])
    expect(read(join(dir(), 'weights.bin'))).toBe('new weights')
  })

  it('replaces an existing folder whole: its other files go, nothing is left beside it', async () => {
    oldFolder()
    await writeFolderAtomically(dir(), newFiles)
    expect(tree(join(root, 'models'))).toEqual([
      'run-1',
      join('run-1', 'model.json'),
      join('run-1', 'weights.bin'),
    ])
    expect(read(join(dir(), 'model.json'))).toBe('new model')
  })

  it('keeps the old folder whole when writing a file fails', async () => {
    oldFolder()
    const files = [...newFiles, { name: join('no-such-sub', 'x.bin'), bytes: text('x') }]
    await ioError(writeFolderAtomically(dir(), files))
    expectOldFolderWhole()
  })

  it('keeps the old folder whole when moving the new one in fails', async () => {
    oldFolder()
    // The old folder has been moved aside; putting the new one in its place fails.
    faults.rename = (from, to) => to === dir() && from.includes('.tmp-')
    const err = await ioError(writeFolderAtomically(dir(), newFiles))
    expect(err.params).toMatchObject({ path: dir() })
    expectOldFolderWhole()
  })

  it('keeps the old folder whole when it cannot be moved aside', async () => {
    oldFolder()
    faults.rename = (from) => from === dir()
    await ioError(writeFolderAtomically(dir(), newFiles))
    expectOldFolderWhole()
  })

  it('creates the folder when nothing was there, or leaves nothing when that fails', async () => {
    faults.rename = (_from, to) => to === dir()
    await ioError(writeFolderAtomically(dir(), newFiles))
    expect(tree(join(root, 'models'))).toEqual([])
  })
})

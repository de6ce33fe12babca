import { execFileSync } from 'node:child_process'
import {
  linkSync,
  lstatSync,
  mkdirSync,
  readlinkSync,
  symlinkSync,
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
  exportFile,
  exportFolder,
  fsyncFolder,
  writeFileAtomically,
  writeFileSynced,
  writeFolderAtomically,
} from '../../../src/main/atomic-fs'
import { AppError } from '../../../src/shared/errors'

// No training and no big files here: each test takes well under a second idle and a few seconds
// on a loaded 2-core machine, so a hang fails after 60 s instead of the suite's 300 s guard.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

// The real file system, with one fault switch: a rename chosen by the test fails as a full or
// failing disk would, between the steps of a write, so the test can see what survives.
const faults = vi.hoisted(() => ({
  rename: null as null | ((from: string, to: string) => boolean),
  code: 'EIO',
  /** Every path whose handle was fsynced, in order. */
  synced: [] as string[],
  /** Every rename's source, in order. */
  renamedFrom: [] as string[],
}))
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  const rename: typeof real.rename = async (from, to) => {
    faults.renamedFrom.push(String(from))
    if (faults.rename?.(String(from), String(to))) {
      const code = faults.code
      throw Object.assign(new Error(`${code}: injected failure, rename '${from}'`), { code })
    }
    return real.rename(from, to)
  }
  const open = (async (file: string, flags: string) => {
    const handle = await real.open(file, flags)
    const sync = handle.sync.bind(handle)
    handle.sync = async () => {
      await sync()
      faults.synced.push(String(file))
    }
    return handle
  }) as typeof real.open
  return { ...real, default: { ...real, rename, open }, rename, open }
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
  faults.code = 'EIO'
  faults.synced = []
  faults.renamedFrom = []
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

/** The open file descriptors of this process, where Linux shows them. */
const openFds = (): number | null => {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return null
  }
}

describe('faults and handles', () => {
  it('fsyncs the new bytes before the rename and the folder after it', async () => {
    const file = join(root, 'data.bin')
    await writeFileAtomically(file, text('x'))
    const [temp] = faults.renamedFrom
    expect(faults.synced).toEqual([temp, root])
    faults.synced = []
    faults.renamedFrom = []
    const dir = join(root, 'models', 'run-1')
    await writeFolderAtomically(dir, [{ name: 'a.bin', bytes: text('a') }])
    const [tempDir] = faults.renamedFrom
    expect(faults.synced).toEqual([join(tempDir, 'a.bin'), tempDir, join(root, 'models')])
  })

  it('names its temporary files and folders after this process and a random part', async () => {
    // Two writers of the same target (two windows, the CLI) must never share a temporary name.
    const unique = (name: string) => new RegExp(`/\\.${name}\\.tmp-${process.pid}-[0-9a-f]{8}$`)
    await writeFileAtomically(join(root, 'data.bin'), text('x'))
    await writeFolderAtomically(join(root, 'run-1'), [{ name: 'a.bin', bytes: text('a') }])
    await exportFolder(join(root, 'run-1'), [{ name: 'a.bin', bytes: text('b') }], { force: true })
    expect(faults.renamedFrom).toHaveLength(3)
    expect(faults.renamedFrom[0]).toMatch(unique('data\\.bin'))
    expect(faults.renamedFrom[1]).toMatch(unique('run-1'))
    expect(faults.renamedFrom[2]).toMatch(unique('a\\.bin'))
  })

  it('reports a full disk as DISK_FULL naming the file, and other failures with their detail', async () => {
    const file = join(root, 'data.bin')
    faults.code = 'ENOSPC'
    faults.rename = (_from, to) => to === file
    const full = await writeFileAtomically(file, text('x')).catch((e: unknown) => e)
    expect(full).toBeInstanceOf(AppError)
    expect(full).toMatchObject({ code: 'DISK_FULL', params: { path: file } })
    faults.code = 'EIO'
    const io = await ioError(writeFileAtomically(file, text('x')))
    // The system's message named the temporary sibling; the error names only the user's file.
    expect(faults.renamedFrom.at(-1)).toContain('.tmp-')
    expect(io.params).toEqual({ path: file, detail: 'EIO: injected failure' })
    expect(tree(root)).toEqual([])
  })

  it('turns a thrown non-Error into IO_ERROR with its text', async () => {
    const file = join(root, 'data.bin')
    faults.rename = () => {
      throw 'a bare string'
    }
    const io = await ioError(writeFileAtomically(file, text('x')))
    expect(io.params).toEqual({ path: file, detail: 'a bare string' })
    expect(tree(root)).toEqual([])
  })

  it('fails with IO_ERROR, leaving nothing, when the parent folder is a file', async () => {
    writeFileSync(join(root, 'plain'), 'a file')
    await ioError(
      writeFolderAtomically(join(root, 'plain', 'run-1'), [{ name: 'a', bytes: text('a') }]),
    )
    await ioError(writeFileAtomically(join(root, 'plain', 'a.bin'), text('a')))
    expect(tree(root)).toEqual(['plain'])
  })

  it('fsyncs a folder that exists and fails on one that does not', async () => {
    await fsyncFolder(root)
    await expect(fsyncFolder(join(root, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('closes every file and folder it opens', async (ctx) => {
    const before = openFds()
    if (before === null) ctx.skip()
    for (let i = 0; i < 20; i++) {
      await writeFileAtomically(join(root, `f${i}.bin`), text('x'))
      await writeFolderAtomically(join(root, 'dir'), [{ name: 'a', bytes: text(String(i)) }])
      await exportFolder(join(root, 'dir'), [{ name: 'a', bytes: text('b') }], { force: true })
    }
    await expect(writeFileSynced(join(root, 'f0.bin'), text('y'))).rejects.toThrow()
    expect(openFds()).toBe(before)
  })
})

describe('exportFile', () => {
  it('writes a new file, and refuses an existing one untouched unless forced', async () => {
    const file = join(root, 'out', 'model.h5')
    await exportFile(file, text('first'))
    expect(read(file)).toBe('first')
    const err = await exportFile(file, text('second')).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      key: 'error.exportTargetExists',
      params: { path: file },
    })
    expect(read(file)).toBe('first')
    await exportFile(file, text('second'), { force: true })
    expect(read(file)).toBe('second')
    expect(tree(join(root, 'out'))).toEqual(['model.h5'])
  })

  it('refuses a folder even when forced', async () => {
    const dir = join(root, 'a-folder')
    mkdirSync(dir)
    for (const force of [false, true]) {
      const err = await exportFile(dir, text('x'), { force }).catch((e: unknown) => e)
      expect(err).toMatchObject({
        code: 'INVALID_INPUT',
        key: 'error.exportTargetIsFolder',
        params: { path: dir },
      })
    }
    expect(tree(root)).toEqual(['a-folder'])
  })

  it('replaces a symlink when forced, never writing through it', async () => {
    const target = join(root, 'elsewhere.txt')
    writeFileSync(target, 'keep me')
    const link = join(root, 'link.h5')
    symlinkSync(target, link)
    await expect(exportFile(link, text('x'))).rejects.toMatchObject({
      key: 'error.exportTargetExists',
    })
    await exportFile(link, text('new'), { force: true })
    expect(read(target)).toBe('keep me')
    expect(read(link)).toBe('new')
    expect(() => readlinkSync(link)).toThrow()
  })

  it('refuses a pipe or a device even when forced, and a link to one', async (ctx) => {
    // Run as root, `--out /dev/null --force` replaced the system's /dev/null with a file.
    if (process.platform === 'win32') ctx.skip()
    const fifo = join(root, 'a-pipe')
    execFileSync('mkfifo', [fifo])
    const link = join(root, 'to-a-pipe.h5')
    symlinkSync(fifo, link)
    for (const target of [fifo, link]) {
      for (const force of [false, true]) {
        const err = await exportFile(target, text('x'), { force }).catch((e: unknown) => e)
        expect(err).toMatchObject({
          code: 'INVALID_INPUT',
          key: 'error.exportTargetSpecial',
          params: { path: target },
        })
      }
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(readlinkSync(link)).toBe(fifo)
    expect(tree(root)).toEqual(['a-pipe', 'to-a-pipe.h5'])
  })

  it('reports a path it cannot look at as IO_ERROR', async () => {
    writeFileSync(join(root, 'plain'), 'a file')
    const file = join(root, 'plain', 'model.h5')
    const err = await ioError(exportFile(file, text('x')))
    expect(err).toMatchObject({ key: 'error.ioNotFolder', params: { path: file } })
    expect(err.localized('pt-BR')).toContain('uma parte desse caminho é um arquivo')
    const folder = await ioError(exportFolder(file, [{ name: 'a', bytes: text('a') }]))
    expect(folder).toMatchObject({ key: 'error.ioNotFolder', params: { path: file } })
    expect(tree(root)).toEqual(['plain'])
  })
})

describe('exportFolder', () => {
  const dir = () => join(root, 'export')
  const files = [
    { name: 'model.json', bytes: text('new model') },
    { name: 'weights.bin', bytes: text('new weights') },
  ]
  const existing = () => {
    mkdirSync(dir())
    writeFileSync(join(dir(), 'model.json'), 'old model')
    writeFileSync(join(dir(), 'weights.bin'), 'old weights')
    writeFileSync(join(dir(), 'notes.txt'), "the user's")
  }
  const expectOld = () => {
    expect(tree(dir())).toEqual(['model.json', 'notes.txt', 'weights.bin'])
    expect(read(join(dir(), 'model.json'))).toBe('old model')
    expect(read(join(dir(), 'weights.bin'))).toBe('old weights')
  }

  it('writes a new folder', async () => {
    await exportFolder(dir(), files)
    expect(tree(dir())).toEqual(['model.json', 'weights.bin'])
    expect(read(join(dir(), 'model.json'))).toBe('new model')
  })

  it('refuses an existing folder untouched unless forced, and a file always', async () => {
    existing()
    const err = await exportFolder(dir(), files).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      key: 'error.exportTargetExists',
      params: { path: dir() },
    })
    expectOld()
    const file = join(root, 'a-file')
    writeFileSync(file, 'x')
    for (const force of [false, true]) {
      const notFolder = await exportFolder(file, files, { force }).catch((e: unknown) => e)
      expect(notFolder).toMatchObject({
        code: 'INVALID_INPUT',
        key: 'error.exportTargetNotFolder',
        params: { path: file },
      })
    }
    expect(read(file)).toBe('x')
  })

  it("forced, replaces the model's files and keeps the user's others", async () => {
    existing()
    await exportFolder(dir(), files, { force: true })
    expect(tree(dir())).toEqual(['model.json', 'notes.txt', 'weights.bin'])
    expect(read(join(dir(), 'model.json'))).toBe('new model')
    expect(read(join(dir(), 'weights.bin'))).toBe('new weights')
    expect(read(join(dir(), 'notes.txt'))).toBe("the user's")
  })

  it('forced, refuses when a file it would write is a folder there, changing nothing', async () => {
    existing()
    mkdirSync(join(dir(), 'group1-shard1of1.bin'))
    const more = [...files, { name: 'group1-shard1of1.bin', bytes: text('w') }]
    const err = await exportFolder(dir(), more, { force: true }).catch((e: unknown) => e)
    expect(err).toMatchObject({
      code: 'INVALID_INPUT',
      key: 'error.exportTargetIsFolder',
      params: { path: join(dir(), 'group1-shard1of1.bin') },
    })
    expect(tree(dir())).toEqual(['group1-shard1of1.bin', 'model.json', 'notes.txt', 'weights.bin'])
    expect(read(join(dir(), 'model.json'))).toBe('old model')
  })

  it('forced, renames model.json last, so a failure before it leaves the old model.json', async () => {
    existing()
    // model.json comes first in the list; it must still be renamed after the weights.
    const ordered = [files[0], files[1]]
    faults.rename = (_from, to) => to === join(dir(), 'weights.bin')
    const err = await ioError(exportFolder(dir(), ordered, { force: true }))
    expect(err.params).toMatchObject({ path: dir() })
    expectOld()
  })

  it('forced, leaves no temporary file when writing one fails', async () => {
    existing()
    const unwritable = new Proxy(text('new'), {}) as Uint8Array
    await ioError(
      exportFolder(dir(), [files[0], { name: 'weights.bin', bytes: unwritable }], { force: true }),
    )
    expectOld()
  })
})

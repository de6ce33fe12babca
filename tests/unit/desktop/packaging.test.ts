import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { listPackage } from '@electron/asar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nativeBindingFile } from '../../../src/main/native-binding'
import { ensureBuilt } from './build'

/*
 * `npm run dist`'s configuration (electron-builder.yml), run for real with electron-builder's
 * directory target against a stand-in Electron distribution (its electronDist option: a fake
 * `electron` executable, the version file and the licence files it copies), then the resulting
 * app.asar and app.asar.unpacked checked against what the app loads at run time.
 */

const root = process.cwd()
const version = (dir: string) =>
  (
    JSON.parse(readFileSync(join(root, 'node_modules', dir, 'package.json'), 'utf8')) as {
      version: string
    }
  ).version
const target = {
  electron: version('electron'),
  betterSqlite3: version('better-sqlite3'),
  platform: 'linux',
  arch: process.arch,
}
const nativeFile = nativeBindingFile(root, target)
const dirs: string[] = []
let createdNative = false
let files: Set<string>
let unpacked: string

function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sinapse-pack-${name}-`))
  dirs.push(dir)
  return dir
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), base) : [join(dir, e.name).slice(base.length)],
  )
}

beforeAll(async () => {
  await ensureBuilt()
  const electronDist = tempDir('electron')
  mkdirSync(join(electronDist, 'resources'))
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho stand-in\n')
  chmodSync(join(electronDist, 'electron'), 0o755)
  writeFileSync(join(electronDist, 'version'), target.electron)
  writeFileSync(join(electronDist, 'LICENSE'), '')
  writeFileSync(join(electronDist, 'LICENSES.chromium.html'), '')
  // The Electron build of better-sqlite3 cannot be made here (no Electron binary, no network):
  // a stand-in file takes its place unless a real one exists, and is removed afterwards.
  if (!existsSync(nativeFile)) {
    mkdirSync(dirname(nativeFile), { recursive: true })
    writeFileSync(nativeFile, 'stand-in for the Electron build of better-sqlite3')
    createdNative = true
  }
  const output = tempDir('dist')
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/electron-builder/cli.js'),
      '--dir',
      '--linux',
      `--${process.arch}`,
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  )
  if (result.status !== 0)
    throw new Error(`electron-builder failed:\n${result.stdout}${result.stderr}`)
  const appDir = readdirSync(output).find((d) => d.endsWith('-unpacked'))!
  const resources = join(output, appDir, 'resources')
  files = new Set(
    listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/')),
  )
  unpacked = join(resources, 'app.asar.unpacked')
}, 600_000)

afterAll(() => {
  if (createdNative) rmSync(dirname(nativeFile), { recursive: true, force: true })
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** Bare module names the built main process imports (statically or dynamically). */
function runtimeImports(): string[] {
  const names = new Set<string>()
  for (const file of readdirSync(join(root, 'out/main')).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(root, 'out/main', file), 'utf8')
    for (const m of code.matchAll(/(?:from|import)\s*\(?\s*"([^".][^"]*)"/g)) {
      const name = m[1].startsWith('@') ? m[1].split('/').slice(0, 2).join('/') : m[1].split('/')[0]
      const isPackage = /^(@[a-z0-9._-]+\/)?[a-z0-9._-]+$/.test(name)
      if (isPackage && !name.startsWith('node:') && name !== 'electron') names.add(name)
    }
  }
  return [...names].sort()
}

/** The file Node loads for a package: its exports' node/import/require entry, else main. */
function nodeEntry(pkg: { main?: string; exports?: unknown }): string | undefined {
  const dot = (pkg.exports as Record<string, unknown> | undefined)?.['.'] ?? pkg.exports
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value
    if (!value || typeof value !== 'object') return undefined
    const conditions = value as Record<string, unknown>
    for (const key of ['node', 'import', 'require', 'default']) {
      const found = pick(conditions[key])
      if (found) return found
    }
    return undefined
  }
  return pick(dot) ?? pkg.main
}

describe.skipIf(process.platform !== 'linux')('the packaged app (electron-builder --dir)', () => {
  it('ships the built app: main, worker, migrations, preload, renderer', () => {
    for (const file of [
      '/package.json',
      '/out/main/index.js',
      '/out/main/worker.js',
      '/out/main/migrations/0001_init.sql',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/resources/icon.png',
    ]) {
      expect(files.has(file), file).toBe(true)
    }
  })

  it('ships every package the main process and the worker import, with what they load', () => {
    const imports = runtimeImports()
    expect(imports).toEqual(
      expect.arrayContaining(['better-sqlite3', 'sharp', '@tensorflow/tfjs-core']),
    )
    for (const name of imports) {
      expect(files.has(`/node_modules/${name}/package.json`), name).toBe(true)
    }
    for (const wasm of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      expect(files.has(`/node_modules/@tensorflow/tfjs-backend-wasm/dist/${wasm}`)).toBe(true)
    }
    // Each package's entry file is there (trimming must not remove what Node loads).
    for (const name of imports) {
      const pkg = JSON.parse(
        readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { main?: string; exports?: unknown }
      const entry = nodeEntry(pkg)
      if (!entry) continue
      const main = `/node_modules/${name}/${entry.replace(/^\.\//, '')}`
      const candidates = [main, `${main}.js`, `${main}/index.js`]
      expect(
        candidates.some((c) => files.has(c) || existsSync(join(unpacked, c))),
        main,
      ).toBe(true)
    }
  })

  it('unpacks the native parts: the Electron build of better-sqlite3, sharp and libvips', () => {
    const native = walk(unpacked).map((f) => f.replaceAll('\\', '/'))
    const key = dirname(nativeFile).split(/[\\/]/).pop()
    expect(native).toContain(`/.sinapse-native/${key}/better_sqlite3.node`)
    expect(
      native.some((f) => /^\/node_modules\/@img\/sharp-linux-[^/]+\/lib\/sharp-.*\.node$/.test(f)),
    ).toBe(true)
    expect(
      native.some((f) =>
        /^\/node_modules\/@img\/sharp-libvips-linux-[^/]+\/lib\/libvips-cpp\.so/.test(f),
      ),
    ).toBe(true)
    expect(native.some((f) => f.startsWith('/node_modules/sharp/lib/'))).toBe(true)
  })

  it('ships no sources, tests, devDependencies, Node-ABI build or tfjs-node', () => {
    const all = [...files]
    const forbidden = [
      /^\/src\//,
      /^\/tests\//,
      /^\/bench\//,
      /^\/scripts\//,
      /^\/node_modules\/(electron|electron-builder|vitest|typescript|svelte|vite|eslint|playwright-core|tsx|esbuild)\//,
      /^\/node_modules\/@tensorflow\/(tfjs|tfjs-node|tfjs-backend-webgl|tfjs-converter|tfjs-data)\//,
      /^\/node_modules\/better-sqlite3\/(build|deps|src)\//,
      /\.map$/,
    ]
    for (const pattern of forbidden) {
      expect(
        all.filter((f) => pattern.test(f)),
        String(pattern),
      ).toEqual([])
    }
  })
})

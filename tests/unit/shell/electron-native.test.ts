import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  copyPackage,
  ensureElectronNative,
  findElectronBinary,
  nativeOutputFile,
  nodeGypArgs,
  prebuildArgs,
} from '../../../scripts/electron-native.mjs'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

/** A project root with an electron package (binary optional) and a small better-sqlite3. */
function createRoot({ withBinary }: { withBinary: boolean }): string {
  const root = mkdtempSync(join(tmpdir(), 'sinapse-native-test-'))
  dirs.push(root)
  const electron = join(root, 'node_modules', 'electron')
  write(join(electron, 'package.json'), JSON.stringify({ version: '39.8.10' }))
  if (withBinary) {
    write(join(electron, 'path.txt'), 'electron')
    write(join(electron, 'dist', 'electron'), 'binary')
  }
  const sqlite = join(root, 'node_modules', 'better-sqlite3')
  write(join(sqlite, 'package.json'), JSON.stringify({ name: 'better-sqlite3' }))
  write(join(sqlite, 'src', 'better_sqlite3.cpp'), '// source')
  write(join(sqlite, 'build', 'Release', 'better_sqlite3.node'), 'node-build')
  write(join(root, 'node-gyp.js'), '')
  return root
}

/** Stands in for prebuild-install and node-gyp: records calls, "builds" when told to. */
function fakeRunner(succeed: { prebuild: boolean; nodeGyp: boolean }) {
  const calls: { tool: string; args: string[]; cwd: string }[] = []
  const run = (args: string[], cwd: string): boolean => {
    const tool = args[0].endsWith('node-gyp.js') ? 'node-gyp' : 'prebuild-install'
    calls.push({ tool, args: args.slice(1), cwd })
    expect(existsSync(join(cwd, 'build'))).toBe(false)
    const ok = tool === 'node-gyp' ? succeed.nodeGyp : succeed.prebuild
    if (ok) write(join(cwd, 'build', 'Release', 'better_sqlite3.node'), `electron-build-${tool}`)
    return ok
  }
  return { run, calls }
}

const quiet = () => {}

describe('electron-native', () => {
  it('puts the build under .sinapse-native/electron-<version>', () => {
    expect(nativeOutputFile('/repo', '39.8.10')).toBe(
      '/repo/.sinapse-native/electron-39.8.10/better_sqlite3.node',
    )
  })

  it('asks for an Electron-runtime build of the exact version', () => {
    expect(prebuildArgs({ version: '39.8.10', platform: 'linux', arch: 'x64' })).toEqual([
      '--runtime',
      'electron',
      '--target',
      '39.8.10',
      '--platform',
      'linux',
      '--arch',
      'x64',
    ])
    expect(nodeGypArgs({ version: '39.8.10', arch: 'x64' })).toContain('--runtime=electron')
    expect(nodeGypArgs({ version: '39.8.10', arch: 'x64' })).toContain('--target=39.8.10')
  })

  it('reports the missing Electron binary (as on this machine) and builds nothing', () => {
    expect(findElectronBinary(join(process.cwd(), 'node_modules', 'electron'))).toBeNull()
    const root = createRoot({ withBinary: false })
    const { run, calls } = fakeRunner({ prebuild: true, nodeGyp: true })
    expect(ensureElectronNative({ root, run, log: quiet })).toEqual({
      status: 'missing-electron',
      file: null,
    })
    expect(calls).toEqual([])
  })

  it('falls back to node-gyp, installs the result and leaves the Node build alone', () => {
    const root = createRoot({ withBinary: true })
    const { run, calls } = fakeRunner({ prebuild: false, nodeGyp: true })
    const env = { npm_config_node_gyp: join(root, 'node-gyp.js') }
    const result = ensureElectronNative({
      root,
      run,
      env,
      log: quiet,
      platform: 'linux',
      arch: 'x64',
    })

    const file = nativeOutputFile(root, '39.8.10')
    expect(result).toEqual({ status: 'built', file })
    expect(readFileSync(file, 'utf8')).toBe('electron-build-node-gyp')
    expect(calls.map((c) => c.tool)).toEqual(['prebuild-install', 'node-gyp'])
    expect(calls[1].args).toContain('--target=39.8.10')
    const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release')
    expect(readFileSync(join(nodeBuild, 'better_sqlite3.node'), 'utf8')).toBe('node-build')
    // The temp copy is gone.
    expect(existsSync(calls[0].cwd)).toBe(false)

    const again = fakeRunner({ prebuild: true, nodeGyp: true })
    expect(ensureElectronNative({ root, run: again.run, env, log: quiet })).toEqual({
      status: 'exists',
      file,
    })
    expect(again.calls).toEqual([])
  })

  it('uses a prebuilt binary when one downloads', () => {
    const root = createRoot({ withBinary: true })
    const { run, calls } = fakeRunner({ prebuild: true, nodeGyp: true })
    const result = ensureElectronNative({ root, run, log: quiet })
    expect(result.status).toBe('built')
    expect(readFileSync(nativeOutputFile(root, '39.8.10'), 'utf8')).toBe(
      'electron-build-prebuild-install',
    )
    expect(calls.map((c) => c.tool)).toEqual(['prebuild-install'])
  })

  it('fails with a clear error and leaves no partial output when both builds fail', () => {
    const root = createRoot({ withBinary: true })
    const { run } = fakeRunner({ prebuild: false, nodeGyp: false })
    const env = { npm_config_node_gyp: join(root, 'node-gyp.js') }
    expect(() => ensureElectronNative({ root, run, env, log: quiet })).toThrow(
      /Could not build better-sqlite3 for Electron 39\.8\.10/,
    )
    expect(existsSync(join(root, '.sinapse-native', 'electron-39.8.10'))).toBe(false)
  })

  it('copies the real better-sqlite3 sources without its Node build', () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'sinapse-copy-')), 'better-sqlite3')
    dirs.push(dirname(dest))
    copyPackage(join(process.cwd(), 'node_modules', 'better-sqlite3'), dest)
    expect(existsSync(join(dest, 'binding.gyp'))).toBe(true)
    expect(existsSync(join(dest, 'deps'))).toBe(true)
    expect(existsSync(join(dest, 'src'))).toBe(true)
    expect(existsSync(join(dest, 'build'))).toBe(false)
  })
})

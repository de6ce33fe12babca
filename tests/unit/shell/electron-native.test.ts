import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  copyPackage,
  electronLoadCheck,
  ensureElectronNative,
  findElectronBinary,
  findNodeGyp,
  nativeOutputFile,
  nodeGypArgs,
  prebuildArgs,
} from '../../../scripts/electron-native.mjs'
import { nativeBindingFile } from '../../../src/main/native-binding'

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
  write(join(sqlite, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.6.2' }))
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
const loads = () => null
const target = { electron: '39.8.10', betterSqlite3: '12.6.2', platform: 'linux', arch: 'x64' }
const here = { ...target, platform: process.platform, arch: process.arch }

describe('electron-native', () => {
  it('keys the build by Electron and better-sqlite3 versions, platform and arch', () => {
    expect(nativeOutputFile('/repo', target)).toBe(
      '/repo/.sinapse-native/electron-39.8.10-better-sqlite3-12.6.2-linux-x64/better_sqlite3.node',
    )
    expect(nativeOutputFile('/repo', { ...target, betterSqlite3: '12.7.0' })).not.toBe(
      nativeOutputFile('/repo', target),
    )
    expect(nativeOutputFile('/repo', { ...target, arch: 'arm64' })).not.toBe(
      nativeOutputFile('/repo', target),
    )
  })

  it('is where the app looks for it, from a checkout and unpacked beside app.asar', () => {
    expect(nativeBindingFile('/repo', target)).toBe(nativeOutputFile('/repo', target))
    expect(nativeBindingFile('/opt/Sinapse/resources/app.asar', target)).toBe(
      nativeOutputFile('/opt/Sinapse/resources/app.asar.unpacked', target),
    )
  })

  it("finds npm's node-gyp next to node.exe on Windows and under lib/ elsewhere", () => {
    const seen: string[] = []
    const exists = (file: string) => {
      seen.push(file)
      return true
    }
    expect(findNodeGyp({}, 'C:\\Program Files\\nodejs\\node.exe', 'win32', exists)).toBe(
      'C:\\Program Files\\nodejs\\node_modules\\npm\\node_modules\\node-gyp\\bin\\node-gyp.js',
    )
    expect(findNodeGyp({}, '/usr/local/bin/node', 'linux', exists)).toBe(
      '/usr/local/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    )
    expect(
      findNodeGyp({ npm_config_node_gyp: '/x/node-gyp.js' }, '/usr/bin/node', 'linux', exists),
    ).toBe('/x/node-gyp.js')
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

  it('finds the Electron binary only where path.txt names a file that exists', () => {
    const without = join(createRoot({ withBinary: false }), 'node_modules', 'electron')
    expect(findElectronBinary(without)).toBeNull()
    // path.txt written but the download did not finish: still missing.
    write(join(without, 'path.txt'), 'electron')
    expect(findElectronBinary(without)).toBeNull()
    const withBinary = join(createRoot({ withBinary: true }), 'node_modules', 'electron')
    expect(findElectronBinary(withBinary)).toBe(join(withBinary, 'dist', 'electron'))
    const elsewhere = join(dirname(withBinary), 'custom-dist')
    write(join(elsewhere, 'electron'), 'binary')
    expect(findElectronBinary(withBinary, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere })).toBe(
      join(elsewhere, 'electron'),
    )
  })

  it('reports a missing Electron binary and builds nothing', () => {
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
    const result = ensureElectronNative({ root, run, env, check: loads, log: quiet })

    const file = nativeOutputFile(root, here)
    expect(result).toEqual({ status: 'built', file })
    expect(readFileSync(file, 'utf8')).toBe('electron-build-node-gyp')
    expect(calls.map((c) => c.tool)).toEqual(['prebuild-install', 'node-gyp'])
    expect(calls[1].args).toContain('--target=39.8.10')
    const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release')
    expect(readFileSync(join(nodeBuild, 'better_sqlite3.node'), 'utf8')).toBe('node-build')
    // The temp copy is gone.
    expect(existsSync(calls[0].cwd)).toBe(false)

    const again = fakeRunner({ prebuild: true, nodeGyp: true })
    expect(ensureElectronNative({ root, run: again.run, env, check: loads, log: quiet })).toEqual({
      status: 'exists',
      file,
    })
    expect(again.calls).toEqual([])
  })

  it('uses a prebuilt binary when one downloads', () => {
    const root = createRoot({ withBinary: true })
    const { run, calls } = fakeRunner({ prebuild: true, nodeGyp: true })
    const result = ensureElectronNative({ root, run, check: loads, log: quiet })
    expect(result.status).toBe('built')
    expect(readFileSync(nativeOutputFile(root, here), 'utf8')).toBe(
      'electron-build-prebuild-install',
    )
    expect(calls.map((c) => c.tool)).toEqual(['prebuild-install'])
  })

  it('fails with a clear error and leaves no partial output when both builds fail', () => {
    const root = createRoot({ withBinary: true })
    const { run } = fakeRunner({ prebuild: false, nodeGyp: false })
    const env = { npm_config_node_gyp: join(root, 'node-gyp.js') }
    expect(() => ensureElectronNative({ root, run, env, check: loads, log: quiet })).toThrow(
      /Could not build better-sqlite3 for Electron 39\.8\.10/,
    )
    expect(existsSync(dirname(nativeOutputFile(root, here)))).toBe(false)
  })

  it('refuses a fresh build that does not load under Electron, keeping nothing', () => {
    const root = createRoot({ withBinary: true })
    const { run } = fakeRunner({ prebuild: true, nodeGyp: true })
    const check = () => 'NODE_MODULE_VERSION 127 instead of 140'
    expect(() => ensureElectronNative({ root, run, check, log: quiet })).toThrow(
      /does not load: NODE_MODULE_VERSION 127/,
    )
    expect(existsSync(nativeOutputFile(root, here))).toBe(false)
  })

  it('builds again when the cached build no longer loads', () => {
    const root = createRoot({ withBinary: true })
    const file = nativeOutputFile(root, here)
    write(file, 'damaged')
    const { run, calls } = fakeRunner({ prebuild: true, nodeGyp: true })
    const checked: string[] = []
    const check = (f: string) => {
      checked.push(readFileSync(f, 'utf8'))
      return checked.length === 1 ? 'invalid ELF header' : null
    }
    expect(ensureElectronNative({ root, run, check, log: quiet })).toEqual({
      status: 'built',
      file,
    })
    expect(checked).toEqual(['damaged', 'electron-build-prebuild-install'])
    expect(calls.map((c) => c.tool)).toEqual(['prebuild-install'])
    expect(readFileSync(file, 'utf8')).toBe('electron-build-prebuild-install')
  })

  it('does not test-load a build for another platform, which cannot load here', () => {
    const root = createRoot({ withBinary: true })
    const { run } = fakeRunner({ prebuild: true, nodeGyp: true })
    const check = () => 'must not be called'
    const platform = process.platform === 'win32' ? 'linux' : 'win32'
    const result = ensureElectronNative({ root, run, check, log: quiet, platform, arch: 'x64' })
    expect(result).toEqual({
      status: 'built',
      file: nativeOutputFile(root, { ...target, platform, arch: 'x64' }),
    })
  })

  it.skipIf(process.platform === 'win32')(
    'test-loads a build by opening a database (a Node stand-in for Electron run as Node)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'sinapse-check-'))
      dirs.push(dir)
      const electronBinary = join(dir, 'electron')
      write(electronBinary, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$@"\n`)
      chmodSync(electronBinary, 0o755)
      const root = process.cwd()
      const nodeBuild = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')
      expect(electronLoadCheck({ electronBinary, root, file: nodeBuild })).toBeNull()
      const broken = join(dir, 'better_sqlite3.node')
      write(broken, 'not a shared library')
      expect(electronLoadCheck({ electronBinary, root, file: broken })).toMatch(
        /invalid ELF|header|Error/,
      )
    },
  )

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

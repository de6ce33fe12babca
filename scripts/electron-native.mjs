/**
 * Builds better-sqlite3 for Electron's ABI into .sinapse-native/<key>/, leaving
 * node_modules/better-sqlite3/build as the Node build that the tests and the CLI load. Run by
 * `npm run dev`, `npm start` and `npm run dist`; the desktop app passes the result to
 * better-sqlite3 as its `nativeBinding`, and the installers ship it. The key names everything the
 * binary depends on (Electron and better-sqlite3 versions, platform, arch), so an upgrade of
 * either never reuses a stale build. The package is copied to a temp folder so the rebuild cannot
 * clobber the Node build; prebuild-install downloads a ready binary, node-gyp with Electron's
 * headers is the fallback. Both need the internet the first time; the result is reused
 * afterwards, and every use first opens a database with it under Electron to prove it loads.
 */
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, posix, relative, resolve, sep, win32 } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nativeKey } from './native-key.mjs'

const ADDON = 'better_sqlite3.node'

/** Where the Electron build goes. */
export function nativeOutputFile(root, target) {
  return join(root, '.sinapse-native', nativeKey(target), ADDON)
}

/** The Electron executable the electron package downloaded, or null when it is missing. */
export function findElectronBinary(electronDir, env = process.env) {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const executable = readFileSync(pathFile, 'utf8').trim()
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist')
  const binary = join(dist, executable)
  return existsSync(binary) ? binary : null
}

export const MISSING_ELECTRON_MESSAGE = [
  'The Electron binary is not installed (node_modules/electron has no dist/).',
  'This happens when npm ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1. The CLI and the tests work',
  'without it; install without ELECTRON_SKIP_BINARY_DOWNLOAD to run the desktop app:',
  '  npm rebuild electron',
].join('\n')

/** Arguments for prebuild-install: a ready-made binary for this Electron version. */
export function prebuildArgs({ version, platform, arch }) {
  return ['--runtime', 'electron', '--target', version, '--platform', platform, '--arch', arch]
}

/** Arguments for node-gyp: compile against Electron's headers. */
export function nodeGypArgs({ version, arch }) {
  return [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${version}`,
    `--arch=${arch}`,
    '--dist-url=https://electronjs.org/headers',
  ]
}

/**
 * node-gyp as npm ships it: npm scripts name it in npm_config_node_gyp; otherwise it sits in npm's
 * own folder, which is <prefix>/lib/node_modules/npm on Unix but node_modules\\npm right next to
 * node.exe on Windows.
 */
export function findNodeGyp(
  env = process.env,
  execPath = process.execPath,
  platform = process.platform,
  exists = existsSync,
) {
  const path = platform === 'win32' ? win32 : posix
  const npmDir =
    platform === 'win32'
      ? path.join(path.dirname(execPath), 'node_modules', 'npm')
      : path.join(path.dirname(execPath), '..', 'lib', 'node_modules', 'npm')
  const candidates = [
    env.npm_config_node_gyp,
    path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]
  return candidates.find((file) => file && exists(file)) ?? null
}

/**
 * Opens an in-memory database with `file` under Electron run as Node (its ABI, not Node's), so a
 * wrong or broken build is caught here rather than as a crash when the app starts. Returns null
 * when it loads, or what failed.
 */
export function electronLoadCheck({ electronBinary, root, file }) {
  const code = [
    `const Database = require(${JSON.stringify(join(root, 'node_modules', 'better-sqlite3'))})`,
    `const db = new Database(':memory:', { nativeBinding: ${JSON.stringify(file)} })`,
    "if (db.prepare('select 41 + 1 as n').get().n !== 42) throw new Error('wrong answer')",
    'db.close()',
  ].join('\n')
  const result = spawnSync(electronBinary, ['-e', code], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (result.status === 0) return null
  return (result.stderr || result.error?.message || `exit code ${result.status}`).trim()
}

/** Copies the package source without its build/ folder (the Node build, 17 MB). */
export function copyPackage(from, to) {
  cpSync(from, to, {
    recursive: true,
    filter: (source) => {
      const rel = relative(from, source)
      return rel !== 'build' && !rel.startsWith(`build${sep}`)
    },
  })
}

function spawnNode(args, cwd) {
  const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' })
  return result.status === 0
}

function readVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
}

/**
 * Makes sure a working Electron build exists. `run(args, cwd)` runs node with args and returns
 * whether it succeeded; `check(file)` test-loads a build and returns null or why it failed
 * (parameters so tests can stand in for the network and for Electron). A build for another
 * platform or arch cannot be test-loaded here and is trusted.
 * @returns {{ status: 'missing-electron' | 'exists' | 'built', file: string | null }}
 */
export function ensureElectronNative({
  root,
  run = spawnNode,
  check,
  log = console.log,
  env = process.env,
  platform = process.platform,
  arch = process.arch,
}) {
  const electronDir = join(root, 'node_modules', 'electron')
  const electronBinary = findElectronBinary(electronDir, env)
  if (!electronBinary) return { status: 'missing-electron', file: null }

  const version = readVersion(electronDir)
  const sqliteDir = join(root, 'node_modules', 'better-sqlite3')
  const target = { electron: version, betterSqlite3: readVersion(sqliteDir), platform, arch }
  const file = nativeOutputFile(root, target)
  const native = platform === process.platform && arch === process.arch
  const testLoad = (candidate) =>
    !native
      ? null
      : (check ?? ((f) => electronLoadCheck({ electronBinary, root, file: f })))(candidate)
  if (existsSync(file)) {
    const failure = testLoad(file)
    if (failure === null) return { status: 'exists', file }
    log(`The cached build ${relative(root, file)} does not load (${failure}); building again…`)
    rmSync(dirname(file), { recursive: true, force: true })
  }

  log(`Building better-sqlite3 for Electron ${version}…`)
  const work = mkdtempSync(join(tmpdir(), 'sinapse-native-'))
  try {
    const pkg = join(work, 'better-sqlite3')
    copyPackage(sqliteDir, pkg)
    const prebuild = join(root, 'node_modules', 'prebuild-install', 'bin.js')
    let built = run([prebuild, ...prebuildArgs({ version, platform, arch })], pkg)
    if (!built) {
      log('No prebuilt binary; compiling with node-gyp and Electron headers…')
      const nodeGyp = findNodeGyp(env, process.execPath, process.platform)
      built = nodeGyp !== null && run([nodeGyp, ...nodeGypArgs({ version, arch })], pkg)
    }
    const addon = join(pkg, 'build', 'Release', ADDON)
    if (!built || !existsSync(addon)) {
      throw new Error(
        `Could not build better-sqlite3 for Electron ${version}. Both a prebuilt download and ` +
          'node-gyp (which needs Electron headers from the internet and a C++ compiler) failed.',
      )
    }
    const failure = testLoad(addon)
    if (failure !== null) {
      throw new Error(`The better-sqlite3 build for Electron ${version} does not load: ${failure}`)
    }
    mkdirSync(dirname(file), { recursive: true })
    // Copy then rename, so an interrupted copy never looks like a finished build.
    copyFileSync(addon, `${file}.tmp`)
    renameSync(`${file}.tmp`, file)
    return { status: 'built', file }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function main() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  try {
    const result = ensureElectronNative({ root })
    if (result.status === 'missing-electron') {
      console.error(MISSING_ELECTRON_MESSAGE)
      process.exitCode = 1
    } else {
      console.log(`better-sqlite3 for Electron: ${relative(root, result.file)} (${result.status})`)
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err)
    process.exitCode = 1
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()

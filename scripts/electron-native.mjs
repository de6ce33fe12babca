/**
 * Builds better-sqlite3 for Electron's ABI into .sinapse-native/electron-<version>/, leaving
 * node_modules/better-sqlite3/build as the Node build that the tests and the CLI load. Run by
 * `npm run dev` and `npm start`; the desktop app passes the result to better-sqlite3 as its
 * `nativeBinding`. The package is copied to a temp folder so the rebuild cannot clobber the
 * Node build; prebuild-install downloads a ready binary, node-gyp with Electron's headers is the
 * fallback. Both need the internet the first time; the result is reused afterwards.
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
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const ADDON = 'better_sqlite3.node'

/** Where the Electron build goes; src/main/index.ts looks for the same path. */
export function nativeOutputFile(root, electronVersion) {
  return join(root, '.sinapse-native', `electron-${electronVersion}`, ADDON)
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

/** node-gyp as npm ships it: npm scripts name it in npm_config_node_gyp. */
export function findNodeGyp(env = process.env, execPath = process.execPath) {
  const candidates = [
    env.npm_config_node_gyp,
    join(
      dirname(execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ]
  return candidates.find((file) => file && existsSync(file)) ?? null
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

/**
 * Makes sure the Electron build exists. `run(args, cwd)` runs node with args and returns
 * whether it succeeded (a parameter so tests can stand in for the network).
 * @returns {{ status: 'missing-electron' | 'exists' | 'built', file: string | null }}
 */
export function ensureElectronNative({
  root,
  run = spawnNode,
  log = console.log,
  env = process.env,
  platform = process.platform,
  arch = process.arch,
}) {
  const electronDir = join(root, 'node_modules', 'electron')
  if (!findElectronBinary(electronDir, env)) return { status: 'missing-electron', file: null }

  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'))
  const file = nativeOutputFile(root, version)
  if (existsSync(file)) return { status: 'exists', file }

  log(`Building better-sqlite3 for Electron ${version}…`)
  const work = mkdtempSync(join(tmpdir(), 'sinapse-native-'))
  try {
    const pkg = join(work, 'better-sqlite3')
    copyPackage(join(root, 'node_modules', 'better-sqlite3'), pkg)
    const prebuild = join(root, 'node_modules', 'prebuild-install', 'bin.js')
    let built = run([prebuild, ...prebuildArgs({ version, platform, arch })], pkg)
    if (!built) {
      log('No prebuilt binary; compiling with node-gyp and Electron headers…')
      const nodeGyp = findNodeGyp(env)
      built = nodeGyp !== null && run([nodeGyp, ...nodeGypArgs({ version, arch })], pkg)
    }
    const addon = join(pkg, 'build', 'Release', ADDON)
    if (!built || !existsSync(addon)) {
      throw new Error(
        `Could not build better-sqlite3 for Electron ${version}. Both a prebuilt download and ` +
          'node-gyp (which needs Electron headers from the internet and a C++ compiler) failed.',
      )
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

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { nativeKey, type NativeTarget } from '../../scripts/native-key.mjs'

/**
 * Where scripts/electron-native.mjs puts the Electron build of better-sqlite3 for `target`, under
 * the app folder. In an installed app that folder is resources/app.asar, and the build lies
 * unpacked beside it (a shared library cannot be loaded from inside an archive).
 */
export function nativeBindingFile(appPath: string, target: NativeTarget): string {
  const base = appPath.replace(/\.asar$/, '.asar.unpacked')
  return join(base, '.sinapse-native', nativeKey(target), 'better_sqlite3.node')
}

/** The Electron build when it exists; otherwise better-sqlite3 loads its own (Node) build. */
export function findNativeBinding(
  appPath: string,
  target: NativeTarget,
  exists: (file: string) => boolean = existsSync,
): string | undefined {
  const file = nativeBindingFile(appPath, target)
  return exists(file) ? file : undefined
}

import type { NativeTarget } from './native-key.mjs'

export interface EnsureOptions {
  root: string
  run?: (args: string[], cwd: string) => boolean
  check?: (file: string) => string | null
  log?: (message: string) => void
  env?: Record<string, string | undefined>
  platform?: string
  arch?: string
}

export type EnsureResult =
  { status: 'missing-electron'; file: null } | { status: 'exists' | 'built'; file: string }

export declare function nativeOutputFile(root: string, target: NativeTarget): string
export declare function findElectronBinary(
  electronDir: string,
  env?: Record<string, string | undefined>,
): string | null
export declare const MISSING_ELECTRON_MESSAGE: string
export declare function prebuildArgs(opts: {
  version: string
  platform: string
  arch: string
}): string[]
export declare function nodeGypArgs(opts: { version: string; arch: string }): string[]
export declare function findNodeGyp(
  env?: Record<string, string | undefined>,
  execPath?: string,
  platform?: string,
  exists?: (file: string) => boolean,
): string | null
export declare function electronLoadCheck(opts: {
  electronBinary: string
  root: string
  file: string
}): string | null
export declare function copyPackage(from: string, to: string): void
export declare function ensureElectronNative(opts: EnsureOptions): EnsureResult

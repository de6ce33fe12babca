import { toErrorInfo } from '../shared/errors'
import { translate, type Locale } from '../shared/i18n'

/**
 * Which native module an error says failed to load, or null. sharp reports its own failure
 * ("Could not load the "sharp" module using the linux-x64 runtime"); a compiled addon fails in
 * dlopen (ERR_DLOPEN_FAILED, a wrong NODE_MODULE_VERSION, a missing .so/.dll) with its path in the
 * message; better-sqlite3 also fails through `bindings` when no build exists at all.
 */
export function failedNativeModule(err: unknown): string | null {
  if (!(err instanceof Error)) return null
  const text = `${err.message}\n${err.stack ?? ''}`
  const code = 'code' in err ? String(err.code) : ''
  if (/Could not load the "sharp" module|sharp-libvips|libvips/i.test(err.message)) return 'sharp'
  if (/better[_-]sqlite3/i.test(err.message) && /\.node|bindings file/i.test(err.message)) {
    return 'better-sqlite3'
  }
  const dlopen =
    code === 'ERR_DLOPEN_FAILED' ||
    /NODE_MODULE_VERSION|\.node\b|cannot open shared object|is not a valid Win32 application/.test(
      err.message,
    )
  if (!dlopen) return null
  const owner = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(text)
  return owner ? owner[1].replace('\\', '/') : 'native module'
}

export interface StartupFailureContext {
  locale: Locale
  /** An installed app (reinstall) or a source checkout (npm ci). */
  packaged: boolean
  platform: string
  arch: string
}

/**
 * What the startup error dialog says: for a native module that did not load, which one and what
 * to do about it (instead of Electron's raw "A JavaScript error occurred in the main process");
 * for anything else, the error's own translated message.
 */
export function describeStartupFailure(err: unknown, ctx: StartupFailureContext): string {
  const module = failedNativeModule(err)
  if (module === null) return toErrorInfo(err, ctx.locale).message
  const { locale } = ctx
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err)
  return [
    translate(locale, 'desktop.native.failed', { module }),
    ctx.packaged
      ? translate(locale, 'desktop.native.fixPackaged', {
          platform: ctx.platform,
          arch: ctx.arch,
        })
      : translate(locale, 'desktop.native.fixSource'),
    translate(locale, 'desktop.native.detail', { detail }),
  ].join('\n\n')
}

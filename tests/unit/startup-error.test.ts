import { describe, expect, it } from 'vitest'
import { describeStartupFailure, failedNativeModule } from '../../src/main/startup-error'
import { AppError } from '../../src/shared/errors'

const ctx = { locale: 'pt-BR' as const, packaged: true, platform: 'win32', arch: 'x64' }

/** The errors as sharp, Node's dlopen and better-sqlite3's bindings really word them. */
const sharpError = new Error(
  'Could not load the "sharp" module using the linux-x64 runtime\nPossible solutions:\n- Ensure optional dependencies can be installed',
)
const abiError = Object.assign(
  new Error(
    "The module '/opt/Sinapse/resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140.",
  ),
  { code: 'ERR_DLOPEN_FAILED' },
)
const otherAddon = Object.assign(
  new Error('/app/node_modules/@scope/addon/build/addon.node: invalid ELF header'),
  { code: 'ERR_DLOPEN_FAILED' },
)

describe('failedNativeModule', () => {
  it('names the module that did not load', () => {
    expect(failedNativeModule(sharpError)).toBe('sharp')
    expect(failedNativeModule(abiError)).toBe('better-sqlite3')
    expect(failedNativeModule(otherAddon)).toBe('@scope/addon')
  })

  it('ignores errors that are not about native modules', () => {
    expect(failedNativeModule(new Error('disk full'))).toBeNull()
    expect(failedNativeModule('text')).toBeNull()
  })
})

describe('describeStartupFailure', () => {
  it('says which part failed and to reinstall, in the user language', () => {
    const text = describeStartupFailure(sharpError, ctx)
    expect(text).toContain('(sharp) não pôde ser carregada')
    expect(text).toContain('Instale o Sinapse de novo')
    expect(text).toContain('win32, x64')
    expect(text).toContain('Detalhe técnico: Could not load the "sharp" module')
    expect(text).not.toContain('A JavaScript error occurred')
  })

  it('tells a source checkout to run npm ci', () => {
    const text = describeStartupFailure(abiError, { ...ctx, locale: 'en', packaged: false })
    expect(text).toContain('(better-sqlite3) could not be loaded')
    expect(text).toContain('run `npm ci`')
  })

  it('passes other errors through translated', () => {
    const err = new AppError('DATA_DIR_UNWRITABLE', 'store.cannotOpen', {
      path: '/x/sinapse.db',
      detail: 'EACCES',
    })
    expect(describeStartupFailure(err, ctx)).toContain('/x/sinapse.db')
  })
})

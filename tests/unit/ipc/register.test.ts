import { describe, expect, it, vi } from 'vitest'
import { AppError, type Result } from '../../../src/shared/errors'
import type { Locale } from '../../../src/shared/i18n'
import type { AppInfo } from '../../../src/shared/ipc-contract'
import { INVOKE_CHANNEL } from '../../../src/shared/ipc-names'
import {
  createDispatcher,
  registerIpc,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../src/main/ipc/register'
import type { Handlers } from '../../../src/main/ipc/types'
import { isTrustedSender } from '../../../src/main/shell/security'

// No training and no big files here: each test takes well under a second idle and a few seconds
// on a loaded 2-core machine, so a hang fails after 60 s instead of the suite's 300 s guard.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const info: AppInfo = { version: '0.1.0', dataDir: '/data/Sinapse', backend: 'cpu', locale: 'en' }

function unexpected(): never {
  throw new Error('boom: not expected in this test')
}

function createHandlers(): Handlers {
  return {
    'app:info': () => info,
    'datasets:info': unexpected,
    'datasets:testImages': unexpected,
    'runs:list': async () => [],
    'runs:get': ({ id }) => {
      throw new AppError('NOT_FOUND', 'error.runNotFound', { id })
    },
    'runs:update': unexpected,
    'runs:delete': async () => {
      throw new Error('disk exploded')
    },
    'runs:evaluate': () => Promise.reject('a bare string'),
    'training:start': unexpected,
    'training:estimate': unexpected,
    'training:stop': ({ runId }) => ({ stopping: runId === 4 }),
    'training:active': () => null,
    'training:saveModel': () => Promise.reject(new Error('not in this test')),
    'evaluation:samples': unexpected,
    'evaluation:disagreements': unexpected,
    'models:import': unexpected,
    'models:export': unexpected,
    'bundles:export': unexpected,
    'bundles:import': unexpected,
    'bundles:handIn': unexpected,
    'lessons:create': unexpected,
    'lessons:open': unexpected,
    'board:get': unexpected,
    'board:lessons': unexpected,
    'privacy:info': unexpected,
    'privacy:deleteAll': unexpected,

    'bundles:importMany': unexpected,
    'predict:pixels': unexpected,
    'files:reveal': unexpected,
    'inspect:input': unexpected,
    'inspect:model': unexpected,
    'inspect:unit': unexpected,
    'ood:want': unexpected,
  }
}

function setup(locale: Locale = 'en') {
  const handlers = createHandlers()
  const rename = vi.fn((input: { id: number; name: string }, ctx: { locale: Locale }) => ({
    ...input,
    ctxLocale: ctx.locale,
  }))
  handlers['runs:update'] = rename as unknown as Handlers['runs:update']
  let current = locale
  const dispatch = createDispatcher(handlers, { locale: () => current })
  return { dispatch, rename, setLocale: (l: Locale) => (current = l) }
}

function expectError(result: Result<unknown>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`)
  return result.error
}

describe('createDispatcher', () => {
  it('parses the input with the contract schema and returns the handler value', async () => {
    const { dispatch, rename } = setup('pt-BR')
    const result = await dispatch('runs:update', { id: 3, name: '  Meu treino  ' })
    expect(result).toEqual({
      ok: true,
      value: { id: 3, name: 'Meu treino', ctxLocale: 'pt-BR' },
    })
    // The handler sees the parsed (trimmed) input, not the raw one.
    expect(rename).toHaveBeenCalledTimes(1)
    expect(rename.mock.calls[0][0]).toEqual({ id: 3, name: 'Meu treino' })
    expect(await dispatch('app:info', {})).toEqual({ ok: true, value: info })
    expect(await dispatch('training:stop', { runId: 4 })).toEqual({
      ok: true,
      value: { stopping: true },
    })
  })

  it('rejects a bad input shape with a readable message naming the field', async () => {
    const { dispatch, rename } = setup()
    const error = expectError(await dispatch('runs:update', { id: 'three', name: 'x' }))
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toBe(
      'The data sent with "runs:update" is not valid: id: Invalid input: expected number, received string',
    )
    expect(rename).not.toHaveBeenCalled()
  })

  it('reports every issue with its nested path, and unknown keys', async () => {
    const { dispatch } = setup()
    const image = { width: 2, height: 2, channels: 1, data: new Uint8Array(3) }
    const error = expectError(
      await dispatch('predict:pixels', { runId: 0, images: [image], extra: true }),
    )
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toContain('runId: Too small')
    expect(error.message).toContain('images.0: data length must equal width × height × channels')
    expect(error.message).toContain('"extra"')
  })

  it('rejects a missing input and writes the message in the current locale', async () => {
    const { dispatch, setLocale } = setup()
    expect(expectError(await dispatch('runs:list', undefined)).message).toBe(
      'The data sent with "runs:list" is not valid: Invalid input: expected object, received undefined',
    )
    setLocale('pt-BR')
    const error = expectError(await dispatch('runs:get', { id: 'x' }))
    expect(error.message).toBe(
      'Os dados enviados com "runs:get" não são válidos: id: Entrada inválida: esperava um número, recebeu um texto',
    )
  })

  it.each([['runs:nuke'], ['toString'], ['__proto__'], ['constructor'], [42], [null]])(
    'refuses the unknown command %j',
    async (name) => {
      const { dispatch } = setup()
      const error = expectError(await dispatch(name, {}))
      expect(error.code).toBe('INVALID_INPUT')
      expect(error.message).toMatch(/^Sinapse does not know the command "/)
    },
  )

  it('passes an AppError through with its code and a localized message', async () => {
    const { dispatch, setLocale } = setup()
    expect(await dispatch('runs:get', { id: 7 })).toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'There is no run with id 7. List runs with `sinapse runs`.',
      },
    })
    setLocale('pt-BR')
    expect(expectError(await dispatch('runs:get', { id: 7 })).message).toBe(
      'Não existe treino com id 7. Liste os treinos com `sinapse runs`.',
    )
  })

  it('turns any other thrown value into INTERNAL without throwing', async () => {
    const { dispatch } = setup()
    expect(await dispatch('runs:delete', { id: 1 })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong inside Sinapse: disk exploded' },
    })
    expect(expectError(await dispatch('runs:evaluate', { id: 1 }))).toEqual({
      code: 'INTERNAL',
      message: 'Something went wrong inside Sinapse: a bare string',
    })
    expect(expectError(await dispatch('datasets:info', { ref: 'mnist' })).code).toBe('INTERNAL')
  })
})

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown

function fakeIpc() {
  const listeners = new Map<string, Listener>()
  const ipc: IpcMainLike = { handle: (channel, listener) => listeners.set(channel, listener) }
  return { ipc, listeners }
}

describe('registerIpc', () => {
  const appUrl = 'file:///opt/sinapse/out/renderer/index.html'
  const trusted = (url: string) => isTrustedSender(url, appUrl)

  it('registers the single invoke channel and forwards (name, input) from the app page', async () => {
    const { ipc, listeners } = fakeIpc()
    const dispatch = vi.fn(async (): Promise<Result<unknown>> => ({ ok: true, value: 'done' }))
    registerIpc(ipc, dispatch, trusted)
    expect([...listeners.keys()]).toEqual([INVOKE_CHANNEL])
    const listener = listeners.get(INVOKE_CHANNEL)!
    const result = await listener({ senderFrame: { url: `${appUrl}#/runs` } }, 'runs:get', {
      id: 1,
    })
    expect(result).toEqual({ ok: true, value: 'done' })
    expect(dispatch).toHaveBeenCalledWith('runs:get', { id: 1 }, undefined)
    await listener({ senderFrame: { url: appUrl } }, 'runs:get', { id: 1 }, 'pt-BR')
    expect(dispatch).toHaveBeenLastCalledWith('runs:get', { id: 1 }, 'pt-BR')
  })

  it("answers in the language the page asks for, whatever the app's default", async () => {
    const { dispatch } = setup('en')
    expect(expectError(await dispatch('runs:get', { id: 7 }, 'pt-BR')).message).toBe(
      'Não existe treino com id 7. Liste os treinos com `sinapse runs`.',
    )
    // Anything that is not a supported locale falls back to the default.
    expect(expectError(await dispatch('runs:get', { id: 7 }, 'xx')).message).toBe(
      'There is no run with id 7. List runs with `sinapse runs`.',
    )
  })

  it.each([
    ['http://evil.example/'],
    ['file:///etc/passwd'],
    ['devtools://devtools/bundled/inspector.html'],
    ['about:blank'],
  ])('refuses a call from %s without dispatching', async (url) => {
    const { ipc, listeners } = fakeIpc()
    const dispatch = vi.fn(async (): Promise<Result<unknown>> => ({ ok: true, value: 'done' }))
    registerIpc(ipc, dispatch, trusted, () => 'pt-BR')
    const result = (await listeners.get(INVOKE_CHANNEL)!({ senderFrame: { url } }, 'runs:list', {
      id: 1,
    })) as Result<unknown>
    expect(dispatch).not.toHaveBeenCalled()
    const error = expectError(result)
    expect(error.code).toBe('INVALID_INPUT')
    expect(error.message).toBe(
      `Uma página que não faz parte do Sinapse (${url}) tentou usá-lo. O pedido foi recusado.`,
    )
  })

  it('refuses a call whose frame is already gone', async () => {
    const { ipc, listeners } = fakeIpc()
    const dispatch = vi.fn(async (): Promise<Result<unknown>> => ({ ok: true, value: 'done' }))
    registerIpc(ipc, dispatch, () => true)
    const result = await listeners.get(INVOKE_CHANNEL)!({ senderFrame: null }, 'runs:list', {})
    expect(expectError(result as Result<unknown>).code).toBe('INVALID_INPUT')
    expect(dispatch).not.toHaveBeenCalled()
  })

  it('runs the real dispatcher end to end', async () => {
    const { ipc, listeners } = fakeIpc()
    registerIpc(ipc, createDispatcher(createHandlers(), { locale: () => 'en' }), trusted)
    const listener = listeners.get(INVOKE_CHANNEL)!
    const event = { senderFrame: { url: appUrl } }
    expect(await listener(event, 'app:info', {})).toEqual({ ok: true, value: info })
    expect(await listener(event, 'runs:get', { id: 2 })).toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'There is no run with id 2. List runs with `sinapse runs`.',
      },
    })
  })
})

describe('dispatcher and sender messages (mutation-tested)', () => {
  it('refuses a command name that is no string, even one that stringifies to a command', async () => {
    const { dispatch, rename } = setup()
    for (const name of [['runs:update'], { toString: () => 'runs:update' }]) {
      const error = expectError(await dispatch(name, { id: 3, name: 'x' }))
      expect(error).toEqual({
        code: 'INVALID_INPUT',
        message: 'Sinapse does not know the command "object". Update the app and try again.',
      })
    }
    expect(expectError(await dispatch(42, {})).message).toBe(
      'Sinapse does not know the command "number". Update the app and try again.',
    )
    expect(rename).not.toHaveBeenCalled()
  })

  it('names an unknown command, cut to 100 characters', async () => {
    const { dispatch } = setup()
    expect(expectError(await dispatch('runs:explode', {})).message).toBe(
      'Sinapse does not know the command "runs:explode". Update the app and try again.',
    )
    const long = 'x'.repeat(100)
    expect(expectError(await dispatch(`${long}TAIL`, {})).message).toBe(
      `Sinapse does not know the command "${long}". Update the app and try again.`,
    )
  })

  it('joins several issues with "; "', async () => {
    const { dispatch } = setup()
    const error = expectError(await dispatch('runs:update', { id: 'three', name: 5 }))
    expect(error.message).toMatch(
      /^The data sent with "runs:update" is not valid: id: [^;]+; name: [^;]+$/,
    )
  })

  it('cuts a refused sender URL to 200 characters', async () => {
    const { ipc, listeners } = fakeIpc()
    registerIpc(ipc, vi.fn(), () => false)
    const url = `http://evil.example/${'a'.repeat(300)}`
    const result = await listeners.get(INVOKE_CHANNEL)!({ senderFrame: { url } }, 'runs:list', {})
    expect(expectError(result as Result<unknown>).message).toBe(
      `A page that is not part of Sinapse (${url.slice(0, 200)}) tried to use it. The request was refused.`,
    )
  })
})

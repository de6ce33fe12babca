import { z } from 'zod'
import { commands, type CommandName } from '../../shared/ipc-contract'
import { INVOKE_CHANNEL } from '../../shared/ipc-names'
import { toErrorInfo, type Result } from '../../shared/errors'
import { LOCALES, translate, type Locale } from '../../shared/i18n'
import type { HandlerContext, Handlers } from './types'

/** Runs one command end to end and always resolves: the transport never sees a thrown error. */
/** `locale`, when the caller sends a valid one, is the UI's current language; else the default. */
export type Dispatch = (name: unknown, input: unknown, locale?: unknown) => Promise<Result<unknown>>

export interface DispatcherOptions {
  /** Read on every call, so a language change applies to the next message. */
  locale: () => Locale
}

/** The part of an Electron invoke event the sender check reads. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null
}

/** The part of Electron's `ipcMain` used here, so tests can pass a plain object. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void
}

const zodMaps: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = {
  en: z.locales.en,
  'pt-BR': z.locales.ptBR,
}

function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name)
}

/** Zod issues as one line a person can read: `images.0.width: Too small…; other: …`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      return path ? `${path}: ${issue.message}` : issue.message
    })
    .join('; ')
}

/**
 * The transport-free core of IPC: finds the command, parses its input with the contract's
 * schema, runs the handler and wraps the outcome in a Result. Electron IPC and browser mode's
 * WebSocket both call this, so validation and error shaping live in one place.
 */
export function createDispatcher(handlers: Handlers, opts: DispatcherOptions): Dispatch {
  return async (name, input, requested) => {
    const locale = LOCALES.find((l) => l === requested) ?? opts.locale()
    if (!isCommandName(name)) {
      const shown = typeof name === 'string' ? name.slice(0, 100) : typeof name
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: translate(locale, 'ui.ipc.unknownCommand', { name: shown }),
        },
      }
    }
    const parsed = commands[name].input.safeParse(input, { error: zodMaps[locale]().localeError })
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: translate(locale, 'ui.ipc.invalidInput', {
            command: name,
            detail: formatIssues(parsed.error.issues),
          }),
        },
      }
    }
    // The map is indexed by a union of names, so TypeScript cannot pair the handler with its
    // input type; the schema above has just produced exactly that input.
    const handler = handlers[name] as (input: unknown, ctx: HandlerContext) => unknown
    try {
      return { ok: true, value: await handler(parsed.data, { locale }) }
    } catch (err) {
      return { ok: false, error: toErrorInfo(err, locale) }
    }
  }
}

/**
 * Wires `dispatch` to the single invoke channel. The sender frame is checked on every call, not
 * once per window, because a frame can navigate after the window was created.
 */
export function registerIpc(
  ipc: IpcMainLike,
  dispatch: Dispatch,
  isTrustedSender: (frameUrl: string) => boolean,
  locale: () => Locale = () => 'en',
): void {
  ipc.handle(INVOKE_CHANNEL, async (event, name, input, requested): Promise<Result<unknown>> => {
    const url = event.senderFrame?.url ?? ''
    if (!url || !isTrustedSender(url)) {
      return {
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: translate(locale(), 'ui.ipc.untrustedSender', { url: url.slice(0, 200) }),
        },
      }
    }
    return dispatch(name, input, requested)
  })
}

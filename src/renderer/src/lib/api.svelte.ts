import type { Api, CommandName, EventName, Events } from '../../../shared/ipc-contract'
import type { ErrorCode, Result } from '../../../shared/errors'
import type { Locale } from '../../../shared/i18n'
import { COMMAND_NAME_LIST } from '../../../shared/ipc-names'
import { i18n } from './i18n.svelte'
import type { Bridge } from './bridge'
import { createWebBridge } from './web-bridge'

export type { Bridge } from './bridge'

/** A failed command, with the stable code main sent and a message in the user's language. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/**
 * The typed client. Inputs are snapshotted here, once: a `$state` proxy cannot be cloned across
 * IPC. The envelope is unwrapped on this side of the bridge because contextBridge drops custom
 * fields (like `code`) from errors thrown in the preload.
 */
/** The desktop preload's bridge when present, else browser mode's; the rest of the app can't tell. */
const bridge: Bridge = window.sinapse ?? createWebBridge(() => i18n.current)

function createApi(): Api {
  const api: Partial<Record<CommandName, (input: unknown) => Promise<unknown>>> = {}
  for (const name of COMMAND_NAME_LIST) {
    api[name] = async (input) => {
      const call = bridge[name] as (input: unknown, locale: Locale) => Promise<Result<unknown>>
      // Main answers errors in the language the user picked in the app, not the system's.
      const result = await call($state.snapshot(input), i18n.current)
      if (result.ok) return result.value
      throw new ApiError(result.error.code, result.error.message)
    }
  }
  return api as Api
}

export const api = createApi()

/** Subscribes to a main-process event; returns the unsubscribe function. */
export function onEvent<E extends EventName>(
  event: E,
  callback: (payload: Events[E]) => void,
): () => void {
  return bridge.on(event, callback)
}

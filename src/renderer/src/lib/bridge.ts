import type {
  CommandInput,
  CommandName,
  CommandOutput,
  EventName,
  Events,
} from '../../../shared/ipc-contract'
import type { Result } from '../../../shared/errors'
import type { Locale } from '../../../shared/i18n'

/**
 * What the preload exposes as `window.sinapse` (desktop) and the WebSocket bridge provides in
 * browser mode: commands answer with the Result envelope.
 */
export type Bridge = {
  [K in CommandName]: (input: CommandInput<K>, locale?: Locale) => Promise<Result<CommandOutput<K>>>
} & {
  on<E extends EventName>(event: E, callback: (payload: Events[E]) => void): () => void
}

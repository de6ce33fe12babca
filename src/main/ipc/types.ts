import type { CommandInput, CommandName, CommandOutput } from '../../shared/ipc-contract'
import type { Locale } from '../../shared/i18n'

/** What every handler gets besides its input. */
export interface HandlerContext {
  /** The language errors and messages should be written in. */
  locale: Locale
}

/** One handler per contract command; a command without a handler is a type error. */
export type Handlers = {
  [K in CommandName]: (
    input: CommandInput<K>,
    ctx: HandlerContext,
  ) => Promise<CommandOutput<K>> | CommandOutput<K>
}

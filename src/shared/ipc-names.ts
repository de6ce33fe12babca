import type { CommandName, EventName } from './ipc-contract'

/**
 * The contract's names without its schemas, for the sandboxed preload: importing ipc-contract
 * there would bundle zod into a script that only forwards messages. The type checks below make
 * a name added to (or removed from) the contract a compile error here.
 */

/** The one channel every command travels on, carrying (name, input). */
export const INVOKE_CHANNEL = 'sinapse:invoke'
/** The one channel main pushes events on, carrying (name, payload). */
export const EVENT_CHANNEL = 'sinapse:event'

export const COMMAND_NAME_LIST = [
  'app:info',
  'datasets:info',
  'datasets:testImages',
  'runs:list',
  'runs:get',
  'runs:update',
  'runs:delete',
  'runs:evaluate',
  'training:start',
  'training:estimate',
  'training:stop',
  'training:active',
  'training:saveModel',
  'evaluation:samples',
  'evaluation:disagreements',
  'models:import',
  'models:export',
  'bundles:export',
  'bundles:import',
  'bundles:handIn',
  'lessons:create',
  'lessons:open',
  'board:get',
  'board:lessons',
  'privacy:info',
  'privacy:deleteAll',

  'bundles:importMany',
  'predict:pixels',
  'files:reveal',
  'inspect:input',
  'inspect:model',
  'inspect:unit',
  'ood:want',
] as const satisfies readonly CommandName[]

export const EVENT_NAME_LIST = [
  'training:started',
  'training:progress',
  'training:epoch',
  'training:finished',
  'runs:changed',
  'board:progress',
  'files:saved',
  'ood:status',
] as const satisfies readonly EventName[]

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>

// A failing line names the contract entries the lists above are missing.
const _commandsComplete: Missing<CommandName, (typeof COMMAND_NAME_LIST)[number]> = true
const _eventsComplete: Missing<EventName, (typeof EVENT_NAME_LIST)[number]> = true

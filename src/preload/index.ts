import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  COMMAND_NAME_LIST,
  EVENT_CHANNEL,
  EVENT_NAME_LIST,
  INVOKE_CHANNEL,
} from '../shared/ipc-names'

type Listener = (payload: unknown) => void

/**
 * Each command resolves to the Result envelope itself, never rejects with it: contextBridge
 * copies a thrown Error's message but drops custom fields such as `code`, so the renderer's
 * lib/api unwraps the envelope on its own side of the bridge.
 */
const bridge: Record<string, unknown> = {}
for (const name of COMMAND_NAME_LIST) {
  bridge[name] = (input: unknown, locale?: string): Promise<unknown> =>
    ipcRenderer.invoke(INVOKE_CHANNEL, name, input, locale)
}

const eventNames: readonly string[] = EVENT_NAME_LIST

/** Subscribes to one event; the IPC event object (with its sender) never reaches the page. */
bridge.on = (event: string, callback: Listener): (() => void) => {
  if (!eventNames.includes(event)) throw new Error(`Unknown event: ${event}`)
  const listener = (_event: IpcRendererEvent, name: string, payload: unknown): void => {
    if (name === event) callback(payload)
  }
  ipcRenderer.on(EVENT_CHANNEL, listener)
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, listener)
  }
}

contextBridge.exposeInMainWorld('sinapse', bridge)

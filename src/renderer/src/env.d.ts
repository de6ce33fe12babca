/// <reference types="svelte" />
/// <reference types="vite/client" />

import type { Bridge } from './lib/api.svelte'

declare global {
  interface Window {
    /** Set by the preload (desktop) or the browser-mode bridge. */
    sinapse: Bridge
  }
}

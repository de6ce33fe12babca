/// <reference types="svelte" />
/// <reference types="vite/client" />

import type { Bridge } from './lib/api.svelte'

declare global {
  interface Window {
    /** Set by the desktop preload; absent in browser mode. */
    sinapse?: Bridge
  }
}

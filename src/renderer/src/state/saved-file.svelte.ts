import { onEvent } from '../lib/api.svelte'

/** The last file the page saved: its name, and its full path where the app can know it. */
export interface SavedFile {
  name: string
  /** Absolute, on the desktop (main learns it from the save dialog); null in a browser. */
  path: string | null
}

/**
 * The confirmation after an export. On the desktop main reports each finished save with its full
 * path (`files:saved`), so the note waits for that and can offer to show the file in its folder.
 * A web page never learns where the browser put a download: there the note names the file and
 * the browser's downloads folder as soon as the download is handed over.
 */
export class SavedFileState {
  current = $state<SavedFile | null>(null)
  readonly desktop: boolean

  constructor(desktop: boolean) {
    this.desktop = desktop
  }

  /** The page has handed `name` to the browser's (or the desktop's) save. */
  started(name: string): void {
    if (!this.desktop) this.current = { name, path: null }
  }

  saved(file: { fileName: string; path: string }): void {
    this.current = { name: file.fileName, path: file.path }
  }

  dismiss(): void {
    this.current = null
  }

  /** Follows main's save reports; returns the unsubscribe function. */
  connect(): () => void {
    return onEvent('files:saved', (file) => this.saved(file))
  }
}

export const savedFile = new SavedFileState(window.sinapse !== undefined)

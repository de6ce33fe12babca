import type { Session } from 'electron'

export interface SavedDownload {
  fileName: string
  /** Absolute: where the user's save dialog put it. */
  path: string
}

/**
 * Every export of the page is a download (CSV, .h5, bundles, code): Electron asks where to save
 * it, and only main learns the answer. Each one written to the end is reported, so the page can
 * say the full path and offer to show it in its folder.
 */
export function trackDownloads(session: Session, onSaved: (file: SavedDownload) => void): void {
  session.on('will-download', (_event, item) => {
    item.once('done', (_done, state) => {
      const path = item.getSavePath()
      if (state === 'completed' && path) onSaved({ fileName: item.getFilename(), path })
    })
  })
}

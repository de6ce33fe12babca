import { savedFile } from '../state/saved-file.svelte'

/**
 * Saves text or a data URL as a file through the browser's download (a save dialog in Electron)
 * and has the page confirm it (with the full path on the desktop, once main reports it).
 */
export function downloadFile(name: string, content: string | Blob, type = 'text/plain'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
  savedFile.started(name)
}

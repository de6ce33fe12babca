import { unzipSync } from 'fflate'
import { MAX_UPLOAD_BYTES, type BundleImportOutcome } from '../../../shared/ipc-contract'
import type { MessageKey, MessageParams } from '../../../shared/i18n'
import { api } from '../lib/api.svelte'

const BUNDLE = '.sinapse'

export function isBundleFile(name: string): boolean {
  return name.toLowerCase().endsWith(BUNDLE)
}

/** A zip holding run bundles (a class's hand-ins), told from a TensorFlow.js model zip. */
export async function isBundleZip(file: File): Promise<boolean> {
  if (!file.name.toLowerCase().endsWith('.zip') || file.size > MAX_UPLOAD_BYTES) return false
  const names: string[] = []
  try {
    unzipSync(new Uint8Array(await file.arrayBuffer()), {
      filter(info) {
        names.push(info.name)
        return false
      },
    })
  } catch {
    return false
  }
  return names.some(isBundleFile)
}

/** One row of the import report: an outcome from main, or a refusal the page made itself. */
export type ImportRow =
  BundleImportOutcome | { file: string; refusal: { key: MessageKey; params: MessageParams } }

/**
 * Collecting students' work: the bundles (and zips of bundles) picked at once, an optional tag
 * for all of them, then each file sent on its own (progress, and no message over the upload
 * cap), every outcome listed. A failed file never stops the others.
 */
export class BundleImport {
  /** Files waiting for the user to confirm (and maybe tag) the import. */
  pending = $state.raw<File[]>([])
  tag = $state('')
  running = $state(false)
  done = $state(0)
  total = $state(0)
  rows = $state.raw<ImportRow[]>([])

  get open(): boolean {
    return this.pending.length > 0 || this.running || this.rows.length > 0
  }

  offer(files: File[]): void {
    this.pending = files
    this.rows = []
    this.done = 0
    this.total = files.length
  }

  close(): void {
    if (this.running) return
    this.pending = []
    this.rows = []
    this.tag = ''
  }

  async start(): Promise<void> {
    const files = this.pending
    const tag = this.tag.trim() || undefined
    this.pending = []
    this.running = true
    this.done = 0
    this.total = files.length
    this.rows = []
    try {
      for (const file of files) {
        this.rows = [...this.rows, ...(await this.#importOne(file, tag))]
        this.done += 1
      }
    } finally {
      this.running = false
    }
  }

  async #importOne(file: File, tag: string | undefined): Promise<ImportRow[]> {
    if (file.size > MAX_UPLOAD_BYTES) {
      const mb = (n: number) => Math.round((n / (1024 * 1024)) * 10) / 10
      const params = { name: file.name, size: mb(file.size), limit: mb(MAX_UPLOAD_BYTES) }
      return [{ file: file.name, refusal: { key: 'modelfiles.bundle.tooLarge', params } }]
    }
    try {
      const bytes = new Uint8Array(await file.arrayBuffer())
      return await api['bundles:importMany']({ file: { name: file.name, bytes }, tag })
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      return [{ file: file.name, error: { code: 'INTERNAL', message } }]
    }
  }

  get counts(): { imported: number; duplicates: number; refused: number } {
    const refused = this.rows.filter((r) => 'error' in r || 'refusal' in r).length
    const duplicates = this.rows.filter((r) => 'duplicate' in r).length
    return { imported: this.rows.length - refused - duplicates, duplicates, refused }
  }
}

export const bundleImport = new BundleImport()

import type { MessageKey, MessageParams } from '../../../shared/i18n'
import type { InspectResult, ModelInsight, UnitExample } from '../../../shared/inspect'
import type { RawPixels } from '../../../shared/preprocess'
import { api } from '../lib/api.svelte'
import { decodeImageFile, ImageRefusal } from '../lib/decode-image'
import { oodState } from './ood.svelte'
import { router } from './router.svelte'
import type { Stroke } from './tester.svelte'

/** Where the X-rayed input came from, for its caption. */
export type XraySource =
  { kind: 'test'; index: number } | { kind: 'drawing' } | { kind: 'file'; name: string }

/** A message to show, as a key so it follows the language switch. */
export interface XrayMessage {
  key: MessageKey
  params: MessageParams
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * The X-ray view's run, input and answers. A module singleton, so the tester and the evaluation
 * gallery can hand it an image before switching to the view.
 */
export class XrayState {
  runId = $state<number | null>(null)
  source = $state.raw<XraySource | null>(null)
  result = $state.raw<InspectResult | null>(null)
  insight = $state.raw<ModelInsight | null>(null)
  working = $state(false)
  insightLoading = $state(false)
  error = $state<string | null>(null)
  insightError = $state<string | null>(null)
  refusal = $state.raw<XrayMessage | null>(null)

  strokes = $state.raw<Stroke[]>([])
  brush = $state(20)

  unit = $state<number | null>(null)
  examples = $state.raw<UnitExample[] | null>(null)
  examplesError = $state<string | null>(null)

  /** Pixels handed over by another view, X-rayed when the view opens with that run. */
  pending: { pixels: RawPixels; source: XraySource } | null = null

  #lastPixels: RawPixels | null = null
  /** The request behind `result`, to ask again once the run's judgement is ready. */
  #lastRequest: Parameters<(typeof api)['inspect:input']>[0]['source'] | null = null
  #seq = 0
  #insightSeq = 0
  #unitSeq = 0

  constructor() {
    // The verdict follows the answer: asked again once the run's judgement is ready.
    // A request still in flight is newer than the answer shown: it asks again itself when it
    // lands (below), and a retry of the older input here would supersede it.
    oodState.onReady((runId) => {
      if (runId !== this.runId || !this.result?.oodPending || !this.#lastRequest || !this.source)
        return
      if (this.working) return
      void this.#inspect(this.#lastRequest, this.source, true)
    })
  }

  /** Switches to the X-ray view on `runId` with pixels from another view. */
  openWith(runId: number, pixels: RawPixels, source: XraySource): void {
    this.pending = { pixels, source }
    router.go('xray', { run: String(runId) })
  }

  /** Opens `runId`: its model insight, and the current input again (or test image 0). */
  async setRun(runId: number): Promise<void> {
    if (this.runId === runId && this.insight) return
    this.runId = runId
    // Its judgement is prepared in the background; a run the X-ray left stops being prepared.
    void oodState.want('xray', [runId])
    this.insight = null
    this.unit = null
    this.examples = null
    const pending = this.pending
    this.pending = null
    const input = pending
      ? this.inspectPixels(pending.pixels, pending.source)
      : this.source && this.source.kind !== 'test' && this.#lastPixels
        ? this.inspectPixels(this.#lastPixels, this.source)
        : this.inspectTest(this.source?.kind === 'test' ? this.source.index : 0)
    await Promise.all([this.#loadInsight(runId), input])
  }

  async #loadInsight(runId: number): Promise<void> {
    const seq = ++this.#insightSeq
    this.insightLoading = true
    this.insightError = null
    try {
      const insight = await api['inspect:model']({ runId })
      if (seq === this.#insightSeq) this.insight = insight
    } catch (err) {
      if (seq === this.#insightSeq) this.insightError = describeError(err)
    } finally {
      if (seq === this.#insightSeq) this.insightLoading = false
    }
  }

  inspectTest(index: number): Promise<void> {
    return this.#inspect({ kind: 'test', index }, { kind: 'test', index })
  }

  inspectPixels(pixels: RawPixels, source: XraySource): Promise<void> {
    this.#lastPixels = pixels
    const image = { ...pixels, data: Uint8Array.from(pixels.data) }
    return this.#inspect({ kind: 'pixels', image }, source)
  }

  /** The drawing pad's pixels (null when cleared). */
  async inspectDrawing(pixels: RawPixels | null): Promise<void> {
    if (pixels) await this.inspectPixels(pixels, { kind: 'drawing' })
  }

  /** Decodes a chosen or dropped file with the tester's decoder and X-rays it. */
  async inspectFile(file: File): Promise<void> {
    this.refusal = null
    try {
      const img = await decodeImageFile(file)
      const pixels: RawPixels = {
        width: img.width,
        height: img.height,
        channels: 4,
        data: img.data,
      }
      await this.inspectPixels(pixels, { kind: 'file', name: file.name })
    } catch (err) {
      this.refusal =
        err instanceof ImageRefusal
          ? { key: err.key, params: err.params }
          : { key: 'tester.error.decode', params: { detail: describeError(err) } }
    }
  }

  /** A newer request supersedes an older one: a slow answer never replaces a fresher input's. */
  async #inspect(
    source: Parameters<(typeof api)['inspect:input']>[0]['source'],
    shown: XraySource,
    retry = false,
  ): Promise<void> {
    const runId = this.runId
    if (runId === null) return
    const seq = ++this.#seq
    this.working = true
    this.error = null
    try {
      const result = await api['inspect:input']({ runId, source })
      if (seq !== this.#seq) return
      this.result = result
      this.source = shown
      this.#lastRequest = source
      // The run's ready event came before this answer (they travel separately): ask once more.
      if (!retry && result.oodPending && oodState.statuses.get(runId)?.state === 'ready') {
        void this.#inspect(source, shown, true)
      }
    } catch (err) {
      if (seq === this.#seq) this.error = describeError(err)
    } finally {
      if (seq === this.#seq) this.working = false
    }
  }

  /** Shows the test images that excite `unit` of the templates' layer most. */
  async chooseUnit(layer: number, unit: number | null): Promise<void> {
    const runId = this.runId
    this.unit = unit
    this.examples = null
    this.examplesError = null
    if (unit === null || runId === null) return
    const seq = ++this.#unitSeq
    try {
      const examples = await api['inspect:unit']({ runId, layer, unit, limit: 12 })
      if (seq === this.#unitSeq) this.examples = examples
    } catch (err) {
      if (seq === this.#unitSeq) this.examplesError = describeError(err)
    }
  }
}

export const xrayState = new XrayState()

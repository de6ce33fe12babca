import { SvelteMap } from 'svelte/reactivity'
import type { PixelPrediction } from '../../../shared/ipc-contract'
import type { MessageKey, MessageParams } from '../../../shared/i18n'
import {
  preprocessFor,
  type PreprocessMode,
  type Preprocessed,
  type RawPixels,
} from '../../../shared/preprocess'
import type { RunSummary } from '../../../shared/runs'
import { api } from '../lib/api.svelte'
import { decodeImageFile, ImageRefusal } from '../lib/decode-image'
import { oodState } from './ood.svelte'

/** Side-by-side columns stay readable on a projector up to four models. */
export const MAX_TESTER_RUNS = 4
/** Images per predict call: at 1024 px an RGBA image is 4 MB, and a message is capped at 64 MB. */
const BATCH = 6
/** Below this confidence the page says the model is unsure. */
export const LOW_CONFIDENCE = 0.5

export interface TestImage {
  id: number
  name: string
  originalWidth: number
  originalHeight: number
  thumbnail: string
  pixels: RawPixels
  /** The same preprocessing main runs, done here to show each step. */
  prepared: Preprocessed
}

/** A message to show, as a key so it follows the language switch. */
export interface Message {
  key: MessageKey
  params: MessageParams
}

export interface Refusal {
  id: number
  name: string
  message: Message
}

export type Prediction =
  | { status: 'pending' }
  | { status: 'done'; result: PixelPrediction }
  | { status: 'error'; detail: string }

/** Runs the tester can use: finished, so they saved a model. */
export function testableRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((run) => run.status === 'completed').toSorted((a, b) => b.id - a.id)
}

function keyOf(imageId: number, runId: number): string {
  return `${imageId}:${runId}`
}

/**
 * Answers without a verdict for a run whose judgement is ready: its ready event arrived before
 * these answers (the two travel separately), so asking again gets the verdicts.
 */
function readyMeanwhile(runId: number, answers: Prediction[]): boolean {
  const pending = answers.some((p) => p.status === 'done' && p.result.oodPending)
  return pending && oodState.statuses.get(runId)?.state === 'ready'
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * The tester's images, refusals, chosen runs and predictions, plus the drawing pad. A module
 * singleton, so leaving the view and coming back keeps the images and the drawing.
 */
export class TesterState {
  images = $state.raw<TestImage[]>([])
  refusals = $state.raw<Refusal[]>([])
  /** Chosen run ids in display order; null until the user or the default chooses. */
  runIds = $state.raw<number[] | null>(null)
  /** Keyed by `imageId:runId`. */
  readonly predictions = new SvelteMap<string, Prediction>()
  /** MNIST-style (crop, centre) or the tutorial's plain resize, to see translation hurt an MLP. */
  preprocessing = $state<PreprocessMode>('mnist')
  decoding = $state(0)

  /** The drawing: strokes of points in canvas units, each with its brush size. */
  strokes = $state.raw<Stroke[]>([])
  brush = $state(20)
  drawn = $state.raw<Preprocessed | null>(null)
  readonly drawnPredictions = new SvelteMap<number, Prediction>()

  #nextId = 1
  #drawSeq = 0

  constructor() {
    // A run's verdicts follow its answers: asked again once its judgement is ready.
    oodState.onReady((runId) => void this.judgeAgain(runId))
  }

  prediction(imageId: number, runId: number): Prediction | undefined {
    return this.predictions.get(keyOf(imageId, runId))
  }

  /** Picks the default (the newest testable run) once, when nothing was chosen yet. */
  ensureDefaultRuns(runs: readonly RunSummary[]): void {
    const usable = testableRuns(runs).map((run) => run.id)
    if (this.runIds === null) {
      if (usable.length > 0) this.setRuns([usable[0]])
    } else if (this.runIds.some((id) => !usable.includes(id))) {
      this.setRuns(this.runIds.filter((id) => usable.includes(id)))
    }
  }

  setRuns(ids: number[]): void {
    this.runIds = ids.slice(0, MAX_TESTER_RUNS)
    // Their judgements are prepared now, in the background; a run dropped from the list stops.
    void oodState.want('tester', this.runIds)
    void this.predictMissing()
    void this.predictDrawing()
  }

  /** Decodes files one at a time (memory stays flat), refusing the bad ones with a reason. */
  async addFiles(files: readonly File[]): Promise<void> {
    if (files.length === 0) return
    this.decoding += files.length
    const added: TestImage[] = []
    for (const file of files) {
      const id = this.#nextId++
      try {
        const img = await decodeImageFile(file)
        const pixels: RawPixels = {
          width: img.width,
          height: img.height,
          channels: 4,
          data: img.data,
        }
        added.push({
          id,
          name: file.name || `#${id}`,
          originalWidth: img.originalWidth,
          originalHeight: img.originalHeight,
          thumbnail: img.thumbnail,
          pixels,
          prepared: preprocessFor(this.preprocessing)(pixels),
        })
      } catch (err) {
        const message: Message =
          err instanceof ImageRefusal
            ? { key: err.key, params: err.params }
            : { key: 'tester.error.decode', params: { detail: describeError(err) } }
        this.refusals = [...this.refusals, { id, name: file.name, message }]
      } finally {
        this.decoding--
      }
    }
    if (added.length > 0) {
      this.images = [...this.images, ...added]
      await this.predictMissing()
    }
  }

  remove(imageId: number): void {
    this.images = this.images.filter((img) => img.id !== imageId)
  }

  clearImages(): void {
    this.images = []
    this.refusals = []
    this.predictions.clear()
  }

  dismissRefusal(id: number): void {
    this.refusals = this.refusals.filter((r) => r.id !== id)
  }

  /** Asks each chosen run about the images it has not answered yet, a few images per call. */
  async predictMissing(): Promise<void> {
    const runIds = this.runIds ?? []
    await Promise.all(
      runIds.map(async (runId) => {
        const todo = this.images.filter((img) => !this.predictions.has(keyOf(img.id, runId)))
        if (todo.length === 0) return
        this.#setPredictions(todo.map((img) => [keyOf(img.id, runId), { status: 'pending' }]))
        await this.#predictImages(runId, todo)
      }),
    )
  }

  async #predictImages(runId: number, images: TestImage[], retry = true): Promise<void> {
    const preprocessing = this.preprocessing
    for (let i = 0; i < images.length; i += BATCH) {
      const batch = images.slice(i, i + BATCH)
      let entries: [string, Prediction][]
      try {
        const results = await api['predict:pixels']({
          runId,
          preprocessing,
          images: batch.map((img) => ({ ...img.pixels, data: Uint8Array.from(img.pixels.data) })),
        })
        entries = batch.map((img, k) => [
          keyOf(img.id, runId),
          { status: 'done', result: results[k] },
        ])
      } catch (err) {
        const detail = describeError(err)
        entries = batch.map((img) => [keyOf(img.id, runId), { status: 'error', detail }])
      }
      // Asked under another preprocessing: those answers were cleared and are asked again.
      if (preprocessing !== this.preprocessing) continue
      this.#setPredictions(entries)
      if (
        retry &&
        readyMeanwhile(
          runId,
          entries.map(([, p]) => p),
        )
      ) {
        await this.#predictImages(runId, batch, false)
      }
    }
  }

  /**
   * Asks `runId` again about the images and drawing it answered without a verdict (its judgement
   * was not ready then). The digits shown stay until the new answers replace them.
   */
  async judgeAgain(runId: number): Promise<void> {
    if (!(this.runIds ?? []).includes(runId)) return
    const waiting = this.images.filter((img) => {
      const p = this.predictions.get(keyOf(img.id, runId))
      return p?.status === 'done' && p.result.oodPending
    })
    const drawn = this.drawnPredictions.get(runId)
    await Promise.all([
      waiting.length > 0 ? this.#predictImages(runId, waiting) : null,
      drawn?.status === 'done' && drawn.result.oodPending ? this.predictDrawing() : null,
    ])
  }

  /** Switches the preprocessing and asks every run again. */
  setPreprocessing(mode: PreprocessMode): void {
    if (mode === this.preprocessing) return
    this.preprocessing = mode
    // The steps shown are the ones this mode takes: no crop or centring for the plain resize.
    const prepare = preprocessFor(mode)
    this.images = this.images.map((image) => ({ ...image, prepared: prepare(image.pixels) }))
    if (this.drawn && this.#lastDrawing) this.drawn = prepare(this.#lastDrawing)
    this.predictions.clear()
    void this.predictMissing()
    void this.predictDrawing()
  }

  #setPredictions(entries: [string, Prediction][]): void {
    for (const [key, value] of entries) this.predictions.set(key, value)
  }

  /**
   * Predicts the current drawing with every chosen run. A newer call supersedes an older one, so a
   * slow answer never overwrites a fresher drawing's.
   */
  async predictDrawing(pixels?: RawPixels | null): Promise<void> {
    if (pixels !== undefined) {
      this.#lastDrawing = pixels
      this.drawn = pixels ? preprocessFor(this.preprocessing)(pixels) : null
    }
    await this.#askDrawing(true)
  }

  async #askDrawing(retry: boolean): Promise<void> {
    const current = this.#lastDrawing
    const seq = ++this.#drawSeq
    if (!current) {
      this.drawnPredictions.clear()
      return
    }
    const runIds = this.runIds ?? []
    const answers = await Promise.all(
      runIds.map(async (runId): Promise<[number, Prediction]> => {
        try {
          const [result] = await api['predict:pixels']({
            runId,
            preprocessing: this.preprocessing,
            images: [{ ...current, data: Uint8Array.from(current.data) }],
          })
          return [runId, { status: 'done', result }]
        } catch (err) {
          return [runId, { status: 'error', detail: describeError(err) }]
        }
      }),
    )
    if (seq !== this.#drawSeq) return
    this.drawnPredictions.clear()
    for (const [runId, prediction] of answers) this.drawnPredictions.set(runId, prediction)
    if (retry && answers.some(([runId, p]) => readyMeanwhile(runId, [p]))) {
      await this.#askDrawing(false)
    }
  }

  #lastDrawing = $state.raw<RawPixels | null>(null)

  /** The drawing's pixels, for the X-ray. */
  get lastDrawing(): RawPixels | null {
    return this.#lastDrawing
  }
}

export interface Stroke {
  size: number
  points: { x: number; y: number }[]
}

export const testerState = new TesterState()

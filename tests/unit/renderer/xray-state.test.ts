import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { InspectResult } from '../../../src/shared/inspect'
import type { OodStatus } from '../../../src/shared/ood'
import type { RawPixels } from '../../../src/shared/preprocess'
import { MemoryStorage } from './memory-storage'

// The X-ray's state (a Svelte 5 `.svelte.ts` module, compiled by the svelte plugin in
// vitest.config.ts) against a desktop bridge whose answers the test releases one by one: the order
// in which main's answers and its `ood:status` events arrive is what these tests are about.

type Source = { kind: 'test'; index: number } | { kind: 'pixels'; image: RawPixels }

interface Asked {
  source: Source
  answer: (result: InspectResult) => void
}

const asked: Asked[] = []
const listeners = new Map<string, ((payload: unknown) => void)[]>()

function emit(event: string, payload: unknown): void {
  for (const listener of listeners.get(event) ?? []) listener(payload)
}

function result(testIndex: number | null, oodPending: boolean): InspectResult {
  return {
    input: new Array<number>(784).fill(0),
    testIndex,
    trueClass: testIndex === null ? null : 9,
    prediction: {
      digit: 9,
      probabilities: Array.from({ length: 10 }, (_, i) => (i === 9 ? 1 : 0)),
    },
    layers: [],
    saliency: [],
    occlusion: [],
    histograms: [],
    warnings: [],
    ood: oodPending ? null : { kind: 'typical', distance: 1, threshold: 2 },
    oodPending,
  } as unknown as InspectResult
}

const bridge = new Proxy(
  {
    on(event: string, callback: (payload: unknown) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), callback])
      return () => true
    },
    'inspect:input': (input: { runId: number; source: Source }) =>
      new Promise((resolve) => {
        asked.push({
          source: input.source,
          answer: (value) => resolve({ ok: true, value }),
        })
      }),
    'inspect:model': () => new Promise(() => {}),
    'ood:want': () => Promise.resolve({ ok: true, value: [] }),
  } as Record<string, unknown>,
  {
    get: (target, name: string) =>
      target[name] ?? (() => Promise.resolve({ ok: true, value: null })),
  },
)

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

let xray: typeof import('../../../src/renderer/src/state/xray.svelte').xrayState
let ood: typeof import('../../../src/renderer/src/state/ood.svelte').oodState

beforeAll(async () => {
  vi.stubGlobal('localStorage', new MemoryStorage())
  vi.stubGlobal('navigator', { language: 'en' })
  vi.stubGlobal('document', { documentElement: { lang: '' } })
  vi.stubGlobal('location', { hash: '#/xray?run=1' })
  vi.stubGlobal('window', { sinapse: bridge, addEventListener: () => {} })
  ;({ xrayState: xray } = await import('../../../src/renderer/src/state/xray.svelte'))
  ;({ oodState: ood } = await import('../../../src/renderer/src/state/ood.svelte'))
  ood.connect()
})

describe('X-ray state: answers and judgement events in any order', () => {
  // Requests a test left unanswered stay unanswered: their answers could not reach the view.
  beforeEach(() => {
    asked.length = 0
  })

  it('a dropped file asked while the judgement of the test image shown becomes ready stays the answer', async () => {
    const ready: OodStatus = { runId: 1, state: 'ready', done: 1, total: 1, error: null }
    const computing: OodStatus = { ...ready, state: 'computing', done: 0 }
    xray.runId = 1
    emit('ood:status', computing)

    // Test image 12 is shown, its judgement not ready yet.
    void xray.inspectTest(12)
    asked.shift()?.answer(result(12, true))
    await tick()
    expect(xray.result?.testIndex).toBe(12)
    expect(xray.source).toEqual({ kind: 'test', index: 12 })

    // The student hands over a file; while it is being X-rayed, the judgement becomes ready.
    const pixels: RawPixels = { width: 2, height: 2, channels: 4, data: new Uint8Array(16) }
    const file = xray.inspectPixels(pixels, { kind: 'file', name: '7-thick-marker.png' })
    expect(asked.map((a) => a.source.kind)).toEqual(['pixels'])
    emit('ood:status', ready)
    await tick()
    // No request for the older test image supersedes the file's.
    expect(asked.map((a) => a.source.kind)).toEqual(['pixels'])

    asked.shift()?.answer(result(null, true))
    await tick()
    // The file's answer came without a verdict although the judgement is ready: asked once more.
    expect(asked.map((a) => a.source.kind)).toEqual(['pixels'])
    asked.shift()?.answer(result(null, false))
    await file
    await tick()
    expect(xray.source).toEqual({ kind: 'file', name: '7-thick-marker.png' })
    expect(xray.result?.testIndex).toBeNull()
    expect(xray.result?.oodPending).toBe(false)
    expect(asked).toEqual([])
  })

  it('the input shown is asked again when its judgement becomes ready and nothing newer is asked', async () => {
    const ready: OodStatus = { runId: 2, state: 'ready', done: 1, total: 1, error: null }
    xray.runId = 2
    emit('ood:status', { ...ready, state: 'computing', done: 0 })
    void xray.inspectTest(5)
    asked.shift()?.answer(result(5, true))
    await tick()
    expect(xray.result?.oodPending).toBe(true)
    emit('ood:status', ready)
    expect(asked.map((a) => a.source)).toEqual([{ kind: 'test', index: 5 }])
    asked.shift()?.answer(result(5, false))
    await tick()
    expect(xray.result?.oodPending).toBe(false)
    expect(xray.source).toEqual({ kind: 'test', index: 5 })
  })
})

import { existsSync, rmSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { OOD_FILE } from '../../../src/main/training/ood-file'
import type { Events } from '../../../src/shared/ipc-contract'
import type { OodStatus } from '../../../src/shared/ood'
import { getPreset } from '../../../src/shared/presets'
import type { RunDetail } from '../../../src/shared/runs'
import { tempDataDir } from '../cli/cli-helpers'

/*
 * The app prepares a model's judgement as soon as it exists (a finished training, an import) and
 * whenever a view shows a run, in the background: statuses arrive as events, predictions never
 * wait, and a run no view shows any more stops being prepared.
 */

const SEED = Number(process.env.OOD_TEST_SEED ?? 1)
let services: Services
let dataDir: string
let trained: RunDetail
const statuses: OodStatus[] = []

function modelDir(run: RunDetail): string {
  const path = run.model!.path
  return isAbsolute(path) ? path : join(dataDir, path)
}

/** Waits (polling the recorded events) for a status of `runId` matching `state`. */
async function statusOf(runId: number, state: OodStatus['state'], from = 0): Promise<OodStatus> {
  for (;;) {
    const found = statuses.slice(from).find((s) => s.runId === runId && s.state === state)
    if (found) return found
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

beforeAll(async () => {
  dataDir = tempDataDir()
  services = await createServices({
    dataDir,
    locale: 'en',
    eagerOod: true,
    emit: <E extends keyof Events>(event: E, payload: Events[E]) => {
      if (event === 'ood:status') statuses.push(payload as OodStatus)
    },
    ...nodeWorkerOptions(),
  })
  const preset = getPreset('tutorial-mlp')
  const { done } = await services.training.start({
    spec: preset.spec,
    config: { ...preset.config, epochs: 1, limit: 6000, seed: SEED },
    dataset: 'mnist',
  })
  trained = await done
  expect(trained.status).toBe('completed')
}, 300_000)

afterAll(async () => {
  await services?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

const blank = { width: 28, height: 28, channels: 1 as const, data: new Uint8Array(784) }

describe('out-of-distribution service', () => {
  it('prepares a trained model’s judgement at once, without any view asking', async () => {
    const ready = await statusOf(trained.id, 'ready')
    expect(ready.done).toBe(ready.total)
    const progress = statuses.filter((s) => s.runId === trained.id && s.state === 'computing')
    expect(progress.length).toBeGreaterThan(10)
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done)
    }
    // The threshold is beside the model before the tester was ever opened.
    expect(existsSync(join(modelDir(trained), OOD_FILE))).toBe(true)
    const [answer] = await services.runs.predictPixels(trained.id, [blank])
    expect(answer.oodPending).toBe(false)
    expect(answer.ood).toMatchObject({ flagged: true })
    expect(services.ood.want('tester', [trained.id])).toEqual([ready])
  }, 300_000)

  it('prepares an imported model at once; a view leaving it does not cancel that', async () => {
    const exported = await services.modelFiles.exportModel({ id: trained.id, format: 'tfjs-zip' })
    const mark = statuses.length
    const imported = await services.modelFiles.importModel({
      files: [{ name: 'copy.zip', bytes: exported.bytes }],
    })
    // The tester shows it and moves on at once: the app's own preparation goes on.
    services.ood.want('tester', [imported.runId])
    services.ood.want('tester', [])
    const ready = await statusOf(imported.runId, 'ready', mark)
    expect(ready.total).toBeGreaterThan(0)
    const run = services.runs.get(imported.runId)
    expect(existsSync(join(modelDir(run), OOD_FILE))).toBe(true)
  }, 300_000)

  it('answers predictions at once while preparing; cancels a run no view shows any more', async () => {
    // Another pixel convention is another calibration, never computed yet.
    services.runs.update(trained.id, { inputScale: '255' })
    const mark = statuses.length
    const [first] = services.ood.want('xray', [trained.id])
    expect(first).toMatchObject({ state: 'computing', done: 0 })
    const [answer] = await services.runs.predictPixels(trained.id, [blank])
    expect(answer.oodPending).toBe(true)
    expect(answer.ood).toBeNull()
    expect(answer.probabilities).toHaveLength(10)
    await waitForProgress(trained.id, mark)
    services.ood.want('xray', [])
    // Asked again, it starts from the beginning: the cancelled bank was dropped.
    const [again] = services.ood.want('xray', [trained.id])
    expect(again).toMatchObject({ state: 'computing', done: 0 })
    await statusOf(trained.id, 'ready', mark)
    const [judged] = await services.runs.predictPixels(trained.id, [blank])
    expect(judged.oodPending).toBe(false)
    expect(judged.ood).not.toBeNull()
  }, 300_000)
})

async function waitForProgress(runId: number, from: number): Promise<void> {
  while (!statuses.slice(from).some((s) => s.runId === runId && s.done > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

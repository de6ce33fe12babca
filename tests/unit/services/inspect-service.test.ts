import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commands } from '../../../src/shared/ipc-contract'
import { getPreset } from '../../../src/shared/presets'
import type { RunDetail } from '../../../src/shared/runs'
import { createServices, type Services } from '../../../src/main/services'
import { HEALTH_BATCH } from '../../../src/main/services/inspect-service'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { tempDataDir } from '../cli/cli-helpers'

let services: Services
let dataDir: string
let run: RunDetail

beforeAll(async () => {
  dataDir = tempDataDir()
  services = await createServices({ dataDir, locale: 'en', emit: () => {}, ...nodeWorkerOptions() })
  const preset = getPreset('tutorial-mlp')
  const { done } = await services.training.start({
    spec: preset.spec,
    config: { ...preset.config, epochs: 1, limit: 2000 },
    dataset: 'mnist',
  })
  run = await done
  expect(run.status).toBe('completed')
}, 180_000)

afterAll(async () => {
  await services?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('inspect service (the X-ray behind the view)', () => {
  it('answers an input and the model insight asked together (one model load, none disposed)', async () => {
    const [result, insight] = await Promise.all([
      services.inspect.inspect(run.id, { kind: 'test', index: 0 }),
      services.inspect.insight(run.id),
    ])
    expect(result.layers).toHaveLength(3)
    expect(insight.templates?.units).toBe(128)
  }, 60_000)

  it('X-rays a test image and a drawing through the same preprocessing as predict', async () => {
    const test = await services.inspect.inspect(run.id, { kind: 'test', index: 5 })
    const { test: set } = await loadDataset('mnist')
    expect(test.testIndex).toBe(5)
    expect(test.trueClass).toBe(set.labels[5])
    expect(test.input).toEqual(
      Array.from(set.images.subarray(5 * 784, 6 * 784), (b) => Math.fround(b / 255)),
    )
    expect(test.layers.map((l) => l.className)).toEqual(['Flatten', 'Dense', 'Dense'])
    expect(test.histograms.map((h) => h.layer)).toEqual([1])

    // A white vertical bar on black: a drawn "1".
    const data = new Uint8Array(100 * 100)
    for (let y = 20; y < 80; y++) for (let x = 45; x < 55; x++) data[y * 100 + x] = 255
    const image = { width: 100, height: 100, channels: 1 as const, data }
    const drawn = await services.inspect.inspect(run.id, { kind: 'pixels', image })
    const [predicted] = await services.runs.predictPixels(run.id, [image])
    expect(drawn.prediction.digit).toBe(predicted.digit)
    expect(drawn.input.map((v) => Math.round(v * 255))).toEqual(predicted.input)
    expect(drawn.testIndex).toBeNull()
    expect(drawn.saliency).toHaveLength(784)
    expect(drawn.occlusion).toHaveLength(784)

    const blank = await services.inspect.inspect(run.id, {
      kind: 'pixels',
      image: { ...image, data: new Uint8Array(100 * 100) },
    })
    expect(blank.warnings).toEqual(['noInk'])
  }, 60_000)

  it("describes the model: 128 templates, ReLU health over a batch, a unit's top test images", async () => {
    const insight = await services.inspect.insight(run.id)
    expect(insight.classNames).toHaveLength(10)
    expect(insight.filters).toEqual([])
    expect(insight.templates).toMatchObject({ layer: 1, units: 128 })
    expect(insight.templates!.values).toHaveLength(128 * 784)
    expect(insight.health).toEqual([
      expect.objectContaining({ layer: 1, activation: 'relu', units: 128, images: HEALTH_BATCH }),
    ])
    const share = insight.health[0].deadShare!
    expect(share).toBeGreaterThanOrEqual(0)
    expect(share).toBeLessThan(0.5)

    const examples = await services.inspect.unitExamples(run.id, 1, 7, 6)
    expect(examples).toHaveLength(6)
    const { test } = await loadDataset('mnist')
    for (const e of examples) {
      expect(Array.from(e.pixels)).toEqual(
        Array.from(test.images.subarray(e.index * 784, (e.index + 1) * 784)),
      )
      expect(e.trueClass).toBe(test.labels[e.index])
    }
  }, 60_000)

  it('refuses bad input with clear errors', async () => {
    await expect(services.inspect.inspect(999, { kind: 'test', index: 0 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(services.inspect.unitExamples(run.id, 1, 128, 6)).rejects.toThrow(
      'Layer 1 has no unit 128 (it has 128)',
    )
    const bad = commands['inspect:input'].input
    expect(bad.safeParse({ runId: 1, source: { kind: 'test', index: -1 } }).success).toBe(false)
    expect(
      bad.safeParse({
        runId: 1,
        source: {
          kind: 'pixels',
          image: { width: 2, height: 2, channels: 1, data: new Uint8Array(3) },
        },
      }).success,
    ).toBe(false)
    expect(
      bad.safeParse({
        runId: 1,
        source: {
          kind: 'pixels',
          image: { width: 2, height: 2, channels: 1, data: new Uint8Array(4) },
        },
      }).success,
    ).toBe(true)
  })
})

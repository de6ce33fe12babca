import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeImage } from '../../../src/main/images/decode'
import { createServices } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { preprocessDigit } from '../../../src/shared/preprocess'
import { getPreset } from '../../../src/shared/presets'
import { cli, tempDataDir } from './cli-helpers'

const fixtures = join(import.meta.dirname, '../../fixtures')
const cnnFile = join(fixtures, 'keras/mnist_cnn_keras3.h5')
const digitsDir = join(fixtures, 'digits')
const sevenFile = join(
  digitsDir,
  readdirSync(digitsDir).find((f) => f.startsWith('7-'))!,
)

let dataDir: string

interface InspectJson {
  input: number[][]
  prediction: { digit: number; probabilities: number[] }
  layers: { name: string; class: string; outputShape: number[]; output: unknown }[]
  saliency: number[][]
}

/** The dimensions of nested arrays, following the first element down. */
function dims(value: unknown): number[] {
  const out: number[] = []
  let v = value
  while (Array.isArray(v)) {
    out.push(v.length)
    v = v[0]
  }
  return out
}

beforeAll(async () => {
  dataDir = tempDataDir()
  const imported = await cli(dataDir, 'import', cnnFile, '--json')
  expect(imported.code, imported.stderr).toBe(0)
  expect(JSON.parse(imported.stdout).runId).toBe(1)
}, 120_000)

describe('sinapse inspect on the imported Keras CNN', () => {
  it('prints the four fields, each layer in Keras layout, and the same prediction as predict', async () => {
    const result = await cli(dataDir, 'inspect', '1', sevenFile, '--json')
    expect(result.code, result.stderr).toBe(0)
    const x = JSON.parse(result.stdout) as InspectJson
    expect(Object.keys(x)).toEqual(['input', 'prediction', 'layers', 'saliency'])
    expect(dims(x.input)).toEqual([28, 28])
    expect(dims(x.saliency)).toEqual([28, 28])
    expect(x.saliency.flat().every((v) => Number.isFinite(v) && v >= 0)).toBe(true)

    // What the network saw: the shared MNIST-style preprocessing, scaled to [0, 1].
    const prepared = preprocessDigit(await decodeImage(readFileSync(sevenFile)))
    expect(x.input.flat()).toEqual(Array.from(prepared.input))

    expect(x.layers.map((l) => l.class)).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'Flatten',
      'Dense',
      'Dropout',
      'Dense',
    ])
    expect(x.layers.map((l) => l.outputShape)).toEqual([
      [26, 26, 32],
      [13, 13, 32],
      [11, 11, 64],
      [5, 5, 64],
      [3, 3, 64],
      [576],
      [64],
      [64],
      [10],
    ])
    for (const layer of x.layers) expect(dims(layer.output)).toEqual(layer.outputShape)
    // Channels last: pooling takes the max of each 2×2 window per channel.
    const conv = x.layers[0].output as number[][][]
    const pool = x.layers[1].output as number[][][]
    for (const [r, c, ch] of [
      [0, 0, 0],
      [6, 7, 5],
      [12, 12, 31],
    ]) {
      const window = [
        conv[2 * r][2 * c],
        conv[2 * r][2 * c + 1],
        conv[2 * r + 1][2 * c],
        conv[2 * r + 1][2 * c + 1],
      ]
      expect(pool[r][c][ch]).toBe(Math.max(...window.map((v) => v[ch])))
    }

    const predicted = await cli(dataDir, 'predict', '1', sevenFile, '--json')
    const [p] = JSON.parse(predicted.stdout) as { digit: number; probabilities: number[] }[]
    expect(x.prediction.digit).toBe(p.digit)
    expect(x.prediction.digit).toBe(7)
    x.prediction.probabilities.forEach((v, i) => expect(v).toBeCloseTo(p.probabilities[i], 5))
    expect(x.layers[x.layers.length - 1].output).toEqual(x.prediction.probabilities)
  }, 120_000)

  it('X-rays a test image and speaks both languages in the readable form', async () => {
    const json = await cli(dataDir, 'inspect', '1', '--test', '0', '--json')
    expect(json.code, json.stderr).toBe(0)
    expect((JSON.parse(json.stdout) as InspectJson).prediction.digit).toBe(7)

    const en = await cli(dataDir, 'inspect', '1', '--test', '0')
    expect(en.code).toBe(0)
    expect(en.stdout).toContain('X-ray of run 1 · test image 0 (true class 7) → 7')
    expect(en.stdout).toMatch(/conv2d\s+Conv2D\s+26×26×32/)
    const pt = await cli(dataDir, 'inspect', '1', '--test', '0', '--lang', 'pt-BR')
    expect(pt.stdout).toContain('Raio-X do treino 1 · imagem de teste 0 (classe verdadeira 7) → 7')
  }, 120_000)

  it('refuses a file that is not an image, a bad test number and a run without a model', async () => {
    const runsBefore = (await cli(dataDir, 'runs', '--json')).stdout

    const svg = await cli(dataDir, 'inspect', '1', join(fixtures, 'hostile/svg-with-script.png'))
    expect(svg.code).toBe(1)
    expect(svg.stderr).toMatch(/SVG/)
    const missing = await cli(dataDir, 'inspect', '1', join(fixtures, 'no-such.png'), '--json')
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout).error.message).toBeTruthy()
    const far = await cli(dataDir, 'inspect', '1', '--test', '10000')
    expect(far.stderr).toContain('There is no test image 10000: choose a number from 0 to 9999.')
    const word = await cli(dataDir, 'inspect', '1', '--test', 'seven')
    expect(word.stderr).toContain('--test must be a test image number')
    const nothing = await cli(dataDir, 'inspect', '1')
    expect(nothing.stderr).toContain('Say what to X-ray')

    expect((await cli(dataDir, 'runs', '--json')).stdout).toBe(runsBefore)

    // Stopped before its first epoch ends: a run without a model.
    const services = await createServices({
      dataDir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    let id: number
    try {
      const preset = getPreset('tutorial-mlp')
      const started = await services.training.start({
        spec: preset.spec,
        config: { ...preset.config, epochs: 1, limit: 2000 },
        dataset: 'mnist',
      })
      services.training.stop(started.runId)
      const run = await started.done
      expect(run.model).toBeNull()
      id = run.id
    } finally {
      await services.close()
    }
    const noModel = await cli(dataDir, 'inspect', String(id), '--test', '0', '--lang', 'pt-BR')
    expect(noModel.code).toBe(1)
    expect(noModel.stderr).toContain(`O treino ${id} não tem modelo salvo para o Raio-X`)
  }, 180_000)
})

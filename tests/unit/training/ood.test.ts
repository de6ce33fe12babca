import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LayersModel } from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeImage } from '../../../src/main/images/decode'
import { initBackend, tf } from '../../../src/main/training/backend'
import { loadDataset } from '../../../src/main/training/datasets/load'
import type { LoadedDataset } from '../../../src/main/training/datasets/types'
import { buildModel } from '../../../src/main/training/model-factory'
import {
  calibrateOod,
  calibrationRanges,
  computeFeatures,
  featureModel,
  imagesOf,
  judgeFeatures,
  kthNeighbourDistances,
  quantile,
  unitRows,
  type OodCalibration,
} from '../../../src/main/training/ood'
import {
  decodeOod,
  encodeOod,
  OOD_FILE,
  readOodFile,
  writeOodFile,
} from '../../../src/main/training/ood-file'
import { getPreset } from '../../../src/shared/presets'
import { preprocessDigit } from '../../../src/shared/preprocess'

const OOD_DIR = join(import.meta.dirname, '../../fixtures/ood')

describe('nearest-neighbour distances and quantiles', () => {
  it('measures the k-th neighbour by cosine, an all-zero row as orthogonal', () => {
    const bank = unitRows(Float32Array.from([1, 0, 0, 1, 1, 1]), 2)
    const d = kthNeighbourDistances(Float32Array.from([2, 0, 0, 0, 0, 3]), 2, bank, 1)
    expect(d[0]).toBeCloseTo(0, 6)
    expect(d[1]).toBeCloseTo(1, 6)
    expect(d[2]).toBeCloseTo(0, 6)
    // The 2nd neighbour of (1, 0) is (1, 1)/√2: cosine distance 1 − 1/√2.
    expect(kthNeighbourDistances(Float32Array.from([1, 0]), 2, bank, 2)[0]).toBeCloseTo(
      1 - Math.SQRT1_2,
      6,
    )
  })

  it('takes quantiles between order statistics', () => {
    expect(quantile([3, 1, 2, 4, 5], 0.5)).toBe(3)
    expect(quantile([0, 10], 0.99)).toBeCloseTo(9.9, 9)
    expect(quantile([], 0.5)).toBeNaN()
  })

  it('holds out the last images of the training set, never overlapping the bank', () => {
    expect(calibrationRanges(60_000, 128)).toEqual({
      bank: [0, 2000],
      calibration: [55_000, 60_000],
    })
    // A wide feature layer gets a smaller bank (at most a million values).
    expect(calibrationRanges(60_000, 1600).bank).toEqual([0, 625])
    const tiny = calibrationRanges(30, 4)
    expect(tiny.calibration).toEqual([24, 30])
    expect(tiny.bank[1]).toBeLessThanOrEqual(tiny.calibration[0])
  })
})

describe('out-of-distribution judgement of a small MLP trained on real MNIST', () => {
  let dataset: LoadedDataset
  let model: LayersModel
  let calibration: OodCalibration

  beforeAll(async () => {
    await initBackend()
    dataset = await loadDataset('mnist')
    const preset = getPreset('tutorial-mlp')
    model = buildModel(tf, preset.spec, preset.config)
    // One short epoch on 12,000 images: about 95% accuracy, enough for features that cluster.
    const n = 12_000
    const x = tf.tensor(imagesOf(dataset.train, 0, n), [n, 28, 28, 1])
    const y = tf.oneHot(tf.tensor1d(Array.from(dataset.train.labels.subarray(0, n)), 'int32'), 10)
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' })
    await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 })
    tf.dispose([x, y])
    const calibrated = calibrateOod(tf, model, dataset.train)
    if (!calibrated) throw new Error('no calibration')
    calibration = calibrated
  }, 120_000)

  function judge(inputs: Float32Array[]) {
    const built = featureModel(tf, model)!
    const all = new Float32Array(inputs.length * 784)
    inputs.forEach((input, i) => all.set(input, i * 784))
    return judgeFeatures(computeFeatures(tf, built.model, all, inputs.length).values, calibration)
  }

  function fixtureInputs(prefix: string): Promise<Float32Array[]> {
    const names = readdirSync(OOD_DIR).filter((f) => f.startsWith(prefix) && f.endsWith('.png'))
    return Promise.all(
      names.map(
        async (name) => preprocessDigit(await decodeImage(readFileSync(join(OOD_DIR, name)))).input,
      ),
    )
  }

  it('takes the features from the last Dense layer and a threshold from held-out images', () => {
    expect(calibration.layer).toBe(model.layers[model.layers.length - 1].name)
    expect(calibration.dim).toBe(128)
    expect(calibration.bank.length).toBe(2000 * 128)
    expect(calibration.calibrationImages).toBe(5000)
    expect(calibration.threshold).toBeGreaterThan(0)
    expect(calibration.threshold).toBeLessThan(1)
  })

  it('flags about 1% of real MNIST test images (false alarms) and every blank page', async () => {
    const n = 2000
    const test = imagesOf(dataset.test, 0, n)
    const verdicts = judge(
      Array.from({ length: n }, (_, i) => test.subarray(i * 784, (i + 1) * 784)),
    )
    const rate = verdicts.filter((v) => v.flagged).length / n
    expect(rate).toBeGreaterThan(0)
    expect(rate).toBeLessThan(0.04)
    expect(verdicts[0]).toEqual({
      score: expect.any(Number),
      threshold: Number(calibration.threshold.toFixed(5)),
      flagged: verdicts[0].score > calibration.threshold,
    })
    const blanks = judge(await fixtureInputs('blank-'))
    expect(blanks).toHaveLength(4)
    expect(blanks.every((v) => v.flagged)).toBe(true)
  })

  it('flags non-digits far more often than digits: noise, and some letters', async () => {
    const noise = judge(await fixtureInputs('noise-'))
    expect(noise.filter((v) => v.flagged).length / noise.length).toBeGreaterThanOrEqual(0.5)
    const letters = judge(await fixtureInputs('letter-'))
    expect(letters).toHaveLength(48)
    // Many letters look like digits once cropped and centred; the MLP still flags several times
    // its false-alarm rate of them.
    expect(letters.filter((v) => v.flagged).length / letters.length).toBeGreaterThan(0.05)
  })

  it('keeps the calibration beside the model, tied to its key, refusing damaged bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-ood-'))
    await writeOodFile(dir, calibration, 'abc:mnist')
    const back = await readOodFile(dir, 'abc:mnist')
    expect(back?.threshold).toBe(calibration.threshold)
    expect(back?.bank).toEqual(calibration.bank)
    expect(await readOodFile(dir, 'abc:fashion-mnist')).toBeNull()
    const bytes = encodeOod(calibration, 'k')
    bytes[bytes.length - 1] ^= 0xff
    expect(decodeOod(bytes, 'k')).toBeNull()
    writeFileSync(join(dir, OOD_FILE), 'not a calibration')
    expect(await readOodFile(dir, 'abc:mnist')).toBeNull()
  })
})

import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../../src/main/services'
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_PACKAGE,
  fashionMnistDir,
} from '../../../src/main/training/datasets/load'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import {
  chooseDataset,
  chooseInputScale,
  summarizeCorrect,
  type InputScale,
} from '../../../src/shared/input-scale'
import { cli, tempDataDir } from '../cli/cli-helpers'
import { useServices } from './imported-runs'

const FIXTURES = join(import.meta.dirname, '../../fixtures/keras')
/** A Fashion-MNIST softmax regression trained on raw 0–255 pixels (see the fixtures' README). */
const FASHION = join(FIXTURES, 'fashion_softmax_raw255_keras2.h5')
/** scripts/make-keras2-fixtures.py's NumPy accuracies for it on the 10,000 test images. */
const FASHION_ACCURACY = { fashion255: 0.8014, fashion1: 0.6077, mnist255: 0.0436 }
const hasFashion = existsSync(join(fashionMnistDir(), 't10k-images-idx3-ubyte.gz'))
const NEEDS = `needs apt package ${FASHION_MNIST_PACKAGE} in ${fashionMnistDir()}`

describe('the dataset rule', () => {
  it('keeps MNIST unless another dataset is clearly what the model knows', () => {
    expect(chooseDataset({ mnist: 0.12, 'fashion-mnist': 0.8 })).toBe('fashion-mnist')
    expect(chooseDataset({ mnist: 0.97 })).toBe('mnist')
    // A poor model on both, or a small lead, stays an MNIST model.
    expect(chooseDataset({ mnist: 0.1, 'fashion-mnist': 0.3 })).toBe('mnist')
    expect(chooseDataset({ mnist: 0.6, 'fashion-mnist': 0.75 })).toBe('mnist')
    expect(chooseDataset({ 'fashion-mnist': 0.9 })).toBe('fashion-mnist')
  })
})

describe('the image-by-image rule', () => {
  /** `n` images; `wrong[scale]` lists the indices each convention gets wrong. */
  const correct = (n: number, wrong: Record<InputScale, number[]>) =>
    Object.fromEntries(
      Object.entries(wrong).map(([scale, bad]) => [
        scale,
        Array.from({ length: n }, (_, i) => !bad.includes(i)),
      ]),
    ) as Record<InputScale, boolean[]>
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)

  it('picks a convention that /255 only dents, when it wins by 4σ with far fewer mistakes', () => {
    // mpkuse's raw-pixel CNN on 1,000 digits: 0.939 with /255, 0.995 raw (too close for the margin).
    const { accuracy, paired } = summarizeCorrect(
      correct(1000, {
        '1': range(0, 61),
        '255': range(56, 61),
        inverted: range(0, 900),
        centered: range(0, 80),
      }),
    )
    expect(accuracy['255']).toBeCloseTo(0.995)
    expect(paired['255']).toEqual({ gained: 56, lost: 0 })
    expect(chooseInputScale(accuracy)).toEqual({ scale: '1', clear: true })
    expect(chooseInputScale(accuracy, paired)).toEqual({ scale: '255', clear: true })
  })

  it('keeps 0–1 when the difference is chance or the mistakes barely drop', () => {
    // HotaruK-like: 0.984 against 0.985, the two conventions missing different images.
    const close = summarizeCorrect(
      correct(1000, {
        '1': range(0, 16),
        '255': range(10, 25),
        inverted: range(0, 900),
        centered: range(0, 900),
      }),
    )
    expect(chooseInputScale(close.accuracy, close.paired).scale).toBe('1')
    // Significant (z ≈ 5.5) but only a fifth fewer mistakes: 0.85 against 0.88.
    const dented = summarizeCorrect(
      correct(1000, {
        '1': range(0, 150),
        '255': range(30, 150),
        inverted: range(0, 900),
        centered: range(0, 900),
      }),
    )
    expect(dented.paired['255']).toEqual({ gained: 30, lost: 0 })
    expect(chooseInputScale(dented.accuracy, dented.paired).scale).toBe('1')
  })
})

describe.skipIf(!hasFashion)(`a Keras 2 model trained on Fashion-MNIST (${NEEDS})`, () => {
  const temp = useServices('sinapse-import-dataset-')

  let imported: ReturnType<Services['modelFiles']['importPath']> | null = null
  const importFashion = () => (imported ??= temp.services.modelFiles.importPath(FASHION))

  it('is found to be a Fashion-MNIST model fed 0–255, recorded on the run and scored there', async () => {
    const result = await importFashion()
    expect(result).toMatchObject({ dataset: 'fashion-mnist', inputScale: '255' })
    expect(result.inputNote).toContain('This model was trained on Fashion-MNIST, not on MNIST')
    expect(result.inputNote).toContain('pixel values 0–255')
    const run = temp.services.runs.get(result.runId)
    expect(run.dataset).toBe('fashion-mnist')
    expect(run.notes).toContain('trained on Fashion-MNIST')
    const score = await temp.services.runs.evaluate(result.runId)
    expect(Math.abs(score.accuracy - FASHION_ACCURACY.fashion255)).toBeLessThanOrEqual(0.002)
  }, 300_000)

  it('is X-rayed and predicted on clothes, and its exports and bundle keep the dataset', async () => {
    const { runId } = await importFashion()
    const x = await temp.services.inspect.inspect(runId, { kind: 'test', index: 0 })
    // Fashion-MNIST's first test image is an ankle boot (9); MNIST's is a 7.
    expect(x.trueClass).toBe(9)
    expect(FASHION_MNIST_CLASSES[x.trueClass!]).toBe('Ankle boot')

    const h5 = await temp.services.modelFiles.exportModel({ id: runId, format: 'h5' })
    const back = await temp.services.modelFiles.importModel({
      files: [{ name: h5.fileName, bytes: h5.bytes }],
    })
    expect(back).toMatchObject({ dataset: 'fashion-mnist', inputScale: '255' })
    expect(temp.services.runs.get(back.runId).dataset).toBe('fashion-mnist')

    const bundle = await temp.services.bundles.exportBundle({ id: runId })
    const other = await createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sinapse-import-dataset-b-')),
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    try {
      const moved = await other.bundles.importBundle({ name: bundle.fileName, bytes: bundle.bytes })
      expect(other.runs.get(moved.runId).dataset).toBe('fashion-mnist')
    } finally {
      await other.close()
    }
  }, 300_000)

  it('can be declared at import (sinapse import --dataset), in both languages', async () => {
    const dataDir = tempDataDir()
    const r = await cli(dataDir, 'import', FASHION, '--dataset', 'fashion-mnist', '--json')
    expect(r.code).toBe(0)
    const line = JSON.parse(r.stdout) as { runId: number; dataset: string; inputNote: string }
    expect(line).toMatchObject({ dataset: 'fashion-mnist', inputScale: '255' })
    expect(line.inputNote).toContain('Dataset set at import: Fashion-MNIST.')
    const shown = await cli(dataDir, 'show', String(line.runId))
    expect(shown.stdout).toContain('fashion-mnist')
    // Declared MNIST: the student's word is kept, and the note says the digits score poorly.
    const mnist = await cli(dataDir, 'import', FASHION, '--dataset', 'mnist', '--json')
    expect(JSON.parse(mnist.stdout)).toMatchObject({ dataset: 'mnist' })
    expect(JSON.parse(mnist.stdout).inputNote).toContain('no pixel convention was clearly right')

    const pt = await createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'sinapse-import-dataset-pt-')),
      locale: 'pt-BR',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    try {
      const result = await pt.modelFiles.importPath(FASHION)
      expect(result.inputNote).toContain('Este modelo foi treinado com Fashion-MNIST')
    } finally {
      await pt.close()
    }
  }, 300_000)
})

describe('without Fashion-MNIST installed', () => {
  const saved = process.env.SINAPSE_FASHION_MNIST_DIR
  afterEach(() => {
    if (saved === undefined) delete process.env.SINAPSE_FASHION_MNIST_DIR
    else process.env.SINAPSE_FASHION_MNIST_DIR = saved
  })

  it('says the dataset could not be checked, naming the package, and refuses a declared one', async () => {
    const dataDir = tempDataDir()
    process.env.SINAPSE_FASHION_MNIST_DIR = join(dataDir, 'no-fashion-here')
    const r = await cli(dataDir, 'import', FASHION, '--json')
    expect(r.code).toBe(0)
    const line = JSON.parse(r.stdout) as { dataset: string; inputNote: string }
    expect(line.dataset).toBe('mnist')
    expect(line.inputNote).toContain('no pixel convention was clearly right')
    expect(line.inputNote).toContain(`not installed (Debian package ${FASHION_MNIST_PACKAGE})`)

    const declared = await cli(dataDir, 'import', FASHION, '--dataset', 'fashion-mnist')
    expect(declared.code).toBe(1)
    expect(declared.stdout).toContain(FASHION_MNIST_PACKAGE)
    const runs = await cli(dataDir, 'runs', '--json')
    expect(JSON.parse(runs.stdout)).toHaveLength(1)

    const bad = await cli(dataDir, 'import', FASHION, '--dataset', 'cifar10')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('Unknown dataset "cifar10" for an imported model')
  }, 300_000)
})

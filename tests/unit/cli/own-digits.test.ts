import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { decodeImage } from '../../../src/main/images/decode'
import { createServices } from '../../../src/main/services'
import { nodeWorkerOptions } from '../../../src/main/training/engine'
import { tempDataDir } from './cli-helpers'

const digitsDir = join(import.meta.dirname, '../../fixtures/digits')
const files = readdirSync(digitsDir).filter((f) => /^\d-/.test(f))

/** The tutorial's own recipe: `load_img(grayscale, target_size=(28, 28))` then `/ 255`. */
async function plainResize(file: string): Promise<Float32Array> {
  const img = await decodeImage(readFileSync(file))
  const pixels = await sharp(img.data, {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .flatten({ background: '#ffffff' })
    .grayscale()
    .resize(28, 28, { fit: 'fill' })
    .raw()
    .toBuffer()
  return Float32Array.from(pixels, (v) => v / 255)
}

describe('own digit images after a 3-epoch tutorial MLP', () => {
  it('gets at least 8 in 10 right with MNIST-style preprocessing, and a plain resize under half', async () => {
    const services = await createServices({
      dataDir: tempDataDir(),
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
    try {
      const { done } = await services.training.start({
        spec: (await import('../../../src/shared/presets')).getPreset('tutorial-mlp').spec,
        config: {
          ...(await import('../../../src/shared/presets')).getPreset('tutorial-mlp').config,
          epochs: 3,
        },
        dataset: 'mnist',
      })
      const run = await done
      expect(run.status).toBe('completed')

      const results = await services.runs.predictFiles(
        run.id,
        files.map((f) => join(digitsDir, f)),
      )
      const right = results.filter((r, i) => 'digit' in r && r.digit === Number(files[i][0])).length
      expect(right / files.length).toBeGreaterThanOrEqual(0.8)

      const model = run.model!
      const naive = await services.engine.predict({
        modelDir: join(services.paths.root, model.path),
        sha256: model.sha256,
        inputs: await Promise.all(files.map((f) => plainResize(join(digitsDir, f)))),
      })
      const naiveRight = naive.filter(
        (p, i) => p.indexOf(Math.max(...p)) === Number(files[i][0]),
      ).length
      expect(naiveRight / files.length).toBeLessThan(0.5)
      console.log(
        `own digits: ${right}/${files.length} with preprocessing, ${naiveRight}/${files.length} with a plain resize`,
      )
    } finally {
      await services.close()
    }
  }, 240_000)
})

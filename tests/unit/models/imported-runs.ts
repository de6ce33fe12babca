import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createServices, type Services } from '../../../src/main/services'
import { loadDataset } from '../../../src/main/training/datasets/load'
import { nodeWorkerOptions } from '../../../src/main/training/engine'

/** Real services in a temporary data folder, and the first 16 MNIST test digits scaled to 0–1. */
export interface ImportedRuns {
  readonly services: Services
  readonly images: Float32Array[]
  /** The imported run's model's output for the 16 digits. */
  predict(runId: number): ReturnType<Services['engine']['predict']>
}

/** Real services in a temporary data folder; read `services` inside tests only. */
export interface ServicesInTemp {
  readonly services: Services
}

/** Registers the describe block's setup and clean-up of real services in a temporary folder. */
export function useServices(prefix: string): ServicesInTemp {
  let dir = ''
  let services: Services | undefined

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix))
    services = await createServices({
      dataDir: dir,
      locale: 'en',
      emit: () => {},
      ...nodeWorkerOptions(),
    })
  }, 300_000)

  afterAll(async () => {
    await services?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  return {
    get services() {
      if (!services) throw new Error('services are read before beforeAll ran')
      return services
    },
  }
}

/** Registers the describe block's setup and clean-up; read `services` inside tests only. */
export function useImportedRuns(prefix: string): ImportedRuns {
  const temp = useServices(prefix)
  let images: Float32Array[] = []

  beforeAll(async () => {
    const data = await loadDataset('mnist')
    images = Array.from({ length: 16 }, (_, i) =>
      Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
    )
  }, 300_000)

  const ready = (): Services => temp.services
  return {
    get services() {
      return ready()
    },
    get images() {
      return images
    },
    predict(runId) {
      const run = ready().runs.get(runId)
      return ready().engine.predict({
        modelDir: join(ready().paths.root, run.model!.path),
        sha256: run.model!.sha256,
        inputs: images,
      })
    },
  }
}

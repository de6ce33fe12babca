import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, tempDataDir } from './cli-helpers'

const dataDir = tempDataDir()
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

interface TrainJson {
  runId: number
  status: string
  epochs: { epoch: number; valLoss: number }[]
  test: { accuracy: number; loss: number } | null
  weightsEpoch: number | null
}

describe('sinapse train --restore-best-weights', () => {
  it('keeps the lowest-val_loss epoch’s weights, records it and scores and saves those weights', async () => {
    // 480 training images at a high rate: val_loss bottoms out after a few epochs, then rises.
    const args = ['--epochs', '10', '--limit', '600', '--learning-rate', '0.005']
    const r = await cli(dataDir, 'train', ...args, '--restore-best-weights', '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const run = JSON.parse(r.stdout) as TrainJson
    const best = run.epochs.reduce((a, m) => (m.valLoss < a.valLoss ? m : a)).epoch
    expect(best).toBeLessThan(10)
    expect(run.weightsEpoch).toBe(best)

    const shown = await cli(dataDir, 'show', String(run.runId), '--json')
    const detail = JSON.parse(shown.stdout) as {
      config: { restoreBestWeights: boolean }
      weightsEpoch: number
    }
    expect(detail.config.restoreBestWeights).toBe(true)
    expect(detail.weightsEpoch).toBe(best)
    const text = await cli(dataDir, 'show', String(run.runId))
    expect(text.stdout).toContain(`weights from epoch ${best}, the lowest val_loss`)

    // The saved model is the restored one: scoring it again gives the score recorded at the end.
    const evaluated = await cli(dataDir, 'evaluate', String(run.runId), '--json')
    const score = JSON.parse(evaluated.stdout) as { accuracy: number; loss: number }
    expect(score.accuracy).toBe(run.test!.accuracy)
    expect(score.loss).toBeCloseTo(run.test!.loss, 5)
  })

  it('says so in the text output, in Portuguese too', async () => {
    const args = ['--epochs', '8', '--limit', '600', '--learning-rate', '0.005', '--lang', 'pt-BR']
    const r = await cli(dataDir, 'train', ...args, '--restore-best-weights')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/O modelo salvo tem os pesos da época \d, a de menor val_loss/)
  })

  it('is off by default: the run keeps the last epoch’s weights', async () => {
    const r = await cli(dataDir, 'train', '--epochs', '2', '--limit', '300', '--json')
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as TrainJson).weightsEpoch).toBeNull()
  })
})

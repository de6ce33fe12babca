import { describe, expect, it } from 'vitest'
import { resolveTrainRequest } from '../../../src/main/cli/train'
import type { TrainConfig } from '../../../src/shared/model-spec'

const rateOf = async (values: Record<string, string>): Promise<number> =>
  ((await resolveTrainRequest(values)).config as TrainConfig).learningRate

describe('resolveTrainRequest optimizer defaults', () => {
  it("gives --optimizer sgd Keras's SGD rate when no --learning-rate is given", async () => {
    expect(await rateOf({ optimizer: 'sgd' })).toBe(0.01)
    expect(await rateOf({ optimizer: 'rmsprop' })).toBe(0.001)
  })

  it('keeps an explicit --learning-rate', async () => {
    expect(await rateOf({ optimizer: 'sgd', 'learning-rate': '0.001' })).toBe(0.001)
  })
})

import type { ModelSpec, TrainConfig } from '../../../src/shared/model-spec'
import type { CreateRunInput } from '../../../src/main/store/runs-repo'
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/train-config'

/** The tutorial's MLP: Flatten → Dense(128, relu) → Dense(10, softmax). */
export const tutorialSpec: ModelSpec = {
  inputShape: [28, 28, 1],
  layers: [
    { type: 'flatten' },
    { type: 'dense', units: 128, activation: 'relu', useBias: true },
    { type: 'dense', units: 10, activation: 'softmax', useBias: true },
  ],
}

export const tutorialConfig: TrainConfig = { ...DEFAULT_TRAIN_CONFIG }

/** A clock that starts at `start` and moves one second forward on every reading. */
export function createStepClock(start = '2025-03-01T12:00:00.000Z'): () => Date {
  let t = Date.parse(start)
  return () => {
    const now = new Date(t)
    t += 1000
    return now
  }
}

export function runInput(overrides: Partial<CreateRunInput> = {}): CreateRunInput {
  return {
    name: 'MLP tutorial',
    kind: 'trained',
    status: 'queued',
    dataset: 'mnist',
    spec: tutorialSpec,
    config: tutorialConfig,
    seed: 42,
    paramCount: 101_770,
    ownerPid: process.pid,
    ownerToken: 'token-self',
    ...overrides,
  }
}

import type { ModelSpec, TrainConfig } from './model-spec'
import { DEFAULT_TRAIN_CONFIG, mergeTrainConfig } from './train-config'

export const PRESET_NAMES = ['tutorial-mlp', 'lenet-cnn'] as const
export type PresetName = (typeof PRESET_NAMES)[number]

export interface Preset {
  spec: ModelSpec
  config: TrainConfig
}

/** A fresh copy of the named preset's model and training config; callers may mutate it. */
export function getPreset(name: PresetName): Preset {
  switch (name) {
    // The tutorial's MLP: Flatten → Dense(128, relu) → Dense(10, softmax), trained for 30 epochs.
    case 'tutorial-mlp':
      return {
        spec: {
          inputShape: [28, 28, 1],
          layers: [
            { type: 'flatten' },
            { type: 'dense', units: 128, activation: 'relu', useBias: true },
            { type: 'dense', units: 10, activation: 'softmax', useBias: true },
          ],
        },
        config: mergeTrainConfig(DEFAULT_TRAIN_CONFIG, {}),
      }
    // The tutorial's CNN chapter, LeNet-5 style; convolutions learn faster, so 10 epochs suffice.
    case 'lenet-cnn':
      return {
        spec: {
          inputShape: [28, 28, 1],
          layers: [
            {
              type: 'conv2d',
              filters: 6,
              kernelSize: 5,
              strides: 1,
              padding: 'same',
              activation: 'relu',
              useBias: true,
            },
            { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' },
            {
              type: 'conv2d',
              filters: 16,
              kernelSize: 5,
              strides: 1,
              padding: 'valid',
              activation: 'relu',
              useBias: true,
            },
            { type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid' },
            { type: 'flatten' },
            { type: 'dense', units: 120, activation: 'relu', useBias: true },
            { type: 'dense', units: 84, activation: 'relu', useBias: true },
            { type: 'dense', units: 10, activation: 'softmax', useBias: true },
          ],
        },
        config: mergeTrainConfig(DEFAULT_TRAIN_CONFIG, { epochs: 10 }),
      }
  }
}

/** True when `name` (a CLI argument, a saved setting) names a preset. */
export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name)
}

import { describe, expect, it } from 'vitest'
import { getPreset, isPresetName, PRESET_NAMES } from '../../../src/shared/presets'
import { summarizeModel } from '../../../src/shared/spec-shapes'
import { validateModelSpec } from '../../../src/shared/spec-validation'
import { DEFAULT_TRAIN_CONFIG, validateTrainConfig } from '../../../src/shared/train-config'

const mnist = { classCount: 10, imageShape: [28, 28, 1] }

describe('presets', () => {
  it('tutorial-mlp is the tutorial network with 101,770 params and the default recipe', () => {
    const { spec, config } = getPreset('tutorial-mlp')
    const summary = summarizeModel(spec)
    expect(summary.layers.map((l) => `${l.name} ${l.outputShape?.join('x')} ${l.params}`)).toEqual([
      'flatten 784 0',
      'dense 128 100480',
      'dense_1 10 1290',
    ])
    expect(summary.totalParams).toBe(101_770)
    expect(config).toEqual(DEFAULT_TRAIN_CONFIG)
  })

  it('lenet-cnn has the LeNet shapes and parameter counts', () => {
    const { spec, config } = getPreset('lenet-cnn')
    const conv1 = 5 * 5 * 1 * 6 + 6 // 156
    const conv2 = 5 * 5 * 6 * 16 + 16 // 2,416
    const fc1 = 5 * 5 * 16 * 120 + 120 // 48,120
    const fc2 = 120 * 84 + 84 // 10,164
    const out = 84 * 10 + 10 // 850
    const summary = summarizeModel(spec)
    expect(summary.layers.map((l) => [l.name, l.outputShape, l.params])).toEqual([
      ['conv2d', [28, 28, 6], conv1],
      ['max_pooling2d', [14, 14, 6], 0],
      ['conv2d_1', [10, 10, 16], conv2],
      ['max_pooling2d_1', [5, 5, 16], 0],
      ['flatten', [400], 0],
      ['dense', [120], fc1],
      ['dense_1', [84], fc2],
      ['dense_2', [10], out],
    ])
    expect(summary.totalParams).toBe(61_706)
    expect(config).toEqual({ ...DEFAULT_TRAIN_CONFIG, epochs: 10 })
  })

  it.each(PRESET_NAMES)('%s passes validation for MNIST', (name) => {
    const { spec, config } = getPreset(name)
    expect(validateModelSpec(spec, mnist).ok).toBe(true)
    expect(validateTrainConfig(config).ok).toBe(true)
  })

  it('returns fresh copies', () => {
    const first = getPreset('tutorial-mlp')
    first.spec.layers.pop()
    first.spec.inputShape[0] = 1
    first.config.epochs = 1
    const second = getPreset('tutorial-mlp')
    expect(second.spec.layers).toHaveLength(3)
    expect(second.spec.inputShape).toEqual([28, 28, 1])
    expect(second.config.epochs).toBe(30)
    expect(DEFAULT_TRAIN_CONFIG.epochs).toBe(30)
  })

  it('recognizes preset names', () => {
    expect(isPresetName('lenet-cnn')).toBe(true)
    expect(isPresetName('LeNet')).toBe(false)
  })
})

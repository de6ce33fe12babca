import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateKerasModelCode, generateKerasScript } from '../../../src/shared/keras-code'
import type { ModelSpec } from '../../../src/shared/model-spec'
import { getPreset } from '../../../src/shared/presets'
import { DEFAULT_TRAIN_CONFIG, mergeTrainConfig } from '../../../src/shared/train-config'

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version'])
    return true
  } catch {
    return false
  }
}

const dir = mkdtempSync(join(tmpdir(), 'sinapse-keras-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Parses `source` with Python's own parser; throws with Python's message when it is not valid. */
function parsePython(source: string): void {
  const file = join(dir, `script-${Math.random().toString(36).slice(2)}.py`)
  writeFileSync(file, source)
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file], {
    stdio: 'pipe',
  })
}

describe('generateKerasScript', () => {
  it('writes the tutorial MLP script as the tutorial does', () => {
    const { spec, config } = getPreset('tutorial-mlp')
    const script = generateKerasScript(spec, config, { datasetRef: 'mnist', locale: 'pt-BR' })
    const pieces = [
      'import tensorflow as tf',
      'import pandas as pd',
      'import matplotlib.pyplot as plt',
      'tf.keras.utils.set_random_seed(42)',
      '# Carregando o conjunto de dados MNIST\nmnist = tf.keras.datasets.mnist',
      '(x_train, y_train), (x_test, y_test) = mnist.load_data()',
      '# Normalizando os dados\nx_train, x_test = x_train / 255.0, x_test / 255.0',
      [
        'model = tf.keras.models.Sequential([',
        '    tf.keras.layers.Input(shape=(28, 28)),',
        '    tf.keras.layers.Flatten(),',
        "    tf.keras.layers.Dense(128, activation='relu'),",
        "    tf.keras.layers.Dense(10, activation='softmax')",
        '])',
      ].join('\n'),
      [
        'model.compile(',
        '    optimizer=tf.keras.optimizers.Adam(learning_rate=0.001),',
        "    loss='sparse_categorical_crossentropy',",
        "    metrics=['accuracy'],",
        ')',
      ].join('\n'),
      'model.summary()',
      [
        'epocas_hist = model.fit(',
        '    x_train,',
        '    y_train,',
        '    epochs=30,',
        '    batch_size=32,',
        '    validation_split=0.2,',
        '    shuffle=True,',
        ')',
      ].join('\n'),
      'df_historico = pd.DataFrame(epocas_hist.history)',
      "df_historico[['loss', 'val_loss']].plot(); plt.show()",
      "df_historico[['accuracy', 'val_accuracy']].plot(); plt.show()",
      'test_loss, test_acc = model.evaluate(x_test, y_test)',
      'print(f"Teste Acurácia: {test_acc:.3f}, Teste Loss: {test_loss:.3f}")',
      "model.save('mnist_mlp_model.h5')",
    ]
    for (const piece of pieces) expect(script).toContain(piece)
    // The MLP reads 28×28 images as the tutorial does: no reshape, no numpy, no callbacks.
    expect(script).not.toContain('reshape')
    expect(script).not.toContain('numpy')
    expect(script).not.toContain('callbacks')
    // Seed before the model is built, fit after compile, save last.
    const at = (s: string) => script.indexOf(s)
    expect(at('set_random_seed')).toBeLessThan(at('Sequential'))
    expect(at('model.compile')).toBeLessThan(at('model.fit'))
    expect(at('model.evaluate')).toBeLessThan(at('model.save'))
  })

  it('writes every LeNet layer with its Keras arguments and adds the channel axis', () => {
    const { spec, config } = getPreset('lenet-cnn')
    const script = generateKerasScript(spec, config, { datasetRef: 'mnist', locale: 'en' })
    expect(script).toContain(
      [
        'model = tf.keras.models.Sequential([',
        '    tf.keras.layers.Input(shape=(28, 28, 1)),',
        "    tf.keras.layers.Conv2D(6, (5, 5), padding='same', activation='relu'),",
        "    tf.keras.layers.MaxPooling2D(pool_size=(2, 2), padding='valid'),",
        "    tf.keras.layers.Conv2D(16, (5, 5), padding='valid', activation='relu'),",
        "    tf.keras.layers.MaxPooling2D(pool_size=(2, 2), padding='valid'),",
        '    tf.keras.layers.Flatten(),',
        "    tf.keras.layers.Dense(120, activation='relu'),",
        "    tf.keras.layers.Dense(84, activation='relu'),",
        "    tf.keras.layers.Dense(10, activation='softmax')",
        '])',
      ].join('\n'),
    )
    expect(script).toContain('x_train = x_train.reshape(-1, 28, 28, 1)')
    expect(script).toContain('x_test = x_test.reshape(-1, 28, 28, 1)')
    expect(script).toContain('epochs=10,')
    expect(script).toContain('# Loading the MNIST dataset')
  })

  it('writes the other layers, optimizers, limit, seeded split and early stopping', () => {
    const spec: ModelSpec = {
      inputShape: [28, 28, 1],
      layers: [
        { type: 'batchNormalization', momentum: 0.9, epsilon: 0.0001 },
        {
          type: 'conv2d',
          filters: 8,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'tanh',
          useBias: false,
        },
        { type: 'averagePooling2d', poolSize: 2, strides: 1, padding: 'same' },
        { type: 'reshape', targetShape: [1568] },
        { type: 'dropout', rate: 0.25 },
        { type: 'dense', units: 32, activation: 'linear', useBias: false },
        { type: 'dense', units: 10, activation: 'softmax', useBias: true },
      ],
    }
    const config = mergeTrainConfig(DEFAULT_TRAIN_CONFIG, {
      optimizer: 'sgd',
      learningRate: 0.01,
      momentum: 0.9,
      loss: 'categoricalCrossentropy',
      splitMode: 'seeded',
      seed: 7,
      limit: 2000,
      earlyStopping: { monitor: 'val_accuracy', patience: 3 },
    })
    const script = generateKerasScript(spec, config, { datasetRef: 'fashion-mnist' })
    for (const piece of [
      'fashion_mnist = tf.keras.datasets.fashion_mnist',
      'tf.keras.layers.BatchNormalization(momentum=0.9, epsilon=0.0001),',
      "tf.keras.layers.Conv2D(8, (3, 3), strides=(2, 2), padding='same', activation='tanh', use_bias=False),",
      "tf.keras.layers.AveragePooling2D(pool_size=(2, 2), strides=(1, 1), padding='same'),",
      'tf.keras.layers.Reshape((1568,)),',
      'tf.keras.layers.Dropout(0.25),',
      'tf.keras.layers.Dense(32, use_bias=False),',
      'optimizer=tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),',
      "loss='categorical_crossentropy',",
      'y_train = tf.keras.utils.to_categorical(y_train, 10)',
      'x_train, y_train = x_train[:2000], y_train[:2000]',
      'indices = np.random.default_rng(7).permutation(len(x_train))',
      'validation_data=(x_val, y_val),',
      "early_stopping = tf.keras.callbacks.EarlyStopping(monitor='val_accuracy', patience=3)",
      'callbacks=[early_stopping],',
      'tf.keras.utils.set_random_seed(7)',
    ]) {
      expect(script).toContain(piece)
    }
    expect(script).not.toContain('validation_split=')
    // The limit applies before the validation split, as in Sinapse.
    expect(script.indexOf('x_train[:2000]')).toBeLessThan(script.indexOf('permutation'))
  })

  it('mirrors restoreBestWeights as EarlyStopping(restore_best_weights=True)', () => {
    const { spec } = getPreset('tutorial-mlp')
    const alone = generateKerasScript(
      spec,
      mergeTrainConfig(DEFAULT_TRAIN_CONFIG, { restoreBestWeights: true }),
      { datasetRef: 'mnist', locale: 'en' },
    )
    // Without early stopping: a patience of the whole run never stops it, only restores.
    expect(alone).toContain(
      "early_stopping = tf.keras.callbacks.EarlyStopping(monitor='val_loss', patience=30, restore_best_weights=True)",
    )
    expect(alone).toContain('# Never stops early (patience = epochs)')
    expect(alone).toContain('callbacks=[early_stopping],')

    const withEarly = generateKerasScript(
      spec,
      mergeTrainConfig(DEFAULT_TRAIN_CONFIG, {
        restoreBestWeights: true,
        earlyStopping: { monitor: 'val_accuracy', patience: 4 },
      }),
      { datasetRef: 'mnist', locale: 'pt-BR' },
    )
    expect(withEarly).toContain(
      "early_stopping = tf.keras.callbacks.EarlyStopping(monitor='val_accuracy', patience=4, restore_best_weights=True)",
    )
    expect(withEarly.match(/EarlyStopping\(/g)).toHaveLength(1)

    const off = generateKerasScript(spec, DEFAULT_TRAIN_CONFIG, { datasetRef: 'mnist' })
    expect(off).not.toContain('EarlyStopping')
  })

  it('loads an IDX folder with a numpy reader and plots no val_ columns without validation', () => {
    const { spec } = getPreset('tutorial-mlp')
    const config = mergeTrainConfig(DEFAULT_TRAIN_CONFIG, {
      validationSplit: 0,
      optimizer: 'rmsprop',
    })
    const script = generateKerasScript(spec, config, {
      datasetRef: "idx:C:\\dados\\aluno's letras",
      locale: 'en',
    })
    expect(script).toContain("folder = 'C:\\\\dados\\\\aluno\\'s letras'")
    expect(script).toContain("x_train = load_idx(folder, 'train-images-idx3-ubyte')")
    expect(script).toContain('import gzip')
    expect(script).toContain('tf.keras.optimizers.RMSprop(learning_rate=0.001)')
    expect(script).toContain("df_historico[['loss']].plot(); plt.show()")
    expect(script).not.toContain('validation_split')
    expect(script).not.toContain('val_loss')
  })

  it.skipIf(!hasPython())('produces valid Python for every variant (needs python3)', () => {
    const variants: [ModelSpec, Parameters<typeof generateKerasScript>[1], string][] = [
      [getPreset('tutorial-mlp').spec, getPreset('tutorial-mlp').config, 'mnist'],
      [getPreset('lenet-cnn').spec, getPreset('lenet-cnn').config, 'fashion-mnist'],
      [
        getPreset('lenet-cnn').spec,
        mergeTrainConfig(DEFAULT_TRAIN_CONFIG, {
          splitMode: 'seeded',
          limit: 500,
          loss: 'categoricalCrossentropy',
          earlyStopping: { monitor: 'loss', patience: 2 },
        }),
        "idx:/tmp/it's here",
      ],
      [
        getPreset('tutorial-mlp').spec,
        mergeTrainConfig(DEFAULT_TRAIN_CONFIG, { restoreBestWeights: true }),
        'mnist',
      ],
      [
        getPreset('tutorial-mlp').spec,
        mergeTrainConfig(DEFAULT_TRAIN_CONFIG, {
          restoreBestWeights: true,
          earlyStopping: { monitor: 'val_accuracy', patience: 4 },
        }),
        'mnist',
      ],
    ]
    for (const [spec, config, ref] of variants) {
      for (const locale of ['pt-BR', 'en'] as const) {
        const datasetRef = ref as Parameters<typeof generateKerasScript>[2]['datasetRef']
        expect(() =>
          parsePython(generateKerasScript(spec, config, { datasetRef, locale })),
        ).not.toThrow()
      }
      expect(() => parsePython(generateKerasModelCode(spec, config))).not.toThrow()
    }
    // The check can fail: broken Python is rejected.
    expect(() => parsePython('model = tf.keras.models.Sequential([')).toThrow()
  })
})

describe('generateKerasModelCode', () => {
  it('is the short Sequential + compile + fit snippet', () => {
    const { spec, config } = getPreset('tutorial-mlp')
    const code = generateKerasModelCode(spec, config)
    expect(code).toContain("tf.keras.layers.Dense(128, activation='relu')")
    expect(code).toContain('model.compile(')
    expect(code).toContain(
      'epocas_hist = model.fit(x_train, y_train, epochs=30, validation_split=0.2)',
    )
    const other = generateKerasModelCode(spec, { ...config, batchSize: 64, validationSplit: 0 })
    expect(other).toContain('epocas_hist = model.fit(x_train, y_train, epochs=30, batch_size=64)')
    expect(code).not.toContain('load_data')
    expect(code).not.toContain('model.save')
    expect(code).not.toContain('EarlyStopping')
  })

  it('shows the EarlyStopping callback that restores the best weights', () => {
    const { spec, config } = getPreset('tutorial-mlp')
    const code = generateKerasModelCode(spec, { ...config, restoreBestWeights: true })
    expect(code).toContain(
      "early_stopping = tf.keras.callbacks.EarlyStopping(monitor='val_loss', patience=30, restore_best_weights=True)\n" +
        'epocas_hist = model.fit(x_train, y_train, epochs=30, validation_split=0.2, callbacks=[early_stopping])',
    )
  })
})

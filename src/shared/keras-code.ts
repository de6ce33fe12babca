import type { DatasetRef } from './dataset'
import { translate, type Locale, type MessageKey } from './i18n'
import { DEFAULT_INPUT_SCALE, pythonInputLine, type InputScale } from './input-scale'
import type { LayerSpec, LossName, ModelSpec, OptimizerName, TrainConfig } from './model-spec'
import { summarizeModel } from './spec-shapes'

export interface KerasScriptOptions {
  datasetRef: DatasetRef
  /** Language of the script's comments; code and identifiers stay as in the tutorial. */
  locale?: Locale
  /** The pixel values the model is fed (an imported model's convention); default 0–1. */
  inputScale?: InputScale
}

/** The file name the tutorial saves to, and loads again to predict a student's own digit. */
export const KERAS_MODEL_FILE = 'mnist_mlp_model.h5'

const KERAS_LOSSES: Record<LossName, string> = {
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy',
}

const KERAS_OPTIMIZERS: Record<OptimizerName, string> = {
  adam: 'Adam',
  sgd: 'SGD',
  rmsprop: 'RMSprop',
}

const INDENT = '    '
const KERAS_DEFAULT_BATCH_SIZE = 32

/** A Python number literal; JavaScript's `1e-7` and `0.001` are valid Python as they are. */
function pyNumber(n: number): string {
  return String(n)
}

/** A Python tuple: `(28, 28)`, and `(784,)` for one element. */
function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`
}

/** A single-quoted Python string literal, safe for Windows paths and quotes. */
function pyString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
}

/** One layer as `tf.keras.layers.X(...)`, with Keras's argument names; defaults left out. */
function formatLayer(layer: LayerSpec): string {
  const args: string[] = []
  const activation = (name: string): void => {
    if (name !== 'linear') args.push(`activation='${name}'`)
  }
  switch (layer.type) {
    case 'flatten':
      return 'tf.keras.layers.Flatten()'
    case 'dense':
      args.push(String(layer.units))
      activation(layer.activation)
      if (!layer.useBias) args.push('use_bias=False')
      return `tf.keras.layers.Dense(${args.join(', ')})`
    case 'dropout':
      return `tf.keras.layers.Dropout(${pyNumber(layer.rate)})`
    case 'conv2d':
      args.push(String(layer.filters), pyTuple([layer.kernelSize, layer.kernelSize]))
      if (layer.strides !== 1) args.push(`strides=${pyTuple([layer.strides, layer.strides])}`)
      args.push(`padding='${layer.padding}'`)
      activation(layer.activation)
      if (!layer.useBias) args.push('use_bias=False')
      return `tf.keras.layers.Conv2D(${args.join(', ')})`
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const name = layer.type === 'maxPooling2d' ? 'MaxPooling2D' : 'AveragePooling2D'
      args.push(`pool_size=${pyTuple([layer.poolSize, layer.poolSize])}`)
      // Keras's default strides equal the pool size.
      if (layer.strides !== layer.poolSize) {
        args.push(`strides=${pyTuple([layer.strides, layer.strides])}`)
      }
      args.push(`padding='${layer.padding}'`)
      return `tf.keras.layers.${name}(${args.join(', ')})`
    }
    case 'batchNormalization':
      return `tf.keras.layers.BatchNormalization(momentum=${pyNumber(layer.momentum)}, epsilon=${pyNumber(layer.epsilon)})`
    case 'reshape':
      return `tf.keras.layers.Reshape(${pyTuple(layer.targetShape)})`
    case 'activation':
      return `tf.keras.layers.Activation('${layer.activation}')`
    case 'relu':
      if (layer.maxValue !== null) args.push(`max_value=${pyNumber(layer.maxValue)}`)
      if (layer.negativeSlope !== 0) args.push(`negative_slope=${pyNumber(layer.negativeSlope)}`)
      if (layer.threshold !== 0) args.push(`threshold=${pyNumber(layer.threshold)}`)
      return `tf.keras.layers.ReLU(${args.join(', ')})`
    case 'leakyRelu':
      // A positional slope reads the same in Keras 2 (alpha) and Keras 3 (negative_slope).
      return `tf.keras.layers.LeakyReLU(${pyNumber(layer.negativeSlope)})`
    case 'softmax':
      return 'tf.keras.layers.Softmax()'
    case 'rescaling':
      args.push(pyNumber(layer.scale))
      if (layer.offset !== 0) args.push(`offset=${pyNumber(layer.offset)}`)
      return `tf.keras.layers.Rescaling(${args.join(', ')})`
    case 'zeroPadding2d': {
      const [[top, bottom], [left, right]] = layer.padding
      const padding =
        top === bottom && left === right
          ? top === left
            ? String(top)
            : pyTuple([top, left])
          : `(${pyTuple([top, bottom])}, ${pyTuple([left, right])})`
      return `tf.keras.layers.ZeroPadding2D(padding=${padding})`
    }
    case 'globalAveragePooling2d':
      return 'tf.keras.layers.GlobalAveragePooling2D()'
    case 'globalMaxPooling2d':
      return 'tf.keras.layers.GlobalMaxPooling2D()'
    case 'spatialDropout2d':
      return `tf.keras.layers.SpatialDropout2D(${pyNumber(layer.rate)})`
  }
}

/**
 * The shape the Python model's Input takes. The tutorial feeds 28×28 images without a channel
 * axis into Flatten; that only gives the same network when nothing before Flatten looks at the
 * channel axis, so any other model gets the full height × width × channels shape.
 */
export function kerasInputShape(spec: ModelSpec): number[] {
  const firstShaping = spec.layers.find((l) => l.type !== 'dropout')
  const dropsChannel =
    firstShaping?.type === 'flatten' && spec.inputShape.length === 3 && spec.inputShape[2] === 1
  return dropsChannel ? spec.inputShape.slice(0, 2) : [...spec.inputShape]
}

function formatSequential(spec: ModelSpec): string[] {
  const items = [
    `tf.keras.layers.Input(shape=${pyTuple(kerasInputShape(spec))})`,
    ...spec.layers.map(formatLayer),
  ]
  return [
    'model = tf.keras.models.Sequential([',
    ...items.map((item, i) => `${INDENT}${item}${i < items.length - 1 ? ',' : ''}`),
    '])',
  ]
}

function formatOptimizer(config: TrainConfig): string {
  const args = [`learning_rate=${pyNumber(config.learningRate)}`]
  if (config.optimizer === 'sgd') args.push(`momentum=${pyNumber(config.momentum)}`)
  return `tf.keras.optimizers.${KERAS_OPTIMIZERS[config.optimizer]}(${args.join(', ')})`
}

function formatCompile(config: TrainConfig): string[] {
  return [
    'model.compile(',
    `${INDENT}optimizer=${formatOptimizer(config)},`,
    `${INDENT}loss='${KERAS_LOSSES[config.loss]}',`,
    `${INDENT}metrics=['accuracy'],`,
    ')',
  ]
}

/**
 * Keras's EarlyStopping callback for early stopping and/or restoring the best weights, or null
 * when neither is on. Keras restores the best weights through EarlyStopping only; without early
 * stopping a patience of the whole run never stops it early (Keras ≥ 2.11 restores at the end
 * anyway).
 */
function earlyStoppingCallback(
  config: TrainConfig,
): { monitor: string; patience: number; line: string } | null {
  if (!config.earlyStopping && !config.restoreBestWeights) return null
  const { monitor, patience } = config.earlyStopping ?? {
    monitor: 'val_loss',
    patience: config.epochs,
  }
  const restore = config.restoreBestWeights ? ', restore_best_weights=True' : ''
  return {
    monitor,
    patience,
    line: `early_stopping = tf.keras.callbacks.EarlyStopping(monitor='${monitor}', patience=${patience}${restore})`,
  }
}

/** The short snippet shown beside the builder: the model, its compile and its fit. */
export function generateKerasModelCode(spec: ModelSpec, config: TrainConfig): string {
  const fitArgs = ['x_train', 'y_train', `epochs=${config.epochs}`]
  // Like the tutorial, the snippet leaves out Keras's default batch size.
  if (config.batchSize !== KERAS_DEFAULT_BATCH_SIZE) fitArgs.push(`batch_size=${config.batchSize}`)
  if (config.validationSplit > 0) {
    fitArgs.push(`validation_split=${pyNumber(config.validationSplit)}`)
  }
  const callback = earlyStoppingCallback(config)
  if (callback) fitArgs.push('callbacks=[early_stopping]')
  return [
    ...formatSequential(spec),
    '',
    ...formatCompile(config),
    '',
    ...(callback ? [callback.line] : []),
    `epocas_hist = model.fit(${fitArgs.join(', ')})`,
    '',
  ].join('\n')
}

/** Reads the IDX files Sinapse reads, plain or gzipped, into numpy arrays. */
const IDX_LOADER = [
  'def load_idx(folder, name):',
  `${INDENT}for file_name in (name, name + '.gz', name.replace('-idx', '.idx'), name.replace('-idx', '.idx') + '.gz'):`,
  `${INDENT}${INDENT}path = os.path.join(folder, file_name)`,
  `${INDENT}${INDENT}if os.path.exists(path):`,
  `${INDENT}${INDENT}${INDENT}with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:`,
  `${INDENT}${INDENT}${INDENT}${INDENT}data = f.read()`,
  `${INDENT}${INDENT}${INDENT}dims = data[3]`,
  `${INDENT}${INDENT}${INDENT}shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]`,
  `${INDENT}${INDENT}${INDENT}return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)`,
  `${INDENT}raise FileNotFoundError(os.path.join(folder, name))`,
]

/**
 * A complete Python script equivalent to training `spec` with `config` in Sinapse, in the
 * tutorial's style: load and normalize the data, build, compile, fit with the same seed and
 * split, plot the history, evaluate on the test set and save `mnist_mlp_model.h5`. It runs
 * unchanged in Colab or anywhere TensorFlow 2 is installed. Expects a valid spec and config.
 */
export function generateKerasScript(
  spec: ModelSpec,
  config: TrainConfig,
  opts: KerasScriptOptions,
): string {
  const locale = opts.locale ?? 'pt-BR'
  const c = (key: MessageKey, params?: Record<string, string | number>): string =>
    `# ${translate(locale, key, params)}`
  const ref = opts.datasetRef
  const isIdx = ref.startsWith('idx:')
  const seeded = config.splitMode === 'seeded' && config.validationSplit > 0
  const inputShape = kerasInputShape(spec)
  const reshapes = inputShape.length !== 2
  const classCount = summarizeModel(spec).outputShape?.[0] ?? 10
  const lines: string[] = []
  const add = (...more: string[]): void => {
    lines.push(...more)
  }

  add(c('builder.py.header'), c('builder.py.runsAnywhere'), '')
  if (isIdx) add('import gzip', 'import os', '')
  add('import tensorflow as tf')
  if (isIdx || seeded) add('import numpy as np')
  add('import pandas as pd', 'import matplotlib.pyplot as plt', '')
  add(c('builder.py.seed'), `tf.keras.utils.set_random_seed(${config.seed})`, '')

  if (isIdx) {
    const folder = ref.slice('idx:'.length)
    add(c('builder.py.idxHelp'), c('builder.py.idxFolder'), ...IDX_LOADER, '')
    add(
      `folder = ${pyString(folder)}`,
      "x_train = load_idx(folder, 'train-images-idx3-ubyte')",
      "y_train = load_idx(folder, 'train-labels-idx1-ubyte')",
      "x_test = load_idx(folder, 't10k-images-idx3-ubyte')",
      "y_test = load_idx(folder, 't10k-labels-idx1-ubyte')",
    )
  } else {
    const name = ref === 'fashion-mnist' ? 'fashion_mnist' : 'mnist'
    add(
      c(ref === 'fashion-mnist' ? 'builder.py.loadFashion' : 'builder.py.loadMnist'),
      `${name} = tf.keras.datasets.${name}`,
      `(x_train, y_train), (x_test, y_test) = ${name}.load_data()`,
    )
  }
  const scale = opts.inputScale ?? DEFAULT_INPUT_SCALE
  const normalize =
    scale === DEFAULT_INPUT_SCALE
      ? c('builder.py.normalize')
      : c('kerasimport.py.normalize', { range: translate(locale, `kerasimport.range.${scale}`) })
  add('', normalize, pythonInputLine(scale))
  if (reshapes) {
    const shape = inputShape.join(', ')
    add(
      '',
      c('builder.py.channelAxis'),
      `x_train = x_train.reshape(-1, ${shape})`,
      `x_test = x_test.reshape(-1, ${shape})`,
    )
  }
  if (config.loss === 'categoricalCrossentropy') {
    add(
      '',
      c('builder.py.oneHot'),
      `y_train = tf.keras.utils.to_categorical(y_train, ${classCount})`,
      `y_test = tf.keras.utils.to_categorical(y_test, ${classCount})`,
    )
  }
  if (config.limit !== null) {
    add(
      '',
      c('builder.py.limit', { limit: config.limit }),
      `x_train, y_train = x_train[:${config.limit}], y_train[:${config.limit}]`,
    )
  }
  if (seeded) {
    add(
      '',
      c('builder.py.seededSplit'),
      `indices = np.random.default_rng(${config.seed}).permutation(len(x_train))`,
      `n_val = int(len(x_train) * ${pyNumber(config.validationSplit)})`,
      'x_val, y_val = x_train[indices[:n_val]], y_train[indices[:n_val]]',
      'x_train, y_train = x_train[indices[n_val:]], y_train[indices[n_val:]]',
    )
  }

  add('', c('builder.py.model'), ...formatSequential(spec))
  add('', c('builder.py.compile'), ...formatCompile(config), '', 'model.summary()')

  const fitArgs = [
    'x_train',
    'y_train',
    `epochs=${config.epochs}`,
    `batch_size=${config.batchSize}`,
  ]
  if (seeded) fitArgs.push('validation_data=(x_val, y_val)')
  else if (config.validationSplit > 0) {
    fitArgs.push(`validation_split=${pyNumber(config.validationSplit)}`)
  }
  fitArgs.push('shuffle=True')
  const callback = earlyStoppingCallback(config)
  if (callback) {
    const { monitor, patience } = callback
    const comments = !config.earlyStopping
      ? [c('builder.py.restoreOnly')]
      : config.restoreBestWeights
        ? [
            c('builder.py.earlyStopping', { monitor, patience }),
            c('builder.py.restoreBest', { monitor }),
          ]
        : [c('builder.py.earlyStopping', { monitor, patience })]
    add('', ...comments, callback.line)
    fitArgs.push('callbacks=[early_stopping]')
  }
  add(
    '',
    c('builder.py.fit'),
    'epocas_hist = model.fit(',
    ...fitArgs.map((arg) => `${INDENT}${arg},`),
    ')',
  )

  const hasValidation = config.validationSplit > 0
  const pair = (metric: string): string =>
    hasValidation ? `['${metric}', 'val_${metric}']` : `['${metric}']`
  add(
    '',
    c('builder.py.history'),
    'df_historico = pd.DataFrame(epocas_hist.history)',
    'df_historico.info()',
    `df_historico[${pair('loss')}].plot(); plt.show()`,
    `df_historico[${pair('accuracy')}].plot(); plt.show()`,
  )
  add(
    '',
    c('builder.py.evaluate'),
    'test_loss, test_acc = model.evaluate(x_test, y_test)',
    'print(f"Teste Acurácia: {test_acc:.3f}, Teste Loss: {test_loss:.3f}")',
  )
  add('', c('builder.py.save'), `model.save('${KERAS_MODEL_FILE}')`, '')
  return lines.join('\n')
}

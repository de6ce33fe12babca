import { kerasInputShape } from '../../shared/keras-code'
import type { InputScale } from '../../shared/input-scale'
import type { LayerSpec, TrainConfig } from '../../shared/model-spec'
import { writeH5 } from './h5'
import {
  checkWeights,
  expectedWeightShapes,
  kerasClassOf,
  layerNamesOf,
  tfjsLayerConfig,
  weightNames,
  type ImportedModel,
} from './keras-config'

/** The Keras release whose legacy HDF5 layout (and config format) the export mirrors. */
export const KERAS_VERSION = '3.9.2'

const DTYPE_POLICY = {
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name: 'float32' },
  registered_name: null,
}

const initializer = (className: string, config: object) => ({
  module: 'keras.initializers',
  class_name: className,
  config,
  registered_name: null,
})

const NO_REGULARIZERS = {
  kernel_regularizer: null,
  bias_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
}

const BATCH_NORM_EXTRAS = {
  beta_initializer: initializer('Zeros', {}),
  gamma_initializer: initializer('Ones', {}),
  moving_mean_initializer: initializer('Zeros', {}),
  moving_variance_initializer: initializer('Ones', {}),
  beta_regularizer: null,
  gamma_regularizer: null,
  beta_constraint: null,
  gamma_constraint: null,
  synchronized: false,
}

const WEIGHT_INITIALIZERS = {
  kernel_initializer: initializer('GlorotUniform', { seed: null }),
  bias_initializer: initializer('Zeros', {}),
}

/** What Keras 3 writes for each layer beyond the fields tfjs-layers reads. */
function keras3Extras(layer: LayerSpec): Record<string, unknown> {
  switch (layer.type) {
    case 'flatten':
      return { data_format: 'channels_last' }
    case 'dense':
      return { ...WEIGHT_INITIALIZERS, ...NO_REGULARIZERS }
    case 'dropout':
      return { seed: null, noise_shape: null }
    case 'conv2d':
      return { groups: 1, ...WEIGHT_INITIALIZERS, activity_regularizer: null, ...NO_REGULARIZERS }
    case 'batchNormalization':
      return BATCH_NORM_EXTRAS
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return { keepdims: false }
    case 'spatialDropout2d':
      return { seed: null }
    case 'maxPooling2d':
    case 'averagePooling2d':
    case 'reshape':
    case 'activation':
    case 'relu':
    case 'leakyRelu':
    case 'softmax':
    case 'rescaling':
    case 'zeroPadding2d':
      return {}
  }
}

function layerConfig(layer: LayerSpec): Record<string, unknown> {
  // Keras 3 renamed LeakyReLU's alpha (which TF.js still reads) to negative_slope.
  if (layer.type === 'leakyRelu') return { negative_slope: layer.negativeSlope }
  return { ...tfjsLayerConfig(layer), ...keras3Extras(layer) }
}

/** Keras 3's `model_config` for the model, as `model.save('x.h5')` writes it. */
export function buildKerasModelConfig(model: ImportedModel): object {
  const names = layerNamesOf(model.spec)
  // The input the Keras code beside the export declares: (28, 28) for the tutorial's MLP, so
  // `model.predict(x_test)` with the tutorial's arrays works on the file as the code promised.
  const inputShape = kerasInputShape(model.spec)
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      trainable: true,
      dtype: DTYPE_POLICY,
      layers: [
        {
          class_name: 'InputLayer',
          config: {
            batch_shape: [null, ...inputShape],
            dtype: 'float32',
            sparse: false,
            ragged: false,
            name: 'input_layer',
          },
        },
        ...model.spec.layers.map((layer, i) => ({
          class_name: kerasClassOf(layer),
          config: { name: names[i], trainable: true, dtype: DTYPE_POLICY, ...layerConfig(layer) },
        })),
      ],
      build_input_shape: [null, ...inputShape],
    },
  }
}

const KERAS_OPTIMIZER: Record<TrainConfig['optimizer'], string> = {
  adam: 'Adam',
  sgd: 'SGD',
  rmsprop: 'RMSprop',
}

const KERAS_LOSS: Record<TrainConfig['loss'], string> = {
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy',
}

/** Keras's `training_config`, so `load_model` returns a compiled model like the tutorial's. */
export function buildTrainingConfig(config: TrainConfig): object {
  const optimizer = KERAS_OPTIMIZER[config.optimizer]
  const extra =
    config.optimizer === 'adam'
      ? { beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }
      : config.optimizer === 'sgd'
        ? { momentum: config.momentum, nesterov: false }
        : { rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }
  return {
    loss: KERAS_LOSS[config.loss],
    loss_weights: null,
    metrics: ['accuracy'],
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
    optimizer_config: {
      class_name: optimizer,
      config: {
        name: optimizer.toLowerCase(),
        learning_rate: config.learningRate,
        weight_decay: null,
        clipnorm: null,
        global_clipnorm: null,
        clipvalue: null,
        use_ema: false,
        ema_momentum: 0.99,
        ema_overwrite_frequency: null,
        loss_scale_factor: null,
        gradient_accumulation_steps: null,
        ...extra,
      },
    },
  }
}

/**
 * Writes the model as Keras's legacy HDF5 (what `model.save('x.h5')` writes in Keras 3, and
 * `tf.keras.models.load_model` reads): root attributes `backend`, `keras_version`,
 * `model_config`, `training_config`; group `model_weights` with `backend`, `keras_version`,
 * `layer_names`, and per layer a group with `weight_names` holding datasets at
 * `<layer>/sequential/<layer>/<weight>`; an empty `top_level_model_weights` group. No optimizer
 * state is written (Keras then starts a fresh optimizer).
 */
export async function writeKerasH5(
  model: ImportedModel,
  config: TrainConfig,
  input?: { scale: InputScale; note: string },
): Promise<Uint8Array> {
  checkWeights(model.spec, model.weights)
  const names = layerNamesOf(model.spec)
  const shapes = expectedWeightShapes(model.spec)
  return writeH5((file) => {
    file.create_attribute('backend', 'tensorflow')
    file.create_attribute('keras_version', KERAS_VERSION)
    file.create_attribute('model_config', JSON.stringify(buildKerasModelConfig(model)))
    file.create_attribute('training_config', JSON.stringify(buildTrainingConfig(config)))
    // Keras ignores unknown root attributes; these tell a reader how to feed the model.
    if (input) {
      file.create_attribute('sinapse_input_scale', input.scale)
      file.create_attribute('sinapse_note', input.note)
    }
    const root = file.create_group('model_weights')
    root.create_attribute('backend', 'tensorflow')
    root.create_attribute('keras_version', KERAS_VERSION)
    root.create_attribute('layer_names', names, [names.length])
    model.spec.layers.forEach((layer, i) => {
      const group = root.create_group(names[i])
      const own = weightNames(layer)
      if (own.length === 0) {
        // Keras writes an empty float64 array for layers without weights.
        group.create_attribute('weight_names', new Float64Array(0), [0], '<d')
        return
      }
      const paths = own.map((w) => `sequential/${names[i]}/${w}`)
      group.create_attribute('weight_names', paths, [paths.length])
      const inner = group.create_group('sequential').create_group(names[i])
      own.forEach((w, j) => {
        inner.create_dataset({
          name: w,
          data: model.weights[i][j],
          shape: shapes[i][j],
          dtype: '<f',
        })
      })
    })
    root
      .create_group('top_level_model_weights')
      .create_attribute('weight_names', new Float64Array(0), [0], '<d')
  })
}

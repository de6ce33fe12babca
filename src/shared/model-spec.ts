/** Activations a layer can apply; the names follow Keras. */
export const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'softmax', 'linear'] as const
export type Activation = (typeof ACTIVATIONS)[number]

export const PADDINGS = ['valid', 'same'] as const
export type Padding = (typeof PADDINGS)[number]

export interface FlattenLayer {
  type: 'flatten'
}
export interface DenseLayer {
  type: 'dense'
  units: number
  activation: Activation
  useBias: boolean
}
export interface DropoutLayer {
  type: 'dropout'
  rate: number
}
export interface Conv2DLayer {
  type: 'conv2d'
  filters: number
  kernelSize: number
  strides: number
  padding: Padding
  activation: Activation
  useBias: boolean
}
export interface PoolingLayer {
  type: 'maxPooling2d' | 'averagePooling2d'
  poolSize: number
  strides: number
  padding: Padding
}
export interface BatchNormalizationLayer {
  type: 'batchNormalization'
  momentum: number
  epsilon: number
}
/** Keras's Reshape: the target shape excludes the batch axis. Imported models use it. */
export interface ReshapeLayer {
  type: 'reshape'
  targetShape: number[]
}
/** Keras's Activation layer: applies one activation function to every value. */
export interface ActivationLayer {
  type: 'activation'
  activation: Activation
}
/**
 * Keras's ReLU layer: `max_value` when x ≥ max_value, x when threshold < x < max_value, and
 * negative_slope × (x − threshold) below the threshold. `maxValue` null means no cap.
 */
export interface ReLULayer {
  type: 'relu'
  maxValue: number | null
  negativeSlope: number
  threshold: number
}
/** Keras's LeakyReLU: x for x ≥ 0, negative_slope × x below (Keras 2 called it `alpha`). */
export interface LeakyReLULayer {
  type: 'leakyRelu'
  negativeSlope: number
}
/** Keras's Softmax layer over the last axis. */
export interface SoftmaxLayer {
  type: 'softmax'
}
/** Keras's Rescaling: x × scale + offset, e.g. scale 1/255 for models fed raw pixels. */
export interface RescalingLayer {
  type: 'rescaling'
  scale: number
  offset: number
}
/** Zero rows and columns added around an image, as Keras's ((top, bottom), (left, right)). */
export type ZeroPadding = [[number, number], [number, number]]
export interface ZeroPadding2DLayer {
  type: 'zeroPadding2d'
  padding: ZeroPadding
}
/** Keras's GlobalAveragePooling2D / GlobalMaxPooling2D: one value per channel. */
export interface GlobalPoolingLayer {
  type: 'globalAveragePooling2d' | 'globalMaxPooling2d'
}
/** Keras's SpatialDropout2D: drops whole channels (feature maps) rather than single values. */
export interface SpatialDropout2DLayer {
  type: 'spatialDropout2d'
  rate: number
}

export type LayerSpec =
  | FlattenLayer
  | DenseLayer
  | DropoutLayer
  | Conv2DLayer
  | PoolingLayer
  | BatchNormalizationLayer
  | ReshapeLayer
  | ActivationLayer
  | ReLULayer
  | LeakyReLULayer
  | SoftmaxLayer
  | RescalingLayer
  | ZeroPadding2DLayer
  | GlobalPoolingLayer
  | SpatialDropout2DLayer

export type LayerType = LayerSpec['type']

export const LAYER_TYPES: readonly LayerType[] = [
  'flatten',
  'dense',
  'dropout',
  'conv2d',
  'maxPooling2d',
  'averagePooling2d',
  'batchNormalization',
  'reshape',
  'activation',
  'relu',
  'leakyRelu',
  'softmax',
  'rescaling',
  'zeroPadding2d',
  'globalAveragePooling2d',
  'globalMaxPooling2d',
  'spatialDropout2d',
]

/**
 * A sequential model, JSON-serializable. `inputShape` is one image without the batch axis,
 * height × width × channels (MNIST: [28, 28, 1]); the last layer's output size must equal the
 * dataset's class count.
 */
export interface ModelSpec {
  inputShape: number[]
  layers: LayerSpec[]
}

export const OPTIMIZERS = ['sgd', 'adam', 'rmsprop'] as const
export type OptimizerName = (typeof OPTIMIZERS)[number]

export const LOSSES = ['sparseCategoricalCrossentropy', 'categoricalCrossentropy'] as const
export type LossName = (typeof LOSSES)[number]

export const MONITORS = ['val_loss', 'val_accuracy', 'loss', 'accuracy'] as const
export type Monitor = (typeof MONITORS)[number]

/**
 * How validation samples are chosen. `last` is Keras's `validation_split`: the last fraction of
 * the training set, taken before shuffling. `seeded` draws them at random with the run's seed.
 */
export const SPLIT_MODES = ['last', 'seeded'] as const
export type SplitMode = (typeof SPLIT_MODES)[number]

export interface EarlyStopping {
  monitor: Monitor
  patience: number
}

/** How a model is trained; everything a run needs to be reproduced besides the spec and data. */
export interface TrainConfig {
  optimizer: OptimizerName
  learningRate: number
  /** Used by sgd only. */
  momentum: number
  loss: LossName
  epochs: number
  batchSize: number
  validationSplit: number
  splitMode: SplitMode
  seed: number
  earlyStopping: EarlyStopping | null
  /**
   * Keras's `restore_best_weights=True`: keep the weights of the epoch with the best monitored
   * value (early stopping's monitor, else val_loss) and put them back when training ends or is
   * stopped, before the test score and the save.
   */
  restoreBestWeights: boolean
  /** Use only the first N training samples (before the validation split); null = all. */
  limit: number | null
}

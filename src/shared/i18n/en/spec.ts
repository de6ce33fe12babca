export const spec = {
  'spec.notObject':
    'The model must be a JSON object with "inputShape" and "layers" (current value: {value}).',
  'spec.unknownModelField':
    'The model has an unknown field "{field}". A model has only "inputShape" and "layers".',
  'spec.inputShapeMissing':
    'The model has no "inputShape". Add "inputShape": {expected}, the size of one dataset image.',
  'spec.inputShapeInvalid':
    '"inputShape" must be a list of 1 to 3 positive whole numbers, like {expected} (current value: {value}).',
  'spec.inputShapeMismatch':
    'The model expects images of shape {actual}, but the dataset\'s images are {expected}. Set "inputShape" to {expected}.',
  'spec.layersMissing': 'The model has no "layers". Add a list of layers.',
  'spec.layersNotList': '"layers" must be a list of layers (current value: {value}).',
  'spec.noLayers':
    'The model has no layers. Add at least the output layer: Dense with {classes} units and softmax.',
  'spec.tooManyLayers': 'The model has {count} layers; the maximum is {max}.',
  'spec.layerNotObject':
    'Layer {layer} must be an object with a "type" field, like {"type": "flatten"} (current value: {value}).',
  'spec.layerTypeMissing': 'Layer {layer} has no "type". Known types: {known}.',
  'spec.unknownLayerType': 'Layer {layer}: unknown type {value}. Known types: {known}.',
  'spec.unknownLayerTypeSuggest':
    'Layer {layer}: unknown type {value}. Did you mean "{suggestion}"? Types are written like "{suggestion}".',
  'spec.unknownField':
    'Layer {layer} ({type}): unknown field "{field}". This layer accepts: {known}.',
  'spec.missingField': 'Layer {layer} ({type}): the field "{field}" is missing.',
  'spec.unitsRange':
    'Layer {layer} ({type}): units must be an integer between {min} and {max} (current value: {value}).',
  'spec.filtersRange':
    'Layer {layer} ({type}): filters must be an integer between {min} and {max} (current value: {value}).',
  'spec.kernelSizeRange':
    'Layer {layer} ({type}): kernel size must be an integer of at least {min} (current value: {value}).',
  'spec.poolSizeRange':
    'Layer {layer} ({type}): pool size must be an integer of at least {min} (current value: {value}).',
  'spec.stridesRange':
    'Layer {layer} ({type}): strides must be an integer of at least {min} (current value: {value}).',
  'spec.unknownPadding':
    'Layer {layer} ({type}): padding must be one of {known} (current value: {value}).',
  'spec.unknownActivation':
    'Layer {layer} ({type}): unknown activation {value}. Known activations: {known}.',
  'spec.unknownActivationSuggest':
    'Layer {layer} ({type}): unknown activation {value}. Did you mean "{suggestion}"?',
  'spec.useBiasType':
    'Layer {layer} ({type}): use bias must be true or false (current value: {value}).',
  'spec.rateRange':
    'Layer {layer} ({type}): the dropout rate must be at least 0 and less than 1, e.g. 0.2 (current value: {value}).',
  'spec.momentumRange':
    'Layer {layer} ({type}): momentum must be greater than 0 and less than 1, e.g. 0.99 (current value: {value}).',
  'spec.epsilonRange':
    'Layer {layer} ({type}): epsilon must be a number greater than 0, e.g. 0.001 (current value: {value}).',
  'spec.targetShapeInvalid':
    'Layer {layer} ({type}): the target shape must be a list of 1 to 3 positive whole numbers, like [28, 28, 1] (current value: {value}).',
  'spec.maxValueRange':
    'Layer {layer} ({type}): the max value must be empty (no cap) or a number of at least 0, e.g. 6 (current value: {value}).',
  'spec.negativeSlopeRange':
    'Layer {layer} ({type}): the negative slope must be a number of at least 0, e.g. 0.3 (current value: {value}).',
  'spec.thresholdRange':
    'Layer {layer} ({type}): the threshold must be a number of at least 0, e.g. 0 (current value: {value}).',
  'spec.scaleInvalid':
    'Layer {layer} ({type}): the scale must be a number, e.g. 0.00392 (1/255) to turn 0–255 pixels into 0–1 (current value: {value}).',
  'spec.offsetInvalid':
    'Layer {layer} ({type}): the offset must be a number, e.g. 0 (current value: {value}).',
  'spec.zeroPaddingInvalid':
    'Layer {layer} ({type}): the padding must be a whole number of at least 0 (the same on every side), [rows, columns] or [[top, bottom], [left, right]], each at most {max} (current value: {value}).',
  'spec.denseNeedsFlatten':
    'Layer {layer} ({type}) receives an image of shape {shape}, but Dense needs a flat list of numbers. Add a Flatten layer before it.',
  'spec.convAfterFlatten':
    'Layer {layer} ({type}) receives a flat list of {size} numbers, but {type} needs an image (height × width × channels). Put convolution and pooling layers before Flatten.',
  'spec.convNeedsImage':
    'Layer {layer} ({type}) receives data of shape {shape}, but {type} needs an image with 3 dimensions (height × width × channels), like [28, 28, 1].',
  'spec.kernelTooLarge':
    'Layer {layer} ({type}): the {size}×{size} kernel is larger than its {height}×{width} input. Use a kernel of at most {height}×{width}.',
  'spec.poolTooLarge':
    'Layer {layer} ({type}): the {size}×{size} pool is larger than its {height}×{width} input. Use a pool of at most {height}×{width}.',
  'spec.kernelVanishes':
    'Layer {layer} ({type}): the {size}×{size} kernel is larger than its {height}×{width} input, so with padding "valid" the output shrinks to nothing. Use a smaller kernel, padding "same", or fewer pooling layers before it.',
  'spec.poolVanishes':
    'Layer {layer} ({type}): the {size}×{size} pool is larger than its {height}×{width} input, so with padding "valid" the output shrinks to nothing. Use a smaller pool, padding "same", or remove this layer.',
  'spec.reshapeSize':
    'Layer {layer} ({type}): the target shape {target} holds {targetSize} values, but the input {shape} has {size}. The total number of values must stay the same.',
  'spec.outputNotDense':
    "The last layer is {type} (layer {layer}), but the output layer must be Dense with {classes} units, one per class, with softmax (or Dense({classes}) followed by a Softmax or Activation('softmax') layer). Add it at the end.",
  'spec.outputUnits':
    'Layer {layer} ({type}) is the output layer: it must have {classes} units, one per class, with softmax (current value: {units}).',
  'spec.outputActivation':
    'Layer {layer} ({type}) is the output layer: it must use softmax so its {classes} outputs are class probabilities (current value: {activation}).',
  'spec.outputSize':
    'Layer {layer} ({type}) is the output layer: its softmax must give {classes} values, one per class, but it gives {shape}. Put a Dense layer with {classes} units before it.',
  'spec.tooManyParams':
    'The model has {count} parameters; the limit is {max}, so that it fits in the memory of a school computer. Use fewer units or filters, or add pooling before Flatten.',
  'spec.shapeUnknown': 'Sinapse could not work out the shape of every layer of this model.',

  'spec.config.notObject': 'The training settings must be a JSON object (current value: {value}).',
  'spec.config.unknownField': 'Unknown training setting "{field}". Known settings: {known}.',
  'spec.config.missingField': 'The training setting "{field}" is missing.',
  'spec.config.optimizerUnknown': 'The optimizer must be one of {known} (current value: {value}).',
  'spec.config.learningRateRange':
    'The learning rate must be greater than 0 and at most {max}, e.g. 0.001 (current value: {value}).',
  'spec.config.momentumRange':
    'Momentum must be at least 0 and less than 1, e.g. 0.9 (current value: {value}).',
  'spec.config.lossUnknown': 'The loss must be one of {known} (current value: {value}).',
  'spec.config.epochsRange':
    'Epochs must be an integer between {min} and {max} (current value: {value}).',
  'spec.config.batchSizeRange':
    'The batch size must be an integer between {min} and {max} (current value: {value}).',
  'spec.config.validationSplitRange':
    'The validation split must be at least 0 and less than 1, e.g. 0.2 for 20% (0 means no validation) (current value: {value}).',
  'spec.config.splitModeUnknown':
    'The validation split mode must be one of {known} (current value: {value}).',
  'spec.config.seedRange':
    'The seed must be an integer between 0 and {max} (current value: {value}).',
  'spec.config.limitRange':
    'The sample limit must be empty (use all samples) or an integer of at least {min} (current value: {value}).',
  'spec.config.earlyStoppingNotObject':
    'Early stopping must be empty or an object with "monitor" and "patience" (current value: {value}).',
  'spec.config.monitorUnknown':
    'Early stopping must watch one of {known} (current value: {value}).',
  'spec.config.monitorNeedsValidation':
    'Early stopping watches {monitor}, which needs validation data, but the validation split is 0. Watch loss or accuracy, or set a validation split such as 0.2.',
  'spec.config.restoreBestWeightsBoolean':
    "Restoring the best epoch's weights must be true or false (current value: {value}).",
  'spec.config.restoreNeedsValidation':
    "Restoring the best epoch's weights picks the epoch with the lowest val_loss, which needs validation data, but the validation split is 0. Set a validation split such as 0.2, or turn the option off.",
  'spec.config.patienceRange':
    'Early stopping patience must be an integer between {min} and {max} epochs (current value: {value}).',

  'spec.field.inputShape': 'Input shape',
  'spec.field.units': 'Units',
  'spec.field.activation': 'Activation',
  'spec.field.filters': 'Filters',
  'spec.field.kernelSize': 'Kernel size',
  'spec.field.strides': 'Strides',
  'spec.field.padding': 'Padding',
  'spec.field.rate': 'Rate',
  'spec.field.poolSize': 'Pool size',
  'spec.field.momentum': 'Momentum',
  'spec.field.epsilon': 'Epsilon',
  'spec.field.useBias': 'Use bias',
  'spec.field.targetShape': 'Target shape',

  'spec.field.maxValue': 'Max value',
  'spec.field.negativeSlope': 'Negative slope',
  'spec.field.threshold': 'Threshold',
  'spec.field.scale': 'Scale',
  'spec.field.offset': 'Offset',
  'spec.field.zeroPadding': 'Zeros added',
  'spec.summary.layer': 'Layer (type)',
  'spec.summary.outputShape': 'Output shape',
  'spec.summary.params': 'Param #',
  'spec.summary.totalParams': 'Total params',
  'spec.summary.trainableParams': 'Trainable params',
  'spec.summary.nonTrainableParams': 'Non-trainable params',
  'spec.summary.unknown': '?',

  'spec.preset.tutorial-mlp': 'Tutorial MLP',
  'spec.preset.tutorial-mlp.description':
    "The tutorial's network: Flatten → Dense(128, relu) → Dense(10, softmax), 30 epochs with Adam.",
  'spec.preset.lenet-cnn': 'LeNet CNN',
  'spec.preset.lenet-cnn.description':
    "The tutorial's convolutional network: two Conv2D + MaxPooling2D blocks, then Dense(120) → Dense(84) → Dense(10, softmax), 10 epochs.",
} as const

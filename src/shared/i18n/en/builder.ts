export const builder = {
  'builder.title': 'Build the network',
  'builder.intro':
    'Stack layers from the input image to the output. Shapes, parameters and the Keras code update as you type.',
  'builder.start.label': 'Start from',
  'builder.start.tutorial-mlp': 'Tutorial model (MLP)',
  'builder.start.lenet-cnn': 'LeNet (CNN)',
  'builder.start.empty': 'Empty',
  'builder.start.confirm': 'Replace the current model? Its layers will be lost.',

  'builder.layers.title': 'Layers',
  'builder.layers.add': 'Add a layer',
  'builder.layers.addType': 'Add {type}',
  'builder.layers.output': 'Output layer',
  'builder.layers.outputHint': 'Dense({classes}, softmax)',
  'builder.layers.list': 'Model layers, from input to output',
  'builder.layers.input': 'Input',
  'builder.layers.inputHint': 'One {dataset} image',
  'builder.layers.empty':
    'No layers yet. Add Flatten, then Dense, and finish with the output layer — or start from the tutorial model above.',
  'builder.layers.keyboardHint':
    'Tip: focus a layer, then Alt+↑ / Alt+↓ moves it, Delete removes it; you can also drag it by its handle.',
  'builder.layers.number': 'Layer {n}',
  'builder.layers.rowLabel': 'Layer {n} of {count}: {type}',
  'builder.layers.drag': 'Drag to reorder',
  'builder.layers.moveUp': 'Move up',
  'builder.layers.moveDown': 'Move down',
  'builder.layers.duplicate': 'Duplicate',
  'builder.layers.remove': 'Remove',
  'builder.layers.outputShape': 'Output {shape}',
  'builder.layers.params': '{count} parameters',
  'builder.layers.noParams': 'no parameters',
  'builder.layers.targetShapeHint': 'e.g. 7, 7, 16',
  'builder.layers.activation.linear': 'linear (none)',
  'builder.layers.zeroPaddingHint': '1 · rows, columns · top, bottom, left, right',
  'builder.layers.none': 'none',
  'builder.palette.core': 'Core',
  'builder.palette.image': 'Images',
  'builder.palette.activations': 'Activations',
  'builder.palette.scaling': 'Scaling',
  'builder.palette.hint': 'Point at or focus a layer type to read what it does.',
  'builder.layerInfo.flatten':
    'Lays the image out as one long list of numbers, so Dense layers can read it.',
  'builder.layerInfo.dense':
    'Connects every input to every unit: each unit computes a weighted sum plus its bias, then applies the activation.',
  'builder.layerInfo.dropout':
    'While training, switches off a random share of the values at each step, so the network cannot rely on any single one.',
  'builder.layerInfo.conv2d':
    'Slides small learned filters over the image; each filter makes a map of where its pattern appears.',
  'builder.layerInfo.maxPooling2d':
    'Keeps the largest value of each window, shrinking the image while keeping the strongest responses.',
  'builder.layerInfo.averagePooling2d':
    'Replaces each window by its average, shrinking the image smoothly.',
  'builder.layerInfo.batchNormalization':
    "Re-centres and rescales each channel with the batch's mean and variance, which steadies and speeds up training.",
  'builder.layerInfo.reshape':
    'Rearranges the same values into another shape, e.g. 784 numbers into a 28×28×1 image.',
  'builder.layerInfo.activation':
    'Applies an activation function (relu, sigmoid, tanh, softmax…) to every value, with no weights of its own.',
  'builder.layerInfo.relu':
    'Keeps positive values and turns negative ones into 0; it can also cap values at a maximum or let negatives through with a small slope.',
  'builder.layerInfo.leakyRelu':
    'Like ReLU, but negative values are multiplied by a small slope instead of becoming 0, so units never go completely silent.',
  'builder.layerInfo.softmax':
    'Turns a list of scores into probabilities that add up to 1; it goes at the output, after a Dense layer.',
  'builder.layerInfo.rescaling':
    'Multiplies every value by a scale and adds an offset, e.g. ×1/255 to turn 0–255 pixels into 0–1.',
  'builder.layerInfo.zeroPadding2d':
    'Adds rows and columns of zeros around the image, so the windows after it also cover its edges.',
  'builder.layerInfo.globalAveragePooling2d':
    'Averages each channel over the whole image into one number, a light alternative to Flatten.',
  'builder.layerInfo.globalMaxPooling2d':
    "Keeps each channel's largest value over the whole image: one number per channel.",
  'builder.layerInfo.spatialDropout2d':
    'Dropout for convolutions: while training, switches off whole channels (feature maps) at random instead of single values.',
  'builder.announce.moved': '{type} moved to position {n} of {count}.',
  'builder.announce.removed': '{type} removed. {count} layers left.',
  'builder.announce.added': '{type} added at position {n}.',
  'builder.announce.duplicated': '{type} duplicated at position {n}.',
  'builder.announce.preset': 'Model replaced: {count} layers.',

  'builder.issues.title': 'Fix before training',
  'builder.issues.none': 'The model is valid and ready to train.',

  'builder.summary.title': 'Summary',
  'builder.summary.caption': 'Like model.summary() in Keras',
  'builder.summary.layer': 'Layer (type)',
  'builder.summary.output': 'Output shape',
  'builder.summary.params': 'Params',
  'builder.summary.total': 'Total params',
  'builder.summary.trainable': 'Trainable params',
  'builder.summary.nonTrainable': 'Non-trainable params',
  'builder.summary.unknown': '?',
  'builder.summary.incomplete':
    'Some shapes are unknown until the problems marked in red are fixed.',

  'builder.diagram.title': 'Diagram',
  'builder.diagram.label': 'The layer stack, from input (top) to output (bottom)',
  'builder.diagram.values': '{count} values',

  'builder.code.title': 'Keras code',
  'builder.code.snippet': 'Model',
  'builder.code.script': 'Full script',
  'builder.code.copy': 'Copy',
  'builder.code.copied': 'Copied to the clipboard.',
  'builder.code.copyFailed': 'Could not copy; select the code and press Ctrl+C.',
  'builder.code.save': 'Save as .py',
  'builder.code.stale': 'Shows the last valid version; fix the problems to update it.',
  'builder.code.none': 'The code appears once the model is valid.',
  'builder.code.colab':
    'Runs unchanged in Google Colab or on any computer with TensorFlow; the saved .h5 can be imported back into Sinapse.',

  'builder.settings.title': 'Training settings',
  'builder.settings.dataset': 'Dataset',
  'builder.settings.dataset.mnist': 'MNIST (handwritten digits)',
  'builder.settings.dataset.fashion-mnist': 'Fashion-MNIST (clothing)',
  'builder.settings.dataset.idx': 'IDX files in a folder…',
  'builder.settings.idxFolder': 'Folder with the IDX files',
  'builder.settings.idxFolderHint': 'e.g. /home/aluno/dados/letras',
  'builder.settings.datasetLoading': 'Reading the dataset…',
  'builder.settings.datasetFacts':
    '{train} training and {test} test images of {shape}, {classes} classes',
  'builder.settings.optimizer': 'Optimizer',
  'builder.settings.learningRate': 'Learning rate',
  'builder.settings.learningRateDefault':
    "Keras's default for {optimizer}: {rate}. Switching optimizer moves the rate to the new one's default.",
  'builder.settings.learningRateChanged':
    "You changed the rate; Keras's default for {optimizer} is {rate}. It stays when you switch optimizer.",
  'builder.settings.momentum': 'Momentum',
  'builder.settings.loss': 'Loss',
  'builder.settings.loss.sparseCategoricalCrossentropy': 'Sparse categorical cross-entropy',
  'builder.settings.loss.categoricalCrossentropy': 'Categorical cross-entropy',
  'builder.settings.epochs': 'Epochs',
  'builder.settings.batchSize': 'Batch size',
  'builder.settings.validationSplit': 'Validation split',
  'builder.settings.validationSplitHint': '0.2 = 20% of the training images',
  'builder.settings.splitMode': 'Validation images',
  'builder.settings.splitMode.last': 'The last ones, like Keras',
  'builder.settings.splitMode.seeded': 'Drawn at random with the seed',
  'builder.settings.seed': 'Seed',
  'builder.settings.earlyStopping': 'Early stopping',
  'builder.settings.earlyStopping.off': 'Off',
  'builder.settings.earlyStopping.on': 'Stop when it stops improving',
  'builder.settings.restoreBest': 'Weights at the end',
  'builder.settings.restoreBest.last': "The last epoch's",
  'builder.settings.restoreBest.best': "The best epoch's",
  'builder.settings.restoreBest.hint':
    "The epoch with the best {monitor}, as Keras's restore_best_weights=True",
  'builder.settings.monitor': 'Watch',
  'builder.settings.patience': 'Patience (epochs)',
  'builder.settings.limit': 'Training images',
  'builder.settings.limit.off': 'All',
  'builder.settings.limit.on': 'Only the first',
  'builder.settings.limitCount': 'Number of images',
  'builder.settings.runName': 'Run name',
  'builder.settings.runNameHint': 'Optional, e.g. MLP 128 relu',

  'builder.estimate.label': 'Estimated time',
  'builder.estimate.value': '≈ {epoch} per epoch · ≈ {total} in total',
  'builder.estimate.on': 'on {backend}',
  'builder.estimate.rough': 'rough estimate',
  'builder.estimate.roughHelp':
    'Timed from real training steps of this model on this computer before the run. While it trains, the training page replaces it with the pace of its own batches.',
  'builder.estimate.unsettled':
    'rough estimate: the computer was still speeding up (or busy) while it was timed',
  'builder.estimate.measuring': 'Measuring the speed of this computer…',
  'builder.estimate.busy': 'No estimate while another training runs.',
  'builder.estimate.unavailable': 'No estimate available.',
  'builder.estimate.invalid': 'The estimate appears once the model and settings are valid.',
  'builder.duration.seconds': '{n} s',
  'builder.duration.minutes': '{m} min {s} s',
  'builder.duration.hours': '{h} h {m} min',

  'builder.train': 'Train',
  'builder.training.starting': 'Starting…',
  'builder.reason.specIssues': 'Fix the {count} problem(s) in the model first.',
  'builder.reason.configIssues': 'Fix the {count} problem(s) in the training settings first.',
  'builder.reason.running': 'A training is running; wait for it to finish or stop it in Train.',
  'builder.reason.dataset': 'Choose a dataset Sinapse can read first.',
  'builder.reason.noLayers': 'Add layers to the model first.',
  'builder.startFailed': 'The training did not start: {detail}',

  'builder.py.header': 'Generated by Sinapse: the same model and training settings, in Keras.',
  'builder.py.runsAnywhere':
    'Runs unchanged in Google Colab or on any computer with TensorFlow 2 (pip install tensorflow pandas matplotlib).',
  'builder.py.seed': 'Fixing the seed makes the weights and the shuffling repeatable',
  'builder.py.loadMnist': 'Loading the MNIST dataset',
  'builder.py.loadFashion': 'Loading the Fashion-MNIST dataset',
  'builder.py.idxHelp':
    'Loading the images from IDX files (the MNIST format): train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, plain or .gz',
  'builder.py.idxFolder': 'In Colab, upload the folder and change "folder" below to where it is',
  'builder.py.normalize': 'Normalizing the data',
  'builder.py.channelAxis':
    'Adding the channel axis: convolutional layers expect height × width × channels',
  'builder.py.oneHot': 'Categorical cross-entropy needs the labels as one-hot vectors',
  'builder.py.limit': 'Using only the first {limit} training images, as in Sinapse',
  'builder.py.seededSplit':
    "Validation images drawn at random with the seed (Keras's validation_split would take the last ones)",
  'builder.py.model': 'Creating the model',
  'builder.py.compile': 'Compiling the model',
  'builder.py.earlyStopping': 'Stop when {monitor} has not improved for {patience} epochs',
  'builder.py.restoreBest':
    'Keep the weights of the epoch with the best {monitor} and put them back at the end',
  'builder.py.restoreOnly':
    'Never stops early (patience = epochs): only puts back the weights of the epoch with the lowest val_loss',
  'builder.py.fit': 'Training the model',
  'builder.py.history': 'Viewing the training history',
  'builder.py.evaluate': 'Evaluating on the test set',
  'builder.py.save': 'Saving the model',
} as const

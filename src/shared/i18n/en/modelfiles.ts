export const modelfiles = {
  'modelfiles.badConfig':
    'The model description in this file is not one Sinapse can read ({detail}). Save the model again from Keras or TensorFlow.js.',
  'modelfiles.configReason.notObject': 'the model description is not an object',
  'modelfiles.configReason.noLayers': 'it lists no layers',
  'modelfiles.configReason.tooManyLayers':
    'it lists {count} layers, more than the {max} any model Sinapse imports has',
  'modelfiles.configReason.layerEntry': 'an entry of the layer list is not a layer',
  'modelfiles.configReason.inputLayerNoShape': 'the InputLayer has no shape',
  'modelfiles.configReason.noInputShape': 'the model does not declare the shape of its input',
  'modelfiles.configReason.badInputShape':
    'the input shape {shape} is not a list of positive whole numbers',
  'modelfiles.configReason.fieldMissing': 'the {className} layer has no {field}',
  'modelfiles.configReason.badField': 'the {className} layer has an invalid {field}: {value}',
  'modelfiles.configReason.cannotTakeInput':
    'a {layer} layer cannot take an input of shape {shape}',
  'modelfiles.configReason.linkMissing': 'a layer’s {field} is missing',
  'modelfiles.configReason.badLink': 'a layer’s connections ({field}) are damaged',
  'modelfiles.configReason.nestedTooDeep': 'the layers’ connections are nested too deep',
  'modelfiles.configReason.unnamedLayer': 'a layer has no name',
  'modelfiles.configReason.unknownSource':
    'layer {name} is fed by {from}, which is not in the model',
  'modelfiles.configReason.notChain': 'the layers do not form a single chain (at {name})',
  'modelfiles.configReason.inputFed': 'the input layer {name} is fed by another layer',
  'modelfiles.configReason.noPath': 'the chain from {from} does not reach the output {to}',
  'modelfiles.notSequential':
    'This model is a {className}, but Sinapse imports only Sequential models and functional models that are a single chain (layers one after another). Rebuild it with keras.Sequential and save it again.',
  'modelfiles.unknownLayer':
    'This model uses a layer of type {className}, which Sinapse does not support. Sinapse imports these layer types: {known}.',
  'modelfiles.unsupportedOption':
    'This model uses a layer of type {className} with {option}, which Sinapse cannot reproduce. Use the default for that option and save the model again.',
  'modelfiles.inputShape':
    'This model takes inputs of shape {shape}, but Sinapse imports models for 28×28 MNIST digits (784 values, 28×28 or 28×28×1).',
  'modelfiles.inputShapeFor':
    'This model takes inputs of shape {shape}, but its run’s spec says {expected}.',
  'modelfiles.weightCount':
    'Layer {layer} of this model should have {expected} weight arrays, but the file has {actual}. The file is incomplete or does not match its description.',
  'modelfiles.weightShape':
    'The {weight} of layer {layer} does not have the shape {expected} the layer needs. The weights do not belong to this model description.',
  'modelfiles.weightsNotFinite':
    'The {weight} of layer {layer} holds {count} of {total} values that are not numbers (NaN) or are infinite. A model with such weights gives meaningless answers: its training diverged or the file is damaged. Nothing was imported.',
  'modelfiles.weightShapeMismatch':
    'The weight {weight} of layer "{layer}" has the shape {actual}, but the layer needs {expected} (same numbers in another order are other weights, e.g. a transposed kernel). The weights do not belong to this model description.',
  'modelfiles.duplicateLayer':
    'Two layers of this model are both named "{name}". Keras gives each layer its own name: the file was altered or is damaged.',
  'modelfiles.tooManyWeights':
    'This model describes {count} weights; Sinapse takes models of at most {max}. It is not an MNIST model Sinapse can train or use.',
  'modelfiles.readCapExceeded':
    'The file {file} makes Sinapse read more than {limit} MB of weights, more than any model it accepts: it reads the same data many times (a decompression bomb) or is damaged.',
  'modelfiles.notHdf5': 'The file {file} is not an HDF5 (.h5) file. Choose a model saved by Keras.',
  'modelfiles.h5Damaged':
    'The file {file} could not be read as HDF5: it is damaged or incomplete ({detail}). Copy it again.',
  'modelfiles.noConfig':
    'The file {file} has no Keras model description (model_config). Save the whole model with model.save(), not only its weights.',
  'modelfiles.configTooLarge':
    'The model description in {file} is {size} characters long, more than the {limit} any model Sinapse can use needs (thousands of layers, or a damaged file). Nothing was imported.',
  'modelfiles.configNotJson':
    'The model description in {file} is not valid JSON: the file is damaged or was edited by hand. Save the model again from Keras. Nothing was imported.',
  'modelfiles.noWeights': 'The file {file} holds no model weights. Save the trained model again.',
  'modelfiles.layerWeightsMissing':
    'The weights of layer "{layer}" are missing or unreadable in {file}. The file is incomplete or damaged.',
  'modelfiles.zipTooBig':
    'The archive {file} is too large or has too many files to be a model (at most 20 files and 128 MB unpacked). Sinapse refuses it for safety.',
  'modelfiles.zipDamaged': 'The archive {file} is damaged ({detail}). Copy it again.',
  'modelfiles.zipChecksum':
    'The archive {file} is damaged: "{entry}" does not match the checksum the archive recorded for it (it was changed or cut after the archive was made). Nothing was imported; copy the file again.',
  'modelfiles.zipDuplicate':
    'The archive {file} holds "{entry}" twice, so it is not clear which one is meant. Nothing was imported; make the archive again.',
  'modelfiles.zipNoModel':
    'The archive {file} contains neither a TensorFlow.js model (model.json) nor a Keras model (config.json and model.weights.h5).',
  'modelfiles.zipNested':
    'The archive {file} contains "{entry}" in a sub-folder. Put model.json and its weight files at the top of the archive.',
  'modelfiles.noModelJson':
    'No model.json was given. Choose model.json together with its .bin weight files.',
  'modelfiles.modelJsonTooBig':
    'This model.json is larger than {limit} MB, far more than a model description needs. Check that this is the right file.',
  'modelfiles.badManifest':
    'This model.json is not a valid TensorFlow.js layers model ({detail}). Export the model again.',
  'modelfiles.unsafePath':
    'This model.json refers to the weight file "{file}", which is not a plain file name next to it. Sinapse refuses it for safety.',
  'modelfiles.weightFileMissing':
    'This model.json needs the weight file "{file}", which was not given. Choose it together with model.json.',
  'modelfiles.weightsSize':
    'The weights should take {expected} bytes, but the weight files hold {actual}. The files are incomplete or do not belong together: copy them again.',
  'modelfiles.dtype':
    'The weight {weight} is stored as {dtype}; Sinapse imports float32 weights only. Export the model without quantization.',
  'modelfiles.weightMissing':
    'The weight "{weight}" of layer "{layer}" is not in the model files. The files do not match the model description.',
  'modelfiles.notTenClasses':
    'This model does not output 10 classes, so it cannot classify MNIST digits.',
  'modelfiles.unknownFormat':
    'Sinapse does not recognize these files as a model ({files}). Choose a Keras .h5 or .keras file, a TensorFlow.js .zip, or model.json with its .bin files.',
  'modelfiles.pathMissing': 'Nothing was found at {path}. Check the path.',
  'modelfiles.fileTooLarge':
    'The file {file} is not a regular file or is larger than 50 MB, more than any model Sinapse can use.',
  'modelfiles.uploadTooLarge':
    'These files are {size} MB together; an import takes at most {limit} MB, more than any model Sinapse can use.',
  'modelfiles.tooManyFiles': 'The folder {path} has too many weight files to be one model.',
  'modelfiles.importButton': 'Import model',
  'modelfiles.importHint':
    'Keras .h5 or .keras, TensorFlow.js .zip or model.json + .bin, or a Sinapse bundle',
  'modelfiles.importing': 'Importing…',
  'modelfiles.importedFrom': 'Imported from {source}; not trained here.',
  'modelfiles.invalidSpec':
    'Sinapse cannot import this model as it is ({count} problem(s)); nothing was added:',
  'modelfiles.logitsSoftmax':
    'Its last layer gave raw scores (logits); Sinapse added a softmax so they read as probabilities. Its predictions are unchanged.',
  'modelfiles.notEvaluated': 'Not evaluated on the test set yet.',
  'modelfiles.evaluateNow': 'Evaluate on the test set now',
  'modelfiles.evaluating': 'Scoring on the 10,000 test images…',
  'modelfiles.importedScored': 'Model imported as run #{id}: test accuracy {accuracy}.',
  'modelfiles.evaluateFailed': 'Could not evaluate: {message}',
  'modelfiles.imported': 'Model imported as run #{id}.',
  'modelfiles.importFailed': 'Import failed: {message}',
  'modelfiles.exportTfjs': 'Export model (TensorFlow.js .zip)',
  'modelfiles.exportH5': 'Export model (Keras .h5)',
  'modelfiles.exportBundle': 'Export run bundle',
  'modelfiles.exportFailed': 'Export failed: {message}',
  'modelfiles.bundle.notBundle':
    '“{name}” is not a Sinapse run bundle: it does not start with the bundle signature. Choose a .sinapse file made with “Export run bundle”.',
  'modelfiles.bundle.newerVersion':
    '“{name}” was made by a newer Sinapse (bundle format {version}; this version reads up to format {supported}). Update Sinapse on this computer to import it.',
  'modelfiles.bundle.unknownVersion':
    '“{name}” has an invalid bundle format version ({version}). The file is damaged; export the run again.',
  'modelfiles.bundle.truncated':
    '“{name}” is incomplete: it has {actual} bytes but should have {expected}. The copy was probably interrupted (a USB stick removed too early?). Copy the file again from the original computer.',
  'modelfiles.bundle.trailingBytes':
    '“{name}” has {extra} unexpected bytes after its end: the file was changed after it was exported. Export the run again.',
  'modelfiles.bundle.tooLarge':
    '“{name}” is {size} MB; a run bundle can be at most {limit} MB. Make sure you chose the right file.',
  'modelfiles.bundle.headerTooLarge':
    '“{name}” has a description larger than {limit} MB, which no real bundle has. The file is damaged or is not a Sinapse bundle.',
  'modelfiles.bundle.headerNotJson':
    '“{name}” has a damaged description (it is not valid JSON). Export the run again.',
  'modelfiles.bundle.fileTableInvalid':
    '“{name}” has a damaged list of files. Export the run again.',
  'modelfiles.bundle.tooManyFiles':
    '“{name}” lists {count} files; a run bundle holds at most {limit}. The file is damaged or is not a Sinapse bundle.',
  'modelfiles.bundle.unsafeFileName':
    '“{name}” contains a file with a name that is not allowed (“{file}”): only plain names without folders are accepted. Nothing was imported.',
  'modelfiles.bundle.fileTampered':
    'The file {file} inside “{name}” does not match its checksum: the bundle was changed or damaged after it was exported. Nothing was imported; copy the bundle again.',
  'modelfiles.bundle.modelTampered':
    'The model inside “{name}” does not match the checksum recorded when it was saved: it was changed after training. Nothing was imported.',
  'modelfiles.bundle.modelFilesMismatch':
    'The model files inside “{name}” do not match its description (model.json and the weight files it lists). Nothing was imported; export the run again.',
  'modelfiles.bundle.modelInvalid':
    'The model.json inside “{name}” is not a valid TensorFlow.js model, or its weights do not have the sizes it declares. Nothing was imported.',
  'modelfiles.bundle.modelRefused':
    'The model inside “{name}” is not one Sinapse can load for its run, so the run could never predict. Nothing was imported.',
  'modelfiles.bundle.layerCount': 'The model has {model} layers but the spec says {spec}.',
  'modelfiles.bundle.layerKind': 'Layer {layer} is {model} in the model but {spec} in the spec.',
  'modelfiles.bundle.layerField':
    'Layer {layer} has {field} {model} in the model but the spec says {spec}.',
  'modelfiles.bundle.manifestInvalid':
    '“{name}” has invalid or missing information in its description (fields: {fields}). The file was damaged or edited by hand; export the run again.',
  'modelfiles.bundle.unknownDataset':
    'The run in “{name}” uses a dataset Sinapse does not know (“{ref}”); it knows mnist, fashion-mnist and idx:<folder>.',
  'modelfiles.bundle.invalidSpec':
    'The run in “{name}” has a model or training settings Sinapse refuses ({count} problem(s)):',
  'modelfiles.bundle.fileNotFound': 'No bundle file at {path}. Check the path and try again.',
  'modelfiles.bundle.exportTooLarge':
    'Run #{id} would make a {size} MB bundle, more than the {limit} MB a bundle may hold.',
  'modelfiles.bundle.exportModelMissing':
    'The saved model of run #{id} is missing from the data folder, so the run cannot be exported with it.',
  'modelfiles.bundle.exportModelCorrupt':
    'The saved model of run #{id} is damaged (its files do not match the checksum recorded when it was saved); no bundle was created.',
} as const

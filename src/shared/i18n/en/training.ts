export const training = {
  'training.backendUnknown':
    'SINAPSE_BACKEND is set to "{backend}", which is not a computing backend. Use one of: {choices}, or unset it to let Sinapse choose.',
  'training.backendUnavailable':
    'The computing backend {backend} could not start ({detail}). Choose another backend, or unset SINAPSE_BACKEND to let Sinapse pick one that works.',
  'training.inputMismatch':
    "The model expects images of shape {model}, but the dataset has images of shape {dataset}. Change the model's input shape to {dataset}.",
  'training.noSamples':
    'There are no samples left to train on. Raise the sample limit or lower the validation split.',
  'training.nanLoss':
    'Training diverged in epoch {epoch} (noticed at batch {batch}): the loss became NaN or infinite, so the weights no longer hold numbers. The learning rate is usually too large: try a smaller one (for example 10 times smaller), or another optimizer such as Adam.',
  'training.predictSize':
    'Image {index} has {actual} values, but this model expects {expected} ({shape}). Prepare the image at the size the model was trained on.',
  'training.modelMissing':
    'The saved model in {path} is incomplete: the file {file} is missing. It may have been deleted or moved; train the model again.',
  'training.modelHashMismatch':
    'The saved model in {path} was changed or damaged after it was saved (its checksum no longer matches). Sinapse will not use it: train the model again.',
  'training.modelNotJson':
    'The file model.json in {path} is not a valid TensorFlow.js model description ({detail}). Export the model again from its source.',
  'training.modelUnsafePath':
    'The model in {path} refers to the weight file "{file}", which is not a plain file name inside the model folder. Sinapse refuses it for safety.',
  'training.modelWeightsSize':
    'The weights of the model in {path} should take {expected} bytes, but the weight files hold {actual}. The files are incomplete or do not belong together: copy them again.',
  'training.modelTooLarge':
    'The file {file} in {path} is larger than {limit} MB, more than any model Sinapse can train. Check that this is the right folder.',
  'training.modelInvalid':
    'The model in {path} could not be rebuilt ({detail}). It may use layers Sinapse does not support.',
  'training.workerCrashed':
    'The training engine stopped unexpectedly ({detail}). Your runs are kept; try again, and if it keeps happening, train a smaller model or use fewer samples.',
  'training.workerClosed': 'The training engine was shut down before the task finished.',
  'training.modelNotSaved':
    'The trained model could not be saved in the data folder ({path}: {detail}). The epochs and the test score are kept, and the model is still in memory: save it to another folder before closing Sinapse.',
  'training.modelNoLongerInMemory':
    'The trained model of run {id} is no longer in memory (the program that trained it has closed), so it cannot be saved now. Its epochs and test score are kept.',
  'training.modelSavedElsewhere':
    'The data folder refused the trained model ({detail}), so it was saved in {path} instead.',
  'training.weightsLowest':
    'The saved model holds the weights from epoch {epoch}, the lowest {monitor} ({value}), not the last epoch’s: the test score is theirs.',
  'training.weightsHighest':
    'The saved model holds the weights from epoch {epoch}, the highest {monitor} ({value}), not the last epoch’s: the test score is theirs.',
} as const

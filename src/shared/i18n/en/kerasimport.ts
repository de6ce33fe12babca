export const kerasimport = {
  'kerasimport.branch':
    'This functional model branches after layer "{layer}": its output feeds {count} layers ({next}). Sinapse imports a functional model only when it is a single chain, each layer feeding the next, like a Sequential model.',
  'kerasimport.merge':
    'Layer "{layer}" ({className}) joins {count} branches of this functional model. Sinapse imports a functional model only when it is a single chain, without merges such as Add or Concatenate.',
  'kerasimport.inputs':
    'This model has {count} inputs ({names}). Sinapse imports models with one input whose layers form a single chain.',
  'kerasimport.outputs':
    'This model has {count} outputs ({names}). Sinapse imports models with one output whose layers form a single chain.',
  'kerasimport.shared':
    'Layer "{layer}" is used {count} times in this functional model (a shared layer). Sinapse imports a functional model only when it is a single chain, each layer used once.',
  'kerasimport.dataset.mnist': 'MNIST',
  'kerasimport.dataset.fashion-mnist': 'Fashion-MNIST',
  'kerasimport.datasetDetected':
    'This model was trained on {dataset}, not on MNIST digits: on {count} test images its best score is {best} there and {mnist} on MNIST. Sinapse evaluates, tests and explains it on {dataset}. If that is wrong, import it again with `sinapse import --dataset mnist`.',
  'kerasimport.datasetChosen': 'Dataset set at import: {dataset}.',
  'kerasimport.datasetMissing':
    'Sinapse could not check whether it recognises {datasets} instead: that dataset is not installed (Debian package {package}). Install it and import again, or import with `--dataset fashion-mnist` if you know it was trained on clothing.',
  'kerasimport.badDataset':
    'Unknown dataset "{value}" for an imported model. Use one of: {datasets}.',
  'kerasimport.datasetLabel': 'Trained on',
  'kerasimport.range.1': 'pixel values 0–1',
  'kerasimport.range.255': 'pixel values 0–255',
  'kerasimport.range.inverted': 'inverted pixel values 0–1 (dark digit on a light background)',
  'kerasimport.range.centered': 'pixel values centred on 0 (−0.5 to 0.5)',
  'kerasimport.scaleDetected':
    'This model expects {range}, as it was trained: on {count} {dataset} test images it scores {best} that way, {unit} with values 0–1. Sinapse feeds it that way everywhere (evaluate, test images, X-ray, exports); change it in the run details or with `sinapse input-scale`.',
  'kerasimport.scaleUnclear':
    'On {count} {dataset} test images no pixel convention was clearly right (0–1: {unit}, 0–255: {byte}, inverted: {inverted}, centred: {centered}), so Sinapse feeds this model values 0–1. Change it in the run details or with `sinapse input-scale` if you know how it was trained.',
  'kerasimport.scaleChosen':
    'Input set at import: {range} (on {count} {dataset} test images: 0–1: {unit}, 0–255: {byte}, inverted: {inverted}, centred: {centered}).',
  'kerasimport.py.normalize': 'This model expects {range}, as it was trained',
  'kerasimport.scaleSaved':
    'The input of “{name}” changed; its test score was cleared: evaluate it again.',
  'kerasimport.inputLabel': 'Model input',
  'kerasimport.inputHint':
    'The pixel values this model was trained with. Sinapse converts every image to them before feeding the model; changing it clears the stored test score.',
  'kerasimport.exportNote':
    'This model expects {range}, as it was trained (recorded by Sinapse). Prepare its inputs that way.',
  'kerasimport.badScale':
    'Unknown input convention "{value}". Use 1 (values 0–1), 255 (values 0–255), inverted or centered (−0.5 to 0.5).',
  'kerasimport.scaleShown': 'Run #{id} feeds its model {range}.',
  'kerasimport.scaleSet':
    'Run #{id} now feeds its model {range}; its stored test score was cleared (run `sinapse evaluate {id}`).',
} as const

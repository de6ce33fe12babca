export const xray = {
  'inspect.noModel':
    'Run {id} has no saved model to X-ray (its status is {status}): train it to the end, or import a model.',
  'inspect.badTestIndex': 'There is no test image {index}: choose a number from 0 to {max}.',
  'inspect.badUnit':
    'Layer {layer} has no unit {unit} (it has {units}): choose a unit from the layer shown.',
  'cli.inspect.missingImage':
    'Say what to X-ray: an image file (sinapse inspect <run> <image>) or a test image (--test N).',
  'cli.inspect.badTest': '--test must be a test image number (0, 1, 2…); got "{value}".',
  'cli.inspect.title': 'X-ray of run {id} · {input} → {digit} ({confidence})',
  'cli.inspect.testInput': 'test image {index} (true class {label})',
  'cli.inspect.layers': 'Every layer, from the input to the answer:',
  'cli.inspect.colLayer': 'layer',
  'cli.inspect.colClass': 'class',
  'cli.inspect.colShape': 'output',
  'cli.inspect.colMin': 'min',
  'cli.inspect.colMax': 'max',
  'cli.inspect.colMean': 'mean',
  'cli.inspect.input': 'What the network saw (28×28):',
  'cli.inspect.saliency':
    'Saliency: the pixels whose change moves the score of {digit} most (denser characters = more):',
} as const

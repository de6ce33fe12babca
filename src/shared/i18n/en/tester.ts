export const tester = {
  'tester.title': 'Test images on the model',
  'tester.subtitle':
    'Give the model your own digits: drop photos or scans, paste an image, or draw one. You see each step that turns your picture into the 28×28 image the network reads, and what each model answers.',
  'tester.loading': 'Loading runs…',
  'tester.empty.title': 'No trained model yet',
  'tester.empty.body':
    'The tester needs a model that finished training. Build a network and train it; then come back here to test it with your own digits.',
  'tester.empty.action': 'Build and train a model',
  'tester.runs.title': 'Models to test',
  'tester.runs.hint': 'Choose up to {max} finished runs; each one gets its own column of answers.',
  'tester.runs.full':
    'You chose {max} models, the most shown side by side. Untick one to pick another.',
  'tester.runs.none': 'Choose at least one model above to see its predictions.',
  'tester.images.title': 'Your images',
  'tester.images.clear': 'Remove all images',
  'tester.images.count': 'Images tested: {count}',
  'tester.drop.title': 'Drop digit images here, or click to choose files',
  'tester.drop.release': 'Release to test these images',
  'tester.drop.hint':
    'PNG, JPEG, WebP, GIF or BMP, up to 20 MB each, one digit per image. You can also paste a copied image with Ctrl+V.',
  'tester.drop.decoding': 'Reading the images…',
  'tester.refused.title': '{name} was not added:',
  'tester.refused.dismiss': 'Dismiss the message about {name}',
  'tester.error.decode':
    'This image could not be read ({detail}). Save it again as PNG or JPEG and retry.',
  'tester.image.alt': 'Original image {name}',
  'tester.image.size': '{width}×{height} px',
  'tester.image.remove': 'Remove {name}',
  'tester.image.removeShort': 'Remove',
  'tester.steps.label': 'Preprocessing steps',
  'tester.steps.gray': 'Grayscale',
  'tester.steps.inverted': 'Light ink on dark',
  'tester.steps.invertedYes': 'inverted: the paper was light',
  'tester.steps.invertedNo': 'kept: already light on dark',
  'tester.steps.cropped': 'Cropped to the ink',
  'tester.steps.centered': 'Centered 28×28',
  'tester.steps.resized': 'Squeezed whole to 28×28',
  'tester.steps.input': 'What the network sees',
  'tester.prediction.pending': 'Asking the model…',
  'tester.prediction.digit': 'Predicted digit: {digit}',
  'tester.prediction.confidence': 'confidence {value}',
  'tester.bars.label': 'Probability of each digit',
  'tester.bars.item': 'Digit {digit}: {value}',
  'tester.warning.lowConfidence':
    'The model is unsure (only {value} for its best guess): this may not look like the digits it learned from.',
  'tester.ood.starting': 'Getting ready to check whether this looks like the training images…',
  'tester.ood.computing': 'Checking whether this looks like the training images… {percent}',
  'tester.ood.paused':
    'Checking whether this looks like the training images… {percent}, paused while a training runs (it would slow the training down); it goes on when the training ends.',
  'tester.ood.remaining': 'about {seconds} s left',
  'tester.ood.fine': 'Looks like the images the model was trained on.',
  'tester.ood.failed': 'Could not check whether this looks like the training images: {error}',
  'tester.ood.cancelled': 'The check against the training images was cancelled.',
  'tester.warning.ood':
    'This image does not look like the images the model was trained on: its answer may mean nothing, whatever the confidence.',
  'tester.warning.oodDetail':
    'Distance to the nearest training images: {score}; above {threshold}, which only 1% of real images set aside from training pass.',
  'tester.draw.title': 'Draw a digit',
  'tester.draw.canvas':
    'Drawing area: draw one digit with the mouse, a finger or a pen. The prediction updates as you draw.',
  'tester.draw.brush': 'Brush',
  'tester.draw.undo': 'Undo stroke',
  'tester.draw.clear': 'Clear',
  'tester.draw.keys':
    'Keys on the drawing: Ctrl+Z undoes the last stroke (or a Clear), Delete clears.',
  'tester.draw.empty':
    'Draw a digit in the black square, large and centred, like on paper. The answer appears while you draw.',
  'tester.prep.legend': 'Preprocessing',
  'tester.prep.mnist': 'MNIST style (crop and centre)',
  'tester.prep.plain': 'Plain resize, as in the tutorial',
  'tester.prep.mnistHint':
    'As MNIST was made: the digit is cropped, scaled to 20 px and centred by its centre of mass.',
  'tester.prep.plainHint':
    'Like the tutorial’s load_img(target_size=(28, 28)): the whole image becomes 28×28, no crop, no centring. An off-centre digit stays off-centre — see how the MLP gets it wrong.',
} as const

export const runs = {
  'runs.unknownDataset':
    'Unknown dataset "{ref}". Use mnist, fashion-mnist, or idx:<folder> for a folder with the four IDX files.',
  'runs.invalidSpec': 'The model cannot be trained as it is ({count} problem(s)):',
  'runs.noModel':
    'Run {id} has no saved model (its status is {status}): train it to the end first.',
  'runs.predictShape':
    'This model takes {shape} images; predicting your own image needs a model for 28×28 grayscale digits.',
  'runs.nameControlChars':
    'A run name cannot hold control characters (such as tabs, line breaks, escape codes or marks that change the text direction). Type the name again with letters, digits and punctuation.',
  'runs.nameTooLong':
    'A run name can have at most {max} characters; this one has {length}. Shorten it and try again.',
  'runs.deleteRunning': 'Run {id} is training: stop it before deleting it.',
} as const

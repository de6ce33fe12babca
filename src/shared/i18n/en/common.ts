export const common = {
  'app.name': 'Sinapse',
  'error.internal': 'Something went wrong inside Sinapse: {detail}',
  'error.invalidInput': 'Invalid input: {detail}',
  'error.notFound': 'Not found: {detail}',
  'error.runNotFound': 'There is no run with id {id}. List runs with `sinapse runs`.',
  'error.busy': 'A training is already running (run {id}). Wait for it to finish or stop it first.',
  'error.dataDirUnwritable': 'Cannot write to the data folder {path}: {detail}',
  'error.io': 'Could not read or write {path}: {detail}',
  'error.ioDenied':
    'Could not read or write {path}: permission denied (the system does not let Sinapse use that place). Choose another place.',
  'error.ioReadOnly':
    'Could not write {path}: that disk or folder is read-only. Choose another place.',
  'error.ioMissing':
    'Could not read or write {path}: it, or a folder on its way, does not exist or cannot hold files.',
  'error.ioNotFolder':
    'Could not read or write {path}: a part of that path is a file, not a folder.',
  'error.diskFull':
    'The disk is full: Sinapse could not write to {path}. What was saved before is kept. Free some space on that disk (delete files you no longer need, or old runs with `sinapse delete`), or use a data folder on another disk (--data-dir or SINAPSE_DATA_DIR), then try again.',
  'error.diskFullSomewhere':
    'The disk is full: Sinapse could not write its data. What was saved before is kept. Free some space on the disk that holds the data folder (delete files you no longer need, or old runs), or use a data folder on another disk, then try again.',
  'error.fileMissing': 'There is no file at {path}. Check the name and the folder.',
  'error.notARegularFile':
    '{path} is not a regular file (it is a folder, a pipe or a device); Sinapse reads only plain files.',
  'error.exportTargetExists':
    '{path} already exists; Sinapse did not change it. Export to another place (--out), or add --force to replace it (in a model folder only model.json and the weight files are replaced; other files stay).',
  'error.exportTargetIsFolder':
    '{path} is a folder; Sinapse exports a file there only in place of a file. Choose another --out.',
  'error.exportTargetSpecial':
    '{path} is a pipe, a device or a link to one, not a file; Sinapse never replaces it, even with --force. Choose another --out.',
  'error.exportTargetNotFolder':
    '{path} already exists and is not a folder; a TensorFlow.js model is exported as a folder. Choose another --out.',
  'error.fileTooLarge': '{path} is {size} MB; the limit is {limit} MB.',
} as const

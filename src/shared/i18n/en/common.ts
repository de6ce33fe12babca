export const common = {
  'app.name': 'Sinapse',
  'error.internal': 'Something went wrong inside Sinapse: {detail}',
  'error.invalidInput': 'Invalid input: {detail}',
  'error.notFound': 'Not found: {detail}',
  'error.runNotFound': 'There is no run with id {id}. List runs with `sinapse runs`.',
  'error.busy': 'A training is already running (run {id}). Wait for it to finish or stop it first.',
  'error.dataDirUnwritable': 'Cannot write to the data folder {path}: {detail}',
  'error.io': 'Could not read or write {path}: {detail}',
} as const

export const cli = {
  'cli.help': `Sinapse — deep learning for computer vision, offline.

Usage: sinapse <command> [options]

Commands:
  train                     train a model (default: the tutorial's MLP on MNIST)
  runs                      list every run, newest first
  show <run>                a run's settings, history and test score
  evaluate <run>            score a run's model on the test set again
  predict <run> <image...>  predict the digit in your own images (PNG, JPEG, WebP, GIF, BMP)
  inspect <run> <image>     X-ray: every layer's output and a saliency map (or --test N: a test image)
  export <run> --out <dir|file> [--format tfjs|tfjs-zip|h5|bundle] [--force]
                            save a run's model (TensorFlow.js folder or zip, Keras .h5) or the whole run;
                            an existing file is never replaced unless --force
  import <file|folder>... [--tag T] [--input-scale 1|255|inverted|centered]
                            [--dataset mnist|fashion-mnist]
                            a Keras .h5/.keras, TensorFlow.js model.json/.zip or .sinapse bundle as a run;
                            many at once: bundles, folders of bundles, zips of bundles, each reported
                            (with --json one JSON line per file); exit status 1 if any was refused
                            a model's dataset and pixel convention are found on 1,000 test images
                            unless given
  input-scale <run> [1|255|inverted|centered]
                            show or change the pixel values a run's model is fed (0–1, 0–255, inverted, centred)
  delete <run>              delete a run, its history and its model
  lesson create|open|hand-in lesson packs for a class (see \`sinapse lesson --help\`)
  serve [--port N]          open Sinapse in your browser (prints a private address)

Train options:
  --preset tutorial-mlp|lenet-cnn   start from a preset (default tutorial-mlp)
  --spec <file.json>                a model spec file instead of a preset
  --epochs N  --batch-size N  --validation-split F  --split last|seeded
  --optimizer sgd|adam|rmsprop  --learning-rate F  --momentum F
  --limit N (use only the first N training samples)  --seed N  --name TEXT
  --early-stopping val_loss|val_accuracy|loss|accuracy  --patience N
  --restore-best-weights            at the end keep the weights of the epoch with the lowest
                                    val_loss (or the best early-stopping value), as Keras's
                                    EarlyStopping(restore_best_weights=True)
  --dataset mnist|fashion-mnist|idx:<folder>

Everywhere:
  --data-dir <dir>   where runs are kept (default: the desktop app's folder; env SINAPSE_DATA_DIR)
  --lang pt-BR|en    language of messages (default: from the system)
  --json             print one JSON document (import: one JSON line per file)
  --backend tensorflow|wasm|cpu   force a TensorFlow.js backend

Ctrl-C stops a training cleanly: finished epochs are kept.`,
  'cli.errorPrefix': 'Error:',
  'cli.unknownCommand': 'Unknown command "{command}". Commands: {commands}. Try `sinapse --help`.',
  'cli.badArgs': '{detail}. See `sinapse {command} --help`.',
  'cli.badInteger': '{flag} must be a whole number; got "{value}".',
  'cli.badNumber': '{flag} must be a number; got "{value}".',
  'cli.badBackend': 'Unknown backend "{value}". Choose one of: {backends}.',
  'cli.missingRunId': 'Say which run: give its id (see `sinapse runs`).',
  'cli.badRunId': '"{value}" is not a run id: ids are whole numbers like 3 (see `sinapse runs`).',
  'cli.unknownPreset': 'Unknown preset "{preset}". Presets: {presets}.',
  'cli.presetAndSpec': 'Use either --preset or --spec, not both.',
  'cli.specNotJson': 'The spec file {path} is not valid JSON: {detail}',
  'cli.noImages': 'Give at least one image file after the run id.',
  'cli.missingOut': 'Say where to export: --out <folder>.',
  'cli.trainStarted':
    'Run {id} started on the {backend} backend: {train} training and {val} validation images.',
  'cli.progressLine':
    'Epoch {epoch}/{epochs} {bar} {batch}/{batches}  loss {loss}  acc {accuracy}  ETA {eta}',
  'cli.epochLine':
    'Epoch {epoch}/{epochs}: loss {loss}, accuracy {accuracy}, val_loss {valLoss}, val_accuracy {valAccuracy} ({seconds} s)',
  'cli.epochLineNoVal': 'Epoch {epoch}/{epochs}: loss {loss}, accuracy {accuracy} ({seconds} s)',
  'cli.stopping': 'Stopping after the current batch… (finished epochs are kept)',
  'cli.forceQuit': 'Quitting now. Finished epochs are saved; the run will show as interrupted.',
  'cli.finished.completed': 'Run {id} completed.',
  'cli.finished.stopped': 'Run {id} stopped; its finished epochs are kept.',
  'cli.finished.failed': 'Run {id} failed: {error}',
  'cli.finished.interrupted': 'Run {id} was interrupted.',
  'cli.finished.running': 'Run {id} is still running.',
  'cli.finished.queued': 'Run {id} is queued.',
  'cli.testScore': 'Test accuracy: {accuracy}, test loss: {loss}',
  'cli.noRuns': 'No runs yet — start with the tutorial model: sinapse train --preset tutorial-mlp',
  'cli.col.id': 'id',
  'cli.col.name': 'name',
  'cli.col.status': 'status',
  'cli.col.epochs': 'epochs',
  'cli.col.bestVal': 'best val acc',
  'cli.col.test': 'test acc',
  'cli.col.created': 'created',
  'cli.status.queued': 'queued',
  'cli.status.running': 'running',
  'cli.status.completed': 'completed',
  'cli.status.stopped': 'stopped',
  'cli.status.failed': 'failed',
  'cli.status.interrupted': 'interrupted',
  'cli.status.interruptedBecause': 'interrupted ({reason})',
  'cli.show.status': 'Status: {status} · backend: {backend}',
  'cli.show.dataset': 'Dataset: {dataset} · parameters: {params}',
  'cli.show.config':
    'Optimizer {optimizer} (learning rate {lr}) · {epochs} epochs · batch {batch} · validation {split} · seed {seed}',
  'cli.show.error': 'Error: {error}',
  'cli.show.model': 'Model: {path} (sha256 {sha}…)',
  'cli.confusionCorner': 'true\\pred',
  'cli.predictLine': '{file}: {digit} (confidence {confidence})',
  'cli.warning.ood':
    'warning: this image does not look like the images the model was trained on — the answer may mean nothing, whatever its confidence (distance to the training images {score}, limit {threshold})',
  'cli.predictError': '{file}: error — {message}',
  'cli.warning.noInk': 'warning: no ink found — is there a digit in this image?',
  'cli.warning.multipleBlobs': 'warning: several separate shapes — the model expects one digit',
  'cli.warning.tinyInk': 'warning: the digit is very small or faint',
  'cli.exported': 'Model of run {id} exported to {path}',
  'cli.rendererMissing':
    "The app's pages are not built yet ({path}): run `npm run build` once, or use `npm run web`.",
  'cli.badPort': '--port must be a whole number from 0 to 65535; got "{value}".',
  'cli.serveFailed':
    'Could not listen on port {port} ({detail}): choose another with --port, or leave it out for a free one.',
  'cli.serving':
    'Sinapse is running in your browser at:\n\n  {url}\n\nOnly this computer can open it, and only with this address (it holds a secret token).\nData folder: {dataDir}\nPress Ctrl-C to stop.',
  'cli.serveStopping': 'Stopping Sinapse… (a training in progress keeps its finished epochs)',
  'cli.badFormat':
    'Unknown export format "{value}". Choose tfjs (a folder), tfjs-zip, h5 (Keras) or bundle (the whole run).',
  'cli.noImportFile':
    'Give the file to import: a Keras .h5 or .keras file, a TensorFlow.js model.json or .zip, or a .sinapse run bundle.',
  'cli.imported': 'Imported as run {id}.',
  'cli.deleted': 'Run {id} deleted.',
  'cli.http.misdirected':
    'Misdirected request: open Sinapse with the address `sinapse serve` printed (127.0.0.1 and its port).',
  'cli.http.method': 'Method not allowed: this address only serves the app’s pages (GET).',
  'cli.http.badRequest': 'Bad request: the address could not be read.',
  'cli.http.notFound': 'Not found: there is no such page in Sinapse.',
} as const

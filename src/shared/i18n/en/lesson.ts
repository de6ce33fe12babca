export const lesson = {
  'lesson.notObject': 'A lesson must be a JSON object; got {value}.',
  'lesson.unknownField': 'Unknown lesson field "{field}".',
  'lesson.idInvalid': 'The lesson id must be a uuid (e.g. 0f8c…-…); got {value}.',
  'lesson.versionInvalid': 'The lesson version must be a whole number from 1 up; got {value}.',
  'lesson.titleEmpty': 'The lesson needs a title, in Portuguese or in English.',
  'lesson.titleOneLine': 'The lesson title must fit on one line.',
  'lesson.textInvalid':
    '"{field}" must hold the text in both languages: {"pt-BR": "…", "en": "…"} (one may be empty).',
  'lesson.textTooLong': '"{field}" has {length} characters; the limit is {max}.',
  'lesson.textControlChars':
    '"{field}" holds control characters (invisible codes that are not text). Remove them and try again.',
  'lesson.markdownUnsafe':
    '"{field}", line {line}, holds HTML or a script link ("{found}"). Lessons take plain Markdown only (**bold**, *italic*, `code`, lists, headings, [links](https://…)); HTML is never shown.',
  'lesson.datasetInvalid': 'The lesson dataset must be one of {known}; got {value}.',
  'lesson.seedInvalid': 'The lesson seed must be a whole number from 0 to {max}; got {value}.',
  'lesson.seedMismatch':
    'The training settings use seed {configSeed} but the lesson fixes seed {seed}; they must be the same.',
  'lesson.modelModeNeedsSpec':
    'The model is marked "{mode}" but the lesson has no starting model; a model can only be locked or hidden when there is one.',
  'lesson.fixedBreaksConstraint':
    'The fixed number of epochs ({value}) is more than the lesson allows ({limit}): no student could keep the rule.',
  'lesson.controlsInvalid': '"controls" must map each setting to "free", "locked" or "hidden".',
  'lesson.controlUnknown': 'Unknown setting "{field}". Known settings: {known}.',
  'lesson.controlModeInvalid': '"{field}" must be one of {known}; got {value}.',
  'lesson.modelInvalid':
    '"model" must be {"spec": <a model spec or null>, "mode": "free" | "locked" | "hidden"}.',
  'lesson.goalInvalid': 'The goal must be {"metric": …, "threshold": …}.',
  'lesson.goalMetricInvalid': 'The goal metric must be one of {known}; got {value}.',
  'lesson.goalAccuracyRange': 'An accuracy goal is a number from 0 to 1 (0.97 = 97%); got {value}.',
  'lesson.goalLossRange': 'A loss goal is a number from 0 up; got {value}.',
  'lesson.constraintsInvalid':
    '"constraints" must be an object: {"maxParams", "maxEpochs", "maxLayers", "allowedLayers"}, each null when unused.',
  'lesson.constraintRange':
    '"{field}" must be a whole number from 1 to {max}, or null; got {value}.',
  'lesson.allowedLayersInvalid':
    '"{field}" must be a non-empty list of layer types ({known}) or null; got {value}.',

  'lesson.metric.testAccuracy': 'test accuracy',
  'lesson.metric.valAccuracy': 'validation accuracy',
  'lesson.metric.testLoss': 'test loss',
  'lesson.metric.valLoss': 'validation loss',
  'lesson.control.model': 'The model (layers)',
  'lesson.control.seed': 'Seed',
  'lesson.control.dataset': 'Dataset',

  'lesson.check.goalPending': 'Goal: {metric} {op} {threshold} — not measured yet.',
  'lesson.check.goalMet': 'Goal reached: {metric} is {value} ({op} {threshold}).',
  'lesson.check.goalNotMet':
    'Goal not reached yet: {metric} is {value}; the goal is {op} {threshold}.',
  'lesson.check.datasetOk': 'Trained on the lesson’s dataset ({expected}).',
  'lesson.check.datasetWrong': 'Trained on {value}, but the lesson uses {expected}.',
  'lesson.check.paramsOk': '{value} parameters (at most {limit}).',
  'lesson.check.paramsOver': '{value} parameters: more than the {limit} the lesson allows.',
  'lesson.check.epochsOk': '{value} epochs (at most {limit}).',
  'lesson.check.epochsOver': '{value} epochs: more than the {limit} the lesson allows.',
  'lesson.check.layersOk': '{value} layers (at most {limit}).',
  'lesson.check.layersOver': '{value} layers: more than the {limit} the lesson allows.',
  'lesson.check.layerTypesOk': 'Only the layer types the lesson allows ({allowed}).',
  'lesson.check.layerTypesBanned':
    'Uses {value}, which the lesson does not allow (allowed: {allowed}).',
  'lesson.check.lockKept': '{control}: kept at the teacher’s value ({expected}).',
  'lesson.check.lockChanged':
    '{control}: {value} instead of {expected}, the value the teacher fixed.',
  'lesson.check.modelKept': '{control}: the teacher’s model, unchanged.',
  'lesson.check.modelChanged': '{control} is not the teacher’s model; the lesson fixes it.',
  'lesson.handIn.studentInvalid':
    'Write your name or a pseudonym (1 to {max} characters, one line) to hand in.',
  'lesson.handIn.lessonInvalid': 'This hand-in does not name a valid lesson (id and version).',

  'lesson.pack.notPack':
    '“{name}” is not a Sinapse lesson pack: it does not start with the lesson signature. Choose a .sinapse-aula file your teacher made.',
  'lesson.pack.newerVersion':
    '“{name}” was made by a newer Sinapse (lesson format {version}; this version reads up to format {supported}). Update Sinapse on this computer to open it.',
  'lesson.pack.unknownVersion':
    '“{name}” has an invalid lesson format version ({version}). The file is damaged; ask your teacher for it again.',
  'lesson.pack.truncated':
    '“{name}” is incomplete: it has {actual} bytes but should have {expected}. The copy was probably interrupted; copy the file again.',
  'lesson.pack.trailingBytes':
    '“{name}” has {extra} unexpected bytes after its end: the file was changed after the teacher made it.',
  'lesson.pack.tooLarge':
    '“{name}” is {size} MB; a lesson pack is at most {limit} MB. Make sure you chose the right file.',
  'lesson.pack.damaged':
    '“{name}” is damaged: its description or its list of files is not what a lesson pack holds. Ask your teacher for the file again.',
  'lesson.pack.unsafeFileName':
    '“{name}” contains a file with a name that is not allowed (“{file}”): only plain names without folders are accepted. Nothing was opened.',
  'lesson.pack.checksum':
    'The lesson inside “{name}” does not match its checksum: the file was changed or damaged after the teacher made it. Nothing was opened; copy it again.',
  'lesson.pack.invalidLesson': 'The lesson in “{name}” has {count} problem(s):',
  'lesson.pack.fileNotFound': 'No lesson pack at {path}. Check the path and try again.',

  'privacy.confirmWord': 'DELETE',
  'privacy.confirmMismatch': 'Nothing was deleted: type {words} exactly to confirm.',
  'privacy.busy':
    'Nothing was deleted: a training is running. Stop it (or wait for it to end), then try again.',

  'cli.lesson.help': `Usage: sinapse lesson <create|open|hand-in> [options]

  lesson create --out <file.sinapse-aula> [train options] [lesson options]
      make a lesson pack from a preset or --spec file (the starting model and settings)
        --title TEXT  --title-en TEXT              the title in Portuguese and English
        --instructions <file.md>  --instructions-en <file.md>   Markdown, no HTML
        --goal testAccuracy>=0.97                  or valAccuracy, testLoss<=F, valLoss<=F
        --lock a,b  --hide c,d                     settings students cannot change (model,
                                                   optimizer, learningRate, momentum, loss, epochs,
                                                   batchSize, validationSplit, splitMode,
                                                   earlyStopping, limit); the seed is always fixed
        --max-params N  --max-epochs N  --max-layers N  --allow-layers dense,flatten,…
        --blank                                    students start without a model
        --force                                    replace an existing file
  lesson open <file.sinapse-aula>                  show a pack's lesson (--json: the whole lesson)
  lesson hand-in <run> --lesson <file> --student NAME --out <file.sinapse> [--force]
      write the run as a hand-in for the lesson, and check it against the lesson's rules
  lesson board <file.sinapse-aula|lesson id> [--json | --csv] [--replace]
      every run handed in for the lesson (import them first: sinapse import <folder>), each model
      re-scored here on the private half of the test set, ranked; rule-breakers flagged
        --replace   replace the stored lesson of the same id and version with other content`,
  'cli.lesson.unknownAction': 'Unknown lesson action "{action}". Actions: {actions}.',
  'cli.lesson.badGoal':
    'The goal "{value}" is not understood. Write metric>=number or metric<=number, e.g. testAccuracy>=0.97 (metrics: {metrics}).',
  'cli.lesson.badControl': '{flag}: unknown setting "{value}". Settings: {known}.',
  'cli.lesson.missingOut': 'Say where to write the file: --out <file>.',
  'cli.lesson.missingFile': 'Give the lesson pack file: sinapse lesson open <file.sinapse-aula>.',
  'cli.lesson.missingLesson': 'Say which lesson: --lesson <file.sinapse-aula>.',
  'cli.lesson.missingStudent': 'Say who hands in: --student "your name or a pseudonym".',
  'cli.lesson.created': 'Lesson pack written: {path} (lesson id {id}, version 1).',
  'cli.lesson.title': '{title}  (lesson {id}, version {version})',
  'cli.lesson.dataset': 'Dataset: {dataset}; seed {seed} (fixed).',
  'cli.lesson.constraints':
    'Limits: parameters {maxParams}, epochs {maxEpochs}, layers {maxLayers}, layer types {allowedLayers}.',
  'cli.lesson.locked': 'Locked by the teacher: {controls}.',
  'cli.lesson.hidden': 'Hidden (fixed): {controls}.',
  'cli.lesson.handedIn': 'Run {id} handed in: {path}',

  'privacy.open': 'Privacy',
  'privacy.title': 'Your data in Sinapse',
  'privacy.nothingSent':
    'Sinapse works offline: it has no accounts and no telemetry, and sends nothing anywhere. Everything stays on this computer:',
  'privacy.database':
    'Runs (names, settings, history, scores, notes, tags) and the lessons opened on the class board: the SQLite file {path}',
  'privacy.models': 'Trained and imported models: the folders in {path}',
  'privacy.fallback':
    'Only when the data folder refused a model (a full disk): that model in a folder under {path}',
  'privacy.settings':
    'Your language, the model you are building and an open lesson: this window’s own storage',
  'privacy.images':
    'Images you test (dropped photos, webcam, drawings) are only looked at in memory: they are never saved, and never put in a bundle or a hand-in.',
  'privacy.bundles':
    'A bundle or hand-in you export holds the run’s settings, history, scores, notes, tags and model, and the name you type when handing in — nothing else.',
  'privacy.counts': 'Now: {runs} run(s), {models} model(s), {size} MB in {path}.',
  'privacy.deleteTitle': 'Delete all my data',
  'privacy.deleteBody':
    'Deletes every run, every model and the class board’s lessons, and clears the settings. This cannot be undone. Sinapse keeps working, empty. Type {word} to confirm.',
  'privacy.typeWord': 'Type {word}',
  'privacy.deleteButton': 'Delete everything',
  'privacy.deleted':
    'Deleted {runs} run(s) and {folders} model folder(s); the settings were cleared.',
  'privacy.close': 'Close',

  'lessonmake.open': 'Make a lesson…',
  'lessonmake.title': 'Make a lesson pack',
  'lessonmake.intro':
    'The pack starts from the builder’s model and settings as they are now. Choose what students may change, the goal and the instructions; the pack is saved as one .sinapse-aula file to hand out.',
  'lessonmake.builderInvalid':
    'Fix the builder’s model and settings first ({count} problem(s)): a lesson starts from them.',
  'lessonmake.texts': 'Title and instructions',
  'lessonmake.titlePt': 'Title in Portuguese',
  'lessonmake.titleEn': 'Title in English',
  'lessonmake.instructionsPt': 'Instructions in Portuguese (Markdown)',
  'lessonmake.instructionsEn': 'Instructions in English (Markdown)',
  'lessonmake.markdownHint':
    'Markdown: # headings, **bold**, *italic*, `code`, lists and https links. HTML is refused. One language may stay empty: students then see the other.',
  'lessonmake.preview': 'Preview',
  'lessonmake.start': 'Starting point',
  'lessonmake.startModel': 'Starting model',
  'lessonmake.modelValue': 'The builder’s model ({layers} layers, {params} parameters)',
  'lessonmake.noModel': 'None: students build their own',
  'lessonmake.limit': 'Training subset (images)',
  'lessonmake.limitAll': 'empty: the whole training set',
  'lessonmake.limitAllShort': 'all',
  'lessonmake.seed': 'Seed (the same for everyone)',
  'lessonmake.controls': 'What students may change',
  'lessonmake.controlsHint':
    'Free: students change it. Locked: shown, but fixed. Hidden: fixed and not shown. The value beside each is the builder’s now.',
  'lessonmake.mode.free': 'Free',
  'lessonmake.mode.locked': 'Locked',
  'lessonmake.mode.hidden': 'Hidden',
  'lessonmake.off': 'off',
  'lessonmake.goal': 'Goal and limits',
  'lessonmake.goalMetric': 'Measure',
  'lessonmake.atLeast': 'At least (0 to 1)',
  'lessonmake.atMost': 'At most',
  'lessonmake.maxParams': 'At most this many parameters',
  'lessonmake.maxEpochs': 'At most this many epochs',
  'lessonmake.noLimit': 'empty: no limit',
  'lessonmake.issues': 'The lesson cannot be saved yet ({count} problem(s)):',
  'lessonmake.save': 'Save the lesson pack',
  'lessonmake.close': 'Close',

  'lessonui.open': 'Open a lesson…',
  'lessonui.close': 'Leave the lesson',
  'lessonui.checks': 'Goal and rules',
  'lessonui.handInTitle': 'Hand in',
  'lessonui.student': 'Your name or a pseudonym',
  'lessonui.studentHint': 'e.g. Blue Owl',
  'lessonui.run': 'Run to hand in',
  'lessonui.goalBasis':
    'Measured on the last epoch, the model you hand in. Your teacher’s board judges the same way, but re-scores test accuracy on its own copy of the test images, half of them kept private: it may differ a little.',
  'lessonui.handIn': 'Hand in',
  'lessonui.noRun': 'Train a run to the end first; then hand it in here.',
  'lessonui.handedIn': 'Saved {file}: give this file to your teacher.',
  'lessonui.locked': 'Fixed by the teacher for this lesson',
  'lessonui.modelLocked':
    'The teacher fixed this model for the lesson: its layers cannot be changed.',
  'lessonui.openSpec': 'Open a model file…',
  'lessonui.specInvalid': '“{name}” is not a model or settings file Sinapse can open: {detail}',
} as const

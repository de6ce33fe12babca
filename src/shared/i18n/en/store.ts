export const store = {
  'store.cannotCreate':
    'Cannot create the folder for the run database {path}: {detail}. Check that the data folder exists and that you may write to it, or choose another data folder.',
  'store.cannotOpen':
    'Cannot open the run database {path}: {detail}. Check that the file and its folder are not read-only and that you may write to them, or choose another data folder.',
  'store.notDatabase':
    'The file {path} is not a Sinapse run database or it is damaged ({detail}). Rename or move the file away and Sinapse will start a new, empty one.',
  'store.newerSchema':
    'The run database {path} was written by a newer version of Sinapse (schema version {version}; this version knows up to {known}). Update Sinapse to open it. The file was not changed.',
  'store.migrationFailed':
    'Could not update the run database {path} to schema version {version}: {detail}. The file was not changed.',
  'store.readonlyOutdated':
    'The run database {path} needs an update that cannot be made in read-only mode. Open Sinapse normally once to update it.',
  'store.diskFull':
    'The disk is full, so the run database {path} cannot be written ({detail}). What was saved before is kept. Free some space on that disk, or use a data folder on another disk (--data-dir or SINAPSE_DATA_DIR), then try again.',
  'store.locked':
    'The run database {path} is busy: another Sinapse program kept it locked for too long ({detail}). Close the other program or try again.',
  'store.runInterrupted':
    'Training was interrupted: the program running it closed before it finished. The epochs completed before that were kept.',
  'store.interrupted.ownerGone':
    'Training was interrupted: the process that trained it ended (it was closed or killed) before finishing. The epochs completed before that were kept.',
  'store.interrupted.pidReused':
    'Training was interrupted: the process that trained it is gone, and its process number now belongs to another program (the computer restarted, or the process died long ago). The epochs completed before that were kept.',
  'store.interrupted.ownerSilent':
    'Training was interrupted: the process that trained it stopped answering (no sign of life for over a minute: paused, frozen or hung). The epochs completed before that were kept; if that process wakes up, it stops this training.',
  'store.interruptedShort.ownerGone': 'process ended',
  'store.interruptedShort.pidReused': 'process number reused',
  'store.interruptedShort.ownerSilent': 'stopped answering',
} as const

import { parseArgs, type ParseArgsConfig } from 'node:util'
import { AppError } from '../../shared/errors'

export const COMMANDS = [
  'train',
  'runs',
  'show',
  'evaluate',
  'predict',
  'inspect',
  'export',
  'delete',
  'import',
  'lesson',
  'input-scale',
  'serve',
  'help',
] as const
export type CliCommand = (typeof COMMANDS)[number]

const common = {
  'data-dir': { type: 'string' },
  lang: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  backend: { type: 'string' },
} as const satisfies ParseArgsConfig['options']

const trainOptions = {
  ...common,
  preset: { type: 'string' },
  spec: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'validation-split': { type: 'string' },
  split: { type: 'string' },
  optimizer: { type: 'string' },
  'learning-rate': { type: 'string' },
  momentum: { type: 'string' },
  limit: { type: 'string' },
  seed: { type: 'string' },
  name: { type: 'string' },
  dataset: { type: 'string' },
  'early-stopping': { type: 'string' },
  patience: { type: 'string' },
  'restore-best-weights': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options']

const otherOptions = {
  ...common,
  out: { type: 'string' },
  port: { type: 'string' },
  format: { type: 'string' },
  name: { type: 'string' },
  test: { type: 'string' },
  force: { type: 'boolean' },
  tag: { type: 'string' },
  'input-scale': { type: 'string' },
  dataset: { type: 'string' },
} as const satisfies ParseArgsConfig['options']

const lessonOptions = {
  ...trainOptions,
  out: { type: 'string' },
  force: { type: 'boolean' },
  title: { type: 'string' },
  'title-en': { type: 'string' },
  instructions: { type: 'string' },
  'instructions-en': { type: 'string' },
  goal: { type: 'string' },
  lock: { type: 'string' },
  hide: { type: 'string' },
  blank: { type: 'boolean' },
  'max-params': { type: 'string' },
  'max-epochs': { type: 'string' },
  'max-layers': { type: 'string' },
  'allow-layers': { type: 'string' },
  lesson: { type: 'string' },
  student: { type: 'string' },
  csv: { type: 'boolean' },
  replace: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options']

export interface ParsedCli {
  command: CliCommand
  positionals: string[]
  values: Record<string, string | boolean | undefined>
}

/** Splits argv into a command, its positionals and its flags; unknown flags are errors. */
export function parseCli(argv: string[]): ParsedCli {
  const [first, ...rest] = argv
  if (!first || first === '--help' || first === '-h') {
    return { command: 'help', positionals: [], values: parseLoose(rest) }
  }
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new AppError('INVALID_INPUT', 'cli.unknownCommand', {
      command: first,
      commands: COMMANDS.join(', '),
    })
  }
  const command = first as CliCommand
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options:
        command === 'train' ? trainOptions : command === 'lesson' ? lessonOptions : otherOptions,
      allowPositionals: true,
      strict: true,
    })
    return { command, positionals, values: values as ParsedCli['values'] }
  } catch (err) {
    throw new AppError('INVALID_INPUT', 'cli.badArgs', {
      detail: err instanceof Error ? err.message : String(err),
      command,
    })
  }
}

/** Reads --lang and --json even from a command line that fails to parse, for the error itself. */
export function parseLoose(argv: string[]): Record<string, string | boolean | undefined> {
  const values: Record<string, string | boolean | undefined> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--json') values.json = true
    else if (arg === '--lang') values.lang = argv[i + 1]
    else if (arg.startsWith('--lang=')) values.lang = arg.slice('--lang='.length)
  }
  return values
}

/** A numeric flag, or a clear error naming the flag. Absent flags stay undefined. */
export function numberFlag(
  values: ParsedCli['values'],
  name: string,
  integer: boolean,
): number | undefined {
  const raw = values[name]
  if (raw === undefined || typeof raw === 'boolean') return undefined
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new AppError('INVALID_INPUT', integer ? 'cli.badInteger' : 'cli.badNumber', {
      flag: `--${name}`,
      value: raw,
    })
  }
  return value
}

/** A run id argument: a positive integer. */
export function runIdArg(value: string | undefined): number {
  if (value === undefined) throw new AppError('INVALID_INPUT', 'cli.missingRunId', {})
  const id = Number(value)
  if (!Number.isInteger(id) || id <= 0)
    throw new AppError('INVALID_INPUT', 'cli.badRunId', { value })
  return id
}

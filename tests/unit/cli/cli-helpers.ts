import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../../src/main/cli'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

function sink(chunks: string[]): NodeJS.WriteStream {
  return {
    write: (text: string) => chunks.push(text) > 0,
    isTTY: false,
  } as unknown as NodeJS.WriteStream
}

/** Runs the real CLI in-process against `dataDir`, capturing its output. */
export async function cli(dataDir: string, ...args: string[]): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli([...args, '--data-dir', dataDir], {
    stdout: sink(out),
    stderr: sink(err),
    env: { LANG: 'en_US.UTF-8' },
    onSignal: () => {},
  })
  return { code, stdout: out.join(''), stderr: err.join('') }
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'sinapse-cli-'))
}

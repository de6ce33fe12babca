import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cli, tempDataDir } from './cli-helpers'

const bin = join(import.meta.dirname, '../../../bin/sinapse.js')
const fixtures = join(import.meta.dirname, '../../fixtures')
const IDX_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
]
const hasFifos = process.platform !== 'win32'

/**
 * Runs the CLI as its own process, killed after `limitMs`: a read that blocks on a FIFO would
 * otherwise hang the test runner itself, not just the test.
 */
function runBin(
  args: string[],
  limitMs = 120_000,
): Promise<{ code: number | null; output: string; hung: boolean }> {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'en_US.UTF-8' },
  })
  // predict reports each file's error on stdout, other commands on stderr: keep both.
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  let hung = false
  const timer = setTimeout(() => {
    hung = true
    child.kill('SIGKILL')
  }, limitMs)
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output, hung })
    }),
  )
}

describe.skipIf(!hasFifos)('every path the user gives is checked before it is opened', () => {
  const dataDir = tempDataDir()
  const fifo = join(dataDir, 'pipe')
  const fifoH5 = join(dataDir, 'pipe.h5')
  const fifoBundle = join(dataDir, 'pipe.sinapse')
  const dataset = join(dataDir, 'fifo-classes')
  let runId = 0

  beforeAll(async () => {
    for (const path of [fifo, fifoH5, fifoBundle]) execFileSync('mkfifo', [path])
    mkdirSync(dataset)
    for (const file of IDX_FILES)
      copyFileSync(join(fixtures, 'idx', 'tiny', file), join(dataset, file))
    execFileSync('mkfifo', [join(dataset, 'classes.txt')])
    const imported = await cli(
      dataDir,
      'import',
      join(fixtures, 'keras', 'mnist_mlp_keras3.h5'),
      '--json',
    )
    runId = JSON.parse(imported.stdout).runId
  })

  it('refuses FIFOs and devices at once, naming the path, for each command', async () => {
    const cases = [
      { args: ['predict', String(runId), fifo], path: fifo },
      { args: ['predict', String(runId), '/dev/zero'], path: '/dev/zero' },
      { args: ['train', '--spec', '/dev/zero'], path: '/dev/zero' },
      { args: ['train', '--spec', fifo], path: fifo },
      { args: ['import', fifoH5], path: fifoH5 },
      { args: ['import', fifoBundle], path: fifoBundle },
      { args: ['train', '--dataset', `idx:${dataset}`, '--epochs', '1'], path: 'classes.txt' },
    ]
    const results = await Promise.all(cases.map((c) => runBin([...c.args, '--data-dir', dataDir])))
    results.forEach((result, i) => {
      expect(result.hung, cases[i].args.join(' ')).toBe(false)
      expect(result.code, cases[i].args.join(' ')).toBe(1)
      expect(result.output).toContain(cases[i].path)
      expect(result.output).toMatch(/not a regular file|folder or a device/)
    })
    expect(existsSync(join(dataDir, 'sinapse.db'))).toBe(true)
  }, 300_000)
})

import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { cli, tempDataDir } from './cli-helpers'
import { MAX_EPOCHS } from '../../../src/shared/train-config'

const fixtures = join(import.meta.dirname, '../../fixtures')

/** One CLI training, made by whichever test needs it first: each test also runs alone (`-t`). */
let training: Promise<{ dataDir: string; code: number; doc: TrainDoc }> | null = null
interface TrainDoc {
  runId: number
  status: string
  backend: string
  epochs: Record<string, number>[]
  test: { accuracy: number }
}
function trainedRun(): Promise<{ dataDir: string; code: number; doc: TrainDoc }> {
  training ??= (async () => {
    const dataDir = tempDataDir()
    const args = ['--preset', 'tutorial-mlp', '--epochs', '1', '--limit', '6000', '--json']
    const r = await cli(dataDir, 'train', ...args)
    return { dataDir, code: r.code, doc: JSON.parse(r.stdout) as TrainDoc }
  })()
  return training
}

describe('sinapse CLI', () => {
  it('trains a quick tutorial MLP and prints one JSON document', async () => {
    const { dataDir, code, doc } = await trainedRun()
    expect(code).toBe(0)
    const runId = doc.runId
    expect(doc.status).toBe('completed')
    expect(['tensorflow', 'wasm', 'cpu']).toContain(doc.backend)
    expect(doc.epochs).toHaveLength(1)
    expect(Object.keys(doc.epochs[0]).sort()).toEqual(
      ['accuracy', 'durationMs', 'epoch', 'loss', 'valAccuracy', 'valLoss'].sort(),
    )
    expect(doc.epochs[0].valAccuracy).toBeGreaterThanOrEqual(0.85)
    expect(doc.test.accuracy).toBeGreaterThan(0.85)

    const db = new Database(join(dataDir, 'sinapse.db'), { readonly: true })
    expect(db.prepare('select status from runs where id = ?').get(runId)).toEqual({
      status: 'completed',
    })
    expect(db.prepare('select count(*) n from epochs where run_id = ?').get(runId)).toEqual({
      n: 1,
    })
    expect(db.prepare('select count(*) n from evaluations where run_id = ?').get(runId)).toEqual({
      n: 1,
    })
    db.close()
  })

  it('lists runs as JSON, newest first', async () => {
    const { dataDir, doc } = await trainedRun()
    const runId = doc.runId
    const r = await cli(dataDir, 'runs', '--json')
    expect(r.code).toBe(0)
    const runs = JSON.parse(r.stdout)
    expect(runs[0]).toMatchObject({ id: runId, status: 'completed', epochs: 1 })
    expect(runs[0].bestValAccuracy).toBeGreaterThan(0.85)
    expect(runs[0].testAccuracy).toBeGreaterThan(0.85)
    expect(typeof runs[0].createdAt).toBe('string')
  })

  it('evaluates a run with a 10×10 confusion matrix', async () => {
    const { dataDir, doc } = await trainedRun()
    const runId = doc.runId
    const r = await cli(dataDir, 'evaluate', String(runId), '--json')
    expect(r.code).toBe(0)
    const e = JSON.parse(r.stdout)
    expect(e.confusionMatrix).toHaveLength(10)
    expect(e.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(10000)
    expect(e.perClass).toHaveLength(10)
    expect(e.perClass[0].precision).toBeGreaterThan(0.5)
    expect(e.accuracy).toBeGreaterThan(0.85)
  })

  it('predicts images and reports a bad file on its own, exiting 1', async () => {
    const { dataDir, doc } = await trainedRun()
    const runId = doc.runId
    const digits = readdirSync(join(fixtures, 'digits')).filter((f) => /^\d/.test(f))
    const good = join(fixtures, 'digits', digits[0])
    const bad = join(fixtures, 'hostile', 'text-named.png')
    const r = await cli(dataDir, 'predict', String(runId), good, bad, '--json')
    expect(r.code).toBe(1)
    const results = JSON.parse(r.stdout)
    expect(results).toHaveLength(2)
    expect(results[0].file).toBe(good)
    expect(results[0].probabilities).toHaveLength(10)
    expect(results[0].probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 3)
    expect(results[1]).toMatchObject({ file: bad, error: { code: 'IMAGE_INVALID' } })
  })

  it('says in JSON and in words when an image does not look like the training data', async () => {
    const { dataDir, doc } = await trainedRun()
    const blank = join(fixtures, 'ood', 'blank-white.png')
    const digit = join(fixtures, 'digits', '7-thick-marker.png')
    const r = await cli(dataDir, 'predict', String(doc.runId), blank, digit, '--json')
    expect(r.code).toBe(0)
    const [page, seven] = JSON.parse(r.stdout) as {
      ood: { score: number; threshold: number; flagged: boolean } | null
    }[]
    expect(page.ood).toMatchObject({ flagged: true })
    expect(page.ood!.score).toBeGreaterThan(page.ood!.threshold)
    expect(seven.ood).toMatchObject({ flagged: false, threshold: page.ood!.threshold })
    expect(seven.ood!.score).toBeLessThanOrEqual(seven.ood!.threshold)
    const text = await cli(dataDir, 'predict', String(doc.runId), blank, digit)
    const lines = text.stdout.split('\n')
    expect(lines[0]).toMatch(/^.*blank-white\.png: \d \(confidence \d+(\.\d)?%\)$/)
    expect(text.stdout).toContain(
      'warning: this image does not look like the images the model was trained on',
    )
    expect(text.stdout.match(/does not look like/g)).toHaveLength(1)
    const pt = await cli(dataDir, 'predict', String(doc.runId), blank, '--lang', 'pt-BR')
    expect(pt.stdout).toContain('(confiança ')
    expect(pt.stdout).toContain(
      'esta imagem não se parece com as imagens com que o modelo foi treinado',
    )
  })

  it('exports the model folder and deletes the run', async () => {
    // Its own run, since it deletes it.
    const dataDir = tempDataDir()
    const trained = await cli(dataDir, 'train', '--epochs', '1', '--limit', '1000', '--json')
    expect(trained.code).toBe(0)
    const runId = JSON.parse(trained.stdout).runId as number
    const outDir = join(tempDataDir(), 'export')
    const r = await cli(dataDir, 'export', String(runId), '--out', outDir, '--json')
    expect(r.code).toBe(0)
    const { path } = JSON.parse(r.stdout)
    expect(readdirSync(path).sort()).toEqual(['model.json', 'weights.bin'])

    const d = await cli(dataDir, 'delete', String(runId), '--json')
    expect(d.code).toBe(0)
    const again = await cli(dataDir, 'show', String(runId), '--json')
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout).error.code).toBe('NOT_FOUND')
  })

  it('refuses an invalid spec with a message a student understands, in Portuguese too', async () => {
    const dataDir = tempDataDir()
    const specFile = join(tempDataDir(), 'bad.json')
    writeFileSync(
      specFile,
      JSON.stringify({
        inputShape: [28, 28, 1],
        layers: [
          { type: 'flatten' },
          { type: 'dense', units: 0, activation: 'relu', useBias: true },
          { type: 'dense', units: 10, activation: 'softmax', useBias: true },
        ],
      }),
    )
    const r = await cli(dataDir, 'train', '--spec', specFile, '--lang', 'pt-BR')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Camada 2 (Dense): unidades deve ser um inteiro entre 1 e 4096')
    expect(JSON.parse((await cli(dataDir, 'runs', '--json')).stdout)).toEqual([])
  })

  it('gives clear errors for bad flags, unknown runs and unwritable data folders', async () => {
    const dataDir = tempDataDir()
    const flag = await cli(dataDir, 'train', '--epochs', 'ten')
    expect(flag.code).toBe(1)
    expect(flag.stderr).toContain('--epochs must be a whole number; got "ten"')

    const missing = await cli(dataDir, 'show', '9999', '--json')
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: 'NOT_FOUND' })

    const file = join(tempDataDir(), 'a-file')
    writeFileSync(file, 'x')
    const unwritable = await cli(join(file, 'sub'), 'runs', '--json')
    expect(unwritable.code).toBe(1)
    expect(JSON.parse(unwritable.stdout).error.code).toBe('DATA_DIR_UNWRITABLE')
  })
})

describe('sinapse CLI as a process', () => {
  const bin = join(import.meta.dirname, '../../../bin/sinapse.js')

  it('marks a run interrupted after SIGKILL, keeping its finished epochs and a sound database', async () => {
    const dataDir = tempDataDir()
    mkdirSync(dataDir, { recursive: true })
    // The most epochs a run may have: the MLP's fused kernel ends 50 small epochs in seconds,
    // before the listing and the BUSY check below, and the kill must find the run still training.
    const child = spawn(
      process.execPath,
      [bin, 'train', '--epochs', String(MAX_EPOCHS), '--limit', '3000', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LANG: 'en_US.UTF-8' },
      },
    )
    // Killed in any case, so a failure or a timeout does not leave a long training behind.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    })
    let output = ''
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`exited (${code}) before a second epoch: ${output}`)),
      )
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if ((output.match(/^Epoch \d+\/\d+:/gm) ?? []).length >= 2) resolve()
      })
    })
    // Another process listing runs meanwhile must leave the live run alone.
    const during = JSON.parse(
      execFileSync(process.execPath, [bin, 'runs', '--json', '--data-dir', dataDir], {
        encoding: 'utf8',
      }),
    )
    expect(during[0].status).toBe('running')
    const busy = spawnSync(
      process.execPath,
      [bin, 'train', '--epochs', '1', '--limit', '1000', '--json', '--data-dir', dataDir],
      {
        encoding: 'utf8',
      },
    )
    expect(busy.status).toBe(1)
    expect(JSON.parse(busy.stdout).error.code).toBe('BUSY')

    child.kill('SIGKILL')
    await new Promise((resolve) => child.on('exit', resolve))

    const db = new Database(join(dataDir, 'sinapse.db'))
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const epochsBefore = (db.prepare('select count(*) n from epochs').get() as { n: number }).n
    expect(epochsBefore).toBeGreaterThanOrEqual(2)
    db.close()

    const listing = execFileSync(process.execPath, [bin, 'runs', '--json', '--data-dir', dataDir], {
      encoding: 'utf8',
    })
    const [run] = JSON.parse(listing)
    expect(run.status).toBe('interrupted')
    expect(run.epochs).toBe(epochsBefore)
    // Two epochs and three CLI processes: minutes on a loaded 2-core machine, a hang guard only.
  }, 300_000)
})

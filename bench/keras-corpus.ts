// Imports every Keras file of a corpus folder the way `sinapse import` does (the same service,
// into a temporary data folder), scores it on its test set the way `sinapse evaluate` does, and
// compares with the independent numpy reference (bench/keras_reference.py):
//
//   node --import tsx bench/keras-corpus.ts /work/corpus/files [--reference FILE] [--json] [--only S]
//     [--import-only]   (imports and refusals only, no evaluation: a quick look)
//     [--markdown]      (also print the KERAS-CORPUS.md table)
//
// Each file's source and dataset come from manifest.json beside the folder (else this repository's
// bench/keras-corpus.json); the reference's accuracies from reference.jsonl beside the folder. Files
// are imported without flags, as a student would, so the dataset and pixel convention are the ones
// the import finds. A file passes when it imports, the dataset found is the file's, and its
// accuracy is within 0.002 of the reference's. One evaluation of the 10,000 test images per file.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, extname, join } from 'node:path'
import { toErrorInfo } from '../src/shared/errors'
import { createServices } from '../src/main/services'
import { nodeWorkerOptions } from '../src/main/training/engine'

const TOLERANCE = 0.002

interface ManifestEntry {
  file: string
  repo: string
  path: string
  commit: string
  dataset: 'mnist' | 'fashion-mnist'
  convention: string
}

interface Reference {
  file: string
  accuracy?: number
  divide?: number
  offset?: number
  probe?: Record<string, number>
  kerasVersion?: string | null
  modelClass?: string
  layers?: string[]
  error?: string
}

interface Row {
  file: string
  dataset: string
  /** The dataset the import found (a pass needs it to be the file's). */
  found: string | null
  inputScale: string | null
  note: string | null
  imported: boolean
  message: string | null
  runId: number | null
  sinapse: number | null
  reference: number | null
  difference: number | null
  pass: boolean
  seconds: number
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}

const folder = process.argv[2]
if (!folder || folder.startsWith('--')) {
  console.error(
    'usage: node --import tsx bench/keras-corpus.ts <folder> [--reference F] [--json] [--only S]',
  )
  process.exit(2)
}
const root = dirname(folder.replace(/\/+$/, ''))
const json = process.argv.includes('--json')
const only = option('--only')
const importOnly = process.argv.includes('--import-only')
const markdown = process.argv.includes('--markdown')

async function readJson<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return fallback
  }
}

// The corpus's sources: the folder's own manifest.json, else the table kept in the repository.
const manifest = new Map(
  (
    await readJson<ManifestEntry[]>(
      join(root, 'manifest.json'),
      await readJson<ManifestEntry[]>(join(import.meta.dirname, 'keras-corpus.json'), []),
    )
  ).map((e) => [e.file, e]),
)
const referenceFile = option('--reference') ?? join(root, 'reference.jsonl')
const references = new Map<string, Reference>()
/** (Re)reads the reference's lines: it may still be writing them while this runs. */
async function readReferences(): Promise<void> {
  for (const line of (await readFile(referenceFile, 'utf8').catch(() => '')).split('\n')) {
    if (!line.trim()) continue
    try {
      const r = JSON.parse(line) as Reference
      references.set(r.file, r)
    } catch {
      // a line still being written
    }
  }
}
await readReferences()

const files = (await readdir(folder))
  .filter((f) => ['.h5', '.keras', '.hdf5'].includes(extname(f).toLowerCase()))
  .filter((f) => !only || f.includes(only))
  .sort()

const dataDir = await mkdtemp(join(tmpdir(), 'sinapse-keras-corpus-'))
const services = await createServices({
  dataDir,
  locale: 'en',
  emit: () => {},
  version: 'bench',
  ...nodeWorkerOptions(),
})
const rows: Row[] = []
try {
  for (const file of files) {
    const entry = manifest.get(file)
    const dataset = entry?.dataset ?? 'mnist'
    const ref = references.get(file)
    const started = performance.now()
    const row: Row = {
      file,
      dataset,
      found: null,
      inputScale: null,
      note: null,
      imported: false,
      message: null,
      runId: null,
      sinapse: null,
      reference: ref?.accuracy ?? null,
      difference: null,
      pass: false,
      seconds: 0,
    }
    try {
      // Imported as `sinapse import` does with no flag: the dataset and pixel convention found.
      const result = await services.modelFiles.importPath(join(folder, file))
      row.runId = result.runId
      row.imported = true
      row.found = result.dataset
      row.inputScale = result.inputScale
      row.note = result.inputNote
      if (!importOnly) {
        row.sinapse = (await services.runs.evaluate(row.runId)).accuracy
        await readReferences()
        compare(row)
      }
    } catch (err) {
      row.message = toErrorInfo(err, 'en').message
    }
    row.seconds = Number(((performance.now() - started) / 1000).toFixed(1))
    rows.push(row)
    if (json) console.log(JSON.stringify(row))
    else console.log(describe(row))
  }
} finally {
  await services.close()
  await rm(dataDir, { recursive: true, force: true })
}

function compare(row: Row): void {
  row.reference = references.get(row.file)?.accuracy ?? null
  if (row.sinapse === null || row.reference === null) return
  row.difference = row.sinapse - row.reference
  row.pass = Math.abs(row.difference) <= TOLERANCE && row.found === row.dataset
}

function fixed(value: number | null, digits = 4): string {
  return value === null ? '—' : value.toFixed(digits)
}

function describe(row: Row): string {
  const name = basename(row.file)
  if (!row.imported) return `REFUSED  ${name}\n         ${row.message}`
  const verdict = row.pass
    ? 'PASS    '
    : importOnly
      ? 'IMPORTED'
      : row.reference === null
        ? 'NO REF  '
        : 'DIFFERS '
  return (
    `${verdict} ${name}  [${row.dataset}${row.found === row.dataset ? '' : `, found ${row.found}`}, input ${row.inputScale}] sinapse ${fixed(row.sinapse)}  reference ` +
    `${fixed(row.reference)}  diff ${row.difference === null ? '—' : row.difference.toFixed(4)}` +
    (row.note ? `\n         ${row.note}` : '') +
    (row.message ? `\n         ${row.message}` : '')
  )
}

await readReferences()
rows.forEach(compare)
const imported = rows.filter((r) => r.imported).length
const passed = rows.filter((r) => r.pass).length
const summary = {
  files: rows.length,
  imported,
  refused: rows.length - imported,
  passed,
  passRate: rows.length ? Number((passed / rows.length).toFixed(3)) : 0,
  tolerance: TOLERANCE,
}
console.log(json ? JSON.stringify({ summary }) : `\n${JSON.stringify(summary)}`)

function convention(ref: Reference | undefined): string {
  if (ref?.divide === undefined) return '?'
  let text = ref.divide === 1 ? 'raw 0–255' : `/${ref.divide}`
  if (ref.offset) text += ` ${ref.offset < 0 ? '−' : '+'} ${Math.abs(ref.offset)}`
  return ref.probe ? `${text} (probed)` : text
}

function markdownTable(): string {
  const lines = [
    '| # | Source (repository, path @ commit) | Data | Keras | Model: layers | Input | Reference | Sinapse | Δ |',
    '|---|---|---|---|---|---|---|---|---|',
  ]
  rows.forEach((row, i) => {
    const entry = manifest.get(row.file)
    const ref = references.get(row.file)
    const source = entry
      ? `[${entry.repo}](https://github.com/${entry.repo}) \`${entry.path}\` @ \`${entry.commit.slice(0, 7)}\``
      : row.file
    const layers = `${ref?.modelClass ?? '?'}: ${(ref?.layers ?? []).filter((l) => l !== 'InputLayer').join(', ')}`
    const sinapse = row.imported
      ? `${fixed(row.sinapse)}${row.pass ? ' ✓' : ''}`
      : `refused: ${(row.message ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|')}`
    const diff = row.difference === null ? '—' : row.difference.toFixed(4)
    lines.push(
      `| ${i + 1} | ${source} | ${row.dataset === 'mnist' ? 'MNIST' : 'Fashion'} | ${ref?.kerasVersion ?? '?'} | ${layers} | ${convention(ref)} | ${fixed(ref?.accuracy ?? null)} | ${sinapse} | ${diff} |`,
    )
  })
  return lines.join('\n')
}

if (markdown) console.log(`\n${markdownTable()}`)

// Re-checks a Stryker run's survivors against the tests as they are now, one mutant at a time:
//   node scripts/plant-survivors.mjs <file.ts> <first line>-<last line>[,…] -- <vitest args…>
// e.g. node scripts/plant-survivors.mjs src/main/training/kernels/dense.ts 60-160 -- \
//        tests/unit/training/dense-kernel.test.ts
// It reads reports/mutation/mutation.json (the last `npm run test:mutation`), writes each
// surviving or uncovered mutant of those lines into the file, runs `npx vitest run <args>`,
// prints KILLED or SURVIVED, and puts the file back as it was (also on Ctrl+C). The file must not
// have changed since the run.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

const [file, ranges, dashes, ...vitestArgs] = process.argv.slice(2)
if (!file || !ranges || dashes !== '--' || vitestArgs.length === 0) {
  console.error(
    'usage: node scripts/plant-survivors.mjs <file.ts> <a-b>[,<c-d>…] -- <vitest args…>',
  )
  process.exit(2)
}
const report = JSON.parse(readFileSync('reports/mutation/mutation.json', 'utf8'))
const entry = report.files[file]
if (!entry) throw new Error(`${file} is not in reports/mutation/mutation.json`)
const source = entry.source
if (readFileSync(file, 'utf8') !== source) throw new Error(`${file} changed since the run`)
const lines = ranges.split(',').map((r) => r.split('-').map(Number))
const wanted = (line) => lines.some(([a, b = a]) => line >= a && line <= b)
const starts = [0]
for (const line of source.split('\n')) starts.push(starts.at(-1) + line.length + 1)
const at = ({ line, column }) => starts[line - 1] + column - 1
const restore = () => writeFileSync(file, source)
process.on('SIGINT', () => (restore(), process.exit(130)))

const mutants = entry.mutants
  .filter((m) => ['Survived', 'NoCoverage'].includes(m.status) && wanted(m.location.start.line))
  .sort((a, b) => a.location.start.line - b.location.start.line)
let killed = 0
try {
  for (const m of mutants) {
    const { start, end } = m.location
    writeFileSync(file, source.slice(0, at(start)) + m.replacement + source.slice(at(end)))
    const run = spawnSync('npx', ['vitest', 'run', ...vitestArgs], { encoding: 'utf8' })
    const failed = run.status !== 0
    killed += failed ? 1 : 0
    console.log(
      `${failed ? 'KILLED  ' : 'SURVIVED'} L${start.line} ${m.mutatorName} → ${JSON.stringify(m.replacement).slice(0, 60)}`,
    )
  }
} finally {
  restore()
}
console.log(`${killed} of ${mutants.length} killed`)

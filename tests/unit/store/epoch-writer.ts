// Child process for the SIGKILL test: owns one run and commits epochs until it is killed.
// Usage: node --import tsx epoch-writer.ts <db file>
import { openDatabase } from '../../../src/main/store/db'
import { createRunsRepo } from '../../../src/main/store/runs-repo'
import { runInput } from './fixtures'

const db = openDatabase(process.argv[2])
const repo = createRunsRepo(db, { now: () => new Date() })
const run = repo.create(runInput({ status: 'running', ownerPid: process.pid, ownerToken: 'child' }))
process.stdout.write(`run ${run.id}\n`)

let epoch = 0
const writeEpoch = (): void => {
  epoch += 1
  repo.addEpoch(run.id, {
    epoch,
    loss: 1 / epoch,
    accuracy: 1 - 1 / (epoch + 1),
    valLoss: 1.5 / epoch,
    valAccuracy: 1 - 1.5 / (epoch + 2),
    durationMs: epoch,
  })
  process.stdout.write(`epoch ${epoch}\n`)
  setTimeout(writeEpoch, 2)
}
writeEpoch()

#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx, so it works right after `npm install`.
import { register } from 'tsx/esm/api'

register()
const { runCli } = await import('../src/main/cli/index.ts')
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onSignal: (signal, handler) => process.on(signal, handler),
})

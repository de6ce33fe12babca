/**
 * A worker entry URL that runs the TypeScript file `entry` through tsx (tests, `node --import
 * tsx`). Node 20 does not apply tsx's `--import` hooks to a worker's entry file (it fails with
 * "Unknown file extension .ts", even with `execArgv: ['--import', 'tsx']`), so the entry is a tiny
 * ES module, as a data: URL, that registers tsx through its API and then imports `entry`.
 */
export function tsxWorkerUrl(entry: URL): URL {
  const tsx = import.meta.resolve('tsx/esm/api')
  const code = `import { register } from ${JSON.stringify(tsx)}
register()
await import(${JSON.stringify(entry.href)})`
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`)
}

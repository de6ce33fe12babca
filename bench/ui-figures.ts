// Browser-mode figures in Debian's Chromium: `node --import tsx bench/ui-figures.ts`. Prints one
// JSON line.
//  - from starting `sinapse serve` to the first rendered page (the builder's layers on screen);
//  - from opening a comparison of 10 runs × 30 epochs to its four charts and table drawn.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { launchBrowser, startServe } from '../tests/e2e/harness'
import { seedRuns } from './seed-runs'

if (!existsSync('/usr/bin/chromium')) {
  console.log(JSON.stringify({ error: 'Chromium is not installed (apt-get install chromium)' }))
  process.exit(2)
}

const root = mkdtempSync(path.join(tmpdir(), 'sinapse-ui-bench-'))
seedRuns(path.join(root, 'sinapse.db'), 10, 30)
const { browser, page } = await launchBrowser()
try {
  const startMs: number[] = []
  const compareMs: number[] = []
  for (let round = 0; round < 3; round++) {
    const started = performance.now()
    const served = await startServe({ dataDir: root })
    try {
      await page.goto(`${served.url}#/builder`)
      await page.locator('ol.layers > li.layer').first().waitFor({ timeout: 60_000 })
      startMs.push(performance.now() - started)

      const ids = Array.from({ length: 10 }, (_, i) => i + 1).join(',')
      const opened = performance.now()
      await page.goto(`${served.url}#/compare?ids=${ids}`)
      await page.waitForFunction(
        () =>
          document.querySelectorAll('main canvas').length >= 4 &&
          document.querySelectorAll('main table tbody tr').length >= 10,
        undefined,
        { timeout: 60_000 },
      )
      compareMs.push(performance.now() - opened)
    } finally {
      await served.close()
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  console.log(
    JSON.stringify({
      serveToFirstPageMs: { median: Math.round(median(startMs)), all: startMs.map(Math.round) },
      compareTenRunsMs: { median: Math.round(median(compareMs)), all: compareMs.map(Math.round) },
    }),
  )
} finally {
  await browser.close()
  rmSync(root, { recursive: true, force: true })
}

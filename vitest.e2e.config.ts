import { defineConfig } from 'vitest/config'

// End-to-end tests drive Debian's Chromium against `sinapse serve`; one file at a time, since
// each trains real models on a 2-core machine.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // A condition a test waits for gets 30 s, not vitest's 1 s: under CI's load a finished run's
    // record took longer than 1 s to reach the page, and tutorial-walk failed with 7 tests
    // cascading from it. Polls that pass return at once; only a real failure waits this long.
    expect: { poll: { timeout: 30_000 } },
  },
})

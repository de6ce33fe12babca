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
  },
})

import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    pool: 'forks',
    // Hang guards, not speed checks: real trainings on a loaded 2-core machine take minutes.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
})

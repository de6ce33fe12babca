import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Compiles the renderer's `.svelte.ts` state modules (runes) for the tests that import them.
  plugins: [svelte({ configFile: false })],
  test: {
    // Stryker (stryker.config.mjs) narrows the run to the mutated module's test files.
    include: process.env.SINAPSE_MUTATION_TESTS?.split(',') ?? ['tests/unit/**/*.test.ts'],
    pool: 'forks',
    // Hang guards, not speed checks: real trainings on a loaded 2-core machine take minutes.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
})

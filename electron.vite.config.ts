import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import type { Plugin } from 'vite'

const root = import.meta.dirname
const mainOut = resolve(root, 'out/main')

/**
 * The store reads its SQL from `new URL('./migrations/', import.meta.url)`. Every main chunk is
 * written flat into out/main (see chunkFileNames), so one copy there is next to whichever chunk
 * holds the store.
 */
function copyMigrations(): Plugin {
  return {
    name: 'sinapse:copy-migrations',
    apply: 'build',
    writeBundle() {
      cpSync(resolve(root, 'src/main/store/migrations'), resolve(mainOut, 'migrations'), {
        recursive: true,
        filter: (source) => !/\.[a-z]+$/i.test(source) || source.endsWith('.sql'),
      })
    },
  }
}

export default defineConfig({
  main: {
    build: {
      outDir: mainOut,
      // Native and heavy packages load from node_modules at run time; tfjs-node is optional.
      externalizeDeps: { include: ['@tensorflow/tfjs-node'] },
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          worker: resolve(root, 'src/main/training/worker.ts'),
          'gradient-worker': resolve(root, 'src/main/training/gradient-worker.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
    plugins: [copyMigrations()],
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload is one classic script: no ESM imports, no node_modules at run time.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
    plugins: [svelte()],
  },
})

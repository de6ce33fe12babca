import type { BackendName } from '../../../src/shared/runs'

/**
 * The backend `initBackend()` should pick on this machine: SINAPSE_BACKEND when set, the native
 * binding when `@tensorflow/tfjs-node` (optional) installed and loads, else WebAssembly.
 */
export async function expectedBackend(): Promise<BackendName> {
  const forced = process.env.SINAPSE_BACKEND?.trim()
  if (forced) return forced as BackendName
  const specifier = '@tensorflow/tfjs-node'
  const loads = await import(/* @vite-ignore */ specifier).then(
    () => true,
    () => false,
  )
  return loads ? 'tensorflow' : 'wasm'
}

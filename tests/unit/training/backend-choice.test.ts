import { describe, expect, it } from 'vitest'
import { describeBackend, initBackend, tf } from '../../../src/main/training/backend'
import { expectedBackend } from './expected-backend'

// Its own file: the first initBackend call in a process decides, and the kernel tests force wasm.
describe('initBackend', () => {
  it('picks tfjs-node when it loads, else WebAssembly with SIMD, and keeps its choice', async () => {
    const expected = await expectedBackend()
    const name = await initBackend()
    expect(name).toBe(expected)
    expect(describeBackend()).toEqual({
      name: expected,
      wasmBinary: expected === 'wasm' ? 'tfjs-backend-wasm-simd.wasm' : null,
    })
    expect(await initBackend('cpu')).toBe(expected)
    expect(tf.getBackend()).toBe(expected)
    const product = tf.tidy(() =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6], [2, 1])).dataSync(),
    )
    expect(Array.from(product)).toEqual([17, 39])
  })
})

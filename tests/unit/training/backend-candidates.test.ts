import { describe, expect, it } from 'vitest'
import { backendCandidates } from '../../../src/main/training/backend'

describe('backendCandidates', () => {
  it('tries the native binding first when it may', () => {
    expect(backendCandidates(undefined)).toEqual(['tensorflow', 'wasm', 'cpu'])
    expect(backendCandidates(undefined, { native: true })).toEqual(['tensorflow', 'wasm', 'cpu'])
  })

  it('leaves tfjs-node out of the automatic choice for the desktop app', () => {
    expect(backendCandidates(undefined, { native: false })).toEqual(['wasm', 'cpu'])
  })

  it('still loads a backend the user forces', () => {
    expect(backendCandidates('tensorflow', { native: false })).toEqual(['tensorflow'])
    expect(backendCandidates('cpu')).toEqual(['cpu'])
  })
})

import { describe, expect, it } from 'vitest'
import { COMMAND_NAMES, EVENT_NAMES } from '../../../src/shared/ipc-contract'
import { COMMAND_NAME_LIST, EVENT_NAME_LIST } from '../../../src/shared/ipc-names'

describe('ipc-names', () => {
  it('lists exactly the contract commands and events', () => {
    expect([...COMMAND_NAME_LIST].sort()).toEqual([...COMMAND_NAMES].sort())
    expect([...EVENT_NAME_LIST].sort()).toEqual([...EVENT_NAMES].sort())
  })
})

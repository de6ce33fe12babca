import type { store as en } from '../en/store'

export const store = {} satisfies Record<keyof typeof en, string>

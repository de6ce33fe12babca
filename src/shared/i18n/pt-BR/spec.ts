import type { spec as en } from '../en/spec'

export const spec = {} satisfies Record<keyof typeof en, string>

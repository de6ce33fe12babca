import type { cli as en } from '../en/cli'

export const cli = {} satisfies Record<keyof typeof en, string>

import type { dataset as en } from '../en/dataset'

export const dataset = {} satisfies Record<keyof typeof en, string>

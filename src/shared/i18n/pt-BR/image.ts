import type { image as en } from '../en/image'

export const image = {} satisfies Record<keyof typeof en, string>

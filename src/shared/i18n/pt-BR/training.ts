import type { training as en } from '../en/training'

export const training = {} satisfies Record<keyof typeof en, string>

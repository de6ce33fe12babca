export const training = {} as const

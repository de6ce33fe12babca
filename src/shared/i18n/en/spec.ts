export const spec = {} as const

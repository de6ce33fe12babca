export const dataset = {} as const

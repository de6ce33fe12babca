export const LABS = ['perceptron', 'activations', 'backprop', 'optimizers', 'convolution'] as const
export type Lab = (typeof LABS)[number]

/** `?lab=` from the route; anything unknown opens the first lab. */
export function parseLab(value: string | null): Lab {
  return (LABS as readonly string[]).includes(value ?? '') ? (value as Lab) : 'perceptron'
}

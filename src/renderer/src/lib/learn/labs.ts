// The convolution lab's math (lib/learn/convolution.ts, tested against tf.conv2d) has no screen
// yet; its tab stays out of the list until it has one, rather than opening an empty panel.
export const LABS = ['perceptron', 'activations', 'backprop', 'optimizers'] as const
export type Lab = (typeof LABS)[number]

/** `?lab=` from the route; anything unknown opens the first lab. */
export function parseLab(value: string | null): Lab {
  return (LABS as readonly string[]).includes(value ?? '') ? (value as Lab) : 'perceptron'
}

import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
// tfjs-core alone has no gradients: tf.grad and the optimizers need them registered.
import '@tensorflow/tfjs-core/dist/register_all_gradients'

/**
 * The labs' engine: TensorFlow.js core with its plain-JavaScript backend. It needs no WebGL, no
 * WebAssembly file and no eval, so the app's CSP holds, and a lab's tiny tensors compute in well
 * under a millisecond. Tests import the same module under Node.
 */
export async function readyTf(): Promise<typeof tf> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu')
  await tf.ready()
  return tf
}

export { tf }

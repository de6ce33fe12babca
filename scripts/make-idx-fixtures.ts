// Writes the tiny IDX datasets in tests/fixtures/idx: 4×4 grey images of three shapes, plain and
// gzipped. Run with `node --import tsx scripts/make-idx-fixtures.ts`; the output is deterministic.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { encodeIdx } from '../src/main/training/datasets/idx'

const SIZE = 4
const TRAIN_LABELS = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]
const TEST_LABELS = [2, 1, 0, 1]

/** Class 0 a bright frame, class 1 a vertical bar, class 2 a diagonal; `i` varies the shade. */
function drawImage(label: number, i: number): Uint8Array {
  const pixels = new Uint8Array(SIZE * SIZE)
  const ink = 255 - 16 * i
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const on =
        label === 0
          ? x === 0 || y === 0 || x === SIZE - 1 || y === SIZE - 1
          : label === 1
            ? x === 1 || x === 2
            : x === y
      pixels[y * SIZE + x] = on ? ink : i
    }
  }
  return pixels
}

function images(labels: number[]): Uint8Array {
  const out = new Uint8Array(labels.length * SIZE * SIZE)
  labels.forEach((label, i) => out.set(drawImage(label, i), i * SIZE * SIZE))
  return out
}

const files: Record<string, Uint8Array> = {
  'train-images-idx3-ubyte': encodeIdx([TRAIN_LABELS.length, SIZE, SIZE], images(TRAIN_LABELS)),
  'train-labels-idx1-ubyte': encodeIdx([TRAIN_LABELS.length], Uint8Array.from(TRAIN_LABELS)),
  't10k-images-idx3-ubyte': encodeIdx([TEST_LABELS.length, SIZE, SIZE], images(TEST_LABELS)),
  't10k-labels-idx1-ubyte': encodeIdx([TEST_LABELS.length], Uint8Array.from(TEST_LABELS)),
}

const root = join(import.meta.dirname, '..', 'tests', 'fixtures', 'idx')
const plain = join(root, 'tiny')
const gzipped = join(root, 'tiny-gz')
mkdirSync(plain, { recursive: true })
mkdirSync(gzipped, { recursive: true })
for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(join(plain, name), bytes)
  writeFileSync(join(gzipped, `${name}.gz`), gzipSync(bytes, { level: 9 }))
}
writeFileSync(join(gzipped, 'classes.txt'), 'frame\nbar\ndiagonal\n')

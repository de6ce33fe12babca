// One whole training step of a stack of Dense layers (the tutorial MLP and its kin): forward pass,
// softmax cross-entropy against integer labels, backward pass and Adam, in one call. Registered
// as the wasm kernel 'SinapseDenseStep' by ../dense.ts, which also says which models qualify.
//
// Every matrix product skips the zero entries of its left-hand input: MNIST images are ~80 %
// black pixels and ReLU outputs about half zeros, so the first layer's forward product and its
// weight gradient — nearly all of the step's arithmetic — only touch the rows of the weights that
// a non-zero input reaches. Adding 0·w is exact (as long as w is finite), so this is the same
// arithmetic as the dense product, summed in another order.
//
// Memory layout (all pointers are byte offsets into tfjs-backend-wasm's heap, row-major float32):
//
//   layers  LAYER_WORDS i32 per layer, see the L_* offsets below
//   x       n × in₀ inputs; labels: n i32 class indices
//   h_l     n × out_l outputs of layer l (after ReLU; the last layer's are the logits)
//   dA, dB  n × (widest layer) floats each: the gradient flowing back, ping-pong
//   idx     n × (widest input) i32 and val n × (widest input) f32: the non-zero entries of one
//           input matrix, per row (forward) or per column (weight gradient); ptr: their starts
//   lossAt, correctAt  the running loss sum and count of correct predictions, added to in place

const L_IN: i32 = 0
export const L_OUT: i32 = 1
const L_RELU: i32 = 2
const L_W: i32 = 3
const L_B: i32 = 4
const L_NEW_W: i32 = 5
const L_NEW_B: i32 = 6
const L_MW: i32 = 7
const L_VW: i32 = 8
const L_MB: i32 = 9
const L_VB: i32 = 10
export const L_H: i32 = 11
export const LAYER_WORDS: i32 = 12

// The batch: BATCH_WORDS i32 at `batch`, pointers except B_N.
const B_PIXELS: i32 = 0 // n × in₀ bytes, the images as stored
const B_TABLE: i32 = 1 // 256 f32: the input value of each byte (byte / 255)
const B_LABELS: i32 = 2 // n i32
const B_N: i32 = 3 // the number of samples
const B_LOSS: i32 = 4 // f32 running loss sum, added to
const B_CORRECT: i32 = 5 // f32 running count of correct predictions, added to
const B_PREDICTED: i32 = 6 // n i32 predicted classes (scoring), or 0
const B_DA: i32 = 7 // n × widest layer f32, the gradient flowing back (ping)
const B_DB: i32 = 8 // the same (pong)
const B_X_PTR: i32 = 9 // n + 1 i32: the pixels' non-zero entries by row (training), or 0
const B_X_IDX: i32 = 10 // n × in₀ i32
const B_X_VAL: i32 = 11 // n × in₀ f32
const B_H_PTR: i32 = 12 // n + 1 i32: a hidden layer's non-zero entries by row
const B_H_IDX: i32 = 13 // n × widest input i32
const B_H_VAL: i32 = 14 // n × widest input f32
const B_COL_PTR: i32 = 15 // widest input + 1 i32: non-zero entries by column
const B_IDX: i32 = 16 // n × widest input i32 (by column; also one row at a time forward)
const B_VAL: i32 = 17 // n × widest input f32
const B_ADAM: i32 = 18 // Adam's six constants of this step (see adam4)
export const BATCH_WORDS: i32 = 19

export function word(layer: usize, at: i32): i32 {
  return load<i32>(layer + ((<usize>at) << 2))
}

export function ptr(layer: usize, at: i32): usize {
  return <usize>load<i32>(layer + ((<usize>at) << 2))
}

/** The non-zero entries of row `b` of the n × cols matrix `m` into idx/val; returns their count. */
function rowNonZeros(m: usize, b: i32, cols: i32, idx: usize, val: usize): i32 {
  let k = 0
  let src = m + ((<usize>(b * cols)) << 2)
  for (let p = 0; p < cols; p++, src += 4) {
    const v = load<f32>(src)
    if (v != 0) {
      store<i32>(idx + ((<usize>k) << 2), p)
      store<f32>(val + ((<usize>k) << 2), v)
      k++
    }
  }
  return k
}

/**
 * The non-zero entries of the n × cols matrix `m` grouped by column: for column p, entries
 * ptr[p] .. ptr[p+1] − 1 of idx (the row) and val.
 */
function columnNonZeros(m: usize, n: i32, cols: i32, ptr: usize, idx: usize, val: usize): void {
  for (let p = 0; p <= cols; p++) store<i32>(ptr + ((<usize>p) << 2), 0)
  for (let b = 0; b < n; b++) {
    let src = m + ((<usize>(b * cols)) << 2)
    for (let p = 0; p < cols; p++, src += 4) {
      if (load<f32>(src) != 0) {
        const at = ptr + ((<usize>(p + 1)) << 2)
        store<i32>(at, load<i32>(at) + 1)
      }
    }
  }
  for (let p = 0; p < cols; p++) {
    const at = ptr + ((<usize>(p + 1)) << 2)
    store<i32>(at, load<i32>(at) + load<i32>(at - 4))
  }
  // Fill, using ptr[p] as the cursor of column p, then shift the starts back into place.
  for (let b = 0; b < n; b++) {
    let src = m + ((<usize>(b * cols)) << 2)
    for (let p = 0; p < cols; p++, src += 4) {
      const v = load<f32>(src)
      if (v != 0) {
        const at = ptr + ((<usize>p) << 2)
        const k = load<i32>(at)
        store<i32>(idx + ((<usize>k) << 2), b)
        store<f32>(val + ((<usize>k) << 2), v)
        store<i32>(at, k + 1)
      }
    }
  }
  for (let p = cols; p > 0; p--) {
    store<i32>(ptr + ((<usize>p) << 2), load<i32>(ptr + ((<usize>(p - 1)) << 2)))
  }
  store<i32>(ptr, 0)
}

/**
 * The non-zero entries of the `cols` floats at `row` into idx/val; returns their count. Branch-
 * free: every entry is written and the cursor only moves past the non-zero ones, so idx/val need
 * room for `cols` entries.
 */
function floatRowNonZeros(row: usize, cols: i32, idx: usize, val: usize): i32 {
  let k = 0
  for (let p = 0; p < cols; p++) {
    const v = load<f32>(row + ((<usize>p) << 2))
    store<i32>(idx + ((<usize>k) << 2), p)
    store<f32>(val + ((<usize>k) << 2), v)
    k += i32(v != 0)
  }
  return k
}

/**
 * The non-zero pixels of the `cols` bytes at `row` into idx/val, each scaled through the 256-float
 * `table` (byte / 255, as the JS batch filler); returns their count. Sixteen black pixels in a row
 * are skipped at once, the rest is branch-free as floatRowNonZeros.
 */
function byteRowNonZeros(row: usize, cols: i32, table: usize, idx: usize, val: usize): i32 {
  let k = 0
  let p = 0
  for (; p + 16 <= cols; p += 16) {
    if (!v128.any_true(v128.load(row + <usize>p))) continue
    for (let j = p; j < p + 16; j++) {
      const byte = <usize>load<u8>(row + <usize>j)
      store<i32>(idx + ((<usize>k) << 2), j)
      store<f32>(val + ((<usize>k) << 2), load<f32>(table + (byte << 2)))
      k += i32(byte != 0)
    }
  }
  for (; p < cols; p++) {
    const byte = <usize>load<u8>(row + <usize>p)
    store<i32>(idx + ((<usize>k) << 2), p)
    store<f32>(val + ((<usize>k) << 2), load<f32>(table + (byte << 2)))
    k += i32(byte != 0)
  }
  return k
}

/**
 * Regroups the non-zero entries of an n × cols matrix from rows (row b: entries rowPtr[b] ..
 * rowPtr[b+1] − 1 of rIdx/rVal, column indices) to columns (column p: entries colPtr[p] ..
 * colPtr[p+1] − 1 of cIdx/cVal, row indices, rows ascending), touching only the non-zero entries.
 */
function rowsToColumns(
  n: i32,
  cols: i32,
  rowPtr: usize,
  rIdx: usize,
  rVal: usize,
  colPtr: usize,
  cIdx: usize,
  cVal: usize,
): void {
  for (let p = 0; p <= cols; p++) store<i32>(colPtr + ((<usize>p) << 2), 0)
  const total = load<i32>(rowPtr + ((<usize>n) << 2))
  for (let e = 0; e < total; e++) {
    const at = colPtr + ((<usize>(load<i32>(rIdx + ((<usize>e) << 2)) + 1)) << 2)
    store<i32>(at, load<i32>(at) + 1)
  }
  for (let p = 0; p < cols; p++) {
    const at = colPtr + ((<usize>(p + 1)) << 2)
    store<i32>(at, load<i32>(at) + load<i32>(at - 4))
  }
  // Fill, using colPtr[p] as the cursor of column p, then shift the starts back into place.
  for (let b = 0; b < n; b++) {
    const end = load<i32>(rowPtr + ((<usize>(b + 1)) << 2))
    for (let e = load<i32>(rowPtr + ((<usize>b) << 2)); e < end; e++) {
      const at = colPtr + ((<usize>load<i32>(rIdx + ((<usize>e) << 2))) << 2)
      const k = load<i32>(at)
      store<i32>(cIdx + ((<usize>k) << 2), b)
      store<f32>(cVal + ((<usize>k) << 2), load<f32>(rVal + ((<usize>e) << 2)))
      store<i32>(at, k + 1)
    }
  }
  for (let p = cols; p > 0; p--) {
    store<i32>(colPtr + ((<usize>p) << 2), load<i32>(colPtr + ((<usize>(p - 1)) << 2)))
  }
  store<i32>(colPtr, 0)
}

/** The non-zero entries of every row of the n × cols floats at `m`, as rows (see rowsToColumns). */
function floatRows(m: usize, n: i32, cols: i32, rowPtr: usize, idx: usize, val: usize): void {
  let at = 0
  for (let b = 0; b < n; b++) {
    store<i32>(rowPtr + ((<usize>b) << 2), at)
    const src = m + ((<usize>(b * cols)) << 2)
    at += floatRowNonZeros(src, cols, idx + ((<usize>at) << 2), val + ((<usize>at) << 2))
  }
  store<i32>(rowPtr + ((<usize>n) << 2), at)
}

/**
 * out[o] = act(Σₖ val[k] · w[idx[k]][o] + bias[o]) for o < outSize: one output row from the
 * non-zero entries of one input row, 32 outputs at a time while they last, then 4, then one.
 */
export function denseRow(
  count: i32,
  idx: usize,
  val: usize,
  w: usize,
  bias: usize,
  out: usize,
  outSize: i32,
  relu: bool,
): void {
  const rowBytes = (<usize>outSize) << 2
  const zero = f32x4.splat(0)
  let o = 0
  for (; o + 32 <= outSize; o += 32) {
    let a0 = zero
    let a1 = zero
    let a2 = zero
    let a3 = zero
    let a4 = zero
    let a5 = zero
    let a6 = zero
    let a7 = zero
    const col = w + ((<usize>o) << 2)
    for (let k = 0; k < count; k++) {
      const s = f32x4.splat(load<f32>(val + ((<usize>k) << 2)))
      const r = col + <usize>load<i32>(idx + ((<usize>k) << 2)) * rowBytes
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(r)))
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(r, 16)))
      a2 = f32x4.add(a2, f32x4.mul(s, v128.load(r, 32)))
      a3 = f32x4.add(a3, f32x4.mul(s, v128.load(r, 48)))
      a4 = f32x4.add(a4, f32x4.mul(s, v128.load(r, 64)))
      a5 = f32x4.add(a5, f32x4.mul(s, v128.load(r, 80)))
      a6 = f32x4.add(a6, f32x4.mul(s, v128.load(r, 96)))
      a7 = f32x4.add(a7, f32x4.mul(s, v128.load(r, 112)))
    }
    const dst = out + ((<usize>o) << 2)
    const bp = bias + ((<usize>o) << 2)
    if (bias) {
      a0 = f32x4.add(a0, v128.load(bp))
      a1 = f32x4.add(a1, v128.load(bp, 16))
      a2 = f32x4.add(a2, v128.load(bp, 32))
      a3 = f32x4.add(a3, v128.load(bp, 48))
      a4 = f32x4.add(a4, v128.load(bp, 64))
      a5 = f32x4.add(a5, v128.load(bp, 80))
      a6 = f32x4.add(a6, v128.load(bp, 96))
      a7 = f32x4.add(a7, v128.load(bp, 112))
    }
    if (relu) {
      a0 = f32x4.max(a0, zero)
      a1 = f32x4.max(a1, zero)
      a2 = f32x4.max(a2, zero)
      a3 = f32x4.max(a3, zero)
      a4 = f32x4.max(a4, zero)
      a5 = f32x4.max(a5, zero)
      a6 = f32x4.max(a6, zero)
      a7 = f32x4.max(a7, zero)
    }
    v128.store(dst, a0)
    v128.store(dst, a1, 16)
    v128.store(dst, a2, 32)
    v128.store(dst, a3, 48)
    v128.store(dst, a4, 64)
    v128.store(dst, a5, 80)
    v128.store(dst, a6, 96)
    v128.store(dst, a7, 112)
  }
  for (; o + 16 <= outSize; o += 16) {
    let a0 = zero
    let a1 = zero
    let a2 = zero
    let a3 = zero
    const col = w + ((<usize>o) << 2)
    for (let k = 0; k < count; k++) {
      const s = f32x4.splat(load<f32>(val + ((<usize>k) << 2)))
      const r = col + <usize>load<i32>(idx + ((<usize>k) << 2)) * rowBytes
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(r)))
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(r, 16)))
      a2 = f32x4.add(a2, f32x4.mul(s, v128.load(r, 32)))
      a3 = f32x4.add(a3, f32x4.mul(s, v128.load(r, 48)))
    }
    const bp = bias + ((<usize>o) << 2)
    if (bias) {
      a0 = f32x4.add(a0, v128.load(bp))
      a1 = f32x4.add(a1, v128.load(bp, 16))
      a2 = f32x4.add(a2, v128.load(bp, 32))
      a3 = f32x4.add(a3, v128.load(bp, 48))
    }
    if (relu) {
      a0 = f32x4.max(a0, zero)
      a1 = f32x4.max(a1, zero)
      a2 = f32x4.max(a2, zero)
      a3 = f32x4.max(a3, zero)
    }
    const dst = out + ((<usize>o) << 2)
    v128.store(dst, a0)
    v128.store(dst, a1, 16)
    v128.store(dst, a2, 32)
    v128.store(dst, a3, 48)
  }
  for (; o + 4 <= outSize; o += 4) {
    let a = zero
    const col = w + ((<usize>o) << 2)
    for (let k = 0; k < count; k++) {
      const s = f32x4.splat(load<f32>(val + ((<usize>k) << 2)))
      a = f32x4.add(
        a,
        f32x4.mul(s, v128.load(col + <usize>load<i32>(idx + ((<usize>k) << 2)) * rowBytes)),
      )
    }
    if (bias) a = f32x4.add(a, v128.load(bias + ((<usize>o) << 2)))
    if (relu) a = f32x4.max(a, zero)
    v128.store(out + ((<usize>o) << 2), a)
  }
  for (; o < outSize; o++) {
    let a: f32 = 0
    const col = w + ((<usize>o) << 2)
    for (let k = 0; k < count; k++) {
      a +=
        load<f32>(val + ((<usize>k) << 2)) *
        load<f32>(col + <usize>load<i32>(idx + ((<usize>k) << 2)) * rowBytes)
    }
    if (bias) a += load<f32>(bias + ((<usize>o) << 2))
    if (relu) a = a > 0 ? a : 0
    store<f32>(out + ((<usize>o) << 2), a)
  }
}

/** The forward pass of every layer for n samples: h_l = act(h_{l−1} · W_l + b_l). */
export function forwardLayers(
  layers: usize,
  count: i32,
  x: usize,
  n: i32,
  idx: usize,
  val: usize,
): void {
  let input = x
  for (let l = 0; l < count; l++) {
    const layer = layers + ((<usize>(l * LAYER_WORDS)) << 2)
    const inSize = word(layer, L_IN)
    const outSize = word(layer, L_OUT)
    const h = ptr(layer, L_H)
    const relu = word(layer, L_RELU) != 0
    for (let b = 0; b < n; b++) {
      const k = rowNonZeros(input, b, inSize, idx, val)
      const out = h + ((<usize>(b * outSize)) << 2)
      denseRow(k, idx, val, ptr(layer, L_W), ptr(layer, L_B), out, outSize, relu)
    }
    input = h
  }
}

/**
 * The forward pass of every layer for the batch's n samples: h_l = act(h_{l−1} · W_l + b_l), the
 * first layer's input being the batch's pixels. With B_X_PTR set, the pixels' non-zero entries of
 * every row are kept there (rows, see rowsToColumns) for the first layer's weight gradient;
 * otherwise each row's are built in B_IDX/B_VAL and dropped.
 */
function forwardPixels(layers: usize, count: i32, batch: usize): void {
  const n = word(batch, B_N)
  const idx = ptr(batch, B_IDX)
  const val = ptr(batch, B_VAL)
  const xPtr = ptr(batch, B_X_PTR)
  const first = layers
  const in0 = word(first, L_IN)
  const pixels = ptr(batch, B_PIXELS)
  const table = ptr(batch, B_TABLE)
  let at = 0
  for (let b = 0; b < n; b++) {
    const rIdx = xPtr ? ptr(batch, B_X_IDX) + ((<usize>at) << 2) : idx
    const rVal = xPtr ? ptr(batch, B_X_VAL) + ((<usize>at) << 2) : val
    const k = byteRowNonZeros(pixels + <usize>(b * in0), in0, table, rIdx, rVal)
    if (xPtr) {
      store<i32>(xPtr + ((<usize>b) << 2), at)
      at += k
    }
    const out = ptr(first, L_H) + ((<usize>(b * word(first, L_OUT))) << 2)
    denseRow(
      k,
      rIdx,
      rVal,
      ptr(first, L_W),
      ptr(first, L_B),
      out,
      word(first, L_OUT),
      word(first, L_RELU) != 0,
    )
  }
  if (xPtr) store<i32>(xPtr + ((<usize>n) << 2), at)
  // The hidden layers' inputs are floats: as forwardLayers.
  if (count > 1) {
    forwardLayers(layers + ((<usize>LAYER_WORDS) << 2), count - 1, ptr(first, L_H), n, idx, val)
  }
}

/**
 * Softmax cross-entropy of the logits (n × classes) against `labels`, in double precision with
 * the max subtracted. Adds the loss sum to the float at lossAt and the count of argmax hits to the
 * float at correctAt;
 * with `dz` not 0, writes the gradient of the MEAN loss, (softmax − onehot)/n, there; with
 * `predicted` not 0, each sample's argmax there (the first of equal maxima, as tf.argMax). A label
 * outside 0..classes−1 gives a NaN loss, so the caller's divergence check stops the run.
 */
export function softmaxCrossEntropy(
  logits: usize,
  labels: usize,
  n: i32,
  classes: i32,
  lossAt: usize,
  correctAt: usize,
  dz: usize,
  predicted: usize = 0,
): void {
  let lossSum: f64 = 0
  let correct = 0
  const scale: f64 = <f64>(<f32>1 / <f32>n)
  for (let b = 0; b < n; b++) {
    const row = logits + ((<usize>(b * classes)) << 2)
    const label = load<i32>(labels + ((<usize>b) << 2))
    let max: f64 = -Infinity
    let best = 0
    for (let j = 0; j < classes; j++) {
      const z = <f64>load<f32>(row + ((<usize>j) << 2))
      if (z > max) {
        max = z
        best = j
      }
    }
    if (predicted) store<i32>(predicted + ((<usize>b) << 2), best)
    let sum: f64 = 0
    for (let j = 0; j < classes; j++) sum += Math.exp(<f64>load<f32>(row + ((<usize>j) << 2)) - max)
    if (label < 0 || label >= classes) {
      lossSum += NaN
    } else {
      lossSum += max + Math.log(sum) - <f64>load<f32>(row + ((<usize>label) << 2))
      if (best == label) correct++
    }
    if (dz) {
      const drow = dz + ((<usize>(b * classes)) << 2)
      for (let j = 0; j < classes; j++) {
        const p = Math.exp(<f64>load<f32>(row + ((<usize>j) << 2)) - max) / sum
        store<f32>(drow + ((<usize>j) << 2), <f32>(scale * (p - (j == label ? 1 : 0))))
      }
    }
  }
  store<f32>(lossAt, load<f32>(lossAt) + <f32>lossSum)
  store<f32>(correctAt, load<f32>(correctAt) + <f32>correct)
}

// Adam's constants for one step are six floats at `adam`: β₁, 1 − β₁, β₂, 1 − β₂, the rate and ε
// with both bias corrections folded in (see ./adam.ts), each computed in double by the caller.

/** Adam on four weights at byte offset `at` of w/m/v (as ./adam.ts), new weights at out + at. */
export function adam4(
  g: v128,
  w: usize,
  out: usize,
  m: usize,
  v: usize,
  at: usize,
  b1: v128,
  k1: v128,
  b2: v128,
  k2: v128,
  rate: v128,
  eps: v128,
): void {
  const mi = f32x4.add(f32x4.mul(v128.load(m + at), b1), f32x4.mul(g, k1))
  v128.store(m + at, mi)
  const vi = f32x4.add(f32x4.mul(v128.load(v + at), b2), f32x4.mul(f32x4.mul(g, g), k2))
  v128.store(v + at, vi)
  const step = f32x4.div(f32x4.mul(mi, rate), f32x4.add(f32x4.sqrt(vi), eps))
  v128.store(out + at, f32x4.sub(v128.load(w + at), step))
}

/** Adam on one weight: adam4's arithmetic for a single lane. */
export function adam1(
  g: f32,
  w: usize,
  out: usize,
  m: usize,
  v: usize,
  at: usize,
  adam: usize,
): void {
  const mi = load<f32>(m + at) * load<f32>(adam) + g * load<f32>(adam, 4)
  store<f32>(m + at, mi)
  const vi = load<f32>(v + at) * load<f32>(adam, 8) + g * g * load<f32>(adam, 12)
  store<f32>(v + at, vi)
  const step = (mi * load<f32>(adam, 16)) / (Mathf.sqrt(vi) + load<f32>(adam, 20))
  store<f32>(out + at, load<f32>(w + at) - step)
}

/**
 * Weight gradient and Adam for one layer: for each input p, g[p][o] = Σ_b h[b][p] · dz[b][o] over
 * the samples where h[b][p] ≠ 0 (ptr/idx/val, by column), then Adam on row p of W.
 */
function weightsStep(
  layer: usize,
  dz: usize,
  colPtr: usize,
  idx: usize,
  val: usize,
  adam: usize,
): void {
  const b1 = v128.load32_splat(adam)
  const k1 = v128.load32_splat(adam + 4)
  const b2 = v128.load32_splat(adam + 8)
  const k2 = v128.load32_splat(adam + 12)
  const rate = v128.load32_splat(adam + 16)
  const eps = v128.load32_splat(adam + 20)
  const inSize = word(layer, L_IN)
  const outSize = word(layer, L_OUT)
  const rowBytes = (<usize>outSize) << 2
  const w = ptr(layer, L_W)
  const out = ptr(layer, L_NEW_W)
  const m = ptr(layer, L_MW)
  const v = ptr(layer, L_VW)
  const zero = f32x4.splat(0)
  for (let p = 0; p < inSize; p++) {
    const first = load<i32>(colPtr + ((<usize>p) << 2))
    const end = load<i32>(colPtr + ((<usize>(p + 1)) << 2))
    const row = <usize>p * rowBytes
    let o = 0
    for (; o + 32 <= outSize; o += 32) {
      let g0 = zero
      let g1 = zero
      let g2 = zero
      let g3 = zero
      let g4 = zero
      let g5 = zero
      let g6 = zero
      let g7 = zero
      const col = dz + ((<usize>o) << 2)
      for (let k = first; k < end; k++) {
        const s = f32x4.splat(load<f32>(val + ((<usize>k) << 2)))
        const r = col + <usize>load<i32>(idx + ((<usize>k) << 2)) * rowBytes
        g0 = f32x4.add(g0, f32x4.mul(s, v128.load(r)))
        g1 = f32x4.add(g1, f32x4.mul(s, v128.load(r, 16)))
        g2 = f32x4.add(g2, f32x4.mul(s, v128.load(r, 32)))
        g3 = f32x4.add(g3, f32x4.mul(s, v128.load(r, 48)))
        g4 = f32x4.add(g4, f32x4.mul(s, v128.load(r, 64)))
        g5 = f32x4.add(g5, f32x4.mul(s, v128.load(r, 80)))
        g6 = f32x4.add(g6, f32x4.mul(s, v128.load(r, 96)))
        g7 = f32x4.add(g7, f32x4.mul(s, v128.load(r, 112)))
      }
      const at = row + ((<usize>o) << 2)
      adam4(g0, w, out, m, v, at, b1, k1, b2, k2, rate, eps)
      adam4(g1, w, out, m, v, at + 16, b1, k1, b2, k2, rate, eps)
      adam4(g2, w, out, m, v, at + 32, b1, k1, b2, k2, rate, eps)
      adam4(g3, w, out, m, v, at + 48, b1, k1, b2, k2, rate, eps)
      adam4(g4, w, out, m, v, at + 64, b1, k1, b2, k2, rate, eps)
      adam4(g5, w, out, m, v, at + 80, b1, k1, b2, k2, rate, eps)
      adam4(g6, w, out, m, v, at + 96, b1, k1, b2, k2, rate, eps)
      adam4(g7, w, out, m, v, at + 112, b1, k1, b2, k2, rate, eps)
    }
    for (; o + 4 <= outSize; o += 4) {
      let g = zero
      const col = dz + ((<usize>o) << 2)
      for (let k = first; k < end; k++) {
        const s = f32x4.splat(load<f32>(val + ((<usize>k) << 2)))
        g = f32x4.add(
          g,
          f32x4.mul(s, v128.load(col + <usize>load<i32>(idx + ((<usize>k) << 2)) * rowBytes)),
        )
      }
      adam4(g, w, out, m, v, row + ((<usize>o) << 2), b1, k1, b2, k2, rate, eps)
    }
    for (; o < outSize; o++) {
      let g: f32 = 0
      const col = dz + ((<usize>o) << 2)
      for (let k = first; k < end; k++) {
        g +=
          load<f32>(val + ((<usize>k) << 2)) *
          load<f32>(col + <usize>load<i32>(idx + ((<usize>k) << 2)) * rowBytes)
      }
      adam1(g, w, out, m, v, row + ((<usize>o) << 2), adam)
    }
  }
}

/** Bias gradient Σ_b dz[b][o] and Adam on the bias. */
function biasStep(layer: usize, dz: usize, n: i32, adam: usize): void {
  const b1 = v128.load32_splat(adam)
  const k1 = v128.load32_splat(adam + 4)
  const b2 = v128.load32_splat(adam + 8)
  const k2 = v128.load32_splat(adam + 12)
  const rate = v128.load32_splat(adam + 16)
  const eps = v128.load32_splat(adam + 20)
  const outSize = word(layer, L_OUT)
  const rowBytes = (<usize>outSize) << 2
  const b = ptr(layer, L_B)
  const out = ptr(layer, L_NEW_B)
  const m = ptr(layer, L_MB)
  const v = ptr(layer, L_VB)
  let o = 0
  for (; o + 4 <= outSize; o += 4) {
    let g = f32x4.splat(0)
    let src = dz + ((<usize>o) << 2)
    for (let s = 0; s < n; s++, src += rowBytes) g = f32x4.add(g, v128.load(src))
    adam4(g, b, out, m, v, (<usize>o) << 2, b1, k1, b2, k2, rate, eps)
  }
  for (; o < outSize; o++) {
    let g: f32 = 0
    let src = dz + ((<usize>o) << 2)
    for (let s = 0; s < n; s++, src += rowBytes) g += load<f32>(src)
    adam1(g, b, out, m, v, (<usize>o) << 2, adam)
  }
}

/**
 * dh[b][p] = Σ_o dz[b][o] · W[p][o], times ReLU's derivative (h[b][p] > 0) when the layer below
 * has ReLU: the gradient reaching the layer below, from this layer's weights before the update.
 * Where that derivative is zero the dot product is skipped.
 */
export function inputGradient(
  layer: usize,
  dz: usize,
  below: usize,
  dh: usize,
  n: i32,
  reluBelow: bool,
): void {
  const inSize = word(layer, L_IN)
  const outSize = word(layer, L_OUT)
  const w = ptr(layer, L_W)
  const rowBytes = (<usize>outSize) << 2
  for (let b = 0; b < n; b++) {
    const dzRow = dz + <usize>b * rowBytes
    const hRow = below + ((<usize>(b * inSize)) << 2)
    const dhRow = dh + ((<usize>(b * inSize)) << 2)
    for (let p = 0; p < inSize; p++) {
      if (reluBelow && !(load<f32>(hRow + ((<usize>p) << 2)) > 0)) {
        store<f32>(dhRow + ((<usize>p) << 2), 0)
        continue
      }
      const wRow = w + <usize>p * rowBytes
      let acc = f32x4.splat(0)
      let o = 0
      for (; o + 4 <= outSize; o += 4) {
        acc = f32x4.add(
          acc,
          f32x4.mul(v128.load(dzRow + ((<usize>o) << 2)), v128.load(wRow + ((<usize>o) << 2))),
        )
      }
      let s: f32 =
        f32x4.extract_lane(acc, 0) +
        f32x4.extract_lane(acc, 1) +
        (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3))
      for (; o < outSize; o++) {
        s += load<f32>(dzRow + ((<usize>o) << 2)) * load<f32>(wRow + ((<usize>o) << 2))
      }
      store<f32>(dhRow + ((<usize>p) << 2), s)
    }
  }
}

/**
 * The loss and the backward pass with Adam of a Dense stack, after forwardLayers. With `dx` not 0 the
 * gradient reaching the input x (n × in₀) is written there too, masked by x > 0 when `reluX`.
 */
export function denseBackward(
  layers: usize,
  count: i32,
  x: usize,
  labels: usize,
  n: i32,
  lossAt: usize,
  correctAt: usize,
  dA: usize,
  dB: usize,
  colPtr: usize,
  idx: usize,
  val: usize,
  adam: usize,
  dx: usize,
  reluX: i32,
): void {
  const last = layers + ((<usize>((count - 1) * LAYER_WORDS)) << 2)
  softmaxCrossEntropy(ptr(last, L_H), labels, n, word(last, L_OUT), lossAt, correctAt, dA)
  let dz = dA
  let spare = dB
  for (let l = count - 1; l >= 0; l--) {
    const layer = layers + ((<usize>(l * LAYER_WORDS)) << 2)
    const below = l > 0 ? ptr(layer - ((<usize>LAYER_WORDS) << 2), L_H) : x
    if (l > 0) {
      const reluBelow = word(layer - ((<usize>LAYER_WORDS) << 2), L_RELU) != 0
      inputGradient(layer, dz, below, spare, n, reluBelow)
    } else if (dx) {
      inputGradient(layer, dz, x, dx, n, reluX != 0)
    }
    columnNonZeros(below, n, word(layer, L_IN), colPtr, idx, val)
    weightsStep(layer, dz, colPtr, idx, val, adam)
    if (ptr(layer, L_B)) biasStep(layer, dz, n, adam)
    const t = dz
    dz = spare
    spare = t
  }
}

/**
 * One training step of `count` Dense layers on the batch (see B_*): forward, mean softmax
 * cross-entropy of the last layer's logits against the labels (added to the floats at B_LOSS and
 * B_CORRECT), backward, and Adam (moments in place, new weights and biases at each layer's
 * L_NEW_W/L_NEW_B, which may be L_W/L_B themselves: each layer's weights are read for the gradient
 * flowing down before they are updated). Hidden layers are ReLU or linear.
 */
export function pixelDenseStep(layers: usize, count: i32, batch: usize): void {
  const n = word(batch, B_N)
  const colPtr = ptr(batch, B_COL_PTR)
  const idx = ptr(batch, B_IDX)
  const val = ptr(batch, B_VAL)
  const adam = ptr(batch, B_ADAM)
  forwardPixels(layers, count, batch)
  const last = layers + ((<usize>((count - 1) * LAYER_WORDS)) << 2)
  const logits = ptr(last, L_H)
  const classes = word(last, L_OUT)
  let dz = ptr(batch, B_DA)
  let spare = ptr(batch, B_DB)
  softmaxCrossEntropy(
    logits,
    ptr(batch, B_LABELS),
    n,
    classes,
    ptr(batch, B_LOSS),
    ptr(batch, B_CORRECT),
    dz,
    0,
  )
  for (let l = count - 1; l >= 0; l--) {
    const layer = layers + ((<usize>(l * LAYER_WORDS)) << 2)
    const inSize = word(layer, L_IN)
    if (l > 0) {
      const lower = layer - ((<usize>LAYER_WORDS) << 2)
      const below = ptr(lower, L_H)
      inputGradient(layer, dz, below, spare, n, word(lower, L_RELU) != 0)
      const hPtr = ptr(batch, B_H_PTR)
      const hIdx = ptr(batch, B_H_IDX)
      const hVal = ptr(batch, B_H_VAL)
      floatRows(below, n, inSize, hPtr, hIdx, hVal)
      rowsToColumns(n, inSize, hPtr, hIdx, hVal, colPtr, idx, val)
    } else {
      const xPtr = ptr(batch, B_X_PTR)
      rowsToColumns(n, inSize, xPtr, ptr(batch, B_X_IDX), ptr(batch, B_X_VAL), colPtr, idx, val)
    }
    weightsStep(layer, dz, colPtr, idx, val, adam)
    if (ptr(layer, L_B)) biasStep(layer, dz, n, adam)
    const t = dz
    dz = spare
    spare = t
  }
}

/**
 * Inference only: the forward pass of the batch (B_X_PTR 0) and, against its labels, the loss sum
 * and hits added at B_LOSS and B_CORRECT and each sample's predicted class at B_PREDICTED.
 */
export function pixelDenseScore(layers: usize, count: i32, batch: usize): void {
  forwardPixels(layers, count, batch)
  const last = layers + ((<usize>((count - 1) * LAYER_WORDS)) << 2)
  softmaxCrossEntropy(
    ptr(last, L_H),
    ptr(batch, B_LABELS),
    word(batch, B_N),
    word(last, L_OUT),
    ptr(batch, B_LOSS),
    ptr(batch, B_CORRECT),
    0,
    ptr(batch, B_PREDICTED),
  )
}

// One whole training step of a small convolutional network (LeNet and its kin): convolution
// blocks (Conv2D, stride 1, 'same' or 'valid', ReLU or linear, each optionally followed by
// non-overlapping max pooling), Flatten, then a stack of Dense layers ending in softmax; forward,
// softmax cross-entropy, backward and Adam in one call. Registered as the wasm kernel
// 'SinapseConvStackStep' by ../conv-step.ts, which also says which models qualify. The Dense part
// is ./dense.ts's.
//
// Where the speed comes from: no tfjs kernel launches or tensors per step, and zeros skipped.
// Each convolution's input is kept zero-padded (so every window is in bounds); the forward pass
// gathers the non-zero inputs of each output pixel's window (MNIST is ~80 % black pixels, ReLU
// and pooling outputs many zeros) and multiplies only those weight rows. Backward, only the
// non-zero output gradients are visited — after max pooling at most one pixel in each window has
// one, and ReLU removes more — and each adds a multiple of its input window to the filter gradient
// and of its filter to the input gradient. The first block's input gradient is never computed.
// Adding 0·w is exact, so this is tfjs's arithmetic summed in another order.
//
// Block descriptor: CONV_WORDS i32 per block, see the C_* offsets; pointers are byte offsets into
// tfjs-backend-wasm's heap, arrays row-major float32, images NHWC.

import {
  adam1,
  denseBackward,
  denseRow,
  forwardLayers,
  ptr,
  softmaxCrossEntropy,
  word,
  LAYER_WORDS,
  L_H,
  L_OUT,
} from './dense'

/** Height and width of this block's zero-padded input P. */
const C_PH: i32 = 0
const C_PW: i32 = 1
const C_IN_C: i32 = 2
/** The convolution's output: outH × outW × outC (outH = PH − fh + 1). */
const C_OUT_H: i32 = 3
const C_OUT_W: i32 = 4
const C_OUT_C: i32 = 5
const C_FH: i32 = 6
const C_FW: i32 = 7
const C_RELU: i32 = 8
/** Pool size and stride (equal), or 0 for no pooling. */
const C_POOL: i32 = 9
/** The block's output (pooled, or the convolution's): nextH × nextW × outC. */
const C_NEXT_H: i32 = 10
const C_NEXT_W: i32 = 11
/** Where the output goes: DEST is destH × destW × outC per sample, written at (top, left). */
const C_DEST_H: i32 = 12
const C_DEST_W: i32 = 13
const C_DEST_TOP: i32 = 14
const C_DEST_LEFT: i32 = 15
/** This block's padded input, n × PH × PW × inC. */
const C_P: i32 = 16
/** The convolution's activated output, n × outH × outW × outC. */
const C_Z: i32 = 17
/** i32 per pooled value: the index within its sample's Z of the maximum. */
const C_ARG: i32 = 18
/** Gradient with respect to P, or 0 where it is not needed (the first block). */
const C_DP: i32 = 19
const C_DEST: i32 = 20
/** Gradient with respect to DEST (the next block's C_DP, or the Dense part's input gradient). */
const C_DDEST: i32 = 21
const C_W: i32 = 22
const C_B: i32 = 23
const C_NEW_W: i32 = 24
const C_NEW_B: i32 = 25
const C_MW: i32 = 26
const C_VW: i32 = 27
const C_MB: i32 = 28
const C_VB: i32 = 29
/** Scratch, fh·fw·inC·outC floats each: filter gradient and filter, both as [outC][fh][fw·inC]. */
const C_GWT: i32 = 30
const C_WT: i32 = 31
/** Scratch, outC floats: the bias gradient. */
const C_GB: i32 = 32
export const CONV_WORDS: i32 = 33

/** 0, 1, 2, 3: the lane offsets of four consecutive channels. */
const LANES = i32x4(0, 1, 2, 3)

function at4(i: i32): usize {
  return (<usize>i) << 2
}

function zero(dst: usize, floats: i32): void {
  memory.fill(dst, 0, at4(floats))
}

/** dst[i] += g · src[i] for i < len. */

function axpy(dst: usize, src: usize, len: i32, g: f32): void {
  const s = f32x4.splat(g)
  let i = 0
  for (; i + 4 <= len; i += 4) {
    const d = dst + at4(i)
    v128.store(d, f32x4.add(v128.load(d), f32x4.mul(s, v128.load(src + at4(i)))))
  }
  for (; i < len; i++) {
    const d = dst + at4(i)
    store<f32>(d, load<f32>(d) + g * load<f32>(src + at4(i)))
  }
}

/** The raw inputs x (n × H × W × C) into the first block's zero-padded P. */
function padInput(block: usize, x: usize, n: i32, h: i32, w: i32, top: i32, left: i32): void {
  const ph = word(block, C_PH)
  const pw = word(block, C_PW)
  const c = word(block, C_IN_C)
  const p = ptr(block, C_P)
  zero(p, n * ph * pw * c)
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      memory.copy(
        p + at4(((b * ph + y + top) * pw + left) * c),
        x + at4((b * h + y) * w * c),
        at4(w * c),
      )
    }
  }
}

/**
 * Z = act(conv(P, W) + bias) for n samples. With many output channels, each output pixel gathers
 * the non-zero inputs of its window and multiplies only their weight rows (denseRow, the outputs
 * in registers); with few (≤ 8, the first layer's usual 6), each non-zero input instead adds its
 * multiples of the filter to the outputs it reaches, which touches far less than a gather of every
 * window of a mostly black image.
 */
function convForward(block: usize, n: i32, idx: usize, val: usize): void {
  if (word(block, C_OUT_C) <= 8) convForwardScatter(block, n)
  else convForwardGather(block, n, idx, val)
}

function convForwardScatter(block: usize, n: i32): void {
  const ph = word(block, C_PH)
  const pw = word(block, C_PW)
  const inC = word(block, C_IN_C)
  const outH = word(block, C_OUT_H)
  const outW = word(block, C_OUT_W)
  const outC = word(block, C_OUT_C)
  const fh = word(block, C_FH)
  const fw = word(block, C_FW)
  const p = ptr(block, C_P)
  const z = ptr(block, C_Z)
  const w = ptr(block, C_W)
  const bias = ptr(block, C_B)
  const pixels = n * outH * outW
  if (bias) {
    for (let i = 0; i < pixels; i++) memory.copy(z + at4(i * outC), bias, at4(outC))
  } else {
    zero(z, pixels * outC)
  }
  for (let b = 0; b < n; b++) {
    const zb = z + at4(b * outH * outW * outC)
    for (let iy = 0; iy < ph; iy++) {
      // Output rows oy = iy − kh within 0..outH−1.
      const khFirst = max(0, iy - outH + 1)
      const khEnd = min(fh, iy + 1)
      for (let ix = 0; ix < pw; ix++) {
        const kwFirst = max(0, ix - outW + 1)
        const kwEnd = min(fw, ix + 1)
        const src = p + at4(((b * ph + iy) * pw + ix) * inC)
        for (let c = 0; c < inC; c++) {
          const v = load<f32>(src + at4(c))
          if (v == 0) continue
          for (let kh = khFirst; kh < khEnd; kh++) {
            for (let kw = kwFirst; kw < kwEnd; kw++) {
              const dst = zb + at4(((iy - kh) * outW + ix - kw) * outC)
              axpy(dst, w + at4(((kh * fw + kw) * inC + c) * outC), outC, v)
            }
          }
        }
      }
    }
  }
  if (word(block, C_RELU)) {
    const zero4 = f32x4.splat(0)
    const count = pixels * outC
    let i = 0
    for (; i + 4 <= count; i += 4) v128.store(z + at4(i), f32x4.max(v128.load(z + at4(i)), zero4))
    for (; i < count; i++) {
      const v = load<f32>(z + at4(i))
      store<f32>(z + at4(i), v > 0 ? v : 0)
    }
  }
}

function convForwardGather(block: usize, n: i32, idx: usize, val: usize): void {
  const ph = word(block, C_PH)
  const pw = word(block, C_PW)
  const inC = word(block, C_IN_C)
  const outH = word(block, C_OUT_H)
  const outW = word(block, C_OUT_W)
  const outC = word(block, C_OUT_C)
  const fh = word(block, C_FH)
  const rowLen = word(block, C_FW) * inC
  const relu = word(block, C_RELU) != 0
  const p = ptr(block, C_P)
  const z = ptr(block, C_Z)
  const w = ptr(block, C_W)
  const bias = ptr(block, C_B)
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        // Branch-free compaction: every entry is written, only non-zeros advance k.
        let k = 0
        for (let kh = 0; kh < fh; kh++) {
          const src = p + at4(((b * ph + oy + kh) * pw + ox) * inC)
          const tap = kh * rowLen
          for (let j = 0; j < rowLen; j++) {
            const v = load<f32>(src + at4(j))
            store<i32>(idx + at4(k), tap + j)
            store<f32>(val + at4(k), v)
            k += i32(v != 0)
          }
        }
        denseRow(k, idx, val, w, bias, z + at4(((b * outH + oy) * outW + ox) * outC), outC, relu)
      }
    }
  }
}

/** The block's output into DEST: max pooling (remembering where each maximum was) or a copy. */
function blockOutput(block: usize, n: i32): void {
  const outH = word(block, C_OUT_H)
  const outW = word(block, C_OUT_W)
  const outC = word(block, C_OUT_C)
  const pool = word(block, C_POOL)
  const nextH = word(block, C_NEXT_H)
  const nextW = word(block, C_NEXT_W)
  const destH = word(block, C_DEST_H)
  const destW = word(block, C_DEST_W)
  const top = word(block, C_DEST_TOP)
  const left = word(block, C_DEST_LEFT)
  const z = ptr(block, C_Z)
  const arg = ptr(block, C_ARG)
  const dest = ptr(block, C_DEST)
  if (destH != nextH || destW != nextW) zero(dest, n * destH * destW * outC)
  for (let b = 0; b < n; b++) {
    const zb = z + at4(b * outH * outW * outC)
    for (let py = 0; py < nextH; py++) {
      for (let px = 0; px < nextW; px++) {
        const d = dest + at4(((b * destH + py + top) * destW + px + left) * outC)
        if (!pool) {
          memory.copy(d, zb + at4((py * outW + px) * outC), at4(outC))
          continue
        }
        const a = arg + at4(((b * nextH + py) * nextW + px) * outC)
        let o = 0
        // Four channels at a time: the same comparisons, lane by lane.
        for (; o + 4 <= outC; o += 4) {
          const first = (py * pool * outW + px * pool) * outC + o
          let best = i32x4.add(i32x4.splat(first), LANES)
          let max = v128.load(zb + at4(first))
          for (let dy = 0; dy < pool; dy++) {
            for (let dx = 0; dx < pool; dx++) {
              const i = ((py * pool + dy) * outW + px * pool + dx) * outC + o
              const v = v128.load(zb + at4(i))
              const more = f32x4.gt(v, max)
              max = v128.bitselect(v, max, more)
              best = v128.bitselect(i32x4.add(i32x4.splat(i), LANES), best, more)
            }
          }
          v128.store(d + at4(o), max)
          v128.store(a + at4(o), best)
        }
        for (; o < outC; o++) {
          let best = (py * pool * outW + px * pool) * outC + o
          let max = load<f32>(zb + at4(best))
          for (let dy = 0; dy < pool; dy++) {
            for (let dx = 0; dx < pool; dx++) {
              const i = ((py * pool + dy) * outW + px * pool + dx) * outC + o
              const v = load<f32>(zb + at4(i))
              const more = v > max
              max = select<f32>(v, max, more)
              best = select<i32>(i, best, more)
            }
          }
          store<f32>(d + at4(o), max)
          store<i32>(a + at4(o), best)
        }
      }
    }
  }
}

/**
 * Backward through one block: the gradient at Z from DDEST (through pooling and the activation),
 * the bias and filter gradients with Adam on both, and (with DP) the gradient with respect to the
 * padded input, from the filter before its update.
 */
function convBackward(block: usize, n: i32, adam: usize): void {
  const ph = word(block, C_PH)
  const pw = word(block, C_PW)
  const inC = word(block, C_IN_C)
  const outH = word(block, C_OUT_H)
  const outW = word(block, C_OUT_W)
  const outC = word(block, C_OUT_C)
  const fh = word(block, C_FH)
  const rowLen = word(block, C_FW) * inC
  const relu = word(block, C_RELU) != 0
  const pool = word(block, C_POOL)
  const nextH = word(block, C_NEXT_H)
  const nextW = word(block, C_NEXT_W)
  const destH = word(block, C_DEST_H)
  const destW = word(block, C_DEST_W)
  const top = word(block, C_DEST_TOP)
  const left = word(block, C_DEST_LEFT)
  const p = ptr(block, C_P)
  const z = ptr(block, C_Z)
  const arg = ptr(block, C_ARG)
  const dp = ptr(block, C_DP)
  const ddest = ptr(block, C_DDEST)
  const gwt = ptr(block, C_GWT)
  const wt = ptr(block, C_WT)
  const gb = ptr(block, C_GB)
  const w = ptr(block, C_W)
  const taps = fh * rowLen
  const perSample = outH * outW * outC

  // The filter as [outC][fh][fw·inC], to add whole window rows of it to the input gradient.
  if (dp) {
    for (let o = 0; o < outC; o++) {
      for (let j = 0; j < taps; j++) {
        store<f32>(wt + at4(o * taps + j), load<f32>(w + at4(j * outC + o)))
      }
    }
    zero(dp, n * ph * pw * inC)
  }
  zero(gwt, outC * taps)
  zero(gb, outC)
  // Each output value of the block with a non-zero gradient g — after pooling, one per window,
  // at its remembered maximum — where the activation's derivative is not zero (ReLU: Z > 0) adds
  // g × its input window to the filter gradient and g × the filter to the input gradient.
  for (let b = 0; b < n; b++) {
    const zb = z + at4(b * perSample)
    for (let py = 0; py < nextH; py++) {
      for (let px = 0; px < nextW; px++) {
        const src = ddest + at4(((b * destH + py + top) * destW + px + left) * outC)
        const a = arg + at4(((b * nextH + py) * nextW + px) * outC)
        for (let o = 0; o < outC; o++) {
          const g = load<f32>(src + at4(o))
          if (g == 0) continue
          const i = pool ? load<i32>(a + at4(o)) : (py * outW + px) * outC + o
          if (relu && !(load<f32>(zb + at4(i)) > 0)) continue
          store<f32>(gb + at4(o), load<f32>(gb + at4(o)) + g)
          const pixel = i / outC
          const oy = pixel / outW
          const ox = pixel - oy * outW
          for (let kh = 0; kh < fh; kh++) {
            const window = at4(((b * ph + oy + kh) * pw + ox) * inC)
            const filterRow = at4((o * fh + kh) * rowLen)
            axpy(gwt + filterRow, p + window, rowLen, g)
            if (dp) axpy(dp + window, wt + filterRow, rowLen, g)
          }
        }
      }
    }
  }

  // Adam on the filter (its gradient transposed back to [fh][fw][inC][outC]) and the bias.
  const newW = ptr(block, C_NEW_W)
  const mw = ptr(block, C_MW)
  const vw = ptr(block, C_VW)
  for (let j = 0; j < taps; j++) {
    for (let o = 0; o < outC; o++) {
      adam1(load<f32>(gwt + at4(o * taps + j)), w, newW, mw, vw, at4(j * outC + o), adam)
    }
  }
  const bias = ptr(block, C_B)
  if (bias) {
    const newB = ptr(block, C_NEW_B)
    const mb = ptr(block, C_MB)
    const vb = ptr(block, C_VB)
    for (let o = 0; o < outC; o++) adam1(load<f32>(gb + at4(o)), bias, newB, mb, vb, at4(o), adam)
  }
}

/** The convolution blocks' forward pass; the last block's output is the Dense part's input. */
function blocksForward(
  blocks: usize,
  blockCount: i32,
  x: usize,
  n: i32,
  h: i32,
  w: i32,
  top: i32,
  left: i32,
  idx: usize,
  val: usize,
): usize {
  padInput(blocks, x, n, h, w, top, left)
  let block = blocks
  for (let l = 0; l < blockCount; l++) {
    block = blocks + at4(l * CONV_WORDS)
    convForward(block, n, idx, val)
    blockOutput(block, n)
  }
  return ptr(block, C_DEST)
}

/**
 * One training step: `blockCount` convolution blocks on the raw images x (n × h × w × inC; the
 * first block pads them by top/left), then `count` Dense layers (./dense.ts's descriptor), mean
 * softmax cross-entropy against `labels` (added at lossAt and correctAt), backward and Adam (see
 * ./dense.ts for dA, dB, colPtr, idx, val, adam). idx and val hold at least max(n × widest Dense
 * input, fh·fw·inC of any block) entries.
 */
export function convStackStep(
  blocks: usize,
  blockCount: i32,
  x: usize,
  h: i32,
  w: i32,
  top: i32,
  left: i32,
  layers: usize,
  count: i32,
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
): void {
  const features = blocksForward(blocks, blockCount, x, n, h, w, top, left, idx, val)
  forwardLayers(layers, count, features, n, idx, val)
  const lastBlock = blocks + at4((blockCount - 1) * CONV_WORDS)
  const dFeatures = ptr(lastBlock, C_DDEST)
  const relu = word(lastBlock, C_RELU)
  denseBackward(
    layers,
    count,
    features,
    labels,
    n,
    lossAt,
    correctAt,
    dA,
    dB,
    colPtr,
    idx,
    val,
    adam,
    dFeatures,
    relu,
  )
  for (let l = blockCount - 1; l >= 0; l--) convBackward(blocks + at4(l * CONV_WORDS), n, adam)
}

// Convolution gradients and max pooling for NHWC float32 tensors, on pointers into
// tfjs-backend-wasm's heap. The gradients run as im2col + matrix products vectorized along the
// output pixels: the columns are stored transposed, colsT[k][m] with k = (kh, kw, ci) and
// m = (b, oh, ow), each row `mp` floats long (m rounded up to a multiple of 8, the padding zero),
// so every product streams whole rows.

/** colsT[k][m] = x[b, oh·sh + kh − top, ow·sw + kw − left, ci], zero outside the image. */
export function im2col(
  x: usize,
  cols: usize,
  batch: i32,
  inH: i32,
  inW: i32,
  inC: i32,
  outH: i32,
  outW: i32,
  fH: i32,
  fW: i32,
  strideH: i32,
  strideW: i32,
  top: i32,
  left: i32,
  mp: i32,
): void {
  const m = batch * outH * outW
  for (let kh = 0; kh < fH; kh++) {
    for (let kw = 0; kw < fW; kw++) {
      for (let ci = 0; ci < inC; ci++) {
        const row = cols + ((<usize>(((kh * fW + kw) * inC + ci) * mp)) << 2)
        let at = row
        // The output columns whose input column lies inside the image.
        let owFirst = 0
        while (owFirst < outW && owFirst * strideW + kw - left < 0) owFirst++
        let owEnd = outW
        while (owEnd > owFirst && (owEnd - 1) * strideW + kw - left >= inW) owEnd--
        for (let b = 0; b < batch; b++) {
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * strideH + kh - top
            if (ih < 0 || ih >= inH) {
              memory.fill(at, 0, (<usize>outW) << 2)
              at += (<usize>outW) << 2
              continue
            }
            for (let ow = 0; ow < owFirst; ow++, at += 4) store<f32>(at, 0)
            let src =
              x +
              ((<usize>(((b * inH + ih) * inW + owFirst * strideW + kw - left) * inC + ci)) << 2)
            const step = (<usize>(strideW * inC)) << 2
            for (let ow = owFirst; ow < owEnd; ow++, at += 4, src += step) {
              store<f32>(at, load<f32>(src))
            }
            for (let ow = owEnd; ow < outW; ow++, at += 4) store<f32>(at, 0)
          }
        }
        memory.fill(row + ((<usize>m) << 2), 0, (<usize>(mp - m)) << 2)
      }
    }
  }
}

/**
 * C[i][m] = Σⱼ A(i, j) · B[j][m] for i < rows, j < inner, m < width (a multiple of 8), where
 * A(i, j) = a[i·aRow + j·aCol] (so A can be a filter read either way round) and B's and C's rows
 * start bStride and cStride floats apart. With `accumulate` C is added to, not overwritten.
 */
export function gemm(
  a: usize,
  aRow: i32,
  aCol: i32,
  b: usize,
  bStride: i32,
  c: usize,
  cStride: i32,
  rows: i32,
  inner: i32,
  width: i32,
  accumulate: bool,
): void {
  const widthBytes = (<usize>width) << 2
  const bRow = (<usize>bStride) << 2
  const cRow = (<usize>cStride) << 2
  const aRowB = (<usize>aRow) << 2
  const aColB = (<usize>aCol) << 2
  let i = 0
  for (; i + 4 <= rows; i += 4) {
    const a0 = a + <usize>i * aRowB
    const c0 = c + <usize>i * cRow
    for (let m: usize = 0; m < widthBytes; m += 32) {
      let c00 = f32x4.splat(0)
      let c01 = f32x4.splat(0)
      let c10 = f32x4.splat(0)
      let c11 = f32x4.splat(0)
      let c20 = f32x4.splat(0)
      let c21 = f32x4.splat(0)
      let c30 = f32x4.splat(0)
      let c31 = f32x4.splat(0)
      let ap = a0
      let bp = b + m
      for (let j = 0; j < inner; j++, ap += aColB, bp += bRow) {
        const b0 = v128.load(bp)
        const b1 = v128.load(bp, 16)
        let s = f32x4.splat(load<f32>(ap))
        c00 = f32x4.add(c00, f32x4.mul(s, b0))
        c01 = f32x4.add(c01, f32x4.mul(s, b1))
        s = f32x4.splat(load<f32>(ap + aRowB))
        c10 = f32x4.add(c10, f32x4.mul(s, b0))
        c11 = f32x4.add(c11, f32x4.mul(s, b1))
        s = f32x4.splat(load<f32>(ap + 2 * aRowB))
        c20 = f32x4.add(c20, f32x4.mul(s, b0))
        c21 = f32x4.add(c21, f32x4.mul(s, b1))
        s = f32x4.splat(load<f32>(ap + 3 * aRowB))
        c30 = f32x4.add(c30, f32x4.mul(s, b0))
        c31 = f32x4.add(c31, f32x4.mul(s, b1))
      }
      const p = c0 + m
      if (accumulate) {
        c00 = f32x4.add(c00, v128.load(p))
        c01 = f32x4.add(c01, v128.load(p, 16))
        c10 = f32x4.add(c10, v128.load(p + cRow))
        c11 = f32x4.add(c11, v128.load(p + cRow, 16))
        c20 = f32x4.add(c20, v128.load(p + 2 * cRow))
        c21 = f32x4.add(c21, v128.load(p + 2 * cRow, 16))
        c30 = f32x4.add(c30, v128.load(p + 3 * cRow))
        c31 = f32x4.add(c31, v128.load(p + 3 * cRow, 16))
      }
      v128.store(p, c00)
      v128.store(p, c01, 16)
      v128.store(p + cRow, c10)
      v128.store(p + cRow, c11, 16)
      v128.store(p + 2 * cRow, c20)
      v128.store(p + 2 * cRow, c21, 16)
      v128.store(p + 3 * cRow, c30)
      v128.store(p + 3 * cRow, c31, 16)
    }
  }
  for (; i < rows; i++) {
    const a0 = a + <usize>i * aRowB
    const c0 = c + <usize>i * cRow
    for (let m: usize = 0; m < widthBytes; m += 32) {
      let c00 = f32x4.splat(0)
      let c01 = f32x4.splat(0)
      let ap = a0
      let bp = b + m
      for (let j = 0; j < inner; j++, ap += aColB, bp += bRow) {
        const s = f32x4.splat(load<f32>(ap))
        c00 = f32x4.add(c00, f32x4.mul(s, v128.load(bp)))
        c01 = f32x4.add(c01, f32x4.mul(s, v128.load(bp, 16)))
      }
      const p = c0 + m
      if (accumulate) {
        c00 = f32x4.add(c00, v128.load(p))
        c01 = f32x4.add(c01, v128.load(p, 16))
      }
      v128.store(p, c00)
      v128.store(p, c01, 16)
    }
  }
}

function sum4(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  )
}

/**
 * C[i·cols + j] (+)= Σₘ A[i][m] · B[j][m] for m < length (a multiple of 4): dot products of the
 * rows of two matrices whose rows start aStride and bStride floats apart. The filter gradient:
 * dW[k][co] = Σₘ colsT[k][m] · dyT[co][m].
 */
export function gemmNT(
  a: usize,
  aStride: i32,
  b: usize,
  bStride: i32,
  c: usize,
  rows: i32,
  cols: i32,
  length: i32,
  accumulate: bool,
): void {
  const lengthBytes = (<usize>length) << 2
  const aRow = (<usize>aStride) << 2
  const bRow = (<usize>bStride) << 2
  for (let i = 0; i < rows; i += 2) {
    const two = i + 1 < rows
    const a0 = a + <usize>i * aRow
    const a1 = two ? a0 + aRow : a0
    let j = 0
    for (; j + 4 <= cols; j += 4) {
      const b0 = b + <usize>j * bRow
      let s00 = f32x4.splat(0)
      let s01 = f32x4.splat(0)
      let s02 = f32x4.splat(0)
      let s03 = f32x4.splat(0)
      let s10 = f32x4.splat(0)
      let s11 = f32x4.splat(0)
      let s12 = f32x4.splat(0)
      let s13 = f32x4.splat(0)
      for (let m: usize = 0; m < lengthBytes; m += 16) {
        const x0 = v128.load(a0 + m)
        const x1 = v128.load(a1 + m)
        const y0 = v128.load(b0 + m)
        const y1 = v128.load(b0 + bRow + m)
        const y2 = v128.load(b0 + 2 * bRow + m)
        const y3 = v128.load(b0 + 3 * bRow + m)
        s00 = f32x4.add(s00, f32x4.mul(x0, y0))
        s01 = f32x4.add(s01, f32x4.mul(x0, y1))
        s02 = f32x4.add(s02, f32x4.mul(x0, y2))
        s03 = f32x4.add(s03, f32x4.mul(x0, y3))
        s10 = f32x4.add(s10, f32x4.mul(x1, y0))
        s11 = f32x4.add(s11, f32x4.mul(x1, y1))
        s12 = f32x4.add(s12, f32x4.mul(x1, y2))
        s13 = f32x4.add(s13, f32x4.mul(x1, y3))
      }
      const p0 = c + ((<usize>(i * cols + j)) << 2)
      putDot(p0, sum4(s00), accumulate)
      putDot(p0 + 4, sum4(s01), accumulate)
      putDot(p0 + 8, sum4(s02), accumulate)
      putDot(p0 + 12, sum4(s03), accumulate)
      if (two) {
        const p1 = p0 + ((<usize>cols) << 2)
        putDot(p1, sum4(s10), accumulate)
        putDot(p1 + 4, sum4(s11), accumulate)
        putDot(p1 + 8, sum4(s12), accumulate)
        putDot(p1 + 12, sum4(s13), accumulate)
      }
    }
    for (; j < cols; j++) {
      const b0 = b + <usize>j * bRow
      let s0 = f32x4.splat(0)
      let s1 = f32x4.splat(0)
      for (let m: usize = 0; m < lengthBytes; m += 16) {
        const y = v128.load(b0 + m)
        s0 = f32x4.add(s0, f32x4.mul(v128.load(a0 + m), y))
        s1 = f32x4.add(s1, f32x4.mul(v128.load(a1 + m), y))
      }
      const p0 = c + ((<usize>(i * cols + j)) << 2)
      putDot(p0, sum4(s0), accumulate)
      if (two) putDot(p0 + ((<usize>cols) << 2), sum4(s1), accumulate)
    }
  }
}

function putDot(p: usize, value: f32, accumulate: bool): void {
  store<f32>(p, accumulate ? load<f32>(p) + value : value)
}

/**
 * dzT[c][m] = dy[m][c], masked by ReLU's derivative (y > 0) when `relu`, rows padded with zeros
 * to mp; and the bias gradient dBias[c] = Σₘ dzT[c][m] in double precision.
 */
export function transposeGrad(
  dy: usize,
  y: usize,
  dzT: usize,
  dBias: usize,
  channels: i32,
  count: i32,
  mp: i32,
  relu: bool,
): void {
  const step = (<usize>channels) << 2
  for (let c = 0; c < channels; c++) {
    let src = dy + ((<usize>c) << 2)
    let out = y + ((<usize>c) << 2)
    let dst = dzT + ((<usize>(c * mp)) << 2)
    let total: f64 = 0
    for (let m = 0; m < count; m++, src += step, out += step, dst += 4) {
      let g = load<f32>(src)
      if (relu && !(load<f32>(out) > 0)) g = 0
      store<f32>(dst, g)
      total += <f64>g
    }
    for (let m = count; m < mp; m++, dst += 4) store<f32>(dst, 0)
    store<f32>(dBias + ((<usize>c) << 2), <f32>total)
  }
}

/** dx[b, ih, iw, ci] = Σ of dcolsT[k][m] over the (k, m) that read that pixel (col2im). */
export function col2im(
  dcols: usize,
  dx: usize,
  batch: i32,
  inH: i32,
  inW: i32,
  inC: i32,
  outH: i32,
  outW: i32,
  fH: i32,
  fW: i32,
  strideH: i32,
  strideW: i32,
  top: i32,
  left: i32,
  mp: i32,
): void {
  memory.fill(dx, 0, (<usize>(batch * inH * inW * inC)) << 2)
  for (let kh = 0; kh < fH; kh++) {
    for (let kw = 0; kw < fW; kw++) {
      let owFirst = 0
      while (owFirst < outW && owFirst * strideW + kw - left < 0) owFirst++
      let owEnd = outW
      while (owEnd > owFirst && (owEnd - 1) * strideW + kw - left >= inW) owEnd--
      for (let ci = 0; ci < inC; ci++) {
        const row = dcols + ((<usize>(((kh * fW + kw) * inC + ci) * mp)) << 2)
        const step = (<usize>(strideW * inC)) << 2
        for (let b = 0; b < batch; b++) {
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * strideH + kh - top
            if (ih < 0 || ih >= inH) continue
            let src = row + ((<usize>((b * outH + oh) * outW + owFirst)) << 2)
            let dst =
              dx +
              ((<usize>(((b * inH + ih) * inW + owFirst * strideW + kw - left) * inC + ci)) << 2)
            for (let ow = owFirst; ow < owEnd; ow++, src += 4, dst += step) {
              store<f32>(dst, load<f32>(dst) + load<f32>(src))
            }
          }
        }
      }
    }
  }
}

/**
 * Max pooling that also records, for each output, the flat index into x of the maximum it took
 * (the first one in window order on ties, as tfjs's cpu reference does); windows are clipped to
 * the image, as with tfjs's 'same' padding. Four channels at a time, without branches.
 */
export function maxPool(
  x: usize,
  y: usize,
  argmax: usize,
  batch: i32,
  inH: i32,
  inW: i32,
  channels: i32,
  outH: i32,
  outW: i32,
  pH: i32,
  pW: i32,
  strideH: i32,
  strideW: i32,
  top: i32,
  left: i32,
): void {
  const lanes = i32x4(0, 1, 2, 3)
  const vectorEnd = channels & ~3
  let out: usize = 0
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < outH; oh++) {
      const h0 = max(oh * strideH - top, 0)
      const h1 = min(oh * strideH - top + pH, inH)
      for (let ow = 0; ow < outW; ow++) {
        const w0 = max(ow * strideW - left, 0)
        const w1 = min(ow * strideW - left + pW, inW)
        const first = ((b * inH + h0) * inW + w0) * channels
        let c = 0
        for (; c < vectorEnd; c += 4, out += 16) {
          let best = v128.load(x + ((<usize>(first + c)) << 2))
          let where = i32x4.add(i32x4.splat(first + c), lanes)
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const index = ((b * inH + h) * inW + w) * channels + c
              const value = v128.load(x + ((<usize>index) << 2))
              const greater = f32x4.gt(value, best)
              best = v128.bitselect(value, best, greater)
              where = v128.bitselect(i32x4.add(i32x4.splat(index), lanes), where, greater)
            }
          }
          v128.store(y + out, best)
          v128.store(argmax + out, where)
        }
        for (; c < channels; c++, out += 4) {
          let best = load<f32>(x + ((<usize>(first + c)) << 2))
          let where = first + c
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const index = ((b * inH + h) * inW + w) * channels + c
              const value = load<f32>(x + ((<usize>index) << 2))
              const greater = value > best
              best = select<f32>(value, best, greater)
              where = select<i32>(index, where, greater)
            }
          }
          store<f32>(y + out, best)
          store<i32>(argmax + out, where)
        }
      }
    }
  }
}

/** dx = 0, then dx[argmax[o]] += dy[o] for each of the `count` outputs. */
export function maxPoolGrad(dy: usize, argmax: usize, dx: usize, count: i32, inCount: i32): void {
  memory.fill(dx, 0, (<usize>inCount) << 2)
  for (let o: usize = 0; o < (<usize>count) << 2; o += 4) {
    const at = dx + ((<usize>load<i32>(argmax + o)) << 2)
    store<f32>(at, load<f32>(at) + load<f32>(dy + o))
  }
}

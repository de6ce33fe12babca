import { AppError } from './errors'

/** A single-channel 8-bit image, row-major. */
export interface GrayImage {
  width: number
  height: number
  data: Uint8Array
}

/** Decoded pixels as a browser canvas or `sharp` hands them over, row-major, interleaved. */
export interface RawPixels {
  width: number
  height: number
  data: Uint8Array | Uint8ClampedArray
  channels: 1 | 3 | 4
}

export type PreprocessWarning = 'noInk' | 'multipleBlobs' | 'tinyInk'

export interface Preprocessed {
  /** 28×28 row-major, white ink on black like MNIST, values in [0, 1]. */
  input: Float32Array
  steps: {
    /** The luma image (alpha composited), downscaled when the input is huge. */
    gray: GrayImage
    /** True when the background was light and the image was flipped to white-on-black. */
    inverted: boolean
    /** The ink's bounding box after background removal (empty when there is no ink). */
    cropped: GrayImage
    /** The 28×28 result as bytes: `input` times 255. */
    centered: GrayImage
  }
  warnings: PreprocessWarning[]
}

export const MNIST_SIDE = 28
/** MNIST fits each digit in a 20×20 box inside the 28×28 field. */
const BOX_SIDE = 20
/** Index coordinates of MNIST's mean centre of mass (measured on the training set: 14.00, 14.00). */
const CENTER = 14
export const MAX_PREPROCESS_PIXELS = 40_000_000
/** Huge photos are box-averaged down to this longest side first, which keeps 12 MP under 200 ms. */
const WORK_SIDE = 800
/** Below this many working pixels on its longest side the digit is too small to read well. */
const TINY_SIDE = 12
/** Ink must stand out from the paper by this many grey levels, or the image counts as blank. */
const MIN_CONTRAST = 32
/** A pixel is ink for connectivity when it reaches this share of full ink (after stretching). */
const INK_LEVEL = 0.35 * 255
/** Components lighter than this share of the largest one are specks of dirt or JPEG noise. */
const SPECK_SHARE = 0.05
/** A second component this heavy, apart from the first, suggests more than one digit. */
const BLOB_SHARE = 0.2
/** MNIST strokes measure 2.5 px (median) with the same estimator; 1.8 px is its 10th percentile. */
const MNIST_STROKE = 2.5
const THIN_STROKE = 1.8

/**
 * Turns any photo, scan or canvas drawing of one digit into the 28×28 input an MNIST model expects,
 * following MNIST's own recipe: grey, white ink on black, cropped, longest side scaled to 20 px
 * with area averaging, and placed so the ink's centre of mass sits at (14, 14).
 * A blank image is not an error: it yields all zeros and the 'noInk' warning.
 */
export function preprocessDigit(img: RawPixels): Preprocessed {
  checkPixels(img)
  const gray = toWorkingGray(img)
  const inverted = isLightBackground(gray)
  const ink = new Uint8Array(gray.data.length)
  for (let i = 0; i < ink.length; i++) ink[i] = inverted ? 255 - gray.data[i] : gray.data[i]

  const strength = removeBackground(ink, gray.width, gray.height)
  if (!strength) return blankResult(gray, inverted)

  const blobs = keepInkComponents(strength, gray.width, gray.height)
  const box = inkBounds(strength, gray.width, gray.height)
  if (!box) return blankResult(gray, inverted)

  const warnings: PreprocessWarning[] = []
  if (blobs.separate) warnings.push('multipleBlobs')
  if (Math.max(box.w, box.h) < TINY_SIDE) warnings.push('tinyInk')

  const cropped = cropAndThicken(strength, gray.width, box)
  const centered = placeCentered(cropped)
  const input = new Float32Array(MNIST_SIDE * MNIST_SIDE)
  for (let i = 0; i < input.length; i++) input[i] = centered[i] / 255

  return {
    input,
    steps: {
      gray,
      inverted,
      cropped: { width: cropped.width, height: cropped.height, data: toBytes(cropped.data) },
      centered: { width: MNIST_SIDE, height: MNIST_SIDE, data: centered },
    },
    warnings,
  }
}

/** How the tester turns an image into the network's input. */
export type PreprocessMode = 'mnist' | 'plain'

/**
 * The tutorial's own preprocessing (`load_img(..., color_mode='grayscale', target_size=(28, 28))`
 * then `/ 255`): the whole image squeezed to 28×28, no crop, no centring, so a digit off to one
 * side stays off to one side. The only addition is flipping a light background to MNIST's white
 * ink on black, without which no photo of paper would read at all. Same result shape as
 * `preprocessDigit`, with the 28×28 image as both the cropped and the centred step.
 */
export function resizePlain(img: RawPixels): Preprocessed {
  checkPixels(img)
  const gray = toWorkingGray(img)
  const inverted = isLightBackground(gray)
  const out = new Uint8Array(MNIST_SIDE * MNIST_SIDE)
  const input = new Float32Array(out.length)
  for (let y = 0; y < MNIST_SIDE; y++) {
    const y0 = Math.floor((y * gray.height) / MNIST_SIDE)
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * gray.height) / MNIST_SIDE))
    for (let x = 0; x < MNIST_SIDE; x++) {
      const x0 = Math.floor((x * gray.width) / MNIST_SIDE)
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * gray.width) / MNIST_SIDE))
      let sum = 0
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) sum += gray.data[yy * gray.width + xx]
      }
      const value = Math.round(sum / ((y1 - y0) * (x1 - x0)))
      out[y * MNIST_SIDE + x] = inverted ? 255 - value : value
      input[y * MNIST_SIDE + x] = out[y * MNIST_SIDE + x] / 255
    }
  }
  const image = { width: MNIST_SIDE, height: MNIST_SIDE, data: out }
  return { input, steps: { gray, inverted, cropped: image, centered: image }, warnings: [] }
}

/** The preprocessing `mode` names. */
export function preprocessFor(mode: PreprocessMode): (img: RawPixels) => Preprocessed {
  return mode === 'plain' ? resizePlain : preprocessDigit
}

function checkPixels(img: RawPixels): void {
  const { width, height, channels, data } = img
  const valid =
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    width > 0 &&
    height > 0 &&
    (channels === 1 || channels === 3 || channels === 4)
  if (!valid || data.length !== width * height * channels) {
    throw new AppError('IMAGE_INVALID', 'image.badPixels', {
      width,
      height,
      channels,
      length: data.length,
    })
  }
  if (width * height > MAX_PREPROCESS_PIXELS) {
    throw new AppError('IMAGE_TOO_LARGE', 'image.tooManyPixels', {
      width: String(width),
      height: String(height),
      limit: MAX_PREPROCESS_PIXELS / 1_000_000,
    })
  }
}

/**
 * Luma (Rec. 601) with alpha composited on a matte, box-averaged by an integer factor when huge.
 * The matte is white unless the visible strokes are themselves light (white ink drawn on a
 * transparent canvas), where white would erase them.
 */
function toWorkingGray(img: RawPixels): GrayImage {
  const { width, height, channels, data } = img
  const f = Math.max(1, Math.ceil(Math.max(width, height) / WORK_SIDE))
  // Averaging a 2×2 lattice of samples per cell instead of all f×f pixels is what keeps a 12 MP
  // photo fast; strokes in such photos are many pixels wide, so the estimate stays faithful.
  const step = Math.max(1, Math.ceil(f / 2))
  const ww = Math.ceil(width / f)
  const wh = Math.ceil(height / f)
  const lumaAlpha = new Float64Array(ww * wh)
  const alpha = new Float64Array(ww * wh)
  const samples = new Uint32Array(ww * wh)
  let transparent = 0
  for (let y = 0; y < height; y += step) {
    const rowBase = Math.floor(y / f) * ww
    for (let cx = 0; cx < ww; cx++) {
      const end = Math.min(width, (cx + 1) * f)
      let sumLuma = 0
      let sumAlpha = 0
      let n = 0
      for (
        let x = cx * f, p = (y * width + x) * channels;
        x < end;
        x += step, p += step * channels
      ) {
        let luma: number
        let a = 255
        if (channels === 1) luma = data[p]
        else {
          luma = (77 * data[p] + 150 * data[p + 1] + 29 * data[p + 2]) >> 8
          if (channels === 4) {
            a = data[p + 3]
            if (a < 128) transparent++
          }
        }
        sumLuma += luma * a
        sumAlpha += a
        n++
      }
      lumaAlpha[rowBase + cx] += sumLuma
      alpha[rowBase + cx] += sumAlpha
      samples[rowBase + cx] += n
    }
  }
  let visibleLuma = 0
  let visibleAlpha = 0
  let total = 0
  for (let i = 0; i < lumaAlpha.length; i++) {
    visibleLuma += lumaAlpha[i]
    visibleAlpha += alpha[i]
    total += samples[i]
  }
  const lightInk = visibleAlpha > 0 && visibleLuma / visibleAlpha > 128
  const matte = transparent > total / 100 && lightInk ? 0 : 255
  const out = new Uint8Array(ww * wh)
  for (let i = 0; i < out.length; i++) {
    const n = samples[i]
    out[i] = Math.round((lumaAlpha[i] / 255 + matte * (n - alpha[i] / 255)) / n)
  }
  return { width: ww, height: wh, data: out }
}

/**
 * The background is what fills the border; the ink is whichever extreme lies farther from it.
 * Deciding by distance rather than "background above 128" handles grey paper in dim light.
 */
function isLightBackground(gray: GrayImage): boolean {
  const { width, height, data } = gray
  const band = Math.max(1, Math.round(Math.min(width, height) * 0.02))
  const border = new Uint32Array(256)
  let borderCount = 0
  for (let y = 0; y < height; y++) {
    const edgeRow = y < band || y >= height - band
    for (let x = 0; x < width; x++) {
      if (!edgeRow && x === band) x = Math.max(band, width - band)
      border[data[y * width + x]]++
      borderCount++
    }
  }
  const bg = quantile(border, borderCount, 0.5)
  const all = histogram(data)
  const k = Math.max(4, Math.round(data.length * 0.00002))
  const darkest = quantile(all, data.length, k / data.length)
  const lightest = quantile(all, data.length, 1 - k / data.length)
  const dark = bg - darkest
  const light = lightest - bg
  return Math.max(dark, light) >= MIN_CONTRAST / 2 ? dark > light : bg >= 128
}

/**
 * Subtracts a smooth background (uneven lighting on paper), drops what is within the noise, and
 * stretches so typical ink is full white, as in MNIST where stroke cores are 255.
 * Returns null when nothing stands out from the background.
 */
function removeBackground(ink: Uint8Array, width: number, height: number): Float32Array | null {
  const field = backgroundField(ink, width, height)
  const residual = new Float32Array(ink.length)
  const hist = new Uint32Array(511)
  for (let i = 0; i < ink.length; i++) {
    const r = ink[i] - field[i]
    residual[i] = r
    hist[(r + 255.5) | 0]++
  }
  const n = ink.length
  const median = quantile(hist, n, 0.5) - 255
  const deviation = new Uint32Array(511)
  for (let i = 0; i < 511; i++) deviation[Math.abs(i - 255 - median) | 0] += hist[i]
  const sigma = 1.4826 * quantile(deviation, n, 0.5)
  const floor = median + Math.max(3.5 * sigma, 10)
  const k = Math.max(4, Math.round(n * 0.00002))
  const peak = quantile(hist, n, 1 - k / n) - 255
  if (peak - floor < MIN_CONTRAST) return null

  // Typical ink (a high percentile of clearly-inked pixels) becomes 255, so a few very dark
  // spots do not leave the rest of a pencil stroke faint.
  const candidate = floor + 0.25 * (peak - floor)
  const inkHist = new Uint32Array(511)
  let inkCount = 0
  for (let i = Math.ceil(candidate) + 255; i < 511; i++) {
    inkHist[i] = hist[i]
    inkCount += hist[i]
  }
  const full = Math.max(quantile(inkHist, inkCount, 0.75) - 255, floor + MIN_CONTRAST)
  const gain = 255 / (full - floor)
  for (let i = 0; i < n; i++) {
    const v = (residual[i] - floor) * gain
    residual[i] = v <= 0 ? 0 : v >= 255 ? 255 : v
  }
  return residual
}

/**
 * A low percentile per block (the paper between strokes), a 3×3 minimum over blocks so blocks
 * covered by thick ink borrow from their neighbours, smoothed and interpolated bilinearly.
 */
function backgroundField(ink: Uint8Array, width: number, height: number): Float32Array {
  const block = Math.max(8, Math.ceil(Math.max(width, height) / 8))
  const gx = Math.ceil(width / block)
  const gy = Math.ceil(height / block)
  const hists = new Uint32Array(gx * gy * 256)
  const blockOf = new Int32Array(width)
  for (let x = 0; x < width; x++) blockOf[x] = Math.floor(x / block)
  for (let y = 0; y < height; y++) {
    const rowBase = Math.floor(y / block) * gx
    for (let x = 0; x < width; x++) hists[(rowBase + blockOf[x]) * 256 + ink[y * width + x]]++
  }
  const low = new Float32Array(gx * gy)
  for (let b = 0; b < gx * gy; b++) {
    const h = hists.subarray(b * 256, b * 256 + 256)
    let count = 0
    for (let v = 0; v < 256; v++) count += h[v]
    low[b] = quantile(h, count, 0.1)
  }
  const grid = filterGrid(filterGrid(low, gx, gy, Math.min), gx, gy, mean)
  const field = new Float32Array(width * height)
  const x0s = new Int32Array(width)
  const x1s = new Int32Array(width)
  const txs = new Float32Array(width)
  for (let x = 0; x < width; x++) {
    const fx = clamp((x + 0.5) / block - 0.5, 0, gx - 1)
    x0s[x] = Math.floor(fx)
    x1s[x] = Math.min(x0s[x] + 1, gx - 1)
    txs[x] = fx - x0s[x]
  }
  const row = new Float32Array(gx)
  for (let y = 0; y < height; y++) {
    const fy = clamp((y + 0.5) / block - 0.5, 0, gy - 1)
    const y0 = Math.floor(fy)
    const y1 = Math.min(y0 + 1, gy - 1)
    const ty = fy - y0
    for (let b = 0; b < gx; b++) row[b] = grid[y0 * gx + b] * (1 - ty) + grid[y1 * gx + b] * ty
    for (let x = 0; x < width; x++) {
      field[y * width + x] = row[x0s[x]] * (1 - txs[x]) + row[x1s[x]] * txs[x]
    }
  }
  return field
}

function filterGrid(
  grid: Float32Array,
  gx: number,
  gy: number,
  reduce: (...values: number[]) => number,
): Float32Array {
  const out = new Float32Array(grid.length)
  for (let y = 0; y < gy; y++) {
    for (let x = 0; x < gx; x++) {
      const values: number[] = []
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx
          const ny = y + dy
          if (nx >= 0 && ny >= 0 && nx < gx && ny < gy) values.push(grid[ny * gx + nx])
        }
      }
      out[y * gx + x] = reduce(...values)
    }
  }
  return out
}

interface Box {
  x: number
  y: number
  w: number
  h: number
}

/**
 * Labels 8-connected ink, erases specks far lighter than the main stroke (with their faint
 * fringe), and reports whether a second sizeable blob stands apart from the main one.
 */
function keepInkComponents(
  strength: Float32Array,
  width: number,
  height: number,
): { separate: boolean } {
  const labels = new Int32Array(strength.length)
  const comps: { mass: number; x0: number; y0: number; x1: number; y1: number }[] = []
  // Each pixel is labelled when pushed, so the stack never holds more than every pixel once.
  const stack = new Int32Array(strength.length)
  for (let start = 0; start < strength.length; start++) {
    if (labels[start] !== 0 || strength[start] < INK_LEVEL) continue
    const id = comps.length + 1
    let mass = 0
    let x0 = width
    let y0 = height
    let x1 = -1
    let y1 = -1
    let top = 0
    labels[start] = id
    stack[top++] = start
    while (top > 0) {
      const p = stack[--top]
      const px = p % width
      const py = (p - px) / width
      mass += strength[p]
      if (px < x0) x0 = px
      if (px > x1) x1 = px
      if (py < y0) y0 = py
      if (py > y1) y1 = py
      const left = px > 0 ? -1 : 0
      const right = px < width - 1 ? 1 : 0
      for (let dy = py > 0 ? -1 : 0; dy <= (py < height - 1 ? 1 : 0); dy++) {
        for (let dx = left; dx <= right; dx++) {
          const q = p + dy * width + dx
          if (labels[q] === 0 && strength[q] >= INK_LEVEL) {
            labels[q] = id
            stack[top++] = q
          }
        }
      }
    }
    comps.push({ mass, x0, y0, x1, y1 })
  }
  if (comps.length === 0) return { separate: false }

  let main = comps[0]
  for (const c of comps) if (c.mass > main.mass) main = c
  const kept = new Uint8Array(comps.length + 1)
  comps.forEach((c, i) => {
    kept[i + 1] = c.mass >= SPECK_SHARE * main.mass ? 1 : 0
  })
  const margin = 0.1 * Math.max(main.x1 - main.x0, main.y1 - main.y0)
  const separate = comps.some(
    (c) =>
      c !== main &&
      c.mass >= BLOB_SHARE * main.mass &&
      (c.x1 < main.x0 - margin ||
        c.x0 > main.x1 + margin ||
        c.y1 < main.y0 - margin ||
        c.y0 > main.y1 + margin),
  )

  // Only the kept components' box (plus the fringe) can survive, so the mask is built there.
  const fringe = 2
  let x0 = width
  let y0 = height
  let x1 = -1
  let y1 = -1
  comps.forEach((c, i) => {
    if (!kept[i + 1]) return
    x0 = Math.min(x0, c.x0 - fringe)
    y0 = Math.min(y0, c.y0 - fringe)
    x1 = Math.max(x1, c.x1 + fringe)
    y1 = Math.max(y1, c.y1 + fringe)
  })
  const region = { x: Math.max(0, x0), y: Math.max(0, y0), w: 0, h: 0 }
  region.w = Math.min(width - 1, x1) - region.x + 1
  region.h = Math.min(height - 1, y1) - region.y + 1
  const mask = new Uint8Array(region.w * region.h)
  for (let y = 0; y < region.h; y++) {
    for (let x = 0; x < region.w; x++) {
      mask[y * region.w + x] = kept[labels[(region.y + y) * width + region.x + x]]
    }
  }
  dilateMask(mask, region.w, region.h, fringe)
  for (let y = 0; y < height; y++) {
    const inside = y >= region.y && y < region.y + region.h
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      if (!inside || x < region.x || x >= region.x + region.w) strength[i] = 0
      else if (!mask[(y - region.y) * region.w + x - region.x]) strength[i] = 0
    }
  }
  return { separate }
}

function dilateMask(mask: Uint8Array, width: number, height: number, radius: number): void {
  const tmp = new Uint8Array(mask.length)
  for (let y = 0; y < height; y++) dilateLine(mask, tmp, y * width, 1, width, radius)
  for (let x = 0; x < width; x++) dilateLine(tmp, mask, x, width, height, radius)
}

/** dst[i] = 1 when any src within ±r along the line is set: a running count of set pixels. */
function dilateLine(
  src: Uint8Array,
  dst: Uint8Array,
  start: number,
  step: number,
  n: number,
  r: number,
): void {
  let count = 0
  for (let i = 0; i < Math.min(r, n); i++) count += src[start + i * step]
  for (let i = 0; i < n; i++) {
    if (i + r < n) count += src[start + (i + r) * step]
    if (i - r - 1 >= 0) count -= src[start + (i - r - 1) * step]
    dst[start + i * step] = count > 0 ? 1 : 0
  }
}

function inkBounds(strength: Float32Array, width: number, height: number): Box | null {
  let x0 = width
  let y0 = height
  let x1 = -1
  let y1 = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (strength[y * width + x] > 0) {
        if (x < x0) x0 = x
        if (x > x1) x1 = x
        if (y < y0) y0 = y
        if (y > y1) y1 = y
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 }
}

interface FloatImage {
  width: number
  height: number
  data: Float32Array
}

/**
 * Crops to the ink and, when the strokes would end up much thinner than MNIST's after scaling
 * (a fine pen on a large sheet), widens them with a max filter: a network trained on MNIST reads
 * hairlines poorly.
 */
function cropAndThicken(strength: Float32Array, width: number, box: Box): FloatImage {
  const stroke = estimateStroke(strength, width, box)
  const side = Math.max(box.w, box.h)
  const scaled = (stroke * BOX_SIDE) / side
  // Solves (stroke + 2r) · 20 / (side + 2r) = MNIST_STROKE for the widening radius r.
  const pad =
    scaled < THIN_STROKE
      ? Math.max(
          1,
          Math.round((MNIST_STROKE * side - BOX_SIDE * stroke) / (2 * BOX_SIDE - 2 * MNIST_STROKE)),
        )
      : 0
  const w = box.w + 2 * pad
  const h = box.h + 2 * pad
  const data = new Float32Array(w * h)
  for (let y = 0; y < box.h; y++) {
    for (let x = 0; x < box.w; x++) {
      data[(y + pad) * w + x + pad] = strength[(box.y + y) * width + box.x + x]
    }
  }
  return { width: w, height: h, data: pad > 0 ? maxFilter(data, w, h, pad) : data }
}

/**
 * Mean stroke width in pixels: ink area over half the perimeter. Counting 4-connected edges
 * overstates slanted outlines by 4/π on average, hence the correction.
 */
function estimateStroke(strength: Float32Array, width: number, box: Box): number {
  let area = 0
  let edges = 0
  for (let y = 0; y < box.h; y++) {
    for (let x = 0; x < box.w; x++) {
      const i = (box.y + y) * width + box.x + x
      const on = strength[i] >= 128
      if (on) area++
      const right = x + 1 < box.w && strength[i + 1] >= 128
      const below = y + 1 < box.h && strength[i + width] >= 128
      if (on !== right) edges++
      if (on !== below) edges++
    }
  }
  return edges === 0 ? 0 : (8 * area) / (Math.PI * edges)
}

function maxFilter(data: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(data.length)
  for (let y = 0; y < height; y++) {
    slidingMax(data, y * width, 1, width, r, tmp)
  }
  const out = new Float32Array(data.length)
  for (let x = 0; x < width; x++) slidingMax(tmp, x, width, height, r, out)
  return out
}

/** Max over a window of ±r along one line, in linear time with a monotonic deque. */
function slidingMax(
  src: Float32Array,
  start: number,
  step: number,
  n: number,
  r: number,
  dst: Float32Array,
): void {
  const deque = new Int32Array(n)
  let head = 0
  let tail = 0
  let next = 0
  for (let i = 0; i < n; i++) {
    const last = Math.min(n - 1, i + r)
    for (; next <= last; next++) {
      const v = src[start + next * step]
      while (tail > head && src[start + deque[tail - 1] * step] <= v) tail--
      deque[tail++] = next
    }
    while (deque[head] < i - r) head++
    dst[start + i * step] = src[start + deque[head] * step]
  }
}

/**
 * Scales the longest side to 20 px and places the ink's centre of mass at (14, 14), clamped so
 * nothing leaves the field. The translation is folded into the resampling, so it is sub-pixel
 * and needs no second interpolation; a second pass absorbs the resampler's small COM drift.
 */
function placeCentered(src: FloatImage): Uint8Array {
  const scale = BOX_SIDE / Math.max(src.width, src.height)
  const com = centerOfMass(src.data, src.width, src.height)
  const spanX = src.width * scale
  const spanY = src.height * scale
  // Continuous coordinates put pixel i's centre at i + 0.5.
  let offX = CENTER + 0.5 - (com.x + 0.5) * scale
  let offY = CENTER + 0.5 - (com.y + 0.5) * scale
  let out: Float32Array = new Float32Array(0)
  for (let pass = 0; pass < 2; pass++) {
    offX = clamp(offX, 0, MNIST_SIDE - spanX)
    offY = clamp(offY, 0, MNIST_SIDE - spanY)
    out = resample(src, scale, offX, offY)
    const c = centerOfMass(out, MNIST_SIDE, MNIST_SIDE)
    offX += CENTER - c.x
    offY += CENTER - c.y
  }
  let max = 0
  for (const v of out) if (v > max) max = v
  const bytes = new Uint8Array(out.length)
  // MNIST digits always reach full white; stretching keeps faint drawings comparable.
  for (let i = 0; i < out.length; i++) bytes[i] = max > 0 ? Math.round((out[i] / max) * 255) : 0
  return bytes
}

function resample(src: FloatImage, scale: number, offX: number, offY: number): Float32Array {
  const wx = axisWeights(src.width, scale, offX)
  const wy = axisWeights(src.height, scale, offY)
  const tmp = new Float32Array(src.height * MNIST_SIDE)
  for (let y = 0; y < src.height; y++) {
    const row = y * src.width
    for (let j = 0; j < MNIST_SIDE; j++) {
      let sum = 0
      for (const [i, w] of wx[j]) sum += src.data[row + i] * w
      tmp[y * MNIST_SIDE + j] = sum
    }
  }
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE)
  for (let k = 0; k < MNIST_SIDE; k++) {
    for (const [y, w] of wy[k]) {
      for (let j = 0; j < MNIST_SIDE; j++) out[k * MNIST_SIDE + j] += tmp[y * MNIST_SIDE + j] * w
    }
  }
  return out
}

/**
 * For each of the 28 output pixels, which source pixels feed it and by how much: the exact area
 * each source pixel covers, so edges are anti-aliased as in MNIST's normalisation, shrinking or
 * enlarging alike. Outside the source counts as background (0).
 */
function axisWeights(n: number, scale: number, offset: number): [number, number][][] {
  const all: [number, number][][] = []
  for (let j = 0; j < MNIST_SIDE; j++) {
    const weights: [number, number][] = []
    const a = (j - offset) / scale
    const b = (j + 1 - offset) / scale
    for (let i = Math.max(0, Math.floor(a)); i < Math.min(n, Math.ceil(b)); i++) {
      const overlap = Math.min(b, i + 1) - Math.max(a, i)
      if (overlap > 0) weights.push([i, overlap * scale])
    }
    all.push(weights)
  }
  return all
}

/** Centre of mass in index coordinates (pixel i at i), the convention MNIST's (14, 14) uses. */
export function centerOfMass(
  data: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number } {
  let mass = 0
  let sx = 0
  let sy = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x]
      mass += v
      sx += x * v
      sy += y * v
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : { x: (width - 1) / 2, y: (height - 1) / 2 }
}

function blankResult(gray: GrayImage, inverted: boolean): Preprocessed {
  return {
    input: new Float32Array(MNIST_SIDE * MNIST_SIDE),
    steps: {
      gray,
      inverted,
      cropped: { width: 0, height: 0, data: new Uint8Array(0) },
      centered: {
        width: MNIST_SIDE,
        height: MNIST_SIDE,
        data: new Uint8Array(MNIST_SIDE * MNIST_SIDE),
      },
    },
    warnings: ['noInk'],
  }
}

function histogram(data: Uint8Array): Uint32Array {
  const hist = new Uint32Array(256)
  for (let i = 0; i < data.length; i++) hist[data[i]]++
  return hist
}

/** The bin where the cumulative count first reaches q·total. */
function quantile(hist: Uint32Array, total: number, q: number): number {
  const target = Math.max(1, Math.ceil(q * total))
  let seen = 0
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]
    if (seen >= target) return i
  }
  return hist.length - 1
}

function toBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) out[i] = Math.round(data[i])
  return out
}

function mean(...values: number[]): number {
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v
}

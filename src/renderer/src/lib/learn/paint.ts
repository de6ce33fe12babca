/**
 * Paints a side×side grid into a canvas, each cell coloured from blue (0) through white (0.5) to
 * orange (1): the two classes and the boundary between them.
 */
export function paintGrid(
  canvas: HTMLCanvasElement,
  side: number,
  value: (index: number) => number,
): void {
  paintDiverging(canvas, side, side, value)
}

/** The same colours on a width×height grid. */
export function paintDiverging(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  value: (index: number) => number,
): void {
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  const image = ctx.createImageData(width, height)
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = diverging(value(i))
    image.data[i * 4] = r
    image.data[i * 4 + 1] = g
    image.data[i * 4 + 2] = b
    image.data[i * 4 + 3] = 255
  }
  ctx.putImageData(image, 0, 0)
}

const LOW = [90, 140, 225]
const MID = [250, 250, 250]
const HIGH = [250, 170, 70]

export function diverging(v: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0.5))
  const [from, to, f] = x < 0.5 ? [LOW, MID, x * 2] : [MID, HIGH, (x - 0.5) * 2]
  return [0, 1, 2].map((k) => Math.round(from[k] + (to[k] - from[k]) * f)) as [
    number,
    number,
    number,
  ]
}

/** Greys for images: 0 black, 1 white. */
export function paintGrey(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
  value: (index: number) => number,
): void {
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  const image = ctx.createImageData(width, height)
  for (let i = 0; i < width * height; i++) {
    const g = Math.round(Math.min(1, Math.max(0, value(i))) * 255)
    image.data[i * 4] = g
    image.data[i * 4 + 1] = g
    image.data[i * 4 + 2] = g
    image.data[i * 4 + 3] = 255
  }
  ctx.putImageData(image, 0, 0)
}

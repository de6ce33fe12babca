/**
 * Draws the app icons from resources/icon.svg into build/ for electron-builder: PNGs from 16 to
 * 1024 px (Linux, and the window icon), icon.ico (Windows: PNG-compressed entries up to 256 px)
 * and icon.icns (macOS: PNG entries up to 1024 px). Run by `npm run dist`; the outputs are not
 * committed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** ICNS entry types holding PNG data, by pixel size. */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
]

/** An .ico file whose entries are PNG images (Windows Vista and later read them). */
export function icoFile(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, at)
    header.writeUInt8(size >= 256 ? 0 : size, at + 1)
    header.writeUInt16LE(1, at + 4)
    header.writeUInt16LE(32, at + 6)
    header.writeUInt32LE(png.length, at + 8)
    header.writeUInt32LE(offset, at + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...images.map((i) => i.png)])
}

/** An .icns file: 'icns', total length, then (type, length, PNG data) entries. */
export function icnsFile(entries) {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

export async function makeIcons(svgFile, outDir) {
  const svg = readFileSync(svgFile)
  const png = {}
  for (const size of PNG_SIZES) {
    // Rendered at the target density, so small sizes stay sharp instead of being downscaled.
    png[size] = await sharp(svg, { density: Math.max(72, (72 * size) / 256) })
      .resize(size, size)
      .png()
      .toBuffer()
  }
  mkdirSync(join(outDir, 'icons'), { recursive: true })
  for (const size of PNG_SIZES)
    writeFileSync(join(outDir, 'icons', `${size}x${size}.png`), png[size])
  writeFileSync(join(outDir, 'icon.png'), png[1024])
  writeFileSync(
    join(outDir, 'icon.ico'),
    icoFile(ICO_SIZES.map((size) => ({ size, png: png[size] }))),
  )
  writeFileSync(
    join(outDir, 'icon.icns'),
    icnsFile(ICNS_TYPES.map(([type, size]) => ({ type, png: png[size] }))),
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
  await makeIcons(join(root, 'resources', 'icon.svg'), join(root, 'build'))
  console.log('Icons written to build/')
}

import { AppError } from '../../shared/errors'

/** What a BMP header says, validated against the file's length before any pixel is read. */
export interface BmpHeader {
  width: number
  height: number
  topDown: boolean
  bitsPerPixel: 1 | 4 | 8 | 24 | 32
  dataOffset: number
  rowStride: number
  /** Where the pixel rows end; beyond the file's length means the file is truncated. */
  dataEnd: number
  palette: Uint8Array | null
  masks: { r: number; g: number; b: number; a: number } | null
}

const BI_RGB = 0
const BI_BITFIELDS = 3
const BI_ALPHABITFIELDS = 6
const UNSUPPORTED_COMPRESSION: Record<number, string> = {
  1: 'RLE compression',
  2: 'RLE compression',
  4: 'embedded JPEG data',
  5: 'embedded PNG data',
}

/**
 * Parses and checks a BMP header (libvips as shipped with sharp has no BMP loader). Supports the
 * formats Paint and most tools write: 1/4/8-bit paletted, 24-bit and 32-bit, bottom-up or
 * top-down; everything else is refused with the feature named.
 */
export function readBmpHeader(bytes: Uint8Array): BmpHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw corrupt()
  const dataOffset = view.getUint32(10, true)
  const headerSize = view.getUint32(14, true)
  let width: number
  let rawHeight: number
  let bitsPerPixel: number
  let compression = BI_RGB
  let colorsUsed = 0
  let masks: BmpHeader['masks'] = null
  if (headerSize === 12) {
    width = view.getUint16(18, true)
    rawHeight = view.getUint16(20, true)
    bitsPerPixel = view.getUint16(24, true)
  } else if (headerSize >= 40 && headerSize <= 124 && bytes.length >= 14 + headerSize) {
    width = view.getInt32(18, true)
    rawHeight = view.getInt32(22, true)
    bitsPerPixel = view.getUint16(28, true)
    compression = view.getUint32(30, true)
    colorsUsed = view.getUint32(46, true)
  } else {
    throw corrupt()
  }
  if (compression in UNSUPPORTED_COMPRESSION) {
    throw new AppError('IMAGE_INVALID', 'image.bmpUnsupported', {
      feature: UNSUPPORTED_COMPRESSION[compression],
    })
  }
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    throw corrupt()
  }
  if (bitsPerPixel !== 1 && bitsPerPixel !== 4 && bitsPerPixel !== 8) {
    if (bitsPerPixel !== 24 && bitsPerPixel !== 32) {
      throw new AppError('IMAGE_INVALID', 'image.bmpUnsupported', {
        feature: `${bitsPerPixel}-bit colour`,
      })
    }
  }
  let tableEnd = 14 + headerSize
  if (compression !== BI_RGB) {
    if (bitsPerPixel !== 32) throw corrupt()
    // Masks sit inside V2+ headers, or right after a plain 40-byte header.
    const maskAt = headerSize >= 52 ? 54 : tableEnd
    const hasAlpha = headerSize >= 56 || compression === BI_ALPHABITFIELDS
    if (headerSize < 52) tableEnd += hasAlpha ? 16 : 12
    if (bytes.length < maskAt + (hasAlpha ? 16 : 12)) throw corrupt()
    masks = {
      r: view.getUint32(maskAt, true),
      g: view.getUint32(maskAt + 4, true),
      b: view.getUint32(maskAt + 8, true),
      a: hasAlpha ? view.getUint32(maskAt + 12, true) : 0,
    }
    if (masks.r === 0 || masks.g === 0 || masks.b === 0) throw corrupt()
  }
  const height = Math.abs(rawHeight)
  if (width <= 0 || height <= 0) throw corrupt()

  let palette: Uint8Array | null = null
  if (bitsPerPixel <= 8) {
    const max = 1 << bitsPerPixel
    const count = colorsUsed === 0 ? max : colorsUsed
    const entry = headerSize === 12 ? 3 : 4
    const paletteEnd = tableEnd + count * entry
    if (count > max || paletteEnd > dataOffset || paletteEnd > bytes.length) throw corrupt()
    palette = new Uint8Array(count * 3)
    for (let i = 0; i < count; i++) {
      const p = tableEnd + i * entry
      palette[i * 3] = bytes[p + 2]
      palette[i * 3 + 1] = bytes[p + 1]
      palette[i * 3 + 2] = bytes[p]
    }
  }
  const rowStride = Math.floor((bitsPerPixel * width + 31) / 32) * 4
  if (dataOffset < tableEnd) throw corrupt()
  return {
    width,
    height,
    topDown: rawHeight < 0,
    bitsPerPixel: bitsPerPixel as BmpHeader['bitsPerPixel'],
    dataOffset,
    rowStride,
    dataEnd: dataOffset + rowStride * height,
    palette,
    masks,
  }
}

/**
 * Decodes a BMP whose header `readBmpHeader` accepted into RGBA bytes. The caller checks the
 * pixel count first, so a header claiming huge dimensions is refused as too large, not corrupt.
 */
export function decodeBmp(
  bytes: Uint8Array,
  header: BmpHeader,
): { width: number; height: number; channels: 4; data: Uint8Array } {
  const { width, height, bitsPerPixel, palette, masks, rowStride, dataOffset, topDown } = header
  if (header.dataEnd > bytes.length) throw corrupt()
  const out = new Uint8Array(width * height * 4)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let anyAlpha = false
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * rowStride
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4
      if (palette) {
        const bit = x * bitsPerPixel
        const index =
          (bytes[row + (bit >> 3)] >> (8 - bitsPerPixel - (bit & 7))) & ((1 << bitsPerPixel) - 1)
        if (index * 3 >= palette.length) throw corrupt()
        out[o] = palette[index * 3]
        out[o + 1] = palette[index * 3 + 1]
        out[o + 2] = palette[index * 3 + 2]
        out[o + 3] = 255
      } else if (masks) {
        const v = view.getUint32(row + x * 4, true)
        out[o] = extract(v, masks.r)
        out[o + 1] = extract(v, masks.g)
        out[o + 2] = extract(v, masks.b)
        out[o + 3] = masks.a ? extract(v, masks.a) : 255
        if (out[o + 3] !== 0) anyAlpha = true
      } else {
        const p = row + x * (bitsPerPixel / 8)
        out[o] = bytes[p + 2]
        out[o + 1] = bytes[p + 1]
        out[o + 2] = bytes[p]
        out[o + 3] = 255
      }
    }
  }
  // Many writers declare an alpha mask and leave it all zero: that means opaque, not invisible.
  if (masks?.a && !anyAlpha) for (let i = 3; i < out.length; i += 4) out[i] = 255
  return { width, height, channels: 4, data: out }
}

/** The bits of `value` under `mask`, scaled to 0–255. */
function extract(value: number, mask: number): number {
  let shift = 0
  while (((mask >>> shift) & 1) === 0) shift++
  const max = mask >>> shift
  return Math.round((((value & mask) >>> shift) * 255) / max)
}

function corrupt(): AppError {
  return new AppError('IMAGE_INVALID', 'image.corrupt', { format: 'BMP' })
}

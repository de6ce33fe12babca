import type { MessageKey, MessageParams } from '../../../shared/i18n'

/** A dropped photo is a few MB; anything past this is not a digit picture worth decoding. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024
/** Judged from the header before decoding, so a decompression bomb never reaches the decoder. */
export const MAX_PIXELS = 25_000_000
/** Longest side sent to main: preprocessing works at 800 px, so more only costs memory. */
export const MAX_SIDE = 1024
const THUMB_SIDE = 192

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp'

const FORMAT_NAMES: Record<ImageKind, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  gif: 'GIF',
  bmp: 'BMP',
}

/** A file the tester will not decode, with the message that tells the student why. */
export class ImageRefusal extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(key)
    this.name = 'ImageRefusal'
  }
}

/** RGBA pixels at most MAX_SIDE on the longest side, plus a small preview for the page. */
export interface DecodedImage {
  width: number
  height: number
  channels: 4
  data: Uint8Array
  originalWidth: number
  originalHeight: number
  kind: ImageKind
  thumbnail: string
}

/**
 * What the leading bytes say the file is, whatever its name claims; throws an ImageRefusal that
 * names what it is instead (SVG, web page, text…) when it is not a picture Sinapse reads.
 */
export function sniffImageKind(bytes: Uint8Array): ImageKind {
  if (bytes.length === 0) throw new ImageRefusal('image.empty')
  const starts = (sig: number[], at = 0): boolean =>
    bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)
  const ascii = (at: number, length: number): string =>
    String.fromCharCode(...bytes.subarray(at, at + length))

  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg'
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return 'webp'
  if (ascii(0, 2) === 'BM' && bytes.length >= 18) return 'bmp'
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) {
    throw new ImageRefusal('image.unsupportedFormat', { format: 'TIFF' })
  }
  if (ascii(4, 4) === 'ftyp') throw new ImageRefusal('image.unsupportedFormat', { format: 'HEIC' })
  if (ascii(0, 5) === '%PDF-') throw new ImageRefusal('image.notAnImage', { format: 'PDF' })
  if (starts([0x50, 0x4b, 0x03, 0x04]))
    throw new ImageRefusal('image.notAnImage', { format: 'ZIP' })
  throw refuseText(bytes)
}

function refuseText(bytes: Uint8Array): ImageRefusal {
  const head = bytes.subarray(0, 4096)
  let control = 0
  for (const b of head) {
    if (b === 0) return new ImageRefusal('image.unknownFormat')
    if (b < 9 || (b > 13 && b < 32)) control++
  }
  if (control > head.length / 50) return new ImageRefusal('image.unknownFormat')
  const text = new TextDecoder('utf-8')
    .decode(head)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase()
  if (/<svg[\s/>]/.test(text)) return new ImageRefusal('image.isSvg')
  if (text.startsWith('<!doctype html') || /<(html|head|body|script)[\s/>]/.test(text)) {
    return new ImageRefusal('image.isHtml')
  }
  if (text.startsWith('<')) return new ImageRefusal('image.isXml')
  return new ImageRefusal('image.isText')
}

/**
 * Width and height from the header (PNG IHDR, JPEG SOFn, GIF screen, BMP info header, WebP
 * VP8/VP8L/VP8X), or null when the header is cut short or malformed.
 */
export function readImageSize(
  bytes: Uint8Array,
  kind: ImageKind,
): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const has = (n: number): boolean => bytes.length >= n
  switch (kind) {
    case 'png':
      return has(24) ? { width: view.getUint32(16), height: view.getUint32(20) } : null
    case 'gif':
      return has(10) ? { width: view.getUint16(6, true), height: view.getUint16(8, true) } : null
    case 'bmp':
      if (!has(26)) return null
      if (view.getUint32(14, true) === 12) {
        return { width: view.getUint16(18, true), height: view.getUint16(20, true) }
      }
      return has(26)
        ? { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) }
        : null
    case 'webp':
      return readWebpSize(bytes, view)
    case 'jpeg':
      return readJpegSize(bytes, view)
  }
}

function readJpegSize(bytes: Uint8Array, view: DataView): { width: number; height: number } | null {
  let p = 2
  while (p + 9 < bytes.length) {
    if (bytes[p] !== 0xff) return null
    const marker = bytes[p + 1]
    if (marker === 0xff) {
      p++
      continue
    }
    const length = view.getUint16(p + 2)
    // SOF0…SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: view.getUint16(p + 5), width: view.getUint16(p + 7) }
    }
    p += 2 + length
  }
  return null
}

function readWebpSize(bytes: Uint8Array, view: DataView): { width: number; height: number } | null {
  if (bytes.length < 30) return null
  const chunk = String.fromCharCode(...bytes.subarray(12, 16))
  if (chunk === 'VP8X') {
    const w = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16))
    const h = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16))
    return { width: w, height: h }
  }
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true)
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8 ') {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff }
  }
  return null
}

/**
 * Browsers draw a cut-off PNG or JPEG with a grey or blank bottom instead of failing; a student
 * would then test half a digit. Both formats end with a fixed marker, so its absence is telling.
 */
function isTruncated(bytes: Uint8Array, kind: ImageKind): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 1024))
  const find = (sig: number[]): boolean => {
    for (let i = tail.length - sig.length; i >= 0; i--) {
      if (sig.every((b, k) => tail[i + k] === b)) return true
    }
    return false
  }
  if (kind === 'png') return !find([0x49, 0x45, 0x4e, 0x44])
  if (kind === 'jpeg') return !find([0xff, 0xd9])
  if (kind === 'bmp') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (bytes.length < 34) return true
    const offset = view.getUint32(10, true)
    const size = readImageSize(bytes, 'bmp')
    const bpp = view.getUint16(28, true)
    const compression = view.getUint32(30, true)
    if (!size || compression !== 0) return bytes.length <= offset
    const rowBytes = Math.ceil((size.width * bpp) / 32) * 4
    return bytes.length < offset + rowBytes * size.height
  }
  return false
}

/**
 * Decodes an untrusted image file in the page: size cap, type by magic bytes, a pixel cap read
 * from the header, then the browser's own decoder with downscaling to MAX_SIDE. Throws an
 * ImageRefusal with a message key for anything it will not read.
 */
export async function decodeImageFile(file: Blob): Promise<DecodedImage> {
  if (file.size > MAX_FILE_BYTES) {
    throw new ImageRefusal('image.fileTooLarge', {
      // A number, so the message writes it the reader's way (20,5 MB in Portuguese).
      size: Math.round((file.size / 1024 / 1024) * 10) / 10,
      limit: MAX_FILE_BYTES / 1024 / 1024,
    })
  }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const kind = sniffImageKind(bytes)
  const format = FORMAT_NAMES[kind]
  const size = readImageSize(bytes, kind)
  if (!size || size.width === 0 || size.height === 0) {
    throw new ImageRefusal('image.corrupt', { format })
  }
  checkPixelCount(size.width, size.height)
  if (isTruncated(bytes, kind)) throw new ImageRefusal('image.corrupt', { format })

  // The blob is rebuilt from the sniffed bytes with a matching type, so the decoder never
  // guesses from a misleading name or MIME type.
  const typed = new Blob([bytes], { type: `image/${kind}` })
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(typed)
  } catch {
    throw new ImageRefusal('image.corrupt', { format })
  }
  try {
    checkPixelCount(bitmap.width, bitmap.height)
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height))
    const width = Math.max(1, Math.round(bitmap.width * scale))
    const height = Math.max(1, Math.round(bitmap.height * scale))
    const canvas = document.createElement('canvas')
    canvas.width = width
    canvas.height = height
    const ctx = canvas.getContext('2d', { willReadFrequently: true })
    if (!ctx) throw new ImageRefusal('image.corrupt', { format })
    ctx.imageSmoothingQuality = 'high'
    ctx.drawImage(bitmap, 0, 0, width, height)
    const data = new Uint8Array(ctx.getImageData(0, 0, width, height).data.buffer)
    return {
      width,
      height,
      channels: 4,
      data,
      originalWidth: bitmap.width,
      originalHeight: bitmap.height,
      kind,
      thumbnail: makeThumbnail(canvas),
    }
  } finally {
    bitmap.close()
  }
}

function checkPixelCount(width: number, height: number): void {
  if (width * height > MAX_PIXELS) {
    throw new ImageRefusal('image.tooManyPixels', {
      width: String(width),
      height: String(height),
      limit: MAX_PIXELS / 1_000_000,
    })
  }
}

function makeThumbnail(source: HTMLCanvasElement): string {
  const scale = Math.min(1, THUMB_SIDE / Math.max(source.width, source.height))
  const thumb = document.createElement('canvas')
  thumb.width = Math.max(1, Math.round(source.width * scale))
  thumb.height = Math.max(1, Math.round(source.height * scale))
  const ctx = thumb.getContext('2d')
  if (!ctx) return ''
  ctx.imageSmoothingQuality = 'high'
  ctx.drawImage(source, 0, 0, thumb.width, thumb.height)
  return thumb.toDataURL('image/png')
}

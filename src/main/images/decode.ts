import sharp from 'sharp'
import { AppError } from '../../shared/errors'
import { readUserFile } from '../user-files'
import { decodeBmp, readBmpHeader } from './bmp'

/** Decoded pixels, always RGBA 8-bit, row-major. */
export interface DecodedImage {
  width: number
  height: number
  channels: 4
  data: Uint8Array
}

export interface DecodeOptions {
  /** Refuse images with more pixels than this (default 25 megapixels). */
  maxPixels?: number
}

export interface ReadImageOptions {
  /** Refuse files larger than this many bytes (default 50 MB). */
  maxBytes?: number
}

export const DEFAULT_MAX_PIXELS = 25_000_000
export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024

const ACCEPTED = ['png', 'jpeg', 'webp', 'gif', 'bmp'] as const
type AcceptedKind = (typeof ACCEPTED)[number]

/** What a file's bytes say it is, whatever its name claims. */
export type SniffedKind =
  | AcceptedKind
  | 'empty'
  | 'svg'
  | 'html'
  | 'xml'
  | 'text'
  | 'tiff'
  | 'heic'
  | 'avif'
  | 'ico'
  | 'psd'
  | 'pdf'
  | 'zip'
  | 'gzip'
  | 'unknown'

const FORMAT_NAMES: Record<SniffedKind, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  gif: 'GIF',
  bmp: 'BMP',
  empty: '',
  svg: 'SVG',
  html: 'HTML',
  xml: 'XML',
  text: 'text',
  tiff: 'TIFF',
  heic: 'HEIC',
  avif: 'AVIF',
  ico: 'ICO',
  psd: 'Photoshop (PSD)',
  pdf: 'PDF',
  zip: 'ZIP',
  gzip: 'GZIP',
  unknown: '',
}

/** Identifies a file by its leading bytes: magic numbers first, then a look at text content. */
export function sniffImageKind(bytes: Uint8Array): SniffedKind {
  if (bytes.length === 0) return 'empty'
  const starts = (sig: number[], at = 0): boolean =>
    bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)
  const ascii = (at: number, length: number): string =>
    String.fromCharCode(...bytes.subarray(at, at + length))

  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg'
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return 'webp'
  if (ascii(0, 2) === 'BM' && bytes.length >= 18) {
    const dib = bytes[14] | (bytes[15] << 8) | (bytes[16] << 16) | (bytes[17] << 24)
    if ([12, 40, 52, 56, 64, 108, 124].includes(dib)) return 'bmp'
  }
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'tiff'
  if (ascii(4, 4) === 'ftyp') {
    const brand = ascii(8, 4)
    if (brand === 'avif' || brand === 'avis') return 'avif'
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'mif1', 'msf1'].includes(brand)) return 'heic'
  }
  if (starts([0x00, 0x00, 0x01, 0x00])) return 'ico'
  if (ascii(0, 4) === '8BPS') return 'psd'
  if (ascii(0, 5) === '%PDF-') return 'pdf'
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'zip'
  if (starts([0x1f, 0x8b])) return 'gzip'
  return sniffText(bytes)
}

function sniffText(bytes: Uint8Array): SniffedKind {
  const head = bytes.subarray(0, 4096)
  let text: string
  if (head[0] === 0xff && head[1] === 0xfe) text = new TextDecoder('utf-16le').decode(head)
  else if (head[0] === 0xfe && head[1] === 0xff) text = new TextDecoder('utf-16be').decode(head)
  else {
    let control = 0
    for (const b of head) {
      if (b === 0) return 'unknown'
      if (b < 9 || (b > 13 && b < 32)) control++
    }
    if (control > head.length / 50) return 'unknown'
    text = new TextDecoder('utf-8').decode(head)
  }
  const lower = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase()
  if (/<svg[\s/>]/.test(lower)) return 'svg'
  if (lower.startsWith('<!doctype html') || /<(html|head|body|script)[\s/>]/.test(lower))
    return 'html'
  if (lower.startsWith('<')) return 'xml'
  return 'text'
}

let sharpConfigured = false

/** One libvips thread and no operation cache: images here are small, school PCs are not. */
function configureSharp(): void {
  if (sharpConfigured) return
  sharp.concurrency(1)
  sharp.cache(false)
  sharpConfigured = true
}

/**
 * Decodes an untrusted image file's bytes into RGBA pixels. Accepts PNG, JPEG, WebP, GIF (first
 * frame) and BMP, decided by the bytes, never the name; refuses anything else, damaged or
 * truncated files (IMAGE_INVALID) and images over `maxPixels` (IMAGE_TOO_LARGE, judged from the
 * header before any pixel is decoded). EXIF orientation is applied, so phone photos stand upright.
 */
export async function decodeImage(
  bytes: Uint8Array,
  opts: DecodeOptions = {},
): Promise<DecodedImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS
  const kind = sniffImageKind(bytes)
  if (!isAccepted(kind)) throw refusal(kind)

  if (kind === 'bmp') {
    const header = readBmpHeader(bytes)
    checkPixelCount(header.width, header.height, maxPixels)
    return decodeBmp(bytes, header)
  }

  configureSharp()
  const format = FORMAT_NAMES[kind]
  let width: number
  let height: number
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata()
    width = meta.width
    height = meta.pageHeight ?? meta.height
  } catch {
    throw new AppError('IMAGE_INVALID', 'image.corrupt', { format })
  }
  checkPixelCount(width, height, maxPixels)

  try {
    // failOn 'truncated' refuses cut-off files (which would otherwise decode half grey) while
    // tolerating the harmless warnings many camera JPEGs carry.
    const { data, info } = await sharp(bytes, {
      limitInputPixels: maxPixels,
      failOn: 'truncated',
      pages: 1,
      page: 0,
    })
      .autoOrient()
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 4 || data.length !== info.width * info.height * 4) {
      throw new AppError('IMAGE_INVALID', 'image.corrupt', { format })
    }
    return {
      width: info.width,
      height: info.height,
      channels: 4,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    }
  } catch (err) {
    if (err instanceof AppError) throw err
    if (err instanceof Error && /pixel limit/i.test(err.message)) {
      throw tooLarge(width, height, maxPixels)
    }
    throw new AppError('IMAGE_INVALID', 'image.corrupt', { format })
  }
}

/**
 * Reads an image file whole, refusing folders, FIFOs, devices and files over `maxBytes` before
 * reading them, and stopping at the cap even if the file grows while being read.
 */
export function readImageFile(path: string, opts: ReadImageOptions = {}): Promise<Uint8Array> {
  return readUserFile(path, {
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES,
    missing: () => new AppError('NOT_FOUND', 'image.fileNotFound', { path }),
    notAFile: () => new AppError('IMAGE_INVALID', 'image.notAFile', { path }),
    tooLarge: (_, size, limit) => fileTooLarge(size, limit),
  })
}

function isAccepted(kind: SniffedKind): kind is AcceptedKind {
  return (ACCEPTED as readonly string[]).includes(kind)
}

function refusal(kind: SniffedKind): AppError {
  switch (kind) {
    case 'empty':
      return new AppError('IMAGE_INVALID', 'image.empty')
    case 'svg':
      return new AppError('IMAGE_INVALID', 'image.isSvg')
    case 'html':
      return new AppError('IMAGE_INVALID', 'image.isHtml')
    case 'xml':
      return new AppError('IMAGE_INVALID', 'image.isXml')
    case 'text':
      return new AppError('IMAGE_INVALID', 'image.isText')
    case 'tiff':
    case 'heic':
    case 'avif':
    case 'ico':
    case 'psd':
      return new AppError('IMAGE_INVALID', 'image.unsupportedFormat', {
        format: FORMAT_NAMES[kind],
      })
    case 'pdf':
    case 'zip':
    case 'gzip':
      return new AppError('IMAGE_INVALID', 'image.notAnImage', { format: FORMAT_NAMES[kind] })
    default:
      return new AppError('IMAGE_INVALID', 'image.unknownFormat')
  }
}

function checkPixelCount(width: number, height: number, maxPixels: number): void {
  if (!(width > 0 && height > 0)) throw new AppError('IMAGE_INVALID', 'image.unknownFormat')
  if (width * height > maxPixels) throw tooLarge(width, height, maxPixels)
}

function tooLarge(width: number, height: number, maxPixels: number): AppError {
  // Strings, so the message reads 30000×30000 rather than with thousands separators.
  return new AppError('IMAGE_TOO_LARGE', 'image.tooManyPixels', {
    width: String(width),
    height: String(height),
    limit: Math.round((maxPixels / 1_000_000) * 100) / 100,
  })
}

function fileTooLarge(size: number, maxBytes: number): AppError {
  const mb = (n: number): number => Math.round((n / 1024 / 1024) * 10) / 10
  return new AppError('IMAGE_TOO_LARGE', 'image.fileTooLarge', {
    size: mb(size),
    limit: mb(maxBytes),
  })
}

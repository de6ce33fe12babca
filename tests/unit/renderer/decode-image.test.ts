import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { translate } from '../../../src/shared/i18n'
import {
  decodeImageFile,
  ImageRefusal,
  MAX_FILE_BYTES,
  readImageSize,
  sniffImageKind,
  type ImageKind,
} from '../../../src/renderer/src/lib/decode-image'

const fixtures = join(import.meta.dirname, '../../fixtures')
const bytesOf = (dir: string, name: string) =>
  new Uint8Array(readFileSync(join(fixtures, dir, name)))
const digits = readdirSync(join(fixtures, 'digits')).filter((f) => /^\d/.test(f))

function refusal(bytes: Uint8Array): { key: string; params: unknown } {
  try {
    sniffImageKind(bytes)
  } catch (err) {
    if (err instanceof ImageRefusal) return { key: err.key, params: err.params }
    throw err
  }
  throw new Error('expected a refusal')
}

/** BMP's header width and height, read by hand from the file's documented offsets. */
function bmpSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset)
  return { width: view.getInt32(18, true), height: Math.abs(view.getInt32(22, true)) }
}

describe('sniffImageKind', () => {
  it('names each real digit file by its bytes, as its extension says', () => {
    const byExtension: Record<string, ImageKind> = {
      jpg: 'jpeg',
      png: 'png',
      bmp: 'bmp',
      gif: 'gif',
      webp: 'webp',
    }
    expect(digits.length).toBeGreaterThanOrEqual(20)
    for (const name of digits) {
      expect(sniffImageKind(bytesOf('digits', name))).toBe(byExtension[name.split('.').pop()!])
    }
  })

  it('goes by the bytes, not the name, and says what a non-image is', () => {
    expect(refusal(bytesOf('hostile', 'page-named.jpg')).key).toBe('image.isHtml')
    expect(sniffImageKind(bytesOf('digits', '7-thick-marker.png').slice())).toBe('png')
  })

  it('refuses what is not a picture Sinapse reads, saying what it is', () => {
    const enc = (s: string) => new TextEncoder().encode(s)
    expect(refusal(new Uint8Array(0)).key).toBe('image.empty')
    expect(refusal(bytesOf('hostile', 'svg-with-script.png')).key).toBe('image.isSvg')
    expect(refusal(bytesOf('hostile', 'text-named.png')).key).toBe('image.isText')
    expect(refusal(enc('\uFEFF  <!DOCTYPE html><p>hi')).key).toBe('image.isHtml')
    expect(refusal(enc('<body onload=x>')).key).toBe('image.isHtml')
    // Self-closing tags: an empty SVG is still an SVG, not some XML.
    expect(refusal(enc('<svg/>')).key).toBe('image.isSvg')
    expect(refusal(enc('<body/>')).key).toBe('image.isHtml')
    expect(refusal(enc('<?xml version="1.0"?><a/>')).key).toBe('image.isXml')
    expect(refusal(Uint8Array.of(0x49, 0x49, 0x2a, 0, 8, 0, 0, 0))).toEqual({
      key: 'image.unsupportedFormat',
      params: { format: 'TIFF' },
    })
    expect(refusal(Uint8Array.of(0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8)).params).toEqual({
      format: 'TIFF',
    })
    expect(refusal(Uint8Array.of(0, 0, 0, 0x18, ...enc('ftypheic'))).params).toEqual({
      format: 'HEIC',
    })
    expect(refusal(enc('%PDF-1.7\n')).params).toEqual({ format: 'PDF' })
    expect(refusal(Uint8Array.of(0x50, 0x4b, 3, 4, 20, 0))).toEqual({
      key: 'image.notAnImage',
      params: { format: 'ZIP' },
    })
    expect(refusal(Uint8Array.of(1, 2, 3, 0, 5)).key).toBe('image.unknownFormat')
    expect(refusal(Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 65 : 7))).key).toBe(
      'image.unknownFormat',
    )
    // A PNG or GIF signature cut short is not that format.
    expect(refusal(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a)).key).toBe(
      'image.unknownFormat',
    )
    expect(refusal(enc('GIF87')).key).toBe('image.isText')
    expect(refusal(enc('BM')).key).toBe('image.isText')
  })
})

describe('readImageSize', () => {
  it('reads the same size from the header as sharp decodes, for every real digit', async () => {
    for (const name of digits) {
      const bytes = bytesOf('digits', name)
      const kind = sniffImageKind(bytes)
      // sharp cannot read BMP; its header fields are read by hand instead.
      const expected =
        kind === 'bmp'
          ? bmpSize(bytes)
          : await sharp(bytes)
              .metadata()
              .then((m) => ({ width: m.width, height: m.pageHeight ?? m.height }))
      expect({ name, ...readImageSize(bytes, kind) }).toEqual({ name, ...expected })
    }
  })

  it('reads the huge sizes a decompression bomb declares, before any decoding', () => {
    expect(readImageSize(bytesOf('hostile', 'huge-30000x30000.png'), 'png')).toEqual({
      width: 30000,
      height: 30000,
    })
    expect(readImageSize(bytesOf('hostile', 'huge-dims-100000x100000.bmp'), 'bmp')).toEqual({
      width: 100000,
      height: 100000,
    })
  })

  it('answers null for headers cut short instead of reading past them', () => {
    for (const name of digits) {
      const bytes = bytesOf('digits', name)
      const kind = sniffImageKind(bytes)
      expect(readImageSize(bytes.subarray(0, 9), kind)).toBeNull()
    }
    // A JPEG whose first segment is not a marker.
    expect(
      readImageSize(Uint8Array.of(0xff, 0xd8, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0), 'jpeg'),
    ).toBeNull()
  })

  it('reads every WebP header form and the old OS/2 BMP header', () => {
    const riff = (chunk: string, body: number[]) =>
      Uint8Array.from([
        ...new TextEncoder().encode(`RIFF\0\0\0\0WEBP${chunk}`),
        ...body,
        ...new Array(30).fill(0),
      ])
    // VP8X: 24-bit width-1 and height-1 at bytes 24 and 27.
    const vp8x = riff('VP8X', [0, 0, 0, 0, 0, 0, 0, 0, 0x1f, 0x03, 0x00, 0xc7, 0x00, 0x00])
    expect(readImageSize(vp8x, 'webp')).toEqual({ width: 800, height: 200 })
    // VP8L: 14-bit width-1 and height-1 packed from byte 21.
    const bits = (640 - 1) | ((480 - 1) << 14)
    const vp8l = riff('VP8L', [
      0,
      0,
      0,
      0,
      0x2f,
      bits & 255,
      (bits >> 8) & 255,
      (bits >> 16) & 255,
      bits >>> 24,
    ])
    expect(readImageSize(vp8l, 'webp')).toEqual({ width: 640, height: 480 })
    // VP8 (lossy): 14-bit width and height at bytes 26 and 28.
    const vp8 = riff('VP8 ', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x01, 0xf0, 0x00])
    expect(readImageSize(vp8, 'webp')).toEqual({ width: 320, height: 240 })
    expect(readImageSize(riff('ALPH', []), 'webp')).toBeNull()
    // BITMAPCOREHEADER (12 bytes): 16-bit width and height.
    const core = new Uint8Array(32)
    core.set([0x42, 0x4d])
    const view = new DataView(core.buffer)
    view.setUint32(14, 12, true)
    view.setUint16(18, 300, true)
    view.setUint16(20, 70, true)
    expect(readImageSize(core, 'bmp')).toEqual({ width: 300, height: 70 })
  })
})

describe('a file over the size cap', () => {
  it("names its size with the reader's decimal separator", async () => {
    // 20.5 MB of zeros: refused by size before a single byte is read.
    const file = new Blob([new Uint8Array(MAX_FILE_BYTES + 512 * 1024)])
    const refused = await decodeImageFile(file).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(ImageRefusal)
    const { key, params } = refused as ImageRefusal
    expect(translate('pt-BR', key, params)).toContain('20,5 MB')
    expect(translate('en', key, params)).toContain('20.5 MB')
  })
})

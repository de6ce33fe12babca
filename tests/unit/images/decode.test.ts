import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeImage, readImageFile, sniffImageKind } from '../../../src/main/images/decode'
import { refusal } from '../refusal'

const fixtures = join(import.meta.dirname, '../../fixtures')
const digit = (name: string): Promise<Uint8Array> => readImageFile(join(fixtures, 'digits', name))
const hostile = (name: string): Promise<Uint8Array> =>
  readImageFile(join(fixtures, 'hostile', name))
const scratch = mkdtempSync(join(tmpdir(), 'sinapse-decode-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function pixel(img: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const p = (y * img.width + x) * 4
  return Array.from(img.data.subarray(p, p + 4))
}

/** A BMP built byte by byte, so expected pixels are known exactly. */
function bmp(opts: {
  width: number
  height: number
  bpp: number
  rows: number[][]
  palette?: number[][]
  topDown?: boolean
  compression?: number
  masks?: number[]
}): Uint8Array {
  const { width, height, bpp, rows } = opts
  const stride = Math.floor((bpp * width + 31) / 32) * 4
  const masksSize = opts.masks ? opts.masks.length * 4 : 0
  const paletteSize = (opts.palette?.length ?? 0) * 4
  const offset = 54 + masksSize + paletteSize
  const out = Buffer.alloc(offset + stride * height)
  out.write('BM', 0, 'ascii')
  out.writeUInt32LE(out.length, 2)
  out.writeUInt32LE(offset, 10)
  out.writeUInt32LE(40, 14)
  out.writeInt32LE(width, 18)
  out.writeInt32LE(opts.topDown ? -height : height, 22)
  out.writeUInt16LE(1, 26)
  out.writeUInt16LE(bpp, 28)
  out.writeUInt32LE(opts.compression ?? 0, 30)
  out.writeUInt32LE(opts.palette?.length ?? 0, 46)
  opts.masks?.forEach((m, i) => out.writeUInt32LE(m, 54 + i * 4))
  opts.palette?.forEach(([r, g, b], i) => {
    out[54 + masksSize + i * 4] = b
    out[54 + masksSize + i * 4 + 1] = g
    out[54 + masksSize + i * 4 + 2] = r
  })
  rows.forEach((row, y) => {
    const at = offset + (opts.topDown ? y : height - 1 - y) * stride
    row.forEach((byte, i) => (out[at + i] = byte))
  })
  return new Uint8Array(out)
}

describe('decodeImage: accepted formats', () => {
  it.each([
    ['0-dark-on-light-paper.jpg', 640, 480],
    ['2-off-center-big-canvas.png', 1600, 1200],
    ['5-canvas-drawing.webp', 300, 300],
    ['4-animated-first-frame.gif', 240, 240],
    ['2-bitmap-24bit.bmp', 120, 120],
    ['3-paletted-8bit.bmp', 160, 160],
    ['9-transparent-background.png', 280, 280],
  ])('%s decodes to %i×%i RGBA', async (name, width, height) => {
    const img = await decodeImage(await digit(name))
    expect([img.width, img.height, img.channels]).toEqual([width, height, 4])
    expect(img.data.length).toBe(width * height * 4)
    expect(pixel(img, 2, 2)[3]).toBe(name.includes('transparent') ? 0 : 255)
  })

  it('keeps the alpha of a transparent PNG: clear corners, opaque dark strokes', async () => {
    const img = await decodeImage(await digit('9-transparent-background.png'))
    let opaqueDark = 0
    for (let i = 0; i < img.data.length; i += 4) {
      if (img.data[i + 3] === 255 && img.data[i] < 40) opaqueDark++
    }
    expect(pixel(img, 0, 0)[3]).toBe(0)
    expect(opaqueDark).toBeGreaterThan(500)
  })

  it('decodes a 24-bit BMP fixture to the same pixels sharp renders from its PNG twin', async () => {
    const img = await decodeImage(await digit('2-bitmap-24bit.bmp'))
    const png = await sharp(Buffer.from(img.data), {
      raw: { width: 120, height: 120, channels: 4 },
    })
      .png()
      .toBuffer()
    const again = await decodeImage(new Uint8Array(png))
    expect(Buffer.from(again.data).equals(Buffer.from(img.data))).toBe(true)
    expect(pixel(img, 0, 0)).toEqual([255, 255, 255, 255])
    expect(Math.min(...Array.from(img.data.filter((_, i) => i % 4 === 0)))).toBeLessThan(30)
  })

  it('applies EXIF orientation, so a phone photo taken sideways stands upright', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#fff' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer()
    const img = await decodeImage(new Uint8Array(jpeg))
    expect([img.width, img.height]).toEqual([20, 40])
  })

  it('turns greyscale and 16-bit PNGs into 8-bit RGBA', async () => {
    const gray16 = await sharp({
      create: { width: 5, height: 3, channels: 3, background: '#808080' },
    })
      .toColourspace('grey16')
      .png()
      .toBuffer()
    const img = await decodeImage(new Uint8Array(gray16))
    expect([img.width, img.height, img.data.length]).toEqual([5, 3, 60])
    expect(pixel(img, 4, 2)).toEqual([128, 128, 128, 255])
  })

  it('refuses an image over the pixel cap, naming its dimensions', async () => {
    const err = await refusal(
      decodeImage(await digit('2-off-center-big-canvas.png'), { maxPixels: 1_000_000 }),
    )
    expect(err.code).toBe('IMAGE_TOO_LARGE')
    expect(err.message).toContain('1600×1200 pixels is too large (limit 1 megapixels)')
  })
})

describe('decodeImage: BMP decoder', () => {
  it('reads bottom-up 24-bit rows with padding in the right order and colours', async () => {
    const img = await decodeImage(
      bmp({
        width: 3,
        height: 2,
        bpp: 24,
        rows: [
          [0, 0, 255, 0, 255, 0, 255, 0, 0],
          [10, 20, 30, 40, 50, 60, 70, 80, 90],
        ],
      }),
    )
    expect([img.width, img.height]).toEqual([3, 2])
    expect(pixel(img, 0, 0)).toEqual([255, 0, 0, 255])
    expect(pixel(img, 1, 0)).toEqual([0, 255, 0, 255])
    expect(pixel(img, 2, 0)).toEqual([0, 0, 255, 255])
    expect(pixel(img, 2, 1)).toEqual([90, 80, 70, 255])
  })

  it('reads top-down 8-bit paletted and 4-bit paletted pixels', async () => {
    const palette = [
      [0, 0, 0],
      [200, 100, 50],
      [255, 255, 255],
    ]
    const eight = await decodeImage(
      bmp({ width: 3, height: 1, bpp: 8, rows: [[2, 1, 0]], palette, topDown: true }),
    )
    expect([pixel(eight, 0, 0), pixel(eight, 1, 0), pixel(eight, 2, 0)]).toEqual([
      [255, 255, 255, 255],
      [200, 100, 50, 255],
      [0, 0, 0, 255],
    ])
    const four = await decodeImage(
      bmp({ width: 3, height: 1, bpp: 4, rows: [[0x12, 0x00]], palette }),
    )
    expect([pixel(four, 0, 0), pixel(four, 1, 0), pixel(four, 2, 0)]).toEqual([
      [200, 100, 50, 255],
      [255, 255, 255, 255],
      [0, 0, 0, 255],
    ])
  })

  it('reads 32-bit bitfields and treats an all-zero alpha channel as opaque', async () => {
    const img = await decodeImage(
      bmp({
        width: 2,
        height: 1,
        bpp: 32,
        compression: 3,
        masks: [0x00ff0000, 0x0000ff00, 0x000000ff],
        rows: [[30, 20, 10, 0, 0, 0, 255, 0]],
      }),
    )
    expect([pixel(img, 0, 0), pixel(img, 1, 0)]).toEqual([
      [10, 20, 30, 255],
      [255, 0, 0, 255],
    ])
  })

  it('refuses a palette index outside the palette and a 16-bit BMP', async () => {
    const bad = bmp({ width: 1, height: 1, bpp: 8, rows: [[7]], palette: [[0, 0, 0]] })
    expect((await refusal(decodeImage(bad))).key).toBe('image.corrupt')
    const sixteen = bmp({ width: 1, height: 1, bpp: 16, rows: [[0, 0]] })
    const err = await refusal(decodeImage(sixteen))
    expect([err.code, err.key, err.message]).toEqual([
      'IMAGE_INVALID',
      'image.bmpUnsupported',
      'This BMP file uses 16-bit colour, which Sinapse does not read. Save it as PNG.',
    ])
  })
})

describe('decodeImage: hostile files', () => {
  it.each([
    ['text-named.png', 'IMAGE_INVALID', 'image.isText'],
    ['svg-with-script.png', 'IMAGE_INVALID', 'image.isSvg'],
    ['svg-with-script.svg', 'IMAGE_INVALID', 'image.isSvg'],
    ['page-named.jpg', 'IMAGE_INVALID', 'image.isHtml'],
    ['truncated.png', 'IMAGE_INVALID', 'image.corrupt'],
    ['truncated.jpg', 'IMAGE_INVALID', 'image.corrupt'],
    ['truncated.bmp', 'IMAGE_INVALID', 'image.corrupt'],
    ['rle-compressed.bmp', 'IMAGE_INVALID', 'image.bmpUnsupported'],
    ['empty.png', 'IMAGE_INVALID', 'image.empty'],
    ['huge-30000x30000.png', 'IMAGE_TOO_LARGE', 'image.tooManyPixels'],
    ['huge-dims-100000x100000.bmp', 'IMAGE_TOO_LARGE', 'image.tooManyPixels'],
  ])('%s is refused with %s (%s)', async (name, code, key) => {
    const err = await refusal(decodeImage(await hostile(name)))
    expect([err.code, err.key]).toEqual([code, key])
  })

  it('says what an SVG is and what to do, in both languages', async () => {
    const err = await refusal(decodeImage(await hostile('svg-with-script.png')))
    expect(err.message).toBe('This file is an SVG drawing, not a photo: save it as PNG or JPEG.')
    expect(err.localized('pt-BR')).toBe(
      'Este arquivo é um desenho SVG, não uma foto: salve-o como PNG ou JPEG.',
    )
  })

  it('names the dimensions of the 30000×30000 PNG, a valid file of ~110 KB', async () => {
    const bytes = await hostile('huge-30000x30000.png')
    expect(bytes.length).toBeLessThan(150_000)
    const err = await refusal(decodeImage(bytes))
    expect(err.message).toContain('30000×30000 pixels is too large (limit 25 megapixels)')
  })

  it('names the format of a cut-off file', async () => {
    const err = await refusal(decodeImage(await hostile('truncated.jpg')))
    expect(err.message).toBe(
      'This JPEG file is damaged or incomplete, so it cannot be read. Save or download it again.',
    )
  })

  it('refuses random bytes and a corrupted header behind a valid signature', async () => {
    const noise = new Uint8Array(256).map((_, i) => (i * 97 + 13) % 256)
    expect((await refusal(decodeImage(noise))).key).toBe('image.unknownFormat')
    const fakePng = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])
    expect((await refusal(decodeImage(fakePng))).key).toBe('image.corrupt')
  })
})

describe('sniffImageKind', () => {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s)
  it.each([
    ['\uFEFF<?xml version="1.0"?>\n<!-- x -->\n<svg xmlns="http://www.w3.org/2000/svg">', 'svg'],
    ['  <svg viewBox="0 0 1 1"></svg>', 'svg'],
    ['<!doctype html><title>x</title>', 'html'],
    ['<?xml version="1.0"?><note/>', 'xml'],
    ['7\n', 'text'],
    ['%PDF-1.7\n', 'pdf'],
  ])('%j is %s', (content, kind) => {
    expect(sniffImageKind(text(content))).toBe(kind)
  })

  it.each([
    [[0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0], 'tiff'],
    [[0, 0, 0, 0x1c, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63], 'heic'],
    [[0, 0, 0, 0x1c, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66], 'avif'],
    [[0x50, 0x4b, 0x03, 0x04, 0, 0], 'zip'],
    [[0x42, 0x4d, 1, 2, 3], 'unknown'],
  ])('%j is %s', (bytes, kind) => {
    expect(sniffImageKind(new Uint8Array(bytes))).toBe(kind)
  })

  it('refuses a HEIC photo by name of its format', async () => {
    const heic = new Uint8Array([0, 0, 0, 0x1c, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63])
    const err = await refusal(decodeImage(heic))
    expect(err.message).toBe(
      'This is a HEIC image, which Sinapse does not read. Save it as PNG or JPEG.',
    )
  })
})

describe('readImageFile', () => {
  it('reads a file whole', async () => {
    const path = join(scratch, 'a.bin')
    writeFileSync(path, Buffer.from([1, 2, 3, 4, 5]))
    expect(Array.from(await readImageFile(path))).toEqual([1, 2, 3, 4, 5])
  })

  it('refuses a file over the size cap before reading it', async () => {
    const path = join(scratch, 'big.bin')
    writeFileSync(path, Buffer.alloc(3 * 1024 * 1024))
    const err = await refusal(readImageFile(path, { maxBytes: 1024 * 1024 }))
    expect(err.message).toContain('The file is 3 MB, more than the 1 MB limit.')
    expect(err.code).toBe('IMAGE_TOO_LARGE')
  })

  it('refuses a missing file and a folder with their own messages', async () => {
    const missing = join(scratch, 'nope.png')
    expect((await refusal(readImageFile(missing))).message).toBe(
      `There is no file at ${missing}. Check the name and the folder.`,
    )
    const err = await refusal(readImageFile(scratch))
    expect(err.code).toBe('IMAGE_INVALID')
    expect(err.key).toBe('image.notAFile')
  })
})

import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { decodeImage, readImageFile, sniffImageKind } from '../../../src/main/images/decode'
import { refusal } from '../refusal'

// Small images and byte strings: a hang fails in a minute.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const scratch = mkdtempSync(join(tmpdir(), 'sinapse-sniff-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)))
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

const what = (err: AppError) => [err.code, err.key, err.params]

// First in the file on purpose: `decode.ts` configures sharp once per module, at the first
// decode, so only the file's first decoding test runs that code (and a mutation of it).
describe('decodeImage: sharp settings', () => {
  it('runs libvips on one thread with its operation cache off', async () => {
    await decodeImage(
      new Uint8Array(
        await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
          .png()
          .toBuffer(),
      ),
    )
    expect(sharp.concurrency()).toBe(1)
    const cache = sharp.cache()
    expect([cache.memory.max, cache.files.max, cache.items.max]).toEqual([0, 0, 0])
  })
})

describe('sniffImageKind: signatures', () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'png'],
    [[0xff, 0xd8, 0xff], 'jpeg'],
    ['GIF87a', 'gif'],
    ['GIF89a', 'gif'],
    ['RIFF\x10\x00\x00\x00WEBP', 'webp'],
    [[0x49, 0x49, 0x2a, 0x00], 'tiff'],
    [[0x4d, 0x4d, 0x00, 0x2a], 'tiff'],
    [[0x00, 0x00, 0x01, 0x00], 'ico'],
    ['8BPS', 'psd'],
    ['%PDF-', 'pdf'],
    [[0x50, 0x4b, 0x03, 0x04], 'zip'],
    [[0x1f, 0x8b], 'gzip'],
  ] as const)('exactly the signature %j is %s', (sig, kind) => {
    // Nothing after the signature: the length check must accept a file of exactly its size.
    expect(sniffImageKind(bytes(typeof sig === 'string' ? sig : [...sig]))).toBe(kind)
  })

  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a], 'png'],
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b], 'png'],
    [[0xff, 0xd8], 'jpeg'],
    [[0xff, 0xd8, 0xfe], 'jpeg'],
    [[0x1f], 'gzip'],
    [[0x1f, 0x8c], 'gzip'],
    [[0x49, 0x49, 0x2a, 0x01], 'tiff'],
    [[0x4d, 0x4d, 0x00, 0x2b], 'tiff'],
    [[0x00, 0x00, 0x01, 0x01], 'ico'],
    [[0x50, 0x4b, 0x03, 0x05], 'zip'],
  ])('%j, one byte short or off, is not %s', (sig, kind) => {
    expect(sniffImageKind(new Uint8Array(sig))).not.toBe(kind)
  })

  it.each([
    ['GIF88a', 'text'],
    ['RIFF\x10\x00\x00\x00WAVE', 'unknown'],
    ['RIFX\x10\x00\x00\x00WEBP', 'unknown'],
    ['8BPX', 'text'],
    ['%PDF 1', 'text'],
  ])('%j is not an image (%s)', (s, kind) => {
    expect(sniffImageKind(bytes(s))).toBe(kind)
  })

  it.each([
    ['avif', 'avif'],
    ['avis', 'avif'],
    ['heic', 'heic'],
    ['heix', 'heic'],
    ['heim', 'heic'],
    ['heis', 'heic'],
    ['hevc', 'heic'],
    ['mif1', 'heic'],
    ['msf1', 'heic'],
    ['isom', 'unknown'],
  ])('an ftyp box of brand %s is %s', (brand, kind) => {
    expect(sniffImageKind(bytes([0, 0, 0, 0x18], 'ftyp', brand, [0, 0, 0, 0]))).toBe(kind)
  })
})

describe('sniffImageKind: text', () => {
  it.each([
    ['<svg>', 'svg'],
    ['<svg\nxmlns="http://www.w3.org/2000/svg"/>', 'svg'],
    ['<svgx/>', 'xml'],
    ['<svg/>', 'svg'],
    ['<body/>', 'html'],
    ['<?xml version="1.0"?>\n<!-- a note --><svg\tviewBox="0 0 1 1"/>', 'svg'],
    ['<!DOCTYPE HTML>\n<p>hi', 'html'],
    ['<html>', 'html'],
    ['<head><title>x</title>', 'html'],
    ['<body class="a">', 'html'],
    ['<script>alert(1)</script>', 'html'],
    ['<scripts/>', 'xml'],
    ['<note/>', 'xml'],
    ['\uFEFF<note/>', 'xml'],
    [' \n\t <note/>', 'xml'],
    ['note <b>', 'text'],
    ['', 'empty'],
  ])('%j is %s', (s, kind) => {
    expect(sniffImageKind(text(s))).toBe(kind)
  })

  it('reads UTF-16 text by its byte-order mark, both byte orders', () => {
    const le = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('<svg viewBox="0 0 1 1">', 'utf16le'),
    ])
    expect(sniffImageKind(new Uint8Array(le))).toBe('svg')
    const be = Buffer.from(Buffer.from('<html>', 'utf16le').swap16())
    expect(sniffImageKind(new Uint8Array([0xfe, 0xff, ...be]))).toBe('html')
    // Without its mark, UTF-16 is full of zero bytes: not text.
    expect(sniffImageKind(new Uint8Array(Buffer.from('<html>', 'utf16le')))).toBe('unknown')
  })

  it('allows tabs and line breaks, and up to one control byte in fifty', () => {
    const clean = 'a'.repeat(98)
    expect(sniffImageKind(text(`\t\n\v\f\r${clean}`))).toBe('text')
    // 100 bytes: 2 control bytes are allowed, 3 are not.
    expect(sniffImageKind(text(`\x01\x1f${clean}`))).toBe('text')
    expect(sniffImageKind(text(`\x01\x1f\x08${clean.slice(1)}`))).toBe('unknown')
    // 8 and 14–31 are control bytes, 9–13 and 32 are not.
    for (const b of [8, 14, 31]) {
      const three = String.fromCharCode(b).repeat(3)
      expect(sniffImageKind(text(three + clean.slice(1))), `byte ${b}`).toBe('unknown')
    }
    for (const b of [9, 13, 32]) {
      const three = String.fromCharCode(b).repeat(3)
      expect(sniffImageKind(text(three + clean.slice(1))), `byte ${b}`).toBe('text')
    }
    expect(sniffImageKind(text(`a\x00b`))).toBe('unknown')
  })

  it('judges by the first 4,096 bytes only', () => {
    const head = 'x'.repeat(4096)
    expect(sniffImageKind(text(head + '\x00'.repeat(100)))).toBe('text')
    expect(sniffImageKind(text(head + '\x01'.repeat(2000)))).toBe('text')
    expect(sniffImageKind(text(`${' '.repeat(4092)}<svg> `))).toBe('xml')
  })
})

describe('decodeImage: refusals by kind', () => {
  it.each([
    [[0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0], 'image.unsupportedFormat', 'TIFF'],
    [[0, 0, 0, 0x18, ...text('ftypavif')], 'image.unsupportedFormat', 'AVIF'],
    [[0, 0, 1, 0, 1, 0], 'image.unsupportedFormat', 'ICO'],
    [[...text('8BPS'), 0, 1], 'image.unsupportedFormat', 'Photoshop (PSD)'],
    [[...text('%PDF-1.4')], 'image.notAnImage', 'PDF'],
    [[0x50, 0x4b, 0x03, 0x04, 0, 0], 'image.notAnImage', 'ZIP'],
    [[0x1f, 0x8b, 8, 0], 'image.notAnImage', 'GZIP'],
  ])('%j is refused as %s naming %s', async (sig, key, format) => {
    const err = await refusal(decodeImage(new Uint8Array(sig)))
    expect(what(err)).toEqual(['IMAGE_INVALID', key, { format }])
  })

  it.each([
    ['', 'image.empty'],
    ['<svg/>', 'image.isSvg'],
    ['<html>', 'image.isHtml'],
    ['<note/>', 'image.isXml'],
    ['seven', 'image.isText'],
  ])('%j is refused as %s', async (s, key) => {
    expect(what(await refusal(decodeImage(text(s))))).toEqual(['IMAGE_INVALID', key, {}])
  })

  it('refuses bytes of no known kind as an unknown format', async () => {
    const err = await refusal(decodeImage(new Uint8Array([0, 1, 2, 3])))
    expect(what(err)).toEqual(['IMAGE_INVALID', 'image.unknownFormat', {}])
  })

  it.each([
    ['png', 'PNG'],
    ['webp', 'WebP'],
    ['gif', 'GIF'],
  ] as const)('names the format of a damaged %s', async (format, name) => {
    const good = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } })
      .toFormat(format)
      .toBuffer()
    // The signature stays; the rest is cut or garbled.
    const cut = new Uint8Array(good.subarray(0, Math.min(good.length - 1, 20)))
    const err = await refusal(decodeImage(cut))
    expect(what(err)).toEqual(['IMAGE_INVALID', 'image.corrupt', { format: name }])
  })
})

describe('decodeImage: the pixel cap', () => {
  const square = (side: number, format: 'png' | 'gif') =>
    sharp({ create: { width: side, height: side, channels: 3, background: '#fff' } })
      .toFormat(format)
      .toBuffer()
      .then((b) => new Uint8Array(b))

  it('accepts an image of exactly the cap, refuses one pixel more', async () => {
    const png = await square(30, 'png')
    expect((await decodeImage(png, { maxPixels: 900 })).width).toBe(30)
    const err = await refusal(decodeImage(png, { maxPixels: 899 }))
    expect(what(err)).toEqual([
      'IMAGE_TOO_LARGE',
      'image.tooManyPixels',
      { width: '30', height: '30', limit: 0 },
    ])
  })

  it('refuses a BMP over the cap from its header, naming 0.01 megapixels', async () => {
    const bmpErr = await refusal(
      decodeImage(
        await readImageFile(join(import.meta.dirname, '../../fixtures/digits/2-bitmap-24bit.bmp')),
        {
          maxPixels: 14_399,
        },
      ),
    )
    expect(what(bmpErr)).toEqual([
      'IMAGE_TOO_LARGE',
      'image.tooManyPixels',
      { width: '120', height: '120', limit: 0.01 },
    ])
  })

  it('names 1.23 megapixels for a cap of 1,234,567', async () => {
    const png = await sharp({
      create: { width: 2000, height: 1000, channels: 3, background: '#fff' },
    })
      .png()
      .toBuffer()
    const err = await refusal(decodeImage(new Uint8Array(png), { maxPixels: 1_234_567 }))
    expect(err.params).toEqual({ width: '2000', height: '1000', limit: 1.23 })
    expect(err.message).toContain('2000×1000 pixels is too large (limit 1.23 megapixels)')
  })

  it('measures an animated GIF by one frame, not the whole strip', async () => {
    // Two 240×240 frames: within a cap of one frame's pixels.
    const gif = await readImageFile(
      join(import.meta.dirname, '../../fixtures/digits/4-animated-first-frame.gif'),
    )
    const img = await decodeImage(gif, { maxPixels: 240 * 240 })
    expect([img.width, img.height]).toEqual([240, 240])
  })
})

describe('sniffImageKind: edges (mutation-tested)', () => {
  it('reads a BMP header only when its 4-byte size field is all there', () => {
    const header = (tail: number[]) => bytes('BM', new Array(12).fill(0), tail)
    expect(sniffImageKind(header([40, 0, 0, 0]))).toBe('bmp')
    // 17 bytes: the missing byte must not count as 0.
    expect(sniffImageKind(header([40, 0, 0]))).toBe('unknown')
    expect(sniffImageKind(header([40, 0]))).toBe('unknown')
  })

  it('takes an AVIF or HEIC brand only after "ftyp"', () => {
    expect(sniffImageKind(bytes([0, 0, 0, 0x18], 'moov', 'avif', [0, 0, 0, 0]))).toBe('unknown')
    expect(sniffImageKind(text('abcdmoovheic'))).toBe('text')
  })

  it('reads UTF-16 only after both bytes of its byte-order mark', () => {
    const withByte = (before: string, byte: number, after: string) =>
      new Uint8Array([...text(before), byte, ...text(after)])
    // A lone 0xff or 0xfe is a stray byte of 8-bit text, which then reads as UTF-8.
    expect(sniffImageKind(withByte('', 0xff, '<svg>'))).toBe('svg')
    expect(sniffImageKind(withByte('', 0xfe, '<svg>'))).toBe('svg')
    expect(sniffImageKind(withByte('<', 0xfe, 'note/>'))).toBe('xml')
    expect(sniffImageKind(withByte('<', 0xff, 'note/>'))).toBe('xml')
  })

  it('calls text with one zero byte unknown, however long the text', () => {
    expect(sniffImageKind(text(`${'a'.repeat(99)}\x00`))).toBe('unknown')
    expect(sniffImageKind(text(`${'a'.repeat(99)}\x01`))).toBe('text')
  })

  it('drops one byte-order mark at the start, and only there', () => {
    // TextDecoder eats the first mark; a second one is the file's and is dropped too.
    expect(sniffImageKind(text('\uFEFF\uFEFF<note/>'))).toBe('xml')
    // U+FEFF inside a name splits it: "<sv…g>" is no SVG tag.
    expect(sniffImageKind(text('<sv\uFEFFg>'))).toBe('xml')
  })
})

describe('decodeImage: JPEG warnings', () => {
  it('decodes a JPEG carrying a harmless libjpeg warning (extraneous bytes before a marker)', async () => {
    const jpeg = await sharp({ create: { width: 16, height: 12, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer()
    // Two stray bytes before the second marker: libjpeg warns "Corrupt JPEG data: 2 extraneous
    // bytes before marker", as it does for many camera files; the picture itself is whole.
    const second = 4 + jpeg.readUInt16BE(4)
    expect(jpeg[second]).toBe(0xff)
    const warned = Buffer.concat([
      jpeg.subarray(0, second),
      Buffer.from([0x12, 0x34]),
      jpeg.subarray(second),
    ])
    await expect(sharp(warned, { failOn: 'warning' }).raw().toBuffer()).rejects.toThrow(
      /extraneous bytes/,
    )
    const img = await decodeImage(new Uint8Array(warned))
    expect([img.width, img.height]).toEqual([16, 12])
    expect(Array.from(img.data.subarray(0, 4))).toEqual([136, 136, 136, 255])
  })
})

describe('readImageFile: the size cap', () => {
  it('names sizes in megabytes to one decimal', async () => {
    const path = join(scratch, 'mid.bin')
    writeFileSync(path, Buffer.alloc(Math.round(1.46 * 1024 * 1024)))
    const err = await refusal(readImageFile(path, { maxBytes: 1024 * 1024 + 1 }))
    expect(what(err)).toEqual(['IMAGE_TOO_LARGE', 'image.fileTooLarge', { size: 1.5, limit: 1 }])
  })

  it('takes 50 MB as the default cap: one byte more is refused before reading', async () => {
    const path = join(scratch, 'sparse.bin')
    writeFileSync(path, '')
    truncateSync(path, 50 * 1024 * 1024 + 1)
    const err = await refusal(readImageFile(path))
    expect(what(err)).toEqual(['IMAGE_TOO_LARGE', 'image.fileTooLarge', { size: 50, limit: 50 }])
  })

  it('reads a file of exactly the cap', async () => {
    const path = join(scratch, 'exact.bin')
    writeFileSync(path, Buffer.alloc(1000, 7))
    expect((await readImageFile(path, { maxBytes: 1000 })).length).toBe(1000)
    expect((await refusal(readImageFile(path, { maxBytes: 999 }))).key).toBe('image.fileTooLarge')
  })

  it('names the path of a missing file and of a folder', async () => {
    const missing = join(scratch, 'gone.png')
    expect(what(await refusal(readImageFile(missing)))).toEqual([
      'NOT_FOUND',
      'image.fileNotFound',
      { path: missing },
    ])
    expect(what(await refusal(readImageFile(scratch)))).toEqual([
      'IMAGE_INVALID',
      'image.notAFile',
      { path: scratch },
    ])
  })
})

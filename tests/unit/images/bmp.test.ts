import { describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../src/shared/errors'
import { decodeBmp, readBmpHeader } from '../../../src/main/images/bmp'
import { decodeImage, sniffImageKind } from '../../../src/main/images/decode'

// Pure byte parsing, no training: a hang fails in a minute.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

/**
 * A BMP laid out byte by byte as the format's documentation describes it, for each header
 * generation: OS/2 (12 bytes, 16-bit sizes, 3-byte palette entries), BITMAPINFOHEADER (40, masks
 * after it), V2/V3 (52/56, masks inside), V4 (108) and V5 (124). Rows are given top row first,
 * without padding.
 */
interface BmpSpec {
  width: number
  height: number
  bpp: number
  rows: number[][]
  /** 12, 40, 52, 56, 64, 108 or 124; another size in 40–51 puts the masks after it. */
  header?: number
  compression?: number
  masks?: number[]
  palette?: number[][]
  colorsUsed?: number
  topDown?: boolean
  dataOffset?: number
  cut?: number
}

function bmp(spec: BmpSpec): Uint8Array {
  const header = spec.header ?? 40
  const { width, height, bpp, rows } = spec
  const stride = Math.floor((bpp * width + 31) / 32) * 4
  const masksAfter = header < 52 && spec.masks ? spec.masks.length * 4 : 0
  const entry = header === 12 ? 3 : 4
  const paletteAt = 14 + header + masksAfter
  const offset = spec.dataOffset ?? paletteAt + (spec.palette?.length ?? 0) * entry
  const out = Buffer.alloc(Math.max(offset, paletteAt) + Math.max(stride, 0) * height)
  out.write('BM', 0, 'ascii')
  out.writeUInt32LE(out.length, 2)
  out.writeUInt32LE(offset, 10)
  out.writeUInt32LE(header, 14)
  if (header === 12) {
    out.writeUInt16LE(width, 18)
    out.writeUInt16LE(height, 20)
    out.writeUInt16LE(1, 22)
    out.writeUInt16LE(bpp, 24)
  } else {
    out.writeInt32LE(width, 18)
    out.writeInt32LE(spec.topDown ? -height : height, 22)
    out.writeUInt16LE(1, 26)
    out.writeUInt16LE(bpp, 28)
    out.writeUInt32LE(spec.compression ?? 0, 30)
    out.writeUInt32LE(spec.colorsUsed ?? spec.palette?.length ?? 0, 46)
    const masksAt = header < 52 ? 14 + header : 54
    spec.masks?.forEach((m, i) => out.writeUInt32LE(m, masksAt + i * 4))
  }
  spec.palette?.forEach(([r, g, b], i) => {
    out[paletteAt + i * entry] = b
    out[paletteAt + i * entry + 1] = g
    out[paletteAt + i * entry + 2] = r
  })
  rows.forEach((row, y) => {
    const at = offset + (spec.topDown ? y : height - 1 - y) * stride
    row.forEach((byte, i) => (out[at + i] = byte))
  })
  return new Uint8Array(out.subarray(0, out.length - (spec.cut ?? 0)))
}

function pixels(img: { data: Uint8Array }): number[][] {
  const all: number[][] = []
  for (let i = 0; i < img.data.length; i += 4) all.push(Array.from(img.data.subarray(i, i + 4)))
  return all
}

function refusal(bytes: Uint8Array): AppError {
  try {
    const header = readBmpHeader(bytes)
    decodeBmp(bytes, header)
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return err as AppError
  }
  throw new Error('the BMP was accepted')
}

/** What `readBmpHeader` alone throws: the header is refused before any pixel is looked at. */
function headerRefusal(bytes: Uint8Array): AppError {
  try {
    readBmpHeader(bytes)
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return err as AppError
  }
  throw new Error('the BMP header was accepted')
}

const CORRUPT = ['IMAGE_INVALID', 'image.corrupt', { format: 'BMP' }]
const what = (err: AppError) => [err.code, err.key, err.params]

const GREY = [
  [0, 0, 0],
  [255, 255, 255],
]
const RGB_MASKS = [0x00ff0000, 0x0000ff00, 0x000000ff]

describe('readBmpHeader', () => {
  it('reads the geometry of a 24-bit file: stride padded to 4 bytes, where the rows end', () => {
    const bytes = bmp({ width: 3, height: 2, bpp: 24, rows: [[], []] })
    expect(readBmpHeader(bytes)).toEqual({
      width: 3,
      height: 2,
      topDown: false,
      bitsPerPixel: 24,
      dataOffset: 54,
      rowStride: 12,
      dataEnd: 54 + 24,
      palette: null,
      masks: null,
    })
  })

  it.each([
    [1, 9, 4],
    [1, 33, 8],
    [4, 9, 8],
    [8, 5, 8],
    [24, 1, 4],
    [32, 3, 12],
  ])('rows of %i-bit pixels, %i wide, take %i bytes', (bpp, width, stride) => {
    const palette = bpp <= 8 ? GREY : undefined
    const bytes = bmp({ width, height: 1, bpp, rows: [[]], palette })
    expect(readBmpHeader(bytes).rowStride).toBe(stride)
  })

  it('reads a top-down file (negative height) as such', () => {
    const header = readBmpHeader(bmp({ width: 2, height: 3, bpp: 24, rows: [], topDown: true }))
    expect([header.height, header.topDown]).toEqual([3, true])
  })
})

describe('BMP pixels', () => {
  it('decodes an OS/2 8-bit file with a full 3-byte palette', async () => {
    const palette = Array.from({ length: 256 }, (_, i) => [i, 255 - i, (i * 7) % 256])
    const img = await decodeImage(
      bmp({
        header: 12,
        width: 3,
        height: 2,
        bpp: 8,
        palette,
        rows: [
          [0, 1, 2],
          [255, 128, 7],
        ],
      }),
    )
    expect(pixels(img)).toEqual([
      [0, 255, 0, 255],
      [1, 254, 7, 255],
      [2, 253, 14, 255],
      [255, 0, (255 * 7) % 256, 255],
      [128, 127, (128 * 7) % 256, 255],
      [7, 248, 49, 255],
    ])
  })

  it('decodes 1-bit pixels across byte boundaries, most significant bit first', async () => {
    const img = await decodeImage(
      bmp({ width: 10, height: 1, bpp: 1, palette: GREY, rows: [[0b10110001, 0b01000000]] }),
    )
    expect(pixels(img).map((p) => p[0])).toEqual([255, 0, 255, 255, 0, 0, 0, 255, 0, 255])
  })

  it('decodes 4-bit pixels, high nibble first, in an odd-width bottom-up file', async () => {
    const palette = Array.from({ length: 16 }, (_, i) => [i * 16, i, 255 - i])
    const img = await decodeImage(
      bmp({
        width: 3,
        height: 2,
        bpp: 4,
        palette,
        rows: [
          [0xf1, 0x20],
          [0x0e, 0x70],
        ],
      }),
    )
    expect(pixels(img)).toEqual([
      [240, 15, 240, 255],
      [16, 1, 254, 255],
      [32, 2, 253, 255],
      [0, 0, 255, 255],
      [224, 14, 241, 255],
      [112, 7, 248, 255],
    ])
  })

  it('decodes 32-bit BI_RGB as blue, green, red, ignoring the fourth byte', async () => {
    const img = await decodeImage(
      bmp({ width: 2, height: 1, bpp: 32, rows: [[1, 2, 3, 0, 40, 50, 60, 0x80]] }),
    )
    expect(pixels(img)).toEqual([
      [3, 2, 1, 255],
      [60, 50, 40, 255],
    ])
  })

  it('uses only the first colorsUsed palette entries and refuses an index past them', () => {
    const palette = [
      [1, 2, 3],
      [4, 5, 6],
    ]
    const ok = bmp({ width: 2, height: 1, bpp: 8, palette, rows: [[1, 0]] })
    const header = readBmpHeader(ok)
    expect(Array.from(header.palette!)).toEqual([1, 2, 3, 4, 5, 6])
    expect(pixels(decodeBmp(ok, header))).toEqual([
      [4, 5, 6, 255],
      [1, 2, 3, 255],
    ])
    expect(what(refusal(bmp({ width: 1, height: 1, bpp: 8, palette, rows: [[2]] })))).toEqual(
      CORRUPT,
    )
  })

  it('reads 10-bit channel masks, scaling each to 0–255', async () => {
    // R in bits 20–29, G in 10–19, B in 0–9.
    const masks = [0x3ff00000, 0x000ffc00, 0x000003ff]
    const px = (r: number, g: number, b: number) => {
      const v = ((r << 20) | (g << 10) | b) >>> 0
      return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24]
    }
    const img = await decodeImage(
      bmp({
        width: 3,
        height: 1,
        bpp: 32,
        compression: 3,
        masks,
        rows: [[...px(1023, 0, 512), ...px(0, 1023, 1), ...px(256, 767, 1022)]],
      }),
    )
    const scale = (n: number) => Math.round((n * 255) / 1023)
    expect(pixels(img)).toEqual([
      [255, 0, scale(512), 255],
      [0, 255, scale(1), 255],
      [scale(256), scale(767), scale(1022), 255],
    ])
  })

  it.each([[56], [108], [124]] as const)(
    'keeps real alpha from a V%i header whose masks sit inside it',
    async (header) => {
      const img = await decodeImage(
        bmp({
          header,
          width: 2,
          height: 2,
          bpp: 32,
          compression: 3,
          masks: [...RGB_MASKS, 0xff000000],
          topDown: true,
          rows: [
            [10, 20, 30, 0, 40, 50, 60, 128],
            [70, 80, 90, 255, 1, 2, 3, 7],
          ],
        }),
      )
      expect(pixels(img)).toEqual([
        [30, 20, 10, 0],
        [60, 50, 40, 128],
        [90, 80, 70, 255],
        [3, 2, 1, 7],
      ])
    },
  )

  it('treats an alpha mask over all-zero alpha as opaque (many writers leave it empty)', () => {
    const bytes = bmp({
      header: 124,
      width: 2,
      height: 2,
      bpp: 32,
      compression: 3,
      masks: [...RGB_MASKS, 0xff000000],
      rows: [
        [10, 20, 30, 0, 40, 50, 60, 0],
        [70, 80, 90, 0, 1, 2, 3, 0],
      ],
    })
    expect(pixels(decodeBmp(bytes, readBmpHeader(bytes)))).toEqual([
      [30, 20, 10, 255],
      [60, 50, 40, 255],
      [90, 80, 70, 255],
      [3, 2, 1, 255],
    ])
  })

  it('reads a V2 header (52): masks inside it, no alpha mask, so opaque', async () => {
    const bytes = bmp({
      header: 52,
      width: 1,
      height: 1,
      bpp: 32,
      compression: 3,
      masks: RGB_MASKS,
      rows: [[5, 6, 7, 0]],
    })
    const header = readBmpHeader(bytes)
    expect([header.dataOffset, header.masks]).toEqual([
      66,
      { r: 0xff0000, g: 0xff00, b: 0xff, a: 0 },
    ])
    expect(pixels(decodeBmp(bytes, header))).toEqual([[7, 6, 5, 255]])
  })

  it('reads BI_ALPHABITFIELDS: four masks after a 40-byte header', async () => {
    const bytes = bmp({
      width: 2,
      height: 1,
      bpp: 32,
      compression: 6,
      masks: [0x000000ff, 0x0000ff00, 0x00ff0000, 0xff000000],
      rows: [[1, 2, 3, 0, 4, 5, 6, 200]],
    })
    expect(readBmpHeader(bytes).masks).toEqual({ r: 0xff, g: 0xff00, b: 0xff0000, a: 0xff000000 })
    expect(pixels(await decodeImage(bytes))).toEqual([
      [1, 2, 3, 0],
      [4, 5, 6, 200],
    ])
  })

  it('reads the masks right after a header of an unusual size between 40 and 52 (44)', () => {
    const bytes = bmp({
      header: 44,
      width: 1,
      height: 1,
      bpp: 32,
      compression: 3,
      masks: [0x0000ff00, 0x00ff0000, 0xff000000],
      rows: [[9, 8, 7, 6]],
    })
    const header = readBmpHeader(bytes)
    expect([header.dataOffset, header.masks]).toEqual([
      14 + 44 + 12,
      { r: 0xff00, g: 0xff0000, b: 0xff000000, a: 0 },
    ])
    expect(pixels(decodeBmp(bytes, header))).toEqual([[8, 7, 6, 255]])
  })

  it('reads BI_BITFIELDS after a 40-byte header: three masks, then the pixels', async () => {
    const bytes = bmp({
      width: 1,
      height: 1,
      bpp: 32,
      compression: 3,
      masks: [0x0000ff00, 0x00ff0000, 0xff000000],
      rows: [[9, 8, 7, 6]],
    })
    expect(readBmpHeader(bytes).dataOffset).toBe(66)
    expect(pixels(await decodeImage(bytes))).toEqual([[8, 7, 6, 255]])
  })
})

describe('BMP refusals', () => {
  it.each([
    [1, 'RLE compression'],
    [2, 'RLE compression'],
    [4, 'embedded JPEG data'],
    [5, 'embedded PNG data'],
  ])('compression %i is refused naming %s', (compression, feature) => {
    const err = refusal(
      bmp({ width: 1, height: 1, bpp: 8, compression, rows: [[0]], palette: GREY }),
    )
    expect(what(err)).toEqual(['IMAGE_INVALID', 'image.bmpUnsupported', { feature }])
  })

  it.each([[0], [2], [16]])('%i-bit colour is refused by name', (bpp) => {
    const err = refusal(bmp({ width: 1, height: 1, bpp, rows: [[0]] }))
    expect(what(err)).toEqual([
      'IMAGE_INVALID',
      'image.bmpUnsupported',
      { feature: `${bpp}-bit colour` },
    ])
  })

  const cases: [string, Uint8Array][] = [
    ['an unknown compression (7)', bmp({ width: 1, height: 1, bpp: 24, compression: 7, rows: [] })],
    [
      'bitfields on a 24-bit file',
      bmp({ width: 1, height: 1, bpp: 24, compression: 3, masks: RGB_MASKS, rows: [] }),
    ],
    [
      'a zero red mask',
      bmp({ width: 1, height: 1, bpp: 32, compression: 3, masks: [0, 0xff00, 0xff], rows: [] }),
    ],
    [
      'a zero green mask',
      bmp({ width: 1, height: 1, bpp: 32, compression: 3, masks: [0xff0000, 0, 0xff], rows: [] }),
    ],
    [
      'a zero blue mask',
      bmp({ width: 1, height: 1, bpp: 32, compression: 3, masks: [0xff0000, 0xff00, 0], rows: [] }),
    ],
    ['zero width', bmp({ width: 0, height: 1, bpp: 24, rows: [] })],
    ['zero height', bmp({ width: 1, height: 0, bpp: 24, rows: [] })],
    ['negative width', bmp({ width: -2, height: 1, bpp: 24, rows: [] })],
    [
      'more palette entries than the depth allows',
      bmp({ width: 1, height: 1, bpp: 1, palette: [...GREY, [1, 1, 1]], rows: [[0]] }),
    ],
    [
      'a palette running into the pixels',
      bmp({ width: 1, height: 1, bpp: 8, palette: GREY, dataOffset: 58, rows: [[0]] }),
    ],
    [
      'pixels starting inside the header',
      bmp({ width: 1, height: 1, bpp: 24, dataOffset: 53, rows: [] }),
    ],
    ['one byte missing at the end', bmp({ width: 2, height: 2, bpp: 24, rows: [], cut: 1 })],
  ]
  it.each(cases)('%s is corrupt', (_, bytes) => {
    expect(what(refusal(bytes))).toEqual(CORRUPT)
  })

  it('refuses header sizes outside 12 and 40–124, and a header longer than the file', () => {
    for (const size of [13, 39, 125, 200]) {
      const bytes = bmp({ header: 124, width: 1, height: 1, bpp: 24, rows: [] })
      new DataView(bytes.buffer).setUint32(14, size, true)
      expect(what(refusal(bytes)), `header ${size}`).toEqual(CORRUPT)
    }
    const short = bmp({ header: 124, width: 1, height: 1, bpp: 24, rows: [] }).subarray(0, 14 + 123)
    expect(what(refusal(short))).toEqual(CORRUPT)
    const exact = bmp({ header: 124, width: 1, height: 1, bpp: 24, rows: [] })
    new DataView(exact.buffer).setUint32(10, 14 + 124, true)
    expect(readBmpHeader(exact.subarray(0, 14 + 124)).dataEnd).toBe(14 + 124 + 4)
  })

  it('refuses a 125-byte header even in a file long enough to hold it', () => {
    const bytes = bmp({ header: 124, width: 1, height: 1, bpp: 24, dataOffset: 14 + 200, rows: [] })
    expect(readBmpHeader(bytes).dataOffset).toBe(214)
    new DataView(bytes.buffer).setUint32(14, 125, true)
    expect(what(headerRefusal(bytes))).toEqual(CORRUPT)
  })

  it('refuses a header that runs past the end of the file before reading anything else', () => {
    for (const size of [40, 124]) {
      const bytes = bmp({ header: size, width: 1, height: 1, bpp: 24, rows: [] })
      expect(readBmpHeader(bytes.subarray(0, 14 + size)).width).toBe(1)
      expect(what(headerRefusal(bytes.subarray(0, 14 + size - 1))), `header ${size}`).toEqual(
        CORRUPT,
      )
    }
  })

  it('refuses an unknown compression on a 32-bit file with masks, not reading it as bitfields', () => {
    for (const compression of [7, 11]) {
      const bytes = bmp({ width: 1, height: 1, bpp: 32, compression, masks: RGB_MASKS, rows: [] })
      expect(what(headerRefusal(bytes)), `compression ${compression}`).toEqual(CORRUPT)
    }
  })

  it('refuses pixels that start inside the masks after a 40-byte header', () => {
    for (const [compression, masks, end] of [
      [3, RGB_MASKS, 54 + 12],
      [6, [...RGB_MASKS, 0xff000000], 54 + 16],
    ] as const) {
      const at = (dataOffset: number) =>
        bmp({ width: 1, height: 1, bpp: 32, compression, masks: [...masks], dataOffset, rows: [] })
      expect(readBmpHeader(at(end)).dataOffset).toBe(end)
      expect(what(headerRefusal(at(end - 1))), `compression ${compression}`).toEqual(CORRUPT)
      expect(what(headerRefusal(at(54)))).toEqual(CORRUPT)
    }
  })

  it('reads a palette that ends the file, and refuses one cut by the end of the file', () => {
    // Two entries after a 40-byte header: the palette ends at 54 + 8; the pixel row is missing.
    const whole = bmp({ width: 1, height: 1, bpp: 8, palette: GREY, rows: [[1]] })
    const header = readBmpHeader(whole.subarray(0, 62))
    expect(Array.from(header.palette!)).toEqual([0, 0, 0, 255, 255, 255])
    expect(header.dataEnd).toBe(66)
    expect(what(headerRefusal(whole.subarray(0, 61)))).toEqual(CORRUPT)
    expect(what(refusal(whole.subarray(0, 62)))).toEqual(CORRUPT)
  })

  it('accepts a file exactly as long as its rows, refuses one byte less', () => {
    const whole = bmp({ width: 3, height: 2, bpp: 24, rows: [[1, 2, 3], []] })
    expect(whole.length).toBe(54 + 24)
    expect(pixels(decodeBmp(whole, readBmpHeader(whole)))[0]).toEqual([3, 2, 1, 255])
    expect(what(refusal(whole.subarray(0, whole.length - 1)))).toEqual(CORRUPT)
  })

  it('refuses masks cut off by the end of the file', () => {
    const bytes = bmp({
      width: 1,
      height: 1,
      bpp: 32,
      compression: 6,
      masks: [1, 2, 4, 8],
      rows: [],
    })
    // 54 + 16 bytes of masks are needed: 69 are given.
    expect(what(refusal(bytes.subarray(0, 69)))).toEqual(CORRUPT)
    const three = bmp({ width: 1, height: 1, bpp: 32, compression: 3, masks: [1, 2, 4], rows: [] })
    expect(readBmpHeader(three.subarray(0, 66)).masks).toEqual({ r: 1, g: 2, b: 4, a: 0 })
    expect(what(refusal(three.subarray(0, 65)))).toEqual(CORRUPT)
  })

  it('refuses what is too short to hold a header, or does not start with BM', () => {
    const good = bmp({ header: 12, width: 1, height: 1, bpp: 24, rows: [[1, 2, 3]] })
    expect(good.length).toBe(14 + 12 + 4)
    expect(readBmpHeader(good.subarray(0, 26)).width).toBe(1)
    expect(what(refusal(good.subarray(0, 25)))).toEqual(CORRUPT)
    for (const [i, byte] of [
      [0, 0x41],
      [1, 0x4e],
    ]) {
      const bad = good.slice()
      bad[i] = byte
      expect(what(refusal(bad)), `byte ${i}`).toEqual(CORRUPT)
    }
  })
})

describe('sniffing a BMP', () => {
  it.each([[12], [40], [52], [56], [64], [108], [124]])(
    'a %i-byte DIB header makes it a BMP',
    (size) => {
      const bytes = new Uint8Array(18)
      bytes.set([0x42, 0x4d])
      new DataView(bytes.buffer).setUint32(14, size, true)
      expect(sniffImageKind(bytes)).toBe('bmp')
    },
  )

  it('another header size, or fewer than 18 bytes, is not one', () => {
    const bytes = new Uint8Array(18)
    bytes.set([0x42, 0x4d])
    new DataView(bytes.buffer).setUint32(14, 41, true)
    expect(sniffImageKind(bytes)).toBe('unknown')
    for (const high of [1 << 8, 1 << 16, 1 << 24]) {
      new DataView(bytes.buffer).setUint32(14, 40 + high, true)
      expect(sniffImageKind(bytes), `40 + ${high}`).toBe('unknown')
    }
    bytes[17] = 0
    expect(sniffImageKind(bytes.subarray(0, 17))).toBe('unknown')
  })
})

/**
 * JSON for the browser-mode WebSocket: byte arrays (image pixels) travel as `{ "$bytes": base64 }`
 * since JSON has no binary type. Electron's IPC clones them natively and needs none of this.
 */
import { MAX_UPLOAD_BYTES } from './ipc-contract'

const BYTES_TAG = '$bytes'

/**
 * The largest message either side sends or accepts, in UTF-8 bytes: the largest upload in base64
 * (4 characters per 3 bytes) plus room for names and JSON. The server closes a connection whose
 * message is larger (close code 1009), so the page checks before sending.
 */
export const MAX_WIRE_MESSAGE_BYTES = 4 * Math.ceil(MAX_UPLOAD_BYTES / 3) + 1024 * 1024

/** True when a message is within MAX_WIRE_MESSAGE_BYTES once UTF-8 encoded. */
export function fitsOnWire(text: string): boolean {
  // Each UTF-16 unit is 1 to 3 UTF-8 bytes: encode only when the length alone cannot tell.
  if (text.length * 3 <= MAX_WIRE_MESSAGE_BYTES) return true
  if (text.length > MAX_WIRE_MESSAGE_BYTES) return false
  return new TextEncoder().encode(text).length <= MAX_WIRE_MESSAGE_BYTES
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0))
const VALUES = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i
const PAD = 61 // '=', which VALUES leaves at -1

// btoa/atob on strings of tens of megabytes take a minute in Node; a table over typed arrays
// encodes a 50 MB upload in well under a second in Node and browsers alike.
function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(4 * Math.ceil(bytes.length / 3))
  let o = 0
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    out[o++] = CODES[n >> 18]
    out[o++] = CODES[(n >> 12) & 63]
    out[o++] = CODES[(n >> 6) & 63]
    out[o++] = CODES[n & 63]
  }
  const rest = bytes.length - i
  if (rest > 0) {
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0)
    out[o++] = CODES[n >> 18]
    out[o++] = CODES[(n >> 12) & 63]
    out[o++] = rest === 2 ? CODES[(n >> 6) & 63] : PAD
    out[o++] = PAD
  }
  return new TextDecoder().decode(out)
}

function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('malformed base64')
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  const bytes = new Uint8Array((text.length / 4) * 3 - padding)
  const value = (i: number): number => {
    const v = VALUES[text.charCodeAt(i)] ?? -1
    if (v < 0) throw new Error('malformed base64')
    return v
  }
  const full = padding ? text.length - 4 : text.length
  let o = 0
  for (let i = 0; i < full; i += 4) {
    const n = (value(i) << 18) | (value(i + 1) << 12) | (value(i + 2) << 6) | value(i + 3)
    bytes[o++] = n >> 16
    bytes[o++] = (n >> 8) & 255
    bytes[o++] = n & 255
  }
  if (padding) {
    const n =
      (value(full) << 18) | (value(full + 1) << 12) | (padding === 1 ? value(full + 2) << 6 : 0)
    bytes[o++] = n >> 16
    if (padding === 1) bytes[o] = (n >> 8) & 255
  }
  return bytes
}

/** Serializes a message, turning every Uint8Array into a tagged base64 string. */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? { [BYTES_TAG]: toBase64(v) } : v,
  )
}

/** Parses a message, restoring tagged byte arrays. Throws on malformed JSON or base64. */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v)
      const tagged = (v as Record<string, unknown>)[BYTES_TAG]
      if (keys.length === 1 && typeof tagged === 'string') return fromBase64(tagged)
    }
    return v
  })
}

/** Browser → server. */
export interface WireRequest {
  id: number
  name: string
  input: unknown
}

/** Server → browser: a command's Result, or an event. */
export type WireMessage = { id: number; result: unknown } | { event: string; payload: unknown }

/**
 * JSON for the browser-mode WebSocket: byte arrays (image pixels) travel as `{ "$bytes": base64 }`
 * since JSON has no binary type. Electron's IPC clones them natively and needs none of this.
 */
const BYTES_TAG = '$bytes'

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
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

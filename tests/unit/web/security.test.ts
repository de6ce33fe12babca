import { describe, expect, it, vi } from 'vitest'
import {
  isAllowedHost,
  isAllowedOrigin,
  resolveStaticPath,
  tokenMatches,
} from '../../../src/main/web/security'

// No training and no big files here: each test takes well under a second idle and a few seconds
// on a loaded 2-core machine, so a hang fails after 60 s instead of the suite's 300 s guard.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

describe('isAllowedHost', () => {
  it('accepts this server on loopback, by address or by name', () => {
    expect(isAllowedHost('127.0.0.1:8123', 8123)).toBe(true)
    expect(isAllowedHost('localhost:8123', 8123)).toBe(true)
  })

  it('refuses a missing Host, another port, another name and near misses', () => {
    for (const host of [
      undefined,
      '',
      '127.0.0.1:8124',
      '127.0.0.1',
      'localhost',
      ':8123',
      'evil.example:8123',
      '127.0.0.1:8123.evil.example',
      'x127.0.0.1:8123',
      '0.0.0.0:8123',
      '[::1]:8123',
    ]) {
      expect(isAllowedHost(host, 8123), String(host)).toBe(false)
    }
  })
})

describe('isAllowedOrigin', () => {
  it('accepts only pages this server served', () => {
    expect(isAllowedOrigin('http://127.0.0.1:8123', 8123)).toBe(true)
    expect(isAllowedOrigin('http://localhost:8123', 8123)).toBe(true)
  })

  it('refuses a missing origin, other schemes, ports and sites', () => {
    for (const origin of [
      undefined,
      '',
      'null',
      'http://:8123',
      'https://127.0.0.1:8123',
      'http://127.0.0.1:8124',
      'http://127.0.0.1',
      'http://evil.example:8123',
      'file://',
      '127.0.0.1:8123',
    ]) {
      expect(isAllowedOrigin(origin, 8123), String(origin)).toBe(false)
    }
  })
})

describe('tokenMatches', () => {
  it('accepts the whole token only', () => {
    const token = 'abcDEF123_-xyz'
    expect(tokenMatches(token, token)).toBe(true)
    for (const guess of [
      '',
      null,
      undefined,
      'a',
      'abcDEF123_-xy',
      `${token}z`,
      'abcDEF123_-xyZ',
    ]) {
      expect(tokenMatches(guess, token)).toBe(false)
    }
    // Same length in characters, different in bytes.
    expect(tokenMatches('abcDEF123_-xyé', token)).toBe(false)
  })

  it('never matches an empty token, even against an empty expectation', () => {
    expect(tokenMatches('', '')).toBe(false)
    expect(tokenMatches(null, '')).toBe(false)
  })
})

describe('resolveStaticPath', () => {
  const root = '/srv/app'

  it('keeps paths inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe('/srv/app/index.html')
    expect(resolveStaticPath(root, '')).toBe('/srv/app/index.html')
    expect(resolveStaticPath(root, '/assets/a.js')).toBe('/srv/app/assets/a.js')
    expect(resolveStaticPath(root, '/../x')).toBe('/srv/app/x')
    expect(resolveStaticPath(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/app/etc/passwd')
    expect(resolveStaticPath(root, '/a%20b.png')).toBe('/srv/app/a b.png')
  })

  it('drops the query and the hash', () => {
    expect(resolveStaticPath(root, '/a.js?v=1')).toBe('/srv/app/a.js')
    expect(resolveStaticPath(root, '/a.js#x')).toBe('/srv/app/a.js')
    expect(resolveStaticPath(root, '/a.js#x?y')).toBe('/srv/app/a.js')
    expect(resolveStaticPath(root, '/?v=1')).toBe('/srv/app/index.html')
    expect(resolveStaticPath(root, '/#/runs')).toBe('/srv/app/index.html')
  })

  it('refuses NUL bytes, backslashes, bad escapes and the root itself or its parent', () => {
    expect(resolveStaticPath(root, '/%00')).toBeNull()
    expect(resolveStaticPath(root, '/a%00.js')).toBeNull()
    expect(resolveStaticPath(root, '/a\\..\\..\\b')).toBeNull()
    expect(resolveStaticPath(root, '/a%5c..%5cb')).toBeNull()
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeNull()
    // "/." and "/.." normalise to the root folder, which is no file.
    expect(resolveStaticPath(root, '/.')).toBeNull()
    expect(resolveStaticPath(root, '/..')).toBeNull()
    // A path without its leading slash: "." would become ".." (the parent) without the check.
    expect(resolveStaticPath(root, '.')).toBeNull()
    expect(resolveStaticPath(root, '%2e')).toBeNull()
    // Without the leading slash, "../../../x" becomes ".../../../x": one level above the root.
    expect(resolveStaticPath(root, '../../../etc/passwd')).toBeNull()
    expect(resolveStaticPath(root, '..%2f..%2f..%2fetc%2fpasswd')).toBeNull()
    expect(resolveStaticPath(root, '../../x')).toBe('/srv/app/x')
  })
})

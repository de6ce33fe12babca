import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import {
  CONTENT_SECURITY_POLICY,
  META_CONTENT_SECURITY_POLICY,
  isAppUrl,
  isLoopbackHttpUrl,
  isPermissionAllowed,
  isTrustedSender,
  resolveAppUrl,
  shouldAllowNavigation,
} from '../../../src/main/shell/security'

// No training and no big files here: each test takes well under a second idle and a few seconds
// on a loaded 2-core machine, so a hang fails after 60 s instead of the suite's 300 s guard.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 })

const fileApp = pathToFileURL('/opt/sinapse app/out/renderer/index.html').href
const devApp = 'http://localhost:5173/'

const hostile = [
  'file:///etc/passwd',
  'file:///opt/sinapse%20app/out/renderer/other.html',
  'file:///opt/sinapse%20app/out/renderer/',
  'file://evil.example/opt/sinapse%20app/out/renderer/index.html',
  'http://evil.example/',
  'https://evil.example/index.html',
  'javascript:alert(1)',
  'devtools://devtools/bundled/inspector.html',
  'data:text/html,<script>alert(1)</script>',
  'blob:http://localhost:5173/1234',
  'about:blank',
  'chrome-error://chromewebdata/',
  '',
  'not a url',
]

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/)
      return [name, values.join(' ')]
    }),
  )
}

describe('content security policy', () => {
  it('is strict: no eval, no plugins, no base or form targets, no framing', () => {
    const policy = directives(CONTENT_SECURITY_POLICY)
    expect(policy.get('default-src')).toBe("'self'")
    expect(policy.get('script-src')).toBe("'self'")
    expect(policy.get('style-src')).toBe("'self' 'unsafe-inline'")
    expect(policy.get('img-src')).toBe("'self' data: blob:")
    expect(policy.get('object-src')).toBe("'none'")
    expect(policy.get('base-uri')).toBe("'none'")
    expect(policy.get('frame-ancestors')).toBe("'none'")
    expect(policy.get('form-action')).toBe("'none'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
  })

  it('is in index.html as a meta tag, without the header-only frame-ancestors', () => {
    const html = readFileSync(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY)
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors')
    const withoutFraming = [...directives(CONTENT_SECURITY_POLICY)].filter(
      ([name]) => name !== 'frame-ancestors',
    )
    expect([...directives(META_CONTENT_SECURITY_POLICY)]).toEqual(withoutFraming)
  })
})

describe('isAppUrl / isTrustedSender', () => {
  it('accepts only the built index.html, with any query or hash', () => {
    expect(isAppUrl(fileApp, fileApp)).toBe(true)
    expect(isAppUrl(`${fileApp}#/runs/3`, fileApp)).toBe(true)
    expect(isAppUrl(`${fileApp}?lang=en`, fileApp)).toBe(true)
    expect(isTrustedSender(fileApp, fileApp)).toBe(true)
  })

  it.each(hostile)('rejects %j for the built app', (url) => {
    expect(isAppUrl(url, fileApp)).toBe(false)
    expect(isTrustedSender(url, fileApp)).toBe(false)
  })

  it('accepts the dev server origin and nothing else', () => {
    expect(isAppUrl('http://localhost:5173/src/App.svelte?t=1', devApp)).toBe(true)
    for (const url of [
      'http://localhost:5174/',
      'http://127.0.0.1:5173/',
      'https://localhost:5173/',
      'http://localhost.evil.example:5173/',
      'http://localhost@evil.example:5173/',
      fileApp,
      ...hostile,
    ]) {
      expect(isAppUrl(url, devApp), url).toBe(false)
    }
  })

  it('trusts nothing when the app URL itself is not a page scheme', () => {
    expect(isAppUrl('data:text/html,x', 'data:text/html,x')).toBe(false)
    expect(isAppUrl('javascript:1', 'javascript:1')).toBe(false)
    expect(isAppUrl('anything', 'not a url')).toBe(false)
  })
})

describe('shouldAllowNavigation', () => {
  it('allows staying on the app page', () => {
    expect(shouldAllowNavigation(`${fileApp}#/predict`, fileApp)).toBe(true)
    expect(shouldAllowNavigation('http://localhost:5173/', devApp)).toBe(true)
  })

  it('blocks a dropped file and every way out of the app', () => {
    expect(shouldAllowNavigation('file:///home/ana/Downloads/digito.png', fileApp)).toBe(false)
    expect(shouldAllowNavigation('file:///home/ana/Downloads/digito.png', devApp)).toBe(false)
    for (const url of hostile) expect(shouldAllowNavigation(url, fileApp), url).toBe(false)
    expect(shouldAllowNavigation('https://www.tensorflow.org/js', devApp)).toBe(false)
  })
})

describe('resolveAppUrl', () => {
  const indexFile = '/opt/sinapse app/out/renderer/index.html'

  it('uses a loopback dev server only when unpackaged', () => {
    expect(resolveAppUrl({ devUrl: devApp, isPackaged: false, indexFile })).toBe(devApp)
    expect(resolveAppUrl({ devUrl: 'http://[::1]:5173/', isPackaged: false, indexFile })).toBe(
      'http://[::1]:5173/',
    )
    expect(resolveAppUrl({ devUrl: devApp, isPackaged: true, indexFile })).toBe(fileApp)
  })

  it.each([
    [undefined],
    [''],
    ['http://evil.example:5173/'],
    ['file:///etc/passwd'],
    ['javascript:alert(1)'],
  ])('falls back to the built file for dev URL %j', (devUrl) => {
    expect(resolveAppUrl({ devUrl, isPackaged: false, indexFile })).toBe(fileApp)
  })

  it('builds an encoded file URL', () => {
    expect(fileApp).toBe('file:///opt/sinapse%20app/out/renderer/index.html')
  })

  it('recognises loopback http URLs only', () => {
    expect(isLoopbackHttpUrl('http://127.0.0.1:5173')).toBe(true)
    expect(isLoopbackHttpUrl('ws://localhost:5173')).toBe(false)
    expect(isLoopbackHttpUrl('http://192.168.0.10:5173')).toBe(false)
  })
})

describe('isPermissionAllowed', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-write',
    'openExternal',
    'fullscreen',
    'unknown',
  ])('denies %s', (permission) => {
    expect(isPermissionAllowed(permission)).toBe(false)
  })

  it('allows writing text to the clipboard (the Copy buttons)', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true)
  })
})

describe('security edge cases (mutation-tested)', () => {
  it('calls an unparsable dev URL not loopback, without throwing', () => {
    expect(isLoopbackHttpUrl('not a url')).toBe(false)
    expect(isLoopbackHttpUrl('')).toBe(false)
    expect(
      resolveAppUrl({ devUrl: 'localhost:5173', isPackaged: false, indexFile: '/app/index.html' }),
    ).toBe('file:///app/index.html')
  })

  it('accepts an https dev server on loopback', () => {
    expect(isLoopbackHttpUrl('https://localhost:5173/')).toBe(true)
    expect(isLoopbackHttpUrl('https://[::1]:5173/')).toBe(true)
    expect(isLoopbackHttpUrl('ftp://localhost/')).toBe(false)
  })

  it('does not take a host-less URL of another scheme with the same path for the built page', () => {
    // `data:` and unknown schemes have an empty host and a plain path, like file:///…
    const app = 'file:///app/index.html'
    expect(isAppUrl('data:/app/index.html', app)).toBe(false)
    expect(isAppUrl('sinapse:/app/index.html', app)).toBe(false)
    expect(isAppUrl('file:///app/index.html', app)).toBe(true)
  })

  it('treats an https dev server like http: its own origin only', () => {
    const app = 'https://localhost:5173/'
    expect(isAppUrl('https://localhost:5173/#/runs', app)).toBe(true)
    expect(isTrustedSender('https://localhost:5173/', app)).toBe(true)
    expect(isAppUrl('http://localhost:5173/', app)).toBe(false)
    expect(isAppUrl('https://localhost:5174/', app)).toBe(false)
  })
})

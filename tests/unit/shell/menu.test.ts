import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { menuTemplate } from '../../../src/main/shell/menu'

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? flatten(item.submenu) : []),
  ])
}

const base = { platform: 'linux', packaged: true, onAbout: () => {} }

describe('menuTemplate', () => {
  it('speaks Portuguese and English', () => {
    const pt = menuTemplate({ ...base, locale: 'pt-BR' }).map((m) => m.label)
    const en = menuTemplate({ ...base, locale: 'en' }).map((m) => m.label)
    expect(pt).toEqual(['Arquivo', 'Editar', 'Exibir', 'Ajuda'])
    expect(en).toEqual(['File', 'Edit', 'View', 'Help'])
    const labels = flatten(menuTemplate({ ...base, locale: 'pt-BR' })).map((m) => m.label)
    expect(labels).toContain('Sobre o Sinapse')
    expect(labels).toContain('Copiar')
  })

  it('has no developer tools or reload in an installed app, and both from source', () => {
    const roles = (packaged: boolean) =>
      flatten(menuTemplate({ ...base, locale: 'en', packaged })).map((m) => m.role)
    expect(roles(true)).not.toContain('toggleDevTools')
    expect(roles(true)).not.toContain('reload')
    expect(roles(false)).toContain('toggleDevTools')
  })

  it('opens About from Help, and from the app menu on macOS', () => {
    let opened = 0
    const onAbout = () => opened++
    const about = (platform: string) =>
      flatten(menuTemplate({ ...base, locale: 'en', platform, onAbout })).find(
        (m) => m.label === 'About Sinapse',
      )
    ;(about('linux')?.click as () => void)()
    ;(about('darwin')?.click as () => void)()
    expect(opened).toBe(2)
    expect(menuTemplate({ ...base, locale: 'en', platform: 'darwin', onAbout })[0].label).toBe(
      'Sinapse',
    )
  })

  it('links nowhere outside the app', () => {
    const items = flatten(menuTemplate({ ...base, locale: 'en', packaged: false }))
    expect(items.some((m) => /electron/i.test(String(m.label)))).toBe(false)
    expect(items.every((m) => m.type === 'separator' || m.role || m.click || m.submenu)).toBe(true)
  })
})

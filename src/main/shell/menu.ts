import type { MenuItemConstructorOptions } from 'electron'
import { translate, type Locale } from '../../shared/i18n'

export interface MenuOptions {
  locale: Locale
  platform: string
  /** Developer tools and reload only outside an installed app. */
  packaged: boolean
  onAbout(): void
}

/**
 * The application menu in the user's language. It replaces Electron's default one, which is in
 * English, links to electronjs.org and offers developer tools to every student. The Edit menu
 * stays: on macOS copy and paste in text fields work only through it.
 */
export function menuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const t = (key: Parameters<typeof translate>[1]) => translate(opts.locale, key)
  const mac = opts.platform === 'darwin'
  const about: MenuItemConstructorOptions = { label: t('desktop.menu.about'), click: opts.onAbout }
  const quit: MenuItemConstructorOptions = { role: 'quit', label: t('desktop.menu.quit') }
  const devItems: MenuItemConstructorOptions[] = opts.packaged
    ? []
    : [
        { type: 'separator' },
        { role: 'reload', label: t('desktop.menu.reload') },
        { role: 'toggleDevTools', label: t('desktop.menu.devTools') },
      ]
  const template: MenuItemConstructorOptions[] = [
    {
      label: t('desktop.menu.file'),
      submenu: mac ? [{ role: 'close', label: t('desktop.menu.closeWindow') }] : [quit],
    },
    {
      label: t('desktop.menu.edit'),
      submenu: [
        { role: 'undo', label: t('desktop.menu.undo') },
        { role: 'redo', label: t('desktop.menu.redo') },
        { type: 'separator' },
        { role: 'cut', label: t('desktop.menu.cut') },
        { role: 'copy', label: t('desktop.menu.copy') },
        { role: 'paste', label: t('desktop.menu.paste') },
        { role: 'selectAll', label: t('desktop.menu.selectAll') },
      ],
    },
    {
      label: t('desktop.menu.view'),
      submenu: [
        { role: 'zoomIn', label: t('desktop.menu.zoomIn') },
        { role: 'zoomOut', label: t('desktop.menu.zoomOut') },
        { role: 'resetZoom', label: t('desktop.menu.resetZoom') },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t('desktop.menu.fullScreen') },
        ...devItems,
      ],
    },
  ]
  if (mac) {
    template.unshift({
      label: 'Sinapse',
      submenu: [
        about,
        { type: 'separator' },
        { role: 'hide', label: t('desktop.menu.hide') },
        { role: 'hideOthers', label: t('desktop.menu.hideOthers') },
        { role: 'unhide', label: t('desktop.menu.showAll') },
        { type: 'separator' },
        quit,
      ],
    })
  } else {
    template.push({ label: t('desktop.menu.help'), submenu: [about] })
  }
  return template
}

export const desktop = {
  'desktop.menu.file': 'File',
  'desktop.menu.quit': 'Quit Sinapse',
  'desktop.menu.closeWindow': 'Close window',
  'desktop.menu.edit': 'Edit',
  'desktop.menu.undo': 'Undo',
  'desktop.menu.redo': 'Redo',
  'desktop.menu.cut': 'Cut',
  'desktop.menu.copy': 'Copy',
  'desktop.menu.paste': 'Paste',
  'desktop.menu.selectAll': 'Select all',
  'desktop.menu.view': 'View',
  'desktop.menu.zoomIn': 'Zoom in',
  'desktop.menu.zoomOut': 'Zoom out',
  'desktop.menu.resetZoom': 'Actual size',
  'desktop.menu.fullScreen': 'Full screen',
  'desktop.menu.reload': 'Reload',
  'desktop.menu.devTools': 'Developer tools',
  'desktop.menu.help': 'Help',
  'desktop.menu.about': 'About Sinapse',
  'desktop.menu.hide': 'Hide Sinapse',
  'desktop.menu.hideOthers': 'Hide others',
  'desktop.menu.showAll': 'Show all',
  'desktop.about.detail':
    'Version {version}\nAn offline workbench for learning deep learning with images.\nData folder: {dataDir}',
  'desktop.close.title': 'A training is running',
  'desktop.close.message': 'Closing Sinapse stops the training of run #{id}.',
  'desktop.close.detail':
    'The epochs it has finished stay saved. To let it finish, keep Sinapse open.',
  'desktop.close.stop': 'Stop and close',
  'desktop.close.keep': 'Keep training',
  'desktop.native.failed':
    'A part of Sinapse made for this computer ({module}) could not be loaded, so Sinapse cannot start.',
  'desktop.native.fixPackaged':
    'Install Sinapse again from its installer, made for this system ({platform}, {arch}). If that does not help, tell your teacher or whoever set up this computer.',
  'desktop.native.fixSource':
    'In the Sinapse folder, run `npm ci` (with internet access) and then `npm start` again.',
  'desktop.native.detail': 'Technical detail: {detail}',
}

import type { desktop as en } from '../en/desktop'

export const desktop = {
  'desktop.log.closeSlow': 'Sinapse: o fechamento demorou demais; saindo assim mesmo',
  'desktop.log.closeError': 'Sinapse: erro ao fechar',
  'desktop.log.loadError': 'Sinapse: não foi possível carregar a página do app',
  'desktop.menu.file': 'Arquivo',
  'desktop.menu.quit': 'Sair do Sinapse',
  'desktop.menu.closeWindow': 'Fechar janela',
  'desktop.menu.edit': 'Editar',
  'desktop.menu.undo': 'Desfazer',
  'desktop.menu.redo': 'Refazer',
  'desktop.menu.cut': 'Recortar',
  'desktop.menu.copy': 'Copiar',
  'desktop.menu.paste': 'Colar',
  'desktop.menu.selectAll': 'Selecionar tudo',
  'desktop.menu.view': 'Exibir',
  'desktop.menu.zoomIn': 'Aumentar zoom',
  'desktop.menu.zoomOut': 'Diminuir zoom',
  'desktop.menu.resetZoom': 'Tamanho real',
  'desktop.menu.fullScreen': 'Tela cheia',
  'desktop.menu.reload': 'Recarregar',
  'desktop.menu.devTools': 'Ferramentas do desenvolvedor',
  'desktop.menu.help': 'Ajuda',
  'desktop.menu.about': 'Sobre o Sinapse',
  'desktop.menu.hide': 'Ocultar o Sinapse',
  'desktop.menu.hideOthers': 'Ocultar outros',
  'desktop.menu.showAll': 'Mostrar tudo',
  'desktop.about.detail':
    'Versão {version}\nUma bancada offline para aprender aprendizado profundo com imagens.\nPasta de dados: {dataDir}',
  'desktop.close.title': 'Há um treino em andamento',
  'desktop.close.message': 'Fechar o Sinapse interrompe o treino #{id}.',
  'desktop.close.detail':
    'As épocas já concluídas continuam salvas. Para deixá-lo terminar, mantenha o Sinapse aberto.',
  'desktop.close.stop': 'Interromper e fechar',
  'desktop.close.keep': 'Continuar treinando',
  'desktop.native.failed':
    'Uma parte do Sinapse feita para este computador ({module}) não pôde ser carregada, então o Sinapse não consegue iniciar.',
  'desktop.native.fixPackaged':
    'Instale o Sinapse de novo pelo instalador feito para este sistema ({platform}, {arch}). Se não resolver, avise o professor ou quem configurou este computador.',
  'desktop.native.fixSource':
    'Na pasta do Sinapse, rode `npm ci` (com internet) e depois `npm start` de novo.',
  'desktop.native.detail': 'Detalhe técnico: {detail}',
  'files.revealDesktopOnly':
    'Só o aplicativo de desktop abre uma pasta; no navegador, abra a lista de downloads do navegador (Ctrl+J).',
  'files.revealUnknown':
    'O Sinapse só mostra na pasta arquivos que ele mesmo salvou, e não salvou {path}.',
  'files.revealGone': '{path} não está mais lá: foi movido ou apagado.',
  'files.saved.in': 'Salvo em',
  'files.saved.browser':
    '{name} salvo na pasta de downloads do navegador (ou onde você escolheu salvar); Ctrl+J mostra os downloads do navegador.',
  'files.saved.label': 'Arquivo salvo',
  'files.showInFolder': 'Mostrar na pasta',
  'files.copyPath': 'Copiar caminho',
  'files.copyName': 'Copiar nome',
  'files.copied': 'Copiado',
  'files.ok': 'OK',
  'files.dismiss': 'Fechar o aviso sobre {name}',
  'files.revealFailed': 'Não foi possível abrir a pasta: {message}',
} satisfies Record<keyof typeof en, string>

import type { ui as en } from '../en/ui'

export const ui = {
  'ui.ipc.unknownCommand':
    'O Sinapse não conhece o comando "{name}". Atualize o aplicativo e tente de novo.',
  'ui.ipc.invalidInput': 'Os dados enviados com "{command}" não são válidos: {detail}',
  'ui.ipc.untrustedSender':
    'Uma página que não faz parte do Sinapse ({url}) tentou usá-lo. O pedido foi recusado.',
  'ui.startupFailedTitle': 'O Sinapse não conseguiu iniciar',
  'ui.presentation': 'Apresentação',
  'ui.presentation.hint':
    'Modo apresentação (Alt+P): letra maior, alto contraste, painéis laterais escondidos; PageDown/PageUp ou as setas passam pelas seções (em Aprender, ← → trocam o laboratório).',
  'ui.language': 'Idioma',
  'ui.language.pt-BR': 'Português',
  'ui.language.en': 'English',
  'ui.backend': 'Backend de cálculo',
  'ui.backend.tensorflow': 'TensorFlow (nativo)',
  'ui.backend.wasm': 'WebAssembly',
  'ui.backend.cpu': 'CPU (JavaScript)',
  'ui.runs.loadFailed': 'Não foi possível carregar os treinos: {detail}',
  'ui.runs.retry': 'Tentar de novo',
  'ui.status.queued': 'Na fila',
  'ui.status.running': 'Treinando',
  'ui.status.completed': 'Concluído',
  'ui.status.stopped': 'Parado',
  'ui.status.failed': 'Falhou',
  'ui.status.interrupted': 'Interrompido',
  'ui.none': '—',
  'ui.web.unreachable': 'O Sinapse não está acessível: o `sinapse serve` ainda está rodando?',
  'ui.web.connectionLost': 'A conexão com o Sinapse caiu; reconectando…',
  'ui.web.messageTooLarge':
    'É dados demais para enviar de uma vez ({size} MB; o limite é {limit} MB). Envie menos arquivos ou arquivos menores.',
  'ui.skipToContent': 'Pular para o conteúdo',
  'ui.nav.label': 'Telas',
  'ui.nav.live': 'treinando agora',
  'ui.nav.builder': 'Construir',
  'ui.nav.training': 'Progresso',
  'ui.nav.runs': 'Treinos',
  'ui.nav.evaluate': 'Avaliar',
  'ui.nav.test': 'Testar imagens',
  'ui.nav.learn': 'Aprender',
  'ui.nav.run': 'Treino',
  'ui.nav.compare': 'Comparar',
} satisfies Record<keyof typeof en, string>

import type { ui as en } from '../en/ui'

export const ui = {
  'ui.ipc.unknownCommand':
    'O Sinapse não conhece o comando "{name}". Atualize o aplicativo e tente de novo.',
  'ui.ipc.invalidInput': 'Os dados enviados com "{command}" não são válidos: {detail}',
  'ui.ipc.untrustedSender':
    'Uma página que não faz parte do Sinapse ({url}) tentou usá-lo. O pedido foi recusado.',
  'ui.startupFailedTitle': 'O Sinapse não conseguiu iniciar',
  'ui.language': 'Idioma',
  'ui.language.pt-BR': 'Português',
  'ui.language.en': 'English',
  'ui.version': 'Versão {version}',
  'ui.backend': 'Backend de cálculo',
  'ui.backend.tensorflow': 'TensorFlow (nativo)',
  'ui.backend.wasm': 'WebAssembly',
  'ui.backend.cpu': 'CPU (JavaScript)',
  'ui.backend.none': 'escolhido quando um treino começa',
  'ui.dataDir': 'Pasta de dados',
  'ui.runs.title': 'Treinos',
  'ui.runs.loading': 'Carregando treinos…',
  'ui.runs.loadFailed': 'Não foi possível carregar os treinos: {detail}',
  'ui.runs.retry': 'Tentar de novo',
  'ui.runs.empty':
    'Nenhum treino ainda — comece pelo modelo do tutorial: `npm run sinapse -- train --preset tutorial-mlp`',
  'ui.runs.col.name': 'Nome',
  'ui.runs.col.status': 'Situação',
  'ui.runs.col.epochs': 'Épocas',
  'ui.runs.col.bestValAccuracy': 'Melhor acurácia de validação',
  'ui.runs.col.testAccuracy': 'Acurácia de teste',
  'ui.runs.col.date': 'Data',
  'ui.status.queued': 'Na fila',
  'ui.status.running': 'Treinando',
  'ui.status.completed': 'Concluído',
  'ui.status.stopped': 'Parado',
  'ui.status.failed': 'Falhou',
  'ui.status.interrupted': 'Interrompido',
  'ui.none': '—',
} satisfies Record<keyof typeof en, string>

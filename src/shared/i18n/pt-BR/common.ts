import type { common as en } from '../en/common'

export const common = {
  'app.name': 'Sinapse',
  'error.internal': 'Algo deu errado dentro do Sinapse: {detail}',
  'error.invalidInput': 'Entrada inválida: {detail}',
  'error.notFound': 'Não encontrado: {detail}',
  'error.runNotFound': 'Não existe treino com id {id}. Liste os treinos com `sinapse runs`.',
  'error.busy':
    'Já há um treino em andamento (treino {id}). Espere terminar ou interrompa-o antes.',
  'error.dataDirUnwritable': 'Não é possível gravar na pasta de dados {path}: {detail}',
  'error.io': 'Não foi possível ler ou gravar {path}: {detail}',
} satisfies Record<keyof typeof en, string>

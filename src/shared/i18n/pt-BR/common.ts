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
  'error.ioDenied':
    'Não foi possível ler ou gravar {path}: permissão negada (o sistema não deixa o Sinapse usar esse lugar). Escolha outro lugar.',
  'error.ioReadOnly':
    'Não foi possível gravar {path}: esse disco ou pasta é somente leitura. Escolha outro lugar.',
  'error.ioMissing':
    'Não foi possível ler ou gravar {path}: ele, ou uma pasta no caminho, não existe ou não aceita arquivos.',
  'error.ioNotFolder':
    'Não foi possível ler ou gravar {path}: uma parte desse caminho é um arquivo, não uma pasta.',
  'error.diskFull':
    'O disco está cheio: o Sinapse não conseguiu gravar em {path}. O que já estava salvo continua lá. Libere espaço nesse disco (apague arquivos que não usa mais, ou treinos antigos com `sinapse delete`), ou use uma pasta de dados em outro disco (--data-dir ou SINAPSE_DATA_DIR) e tente de novo.',
  'error.diskFullSomewhere':
    'O disco está cheio: o Sinapse não conseguiu gravar os seus dados. O que já estava salvo continua lá. Libere espaço no disco da pasta de dados (apague arquivos que não usa mais, ou treinos antigos), ou use uma pasta de dados em outro disco, e tente de novo.',
  'error.fileMissing': 'Não existe arquivo em {path}. Confira o nome e a pasta.',
  'error.notARegularFile':
    '{path} não é um arquivo comum (é uma pasta, um pipe ou um dispositivo); o Sinapse só lê arquivos comuns.',
  'error.exportTargetExists':
    '{path} já existe; o Sinapse não o alterou. Exporte para outro lugar (--out), ou acrescente --force para substituí-lo (numa pasta de modelo só o model.json e os arquivos de pesos são substituídos; os outros arquivos ficam).',
  'error.exportTargetIsFolder':
    '{path} é uma pasta; o Sinapse só exporta um arquivo no lugar de outro arquivo. Escolha outro --out.',
  'error.exportTargetSpecial':
    '{path} é um pipe, um dispositivo ou um link para um deles, não um arquivo; o Sinapse nunca o substitui, nem com --force. Escolha outro --out.',
  'error.exportTargetNotFolder':
    '{path} já existe e não é uma pasta; um modelo do TensorFlow.js é exportado como pasta. Escolha outro --out.',
  'error.fileTooLarge': '{path} tem {size} MB; o limite é {limit} MB.',
} satisfies Record<keyof typeof en, string>

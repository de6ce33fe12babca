import type { store as en } from '../en/store'

export const store = {
  'store.cannotCreate':
    'Não foi possível criar a pasta do banco de execuções {path}: {detail}. Verifique se a pasta de dados existe e se você tem permissão para gravar nela, ou escolha outra pasta de dados.',
  'store.cannotOpen':
    'Não foi possível abrir o banco de execuções {path}: {detail}. Verifique se o arquivo e a pasta não estão somente leitura e se você tem permissão para gravar neles, ou escolha outra pasta de dados.',
  'store.notDatabase':
    'O arquivo {path} não é um banco de execuções do Sinapse ou está danificado ({detail}). Renomeie o arquivo ou mova-o para outro lugar, e o Sinapse criará um novo, vazio.',
  'store.newerSchema':
    'O banco de execuções {path} foi gravado por uma versão mais nova do Sinapse (versão do esquema {version}; esta versão conhece até a {known}). Atualize o Sinapse para abri-lo. O arquivo não foi alterado.',
  'store.migrationFailed':
    'Não foi possível atualizar o banco de execuções {path} para a versão de esquema {version}: {detail}. O arquivo não foi alterado.',
  'store.readonlyOutdated':
    'O banco de execuções {path} precisa de uma atualização que não pode ser feita no modo somente leitura. Abra o Sinapse normalmente uma vez para atualizá-lo.',
  'store.diskFull':
    'O disco está cheio e o banco de execuções {path} não pode ser gravado ({detail}). O que já estava salvo continua lá. Libere espaço nesse disco, ou use uma pasta de dados em outro disco (--data-dir ou SINAPSE_DATA_DIR), e tente de novo.',
  'store.locked':
    'O banco de execuções {path} está ocupado: outro programa do Sinapse o manteve bloqueado por tempo demais ({detail}). Feche o outro programa ou tente de novo.',
  'store.runInterrupted':
    'O treinamento foi interrompido: o programa que o executava fechou antes de terminar. As épocas concluídas até então foram mantidas.',
  'store.interrupted.ownerGone':
    'O treinamento foi interrompido: o processo que o executava terminou (foi fechado ou encerrado à força) antes do fim. As épocas concluídas até então foram mantidas.',
  'store.interrupted.pidReused':
    'O treinamento foi interrompido: o processo que o executava não existe mais, e o número dele agora pertence a outro programa (o computador reiniciou, ou o processo morreu há muito tempo). As épocas concluídas até então foram mantidas.',
  'store.interrupted.ownerSilent':
    'O treinamento foi interrompido: o processo que o executava parou de responder (nenhum sinal de vida por mais de um minuto: pausado, congelado ou travado). As épocas concluídas até então foram mantidas; se esse processo voltar, ele encerra este treinamento.',
  'store.interruptedShort.ownerGone': 'processo terminou',
  'store.interruptedShort.pidReused': 'número de processo reutilizado',
  'store.interruptedShort.ownerSilent': 'parou de responder',
} satisfies Record<keyof typeof en, string>

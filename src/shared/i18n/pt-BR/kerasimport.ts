import type { kerasimport as en } from '../en/kerasimport'

export const kerasimport = {
  'kerasimport.branch':
    'Este modelo funcional se ramifica depois da camada "{layer}": a saída dela alimenta {count} camadas ({next}). O Sinapse importa um modelo funcional só quando ele é uma cadeia única, cada camada alimentando a seguinte, como um modelo Sequential.',
  'kerasimport.merge':
    'A camada "{layer}" ({className}) junta {count} ramos deste modelo funcional. O Sinapse importa um modelo funcional só quando ele é uma cadeia única, sem junções como Add ou Concatenate.',
  'kerasimport.inputs':
    'Este modelo tem {count} entradas ({names}). O Sinapse importa modelos com uma entrada cujas camadas formam uma cadeia única.',
  'kerasimport.outputs':
    'Este modelo tem {count} saídas ({names}). O Sinapse importa modelos com uma saída cujas camadas formam uma cadeia única.',
  'kerasimport.shared':
    'A camada "{layer}" é usada {count} vezes neste modelo funcional (uma camada compartilhada). O Sinapse importa um modelo funcional só quando ele é uma cadeia única, cada camada usada uma vez.',
} satisfies Record<keyof typeof en, string>

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
  'kerasimport.dataset.mnist': 'MNIST',
  'kerasimport.dataset.fashion-mnist': 'Fashion-MNIST',
  'kerasimport.datasetDetected':
    'Este modelo foi treinado com {dataset}, não com dígitos do MNIST: em {count} imagens de teste a melhor nota dele é {best} lá e {mnist} no MNIST. O Sinapse o avalia, testa e explica com {dataset}. Se isso estiver errado, importe de novo com `sinapse import --dataset mnist`.',
  'kerasimport.datasetChosen': 'Conjunto de dados definido na importação: {dataset}.',
  'kerasimport.datasetMissing':
    'O Sinapse não pôde verificar se ele reconhece {datasets}: esse conjunto de dados não está instalado (pacote Debian {package}). Instale-o e importe de novo, ou importe com `--dataset fashion-mnist` se você sabe que ele foi treinado com roupas.',
  'kerasimport.badDataset':
    'Conjunto de dados "{value}" desconhecido para um modelo importado. Use um destes: {datasets}.',
  'kerasimport.datasetLabel': 'Treinado com',
  'kerasimport.range.1': 'valores de pixel 0–1',
  'kerasimport.range.255': 'valores de pixel 0–255',
  'kerasimport.range.inverted': 'valores de pixel 0–1 invertidos (dígito escuro em fundo claro)',
  'kerasimport.range.centered': 'valores de pixel centrados em 0 (−0,5 a 0,5)',
  'kerasimport.scaleDetected':
    'Este modelo espera {range}, como foi treinado: em {count} imagens de teste do {dataset} ele acerta {best} assim, {unit} com valores 0–1. O Sinapse o alimenta assim em todo lugar (avaliar, testar imagens, Raio-X, exportações); mude isso nos detalhes do treino ou com `sinapse input-scale`.',
  'kerasimport.scaleUnclear':
    'Em {count} imagens de teste do {dataset} nenhuma convenção de pixels foi claramente a certa (0–1: {unit}, 0–255: {byte}, invertida: {inverted}, centrada: {centered}), então o Sinapse alimenta este modelo com valores 0–1. Mude isso nos detalhes do treino ou com `sinapse input-scale` se você sabe como ele foi treinado.',
  'kerasimport.scaleChosen':
    'Entrada definida na importação: {range} (em {count} imagens de teste do {dataset}: 0–1: {unit}, 0–255: {byte}, invertida: {inverted}, centrada: {centered}).',
  'kerasimport.py.normalize': 'Este modelo espera {range}, como foi treinado',
  'kerasimport.scaleSaved':
    'A entrada de “{name}” mudou; a nota de teste foi apagada: avalie de novo.',
  'kerasimport.inputLabel': 'Entrada do modelo',
  'kerasimport.inputHint':
    'Os valores de pixel com que este modelo foi treinado. O Sinapse converte cada imagem para eles antes de alimentar o modelo; mudar isso apaga a nota de teste guardada.',
  'kerasimport.exportNote':
    'Este modelo espera {range}, como foi treinado (registrado pelo Sinapse). Prepare as entradas dele assim.',
  'kerasimport.badScale':
    'Convenção de entrada desconhecida "{value}". Use 1 (valores 0–1), 255 (valores 0–255), inverted ou centered (−0,5 a 0,5).',
  'kerasimport.scaleShown': 'O treino nº {id} alimenta o modelo com {range}.',
  'kerasimport.scaleSet':
    'O treino nº {id} agora alimenta o modelo com {range}; a nota de teste guardada foi apagada (rode `sinapse evaluate {id}`).',
} satisfies Record<keyof typeof en, string>

import type { xray as en } from '../en/xray'

export const xray = {
  'inspect.noModel':
    'O treino {id} não tem modelo salvo para o Raio-X (status: {status}): treine até o fim ou importe um modelo.',
  'inspect.badTestIndex': 'Não existe a imagem de teste {index}: escolha um número de 0 a {max}.',
  'inspect.badUnit':
    'A camada {layer} não tem a unidade {unit} (ela tem {units}): escolha uma unidade da camada mostrada.',
  'cli.inspect.missingImage':
    'Diga o que examinar: um arquivo de imagem (sinapse inspect <treino> <imagem>) ou uma imagem de teste (--test N).',
  'cli.inspect.badTest':
    '--test deve ser o número de uma imagem de teste (0, 1, 2…); recebeu "{value}".',
  'cli.inspect.title': 'Raio-X do treino {id} · {input} → {digit} ({confidence})',
  'cli.inspect.testInput': 'imagem de teste {index} (classe verdadeira {label})',
  'cli.inspect.layers': 'Cada camada, da entrada à resposta:',
  'cli.inspect.colLayer': 'camada',
  'cli.inspect.colClass': 'classe',
  'cli.inspect.colShape': 'saída',
  'cli.inspect.colMin': 'mín',
  'cli.inspect.colMax': 'máx',
  'cli.inspect.colMean': 'média',
  'cli.inspect.input': 'O que a rede viu (28×28):',
  'cli.inspect.saliency':
    'Saliência: os pixels cuja mudança mais mexe na nota do {digit} (caracteres mais densos = mais):',
} satisfies Record<keyof typeof en, string>

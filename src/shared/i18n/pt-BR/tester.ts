import type { tester as en } from '../en/tester'

export const tester = {
  'tester.title': 'Testar imagens no modelo',
  'tester.subtitle':
    'Mostre ao modelo os seus próprios dígitos: solte fotos ou digitalizações, cole uma imagem ou desenhe. Você vê cada etapa que transforma a sua imagem na imagem 28×28 que a rede lê e o que cada modelo responde.',
  'tester.loading': 'Carregando os treinos…',
  'tester.empty.title': 'Ainda não há modelo treinado',
  'tester.empty.body':
    'O testador precisa de um modelo que terminou de treinar. Monte uma rede e treine-a; depois volte aqui para testá-la com os seus dígitos.',
  'tester.empty.action': 'Montar e treinar um modelo',
  'tester.runs.title': 'Modelos a testar',
  'tester.runs.hint':
    'Escolha até {max} treinos concluídos; cada um ganha a sua própria coluna de respostas.',
  'tester.runs.full':
    'Você escolheu {max} modelos, o máximo lado a lado. Desmarque um para escolher outro.',
  'tester.runs.none': 'Escolha pelo menos um modelo acima para ver as previsões.',
  'tester.images.title': 'Suas imagens',
  'tester.images.clear': 'Remover todas as imagens',
  'tester.images.count': 'Imagens testadas: {count}',
  'tester.drop.title': 'Solte aqui imagens de dígitos ou clique para escolher arquivos',
  'tester.drop.release': 'Solte para testar estas imagens',
  'tester.drop.hint':
    'PNG, JPEG, WebP, GIF ou BMP, até 20 MB cada, um dígito por imagem. Você também pode colar uma imagem copiada com Ctrl+V.',
  'tester.drop.decoding': 'Lendo as imagens…',
  'tester.refused.title': '{name} não foi adicionado:',
  'tester.refused.dismiss': 'Fechar o aviso sobre {name}',
  'tester.error.decode':
    'Não foi possível ler esta imagem ({detail}). Salve-a de novo como PNG ou JPEG e tente outra vez.',
  'tester.image.alt': 'Imagem original {name}',
  'tester.image.size': '{width}×{height} px',
  'tester.image.remove': 'Remover {name}',
  'tester.image.removeShort': 'Remover',
  'tester.steps.label': 'Etapas do pré-processamento',
  'tester.steps.gray': 'Tons de cinza',
  'tester.steps.inverted': 'Traço claro no fundo escuro',
  'tester.steps.invertedYes': 'invertida: o papel era claro',
  'tester.steps.invertedNo': 'mantida: já era claro no escuro',
  'tester.steps.cropped': 'Recortada no traço',
  'tester.steps.centered': 'Centralizada 28×28',
  'tester.steps.resized': 'Inteira reduzida a 28×28',
  'tester.steps.input': 'O que a rede vê',
  'tester.prediction.pending': 'Consultando o modelo…',
  'tester.prediction.digit': 'Dígito previsto: {digit}',
  'tester.prediction.confidence': 'confiança {value}',
  'tester.bars.label': 'Probabilidade de cada dígito',
  'tester.bars.item': 'Dígito {digit}: {value}',
  'tester.warning.lowConfidence':
    'O modelo está em dúvida (só {value} no palpite principal): talvez isto não se pareça com os dígitos com que ele aprendeu.',
  'tester.ood.starting': 'Preparando a verificação: isto se parece com as imagens de treino?',
  'tester.ood.computing': 'Verificando se isto se parece com as imagens de treino… {percent}',
  'tester.ood.paused':
    'Verificando se isto se parece com as imagens de treino… {percent}, em pausa enquanto um treino roda (ela deixaria o treino mais lento); continua quando o treino terminar.',
  'tester.ood.remaining': 'faltam uns {seconds} s',
  'tester.ood.fine': 'Parece com as imagens com que o modelo foi treinado.',
  'tester.ood.failed':
    'Não foi possível verificar se isto se parece com as imagens de treino: {error}',
  'tester.ood.cancelled': 'A comparação com as imagens de treino foi cancelada.',
  'tester.warning.ood':
    'Esta imagem não se parece com as imagens com que o modelo foi treinado: a resposta pode não significar nada, seja qual for a confiança.',
  'tester.warning.oodDetail':
    'Distância às imagens de treino mais próximas: {score}; acima de {threshold}, que só 1% das imagens reais separadas do treino passam.',
  'tester.draw.title': 'Desenhe um dígito',
  'tester.draw.canvas':
    'Área de desenho: desenhe um dígito com o mouse, o dedo ou uma caneta. A previsão muda enquanto você desenha.',
  'tester.draw.brush': 'Pincel',
  'tester.draw.undo': 'Desfazer traço',
  'tester.draw.clear': 'Limpar',
  'tester.draw.keys':
    'Teclas no desenho: Ctrl+Z desfaz o último traço (ou o Limpar), Delete limpa.',
  'tester.draw.empty':
    'Desenhe um dígito no quadrado preto, grande e centralizado, como no papel. A resposta aparece enquanto você desenha.',
  'tester.prep.legend': 'Pré-processamento',
  'tester.prep.mnist': 'Estilo MNIST (recorta e centraliza)',
  'tester.prep.plain': 'Redimensionar apenas, como no tutorial',
  'tester.prep.mnistHint':
    'Como o MNIST foi feito: o dígito é recortado, reduzido a 20 px e centralizado pelo centro de massa.',
  'tester.prep.plainHint':
    'Como o load_img(target_size=(28, 28)) do tutorial: a imagem inteira vira 28×28, sem recortar nem centralizar. Um dígito fora do centro continua fora do centro — veja como a MLP erra.',
} satisfies Record<keyof typeof en, string>

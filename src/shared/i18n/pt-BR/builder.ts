import type { builder as en } from '../en/builder'

export const builder = {
  'builder.title': 'Construir a rede',
  'builder.intro':
    'Empilhe camadas da imagem de entrada até a saída. Formatos, parâmetros e o código Keras se atualizam enquanto você digita.',
  'builder.start.label': 'Começar de',
  'builder.start.tutorial-mlp': 'Modelo do tutorial (MLP)',
  'builder.start.lenet-cnn': 'LeNet (CNN)',
  'builder.start.empty': 'Vazio',
  'builder.start.confirm': 'Substituir o modelo atual? As camadas dele serão perdidas.',

  'builder.layers.title': 'Camadas',
  'builder.layers.add': 'Adicionar camada',
  'builder.layers.addType': 'Adicionar {type}',
  'builder.layers.output': 'Camada de saída',
  'builder.layers.outputHint': 'Dense({classes}, softmax)',
  'builder.layers.list': 'Camadas do modelo, da entrada até a saída',
  'builder.layers.input': 'Entrada',
  'builder.layers.inputHint': 'Uma imagem do {dataset}',
  'builder.layers.empty':
    'Nenhuma camada ainda. Adicione Flatten, depois Dense, e termine com a camada de saída — ou comece pelo modelo do tutorial, lá em cima.',
  'builder.layers.keyboardHint':
    'Dica: com uma camada em foco, Alt+↑ / Alt+↓ a move e Delete a remove; também dá para arrastá-la pela alça.',
  'builder.layers.number': 'Camada {n}',
  'builder.layers.rowLabel': 'Camada {n} de {count}: {type}',
  'builder.layers.drag': 'Arraste para reordenar',
  'builder.layers.moveUp': 'Mover para cima',
  'builder.layers.moveDown': 'Mover para baixo',
  'builder.layers.duplicate': 'Duplicar',
  'builder.layers.remove': 'Remover',
  'builder.layers.outputShape': 'Saída {shape}',
  'builder.layers.params': '{count} parâmetros',
  'builder.layers.noParams': 'sem parâmetros',
  'builder.layers.targetShapeHint': 'ex.: 7, 7, 16',
  'builder.layers.activation.linear': 'linear (nenhuma)',
  'builder.layers.zeroPaddingHint': '1 · linhas, colunas · cima, baixo, esquerda, direita',
  'builder.layers.none': 'nenhum',
  'builder.palette.core': 'Básicas',
  'builder.palette.image': 'Imagens',
  'builder.palette.activations': 'Ativações',
  'builder.palette.scaling': 'Escala',
  'builder.palette.hint': 'Aponte ou foque um tipo de camada para ler o que ele faz.',
  'builder.layerInfo.flatten':
    'Estende a imagem numa única lista de números, para que as camadas Dense possam lê-la.',
  'builder.layerInfo.dense':
    'Liga cada entrada a cada unidade: cada unidade calcula uma soma ponderada mais o seu bias e aplica a ativação.',
  'builder.layerInfo.dropout':
    'Durante o treino, desliga a cada passo uma parte aleatória dos valores, para que a rede não dependa de nenhum deles sozinho.',
  'builder.layerInfo.conv2d':
    'Desliza pequenos filtros aprendidos sobre a imagem; cada filtro gera um mapa de onde o seu padrão aparece.',
  'builder.layerInfo.maxPooling2d':
    'Guarda o maior valor de cada janela, encolhendo a imagem sem perder as respostas mais fortes.',
  'builder.layerInfo.averagePooling2d':
    'Troca cada janela pela sua média, encolhendo a imagem de forma suave.',
  'builder.layerInfo.batchNormalization':
    'Recentraliza e reescala cada canal com a média e a variância do lote, o que estabiliza e acelera o treino.',
  'builder.layerInfo.reshape':
    'Reorganiza os mesmos valores em outro formato, por exemplo 784 números numa imagem 28×28×1.',
  'builder.layerInfo.activation':
    'Aplica uma função de ativação (relu, sigmoid, tanh, softmax…) a cada valor, sem pesos próprios.',
  'builder.layerInfo.relu':
    'Mantém os valores positivos e zera os negativos; também pode limitar os valores a um máximo ou deixar passar os negativos com uma pequena inclinação.',
  'builder.layerInfo.leakyRelu':
    'Como a ReLU, mas os valores negativos são multiplicados por uma pequena inclinação em vez de virarem 0, e assim as unidades nunca se calam de vez.',
  'builder.layerInfo.softmax':
    'Transforma uma lista de pontuações em probabilidades que somam 1; vai na saída, depois de uma camada Dense.',
  'builder.layerInfo.rescaling':
    'Multiplica cada valor por uma escala e soma um deslocamento, por exemplo ×1/255 para levar pixels de 0–255 para 0–1.',
  'builder.layerInfo.zeroPadding2d':
    'Adiciona linhas e colunas de zeros em volta da imagem, para que as janelas seguintes também cubram as bordas.',
  'builder.layerInfo.globalAveragePooling2d':
    'Tira a média de cada canal sobre a imagem inteira, um número por canal: uma alternativa leve à Flatten.',
  'builder.layerInfo.globalMaxPooling2d':
    'Guarda o maior valor de cada canal sobre a imagem inteira: um número por canal.',
  'builder.layerInfo.spatialDropout2d':
    'Dropout para convoluções: durante o treino, desliga ao acaso canais inteiros (mapas de características) em vez de valores soltos.',
  'builder.announce.moved': '{type} movida para a posição {n} de {count}.',
  'builder.announce.removed': '{type} removida. Restam {count} camadas.',
  'builder.announce.added': '{type} adicionada na posição {n}.',
  'builder.announce.duplicated': '{type} duplicada na posição {n}.',
  'builder.announce.preset': 'Modelo substituído: {count} camadas.',

  'builder.issues.title': 'Corrija antes de treinar',
  'builder.issues.none': 'O modelo é válido e está pronto para treinar.',

  'builder.summary.title': 'Resumo',
  'builder.summary.caption': 'Como o model.summary() do Keras',
  'builder.summary.layer': 'Camada (tipo)',
  'builder.summary.output': 'Formato de saída',
  'builder.summary.params': 'Parâmetros',
  'builder.summary.total': 'Total de parâmetros',
  'builder.summary.trainable': 'Parâmetros treináveis',
  'builder.summary.nonTrainable': 'Parâmetros não treináveis',
  'builder.summary.unknown': '?',
  'builder.summary.incomplete':
    'Alguns formatos ficam desconhecidos até você corrigir os problemas marcados em vermelho.',

  'builder.diagram.title': 'Diagrama',
  'builder.diagram.label': 'A pilha de camadas, da entrada (em cima) até a saída (embaixo)',
  'builder.diagram.values': '{count} valores',

  'builder.code.title': 'Código Keras',
  'builder.code.snippet': 'Modelo',
  'builder.code.script': 'Script completo',
  'builder.code.copy': 'Copiar',
  'builder.code.copied': 'Copiado para a área de transferência.',
  'builder.code.copyFailed': 'Não foi possível copiar; selecione o código e tecle Ctrl+C.',
  'builder.code.save': 'Salvar como .py',
  'builder.code.stale': 'Mostra a última versão válida; corrija os problemas para atualizá-la.',
  'builder.code.none': 'O código aparece quando o modelo estiver válido.',
  'builder.code.colab':
    'Roda sem alterações no Google Colab ou em qualquer computador com TensorFlow; o .h5 salvo pode ser importado de volta no Sinapse.',

  'builder.settings.title': 'Configurações do treino',
  'builder.settings.dataset': 'Conjunto de dados',
  'builder.settings.dataset.mnist': 'MNIST (dígitos manuscritos)',
  'builder.settings.dataset.fashion-mnist': 'Fashion-MNIST (roupas)',
  'builder.settings.dataset.idx': 'Arquivos IDX em uma pasta…',
  'builder.settings.idxFolder': 'Pasta com os arquivos IDX',
  'builder.settings.idxFolderHint': 'ex.: /home/aluno/dados/letras',
  'builder.settings.datasetLoading': 'Lendo o conjunto de dados…',
  'builder.settings.datasetFacts':
    '{train} imagens de treino e {test} de teste, de {shape}, {classes} classes',
  'builder.settings.optimizer': 'Otimizador',
  'builder.settings.learningRate': 'Taxa de aprendizado',
  'builder.settings.learningRateDefault':
    'Padrão do Keras para o {optimizer}: {rate}. Ao trocar de otimizador, a taxa segue o padrão do novo.',
  'builder.settings.learningRateChanged':
    'Você mudou a taxa; o padrão do Keras para o {optimizer} é {rate}. Ela não muda ao trocar de otimizador.',
  'builder.settings.momentum': 'Momentum',
  'builder.settings.loss': 'Função de perda',
  'builder.settings.loss.sparseCategoricalCrossentropy': 'Entropia cruzada categórica esparsa',
  'builder.settings.loss.categoricalCrossentropy': 'Entropia cruzada categórica',
  'builder.settings.epochs': 'Épocas',
  'builder.settings.batchSize': 'Tamanho do lote',
  'builder.settings.validationSplit': 'Fração de validação',
  'builder.settings.validationSplitHint': '0,2 = 20% das imagens de treino',
  'builder.settings.splitMode': 'Imagens de validação',
  'builder.settings.splitMode.last': 'As últimas, como no Keras',
  'builder.settings.splitMode.seeded': 'Sorteadas com a semente',
  'builder.settings.seed': 'Semente',
  'builder.settings.earlyStopping': 'Parada antecipada',
  'builder.settings.earlyStopping.off': 'Desligada',
  'builder.settings.earlyStopping.on': 'Parar quando deixar de melhorar',
  'builder.settings.restoreBest': 'Pesos no fim',
  'builder.settings.restoreBest.last': 'Os da última época',
  'builder.settings.restoreBest.best': 'Os da melhor época',
  'builder.settings.restoreBest.hint':
    'A época com o melhor {monitor}, como o restore_best_weights=True do Keras',
  'builder.settings.monitor': 'Observar',
  'builder.settings.patience': 'Paciência (épocas)',
  'builder.settings.limit': 'Imagens de treino',
  'builder.settings.limit.off': 'Todas',
  'builder.settings.limit.on': 'Só as primeiras',
  'builder.settings.limitCount': 'Quantidade de imagens',
  'builder.settings.runName': 'Nome do treino',
  'builder.settings.runNameHint': 'Opcional, ex.: MLP 128 relu',

  'builder.estimate.label': 'Tempo estimado',
  'builder.estimate.value': '≈ {epoch} por época · ≈ {total} no total',
  'builder.estimate.on': 'com {backend}',
  'builder.estimate.rough': 'estimativa inicial',
  'builder.estimate.roughHelp':
    'Medida com passos reais de treino deste modelo neste computador, antes do treino. Durante o treino, a página de progresso a substitui pelo ritmo dos próprios lotes.',
  'builder.estimate.unsettled':
    'estimativa inicial: o computador ainda estava acelerando (ou ocupado) durante a medição',
  'builder.estimate.measuring': 'Medindo a velocidade deste computador…',
  'builder.estimate.busy': 'Sem estimativa enquanto outro treino está em andamento.',
  'builder.estimate.unavailable': 'Estimativa indisponível.',
  'builder.estimate.invalid':
    'A estimativa aparece quando o modelo e as configurações estiverem válidos.',
  'builder.duration.seconds': '{n} s',
  'builder.duration.minutes': '{m} min {s} s',
  'builder.duration.hours': '{h} h {m} min',

  'builder.train': 'Treinar',
  'builder.training.starting': 'Iniciando…',
  'builder.reason.specIssues': 'Antes, corrija o(s) {count} problema(s) do modelo.',
  'builder.reason.configIssues':
    'Antes, corrija o(s) {count} problema(s) das configurações do treino.',
  'builder.reason.running': 'Há um treino em andamento; espere terminar ou pare-o em Treinar.',
  'builder.reason.dataset': 'Antes, escolha um conjunto de dados que o Sinapse consiga ler.',
  'builder.reason.noLayers': 'Antes, adicione camadas ao modelo.',
  'builder.startFailed': 'O treino não começou: {detail}',

  'builder.py.header':
    'Gerado pelo Sinapse: o mesmo modelo e as mesmas configurações de treino, em Keras.',
  'builder.py.runsAnywhere':
    'Roda sem alterações no Google Colab ou em qualquer computador com TensorFlow 2 (pip install tensorflow pandas matplotlib).',
  'builder.py.seed': 'Fixar a semente torna os pesos iniciais e o embaralhamento repetíveis',
  'builder.py.loadMnist': 'Carregando o conjunto de dados MNIST',
  'builder.py.loadFashion': 'Carregando o conjunto de dados Fashion-MNIST',
  'builder.py.idxHelp':
    'Carregando as imagens de arquivos IDX (o formato do MNIST): train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte e t10k-labels-idx1-ubyte, puros ou .gz',
  'builder.py.idxFolder': 'No Colab, envie a pasta e troque "folder" abaixo pelo caminho dela',
  'builder.py.normalize': 'Normalizando os dados',
  'builder.py.channelAxis':
    'Acrescentando o eixo de canais: camadas convolucionais esperam altura × largura × canais',
  'builder.py.oneHot': 'A entropia cruzada categórica precisa dos rótulos como vetores one-hot',
  'builder.py.limit': 'Usando só as primeiras {limit} imagens de treino, como no Sinapse',
  'builder.py.seededSplit':
    'Imagens de validação sorteadas com a semente (o validation_split do Keras pegaria as últimas)',
  'builder.py.model': 'Criando o modelo',
  'builder.py.compile': 'Compilando o modelo',
  'builder.py.earlyStopping': 'Parar quando {monitor} não melhorar por {patience} épocas',
  'builder.py.restoreBest':
    'Guardar os pesos da época com o melhor {monitor} e restaurá-los no fim',
  'builder.py.restoreOnly':
    'Nunca para antes (paciência = épocas): só restaura os pesos da época com o menor val_loss',
  'builder.py.fit': 'Treinando o modelo',
  'builder.py.history': 'Visualizando o histórico de treinamento',
  'builder.py.evaluate': 'Avaliando no conjunto de teste',
  'builder.py.save': 'Salvando o modelo',
} satisfies Record<keyof typeof en, string>

import type { spec as en } from '../en/spec'

export const spec = {
  'spec.notObject':
    'O modelo deve ser um objeto JSON com "inputShape" e "layers" (valor atual: {value}).',
  'spec.unknownModelField':
    'O modelo tem um campo desconhecido "{field}". Um modelo tem apenas "inputShape" e "layers".',
  'spec.inputShapeMissing':
    'O modelo não tem "inputShape". Adicione "inputShape": {expected}, o tamanho de uma imagem do conjunto de dados.',
  'spec.inputShapeInvalid':
    '"inputShape" deve ser uma lista de 1 a 3 números inteiros positivos, como {expected} (valor atual: {value}).',
  'spec.inputShapeMismatch':
    'O modelo espera imagens de formato {actual}, mas as imagens do conjunto de dados são {expected}. Defina "inputShape" como {expected}.',
  'spec.layersMissing': 'O modelo não tem "layers". Adicione uma lista de camadas.',
  'spec.layersNotList': '"layers" deve ser uma lista de camadas (valor atual: {value}).',
  'spec.noLayers':
    'O modelo não tem camadas. Adicione pelo menos a camada de saída: Dense com {classes} unidades e softmax.',
  'spec.tooManyLayers': 'O modelo tem {count} camadas; o máximo é {max}.',
  'spec.layerNotObject':
    'A camada {layer} deve ser um objeto com o campo "type", como {"type": "flatten"} (valor atual: {value}).',
  'spec.layerTypeMissing': 'A camada {layer} não tem "type". Tipos conhecidos: {known}.',
  'spec.unknownLayerType': 'Camada {layer}: tipo desconhecido {value}. Tipos conhecidos: {known}.',
  'spec.unknownLayerTypeSuggest':
    'Camada {layer}: tipo desconhecido {value}. Você quis dizer "{suggestion}"? Os tipos são escritos como "{suggestion}".',
  'spec.unknownField':
    'Camada {layer} ({type}): campo desconhecido "{field}". Esta camada aceita: {known}.',
  'spec.missingField': 'Camada {layer} ({type}): falta o campo "{field}".',
  'spec.unitsRange':
    'Camada {layer} ({type}): unidades deve ser um inteiro entre {min} e {max} (valor atual: {value}).',
  'spec.filtersRange':
    'Camada {layer} ({type}): filtros deve ser um inteiro entre {min} e {max} (valor atual: {value}).',
  'spec.kernelSizeRange':
    'Camada {layer} ({type}): o tamanho do kernel deve ser um inteiro maior ou igual a {min} (valor atual: {value}).',
  'spec.poolSizeRange':
    'Camada {layer} ({type}): o tamanho do pooling deve ser um inteiro maior ou igual a {min} (valor atual: {value}).',
  'spec.stridesRange':
    'Camada {layer} ({type}): o passo (strides) deve ser um inteiro maior ou igual a {min} (valor atual: {value}).',
  'spec.unknownPadding':
    'Camada {layer} ({type}): o preenchimento (padding) deve ser um de {known} (valor atual: {value}).',
  'spec.unknownActivation':
    'Camada {layer} ({type}): ativação desconhecida {value}. Ativações conhecidas: {known}.',
  'spec.unknownActivationSuggest':
    'Camada {layer} ({type}): ativação desconhecida {value}. Você quis dizer "{suggestion}"?',
  'spec.useBiasType':
    'Camada {layer} ({type}): usar bias deve ser true ou false (valor atual: {value}).',
  'spec.rateRange':
    'Camada {layer} ({type}): a taxa de dropout deve ser maior ou igual a 0 e menor que 1, por exemplo 0,2 (valor atual: {value}).',
  'spec.momentumRange':
    'Camada {layer} ({type}): o momentum deve ser maior que 0 e menor que 1, por exemplo 0,99 (valor atual: {value}).',
  'spec.epsilonRange':
    'Camada {layer} ({type}): o epsilon deve ser um número maior que 0, por exemplo 0,001 (valor atual: {value}).',
  'spec.targetShapeInvalid':
    'Camada {layer} ({type}): o formato de destino deve ser uma lista de 1 a 3 números inteiros positivos, como [28, 28, 1] (valor atual: {value}).',
  'spec.maxValueRange':
    'Camada {layer} ({type}): o valor máximo deve ficar vazio (sem teto) ou ser um número maior ou igual a 0, por exemplo 6 (valor atual: {value}).',
  'spec.negativeSlopeRange':
    'Camada {layer} ({type}): a inclinação negativa deve ser um número maior ou igual a 0, por exemplo 0,3 (valor atual: {value}).',
  'spec.thresholdRange':
    'Camada {layer} ({type}): o limiar deve ser um número maior ou igual a 0, por exemplo 0 (valor atual: {value}).',
  'spec.scaleInvalid':
    'Camada {layer} ({type}): a escala deve ser um número, por exemplo 0,00392 (1/255) para levar pixels de 0–255 para 0–1 (valor atual: {value}).',
  'spec.offsetInvalid':
    'Camada {layer} ({type}): o deslocamento deve ser um número, por exemplo 0 (valor atual: {value}).',
  'spec.zeroPaddingInvalid':
    'Camada {layer} ({type}): o preenchimento deve ser um número inteiro maior ou igual a 0 (igual em todos os lados), [linhas, colunas] ou [[cima, baixo], [esquerda, direita]], cada um no máximo {max} (valor atual: {value}).',
  'spec.denseNeedsFlatten':
    'A camada {layer} ({type}) recebe uma imagem de formato {shape}, mas a Dense precisa de uma lista simples de números. Adicione uma camada Flatten antes dela.',
  'spec.convAfterFlatten':
    'A camada {layer} ({type}) recebe uma lista simples de {size} números, mas a {type} precisa de uma imagem (altura × largura × canais). Coloque as camadas de convolução e pooling antes da Flatten.',
  'spec.convNeedsImage':
    'A camada {layer} ({type}) recebe dados de formato {shape}, mas a {type} precisa de uma imagem com 3 dimensões (altura × largura × canais), como [28, 28, 1].',
  'spec.kernelTooLarge':
    'Camada {layer} ({type}): o kernel {size}×{size} é maior que a sua entrada {height}×{width}. Use um kernel de no máximo {height}×{width}.',
  'spec.poolTooLarge':
    'Camada {layer} ({type}): a janela de pooling {size}×{size} é maior que a sua entrada {height}×{width}. Use uma janela de no máximo {height}×{width}.',
  'spec.kernelVanishes':
    'Camada {layer} ({type}): o kernel {size}×{size} é maior que a sua entrada {height}×{width}; com padding "valid", a saída encolhe até desaparecer. Use um kernel menor, padding "same" ou menos camadas de pooling antes dela.',
  'spec.poolVanishes':
    'Camada {layer} ({type}): a janela de pooling {size}×{size} é maior que a sua entrada {height}×{width}; com padding "valid", a saída encolhe até desaparecer. Use uma janela menor, padding "same" ou remova esta camada.',
  'spec.reshapeSize':
    'Camada {layer} ({type}): o formato de destino {target} tem {targetSize} valores, mas a entrada {shape} tem {size}. O número total de valores precisa continuar o mesmo.',
  'spec.outputNotDense':
    "A última camada é {type} (camada {layer}), mas a camada de saída deve ser Dense com {classes} unidades, uma por classe, com softmax (ou Dense({classes}) seguida de uma camada Softmax ou Activation('softmax')). Adicione-a no final.",
  'spec.outputUnits':
    'A camada {layer} ({type}) é a camada de saída: ela deve ter {classes} unidades, uma por classe, com softmax (valor atual: {units}).',
  'spec.outputActivation':
    'A camada {layer} ({type}) é a camada de saída: ela deve usar softmax para que suas {classes} saídas sejam probabilidades das classes (valor atual: {activation}).',
  'spec.outputSize':
    'A camada {layer} ({type}) é a camada de saída: o seu softmax deve dar {classes} valores, um por classe, mas dá {shape}. Coloque antes dela uma camada Dense com {classes} unidades.',
  'spec.tooManyParams':
    'O modelo tem {count} parâmetros; o limite é {max}, para caber na memória de um computador da escola. Use menos unidades ou filtros, ou adicione pooling antes da Flatten.',
  'spec.shapeUnknown':
    'O Sinapse não conseguiu calcular o formato de todas as camadas deste modelo.',

  'spec.config.notObject':
    'As configurações de treino devem ser um objeto JSON (valor atual: {value}).',
  'spec.config.unknownField':
    'Configuração de treino desconhecida "{field}". Configurações conhecidas: {known}.',
  'spec.config.missingField': 'Falta a configuração de treino "{field}".',
  'spec.config.optimizerUnknown': 'O otimizador deve ser um de {known} (valor atual: {value}).',
  'spec.config.learningRateRange':
    'A taxa de aprendizado deve ser maior que 0 e no máximo {max}, por exemplo 0,001 (valor atual: {value}).',
  'spec.config.momentumRange':
    'O momentum deve ser maior ou igual a 0 e menor que 1, por exemplo 0,9 (valor atual: {value}).',
  'spec.config.lossUnknown': 'A função de perda deve ser uma de {known} (valor atual: {value}).',
  'spec.config.epochsRange':
    'O número de épocas deve ser um inteiro entre {min} e {max} (valor atual: {value}).',
  'spec.config.batchSizeRange':
    'O tamanho do lote (batch size) deve ser um inteiro entre {min} e {max} (valor atual: {value}).',
  'spec.config.validationSplitRange':
    'A fração de validação deve ser maior ou igual a 0 e menor que 1, por exemplo 0,2 para 20% (0 significa sem validação) (valor atual: {value}).',
  'spec.config.splitModeUnknown':
    'O modo de separação da validação deve ser um de {known} (valor atual: {value}).',
  'spec.config.seedRange': 'A semente deve ser um inteiro entre 0 e {max} (valor atual: {value}).',
  'spec.config.limitRange':
    'O limite de amostras deve ficar vazio (usar todas) ou ser um inteiro maior ou igual a {min} (valor atual: {value}).',
  'spec.config.earlyStoppingNotObject':
    'A parada antecipada deve ficar vazia ou ser um objeto com "monitor" e "patience" (valor atual: {value}).',
  'spec.config.monitorUnknown':
    'A parada antecipada deve observar uma destas métricas: {known} (valor atual: {value}).',
  'spec.config.monitorNeedsValidation':
    'A parada antecipada observa {monitor}, que precisa de dados de validação, mas a fração de validação é 0. Observe loss ou accuracy, ou defina uma fração de validação como 0,2.',
  'spec.config.restoreBestWeightsBoolean':
    'Restaurar os pesos da melhor época deve ser verdadeiro ou falso (valor atual: {value}).',
  'spec.config.restoreNeedsValidation':
    'Restaurar os pesos da melhor época escolhe a época com o menor val_loss, o que precisa de dados de validação, mas a fração de validação é 0. Defina uma fração de validação como 0,2 ou desligue a opção.',
  'spec.config.patienceRange':
    'A paciência da parada antecipada deve ser um inteiro entre {min} e {max} épocas (valor atual: {value}).',

  'spec.field.inputShape': 'Formato da entrada',
  'spec.field.units': 'Unidades',
  'spec.field.activation': 'Ativação',
  'spec.field.filters': 'Filtros',
  'spec.field.kernelSize': 'Tamanho do kernel',
  'spec.field.strides': 'Passo (strides)',
  'spec.field.padding': 'Preenchimento (padding)',
  'spec.field.rate': 'Taxa',
  'spec.field.poolSize': 'Tamanho do pooling',
  'spec.field.momentum': 'Momentum',
  'spec.field.epsilon': 'Epsilon',
  'spec.field.useBias': 'Usar bias',
  'spec.field.targetShape': 'Formato de destino',

  'spec.field.maxValue': 'Valor máximo',
  'spec.field.negativeSlope': 'Inclinação negativa',
  'spec.field.threshold': 'Limiar',
  'spec.field.scale': 'Escala',
  'spec.field.offset': 'Deslocamento',
  'spec.field.zeroPadding': 'Zeros adicionados',
  'spec.summary.layer': 'Camada (tipo)',
  'spec.summary.outputShape': 'Formato da saída',
  'spec.summary.params': 'Parâmetros',
  'spec.summary.totalParams': 'Total de parâmetros',
  'spec.summary.trainableParams': 'Parâmetros treináveis',
  'spec.summary.nonTrainableParams': 'Parâmetros não treináveis',
  'spec.summary.unknown': '?',

  'spec.preset.tutorial-mlp': 'MLP do tutorial',
  'spec.preset.tutorial-mlp.description':
    'A rede do tutorial: Flatten → Dense(128, relu) → Dense(10, softmax), 30 épocas com Adam.',
  'spec.preset.lenet-cnn': 'CNN LeNet',
  'spec.preset.lenet-cnn.description':
    'A rede convolucional do tutorial: dois blocos Conv2D + MaxPooling2D, depois Dense(120) → Dense(84) → Dense(10, softmax), 10 épocas.',
} satisfies Record<keyof typeof en, string>

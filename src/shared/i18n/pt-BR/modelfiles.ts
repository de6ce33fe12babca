import type { modelfiles as en } from '../en/modelfiles'

export const modelfiles = {
  'modelfiles.badConfig':
    'A descrição do modelo neste arquivo não é uma que o Sinapse consiga ler ({detail}). Salve o modelo de novo no Keras ou no TensorFlow.js.',
  'modelfiles.configReason.notObject': 'a descrição do modelo não é um objeto',
  'modelfiles.configReason.noLayers': 'ela não lista nenhuma camada',
  'modelfiles.configReason.tooManyLayers':
    'ela lista {count} camadas, mais do que as {max} de qualquer modelo que o Sinapse importa',
  'modelfiles.configReason.layerEntry': 'um item da lista de camadas não é uma camada',
  'modelfiles.configReason.inputLayerNoShape': 'a InputLayer não tem formato',
  'modelfiles.configReason.noInputShape': 'o modelo não declara o formato da sua entrada',
  'modelfiles.configReason.badInputShape':
    'o formato de entrada {shape} não é uma lista de números inteiros positivos',
  'modelfiles.configReason.fieldMissing': 'a camada {className} não tem {field}',
  'modelfiles.configReason.badField': 'a camada {className} tem {field} inválido: {value}',
  'modelfiles.configReason.cannotTakeInput':
    'uma camada {layer} não aceita uma entrada de formato {shape}',
  'modelfiles.configReason.linkMissing': 'falta o {field} de uma camada',
  'modelfiles.configReason.badLink': 'as ligações de uma camada ({field}) estão danificadas',
  'modelfiles.configReason.nestedTooDeep':
    'as ligações entre as camadas estão aninhadas fundo demais',
  'modelfiles.configReason.unnamedLayer': 'uma camada não tem nome',
  'modelfiles.configReason.unknownSource':
    'a camada {name} recebe de {from}, que não está no modelo',
  'modelfiles.configReason.notChain': 'as camadas não formam uma cadeia única (em {name})',
  'modelfiles.configReason.inputFed': 'a camada de entrada {name} recebe de outra camada',
  'modelfiles.configReason.noPath': 'a cadeia a partir de {from} não chega à saída {to}',
  'modelfiles.notSequential':
    'Este modelo é um {className}, mas o Sinapse importa apenas modelos Sequential e modelos funcionais que sejam uma cadeia única (camadas uma após a outra). Monte-o com keras.Sequential e salve de novo.',
  'modelfiles.unknownLayer':
    'Este modelo usa uma camada {className}, que o Sinapse não suporta. O Sinapse importa estes tipos de camada: {known}.',
  'modelfiles.unsupportedOption':
    'Este modelo usa uma camada {className} com {option}, que o Sinapse não consegue reproduzir. Use o valor padrão dessa opção e salve o modelo de novo.',
  'modelfiles.inputShape':
    'Este modelo recebe entradas de formato {shape}, mas o Sinapse importa modelos para dígitos MNIST de 28×28 (784 valores, 28×28 ou 28×28×1).',
  'modelfiles.inputShapeFor':
    'Este modelo recebe entradas de formato {shape}, mas a especificação do seu treino diz {expected}.',
  'modelfiles.weightCount':
    'A camada {layer} deste modelo deveria ter {expected} conjuntos de pesos, mas o arquivo tem {actual}. O arquivo está incompleto ou não corresponde à sua descrição.',
  'modelfiles.weightShape':
    'O {weight} da camada {layer} não tem o formato {expected} de que a camada precisa. Os pesos não pertencem a esta descrição de modelo.',
  'modelfiles.weightsNotFinite':
    'O {weight} da camada {layer} tem {count} de {total} valores que não são números (NaN) ou são infinitos. Um modelo com pesos assim dá respostas sem sentido: o treino divergiu ou o arquivo está danificado. Nada foi importado.',
  'modelfiles.weightShapeMismatch':
    'O peso {weight} da camada "{layer}" tem o formato {actual}, mas a camada precisa de {expected} (os mesmos números em outra ordem são outros pesos, por exemplo um kernel transposto). Os pesos não pertencem a esta descrição de modelo.',
  'modelfiles.duplicateLayer':
    'Duas camadas deste modelo se chamam "{name}". O Keras dá um nome próprio a cada camada: o arquivo foi alterado ou está danificado.',
  'modelfiles.tooManyWeights':
    'Este modelo descreve {count} pesos; o Sinapse aceita modelos de no máximo {max}. Não é um modelo MNIST que o Sinapse possa treinar ou usar.',
  'modelfiles.readCapExceeded':
    'O arquivo {file} faria o Sinapse ler mais de {limit} MB de pesos, mais do que qualquer modelo que ele aceita: ele lê os mesmos dados muitas vezes (uma bomba de descompressão) ou está danificado.',
  'modelfiles.notHdf5':
    'O arquivo {file} não é um arquivo HDF5 (.h5). Escolha um modelo salvo pelo Keras.',
  'modelfiles.h5Damaged':
    'Não foi possível ler o arquivo {file} como HDF5: ele está danificado ou incompleto. Copie-o de novo.',
  'modelfiles.noConfig':
    'O arquivo {file} não tem a descrição do modelo Keras (model_config). Salve o modelo inteiro com model.save(), não apenas os pesos.',
  'modelfiles.configTooLarge':
    'A descrição do modelo em {file} tem {size} caracteres, mais do que os {limit} de que qualquer modelo que o Sinapse usa precisa (milhares de camadas, ou um arquivo danificado). Nada foi importado.',
  'modelfiles.configNotJson':
    'A descrição do modelo em {file} não é um JSON válido: o arquivo está danificado ou foi editado à mão. Salve o modelo de novo no Keras. Nada foi importado.',
  'modelfiles.noWeights':
    'O arquivo {file} não contém pesos do modelo. Salve de novo o modelo treinado.',
  'modelfiles.layerWeightsMissing':
    'Os pesos da camada "{layer}" estão faltando ou ilegíveis em {file}. O arquivo está incompleto ou danificado.',
  'modelfiles.zipTooBig':
    'O arquivo compactado {file} é grande demais ou tem arquivos demais para ser um modelo (no máximo 20 arquivos e 128 MB descompactados). Por segurança, o Sinapse o recusa.',
  'modelfiles.zipDamaged': 'O arquivo compactado {file} está danificado. Copie-o de novo.',
  'modelfiles.zipChecksum':
    'O arquivo compactado {file} está danificado: "{entry}" não confere com a soma de verificação que o arquivo registrou para ele (foi alterado ou cortado depois de criado). Nada foi importado; copie o arquivo de novo.',
  'modelfiles.zipDuplicate':
    'O arquivo compactado {file} contém "{entry}" duas vezes, e não se sabe qual vale. Nada foi importado; gere o arquivo compactado de novo.',
  'modelfiles.zipNoModel':
    'O arquivo compactado {file} não contém um modelo TensorFlow.js (model.json) nem um modelo Keras (config.json e model.weights.h5).',
  'modelfiles.zipNested':
    'O arquivo compactado {file} contém "{entry}" dentro de uma subpasta. Coloque o model.json e os arquivos de pesos na raiz do arquivo.',
  'modelfiles.noModelJson':
    'Nenhum model.json foi enviado. Escolha o model.json junto com os arquivos de pesos .bin.',
  'modelfiles.modelJsonTooBig':
    'Este model.json tem mais de {limit} MB, muito mais do que a descrição de um modelo precisa. Verifique se é o arquivo certo.',
  'modelfiles.badManifest':
    'Este model.json não é um modelo de camadas do TensorFlow.js válido ({detail}). Exporte o modelo de novo.',
  'modelfiles.unsafePath':
    'Este model.json aponta para o arquivo de pesos "{file}", que não é um nome de arquivo simples ao lado dele. Por segurança, o Sinapse o recusa.',
  'modelfiles.weightFileMissing':
    'Este model.json precisa do arquivo de pesos "{file}", que não foi enviado. Escolha-o junto com o model.json.',
  'modelfiles.weightsSize':
    'Os pesos deveriam ocupar {expected} bytes, mas os arquivos de pesos têm {actual}. Os arquivos estão incompletos ou não combinam: copie-os de novo.',
  'modelfiles.dtype':
    'O peso {weight} está armazenado como {dtype}; o Sinapse importa apenas pesos float32. Exporte o modelo sem quantização.',
  'modelfiles.weightMissing':
    'O peso "{weight}" da camada "{layer}" não está nos arquivos do modelo. Os arquivos não correspondem à descrição do modelo.',
  'modelfiles.notTenClasses':
    'Este modelo não produz 10 classes, então não consegue classificar dígitos MNIST.',
  'modelfiles.unknownFormat':
    'O Sinapse não reconhece estes arquivos como um modelo ({files}). Escolha um arquivo Keras .h5 ou .keras, um .zip do TensorFlow.js, ou o model.json com seus arquivos .bin.',
  'modelfiles.pathMissing': 'Nada foi encontrado em {path}. Verifique o caminho.',
  'modelfiles.fileTooLarge':
    'O arquivo {file} não é um arquivo comum ou tem mais de 50 MB, mais do que qualquer modelo que o Sinapse possa usar.',
  'modelfiles.uploadTooLarge':
    'Estes arquivos somam {size} MB; uma importação aceita no máximo {limit} MB, mais do que qualquer modelo que o Sinapse possa usar.',
  'modelfiles.tooManyFiles':
    'A pasta {path} tem arquivos de pesos demais para ser um único modelo.',
  'modelfiles.importButton': 'Importar modelo',
  'modelfiles.importHint':
    'Keras .h5 ou .keras, TensorFlow.js .zip ou model.json + .bin, ou um pacote do Sinapse',
  'modelfiles.importing': 'Importando…',
  'modelfiles.importedFrom': 'Importado de {source}; não foi treinado aqui.',
  'modelfiles.invalidSpec':
    'O Sinapse não consegue importar este modelo como ele é ({count} problema(s)); nada foi adicionado:',
  'modelfiles.logitsSoftmax':
    'A última camada dava pontuações brutas (logits); o Sinapse acrescentou um softmax para que virem probabilidades. As previsões não mudam.',
  'modelfiles.notEvaluated': 'Ainda não avaliado no conjunto de teste.',
  'modelfiles.evaluateNow': 'Avaliar no teste agora',
  'modelfiles.evaluating': 'Avaliando nas 10.000 imagens de teste…',
  'modelfiles.importedScored': 'Modelo importado como treino #{id}: acurácia de teste {accuracy}.',
  'modelfiles.evaluateFailed': 'Não foi possível avaliar: {message}',
  'modelfiles.imported': 'Modelo importado como o treino nº {id}.',
  'modelfiles.importFailed': 'A importação falhou: {message}',
  'modelfiles.exportTfjs': 'Exportar modelo (TensorFlow.js .zip)',
  'modelfiles.exportH5': 'Exportar modelo (Keras .h5)',
  'modelfiles.exportBundle': 'Exportar pacote do treino',
  'modelfiles.exportFailed': 'A exportação falhou: {message}',
  'modelfiles.bundle.notBundle':
    '“{name}” não é um pacote de treino do Sinapse: o arquivo não começa com a assinatura de pacote. Escolha um arquivo .sinapse criado com “Exportar pacote do treino”.',
  'modelfiles.bundle.newerVersion':
    '“{name}” foi criado por uma versão mais nova do Sinapse (formato de pacote {version}; esta versão lê até o formato {supported}). Atualize o Sinapse neste computador para importá-lo.',
  'modelfiles.bundle.unknownVersion':
    '“{name}” tem uma versão de formato de pacote inválida ({version}). O arquivo está danificado; exporte o treino de novo.',
  'modelfiles.bundle.truncated':
    '“{name}” está incompleto: tem {actual} bytes, mas deveria ter {expected}. A cópia provavelmente foi interrompida (o pen drive foi removido cedo demais?). Copie o arquivo de novo a partir do computador original.',
  'modelfiles.bundle.trailingBytes':
    '“{name}” tem {extra} bytes inesperados depois do fim: o arquivo foi alterado depois de exportado. Exporte o treino de novo.',
  'modelfiles.bundle.tooLarge':
    '“{name}” tem {size} MB; um pacote de treino pode ter no máximo {limit} MB. Confira se escolheu o arquivo certo.',
  'modelfiles.bundle.headerTooLarge':
    '“{name}” tem uma descrição maior que {limit} MB, o que nenhum pacote real tem. O arquivo está danificado ou não é um pacote do Sinapse.',
  'modelfiles.bundle.headerNotJson':
    '“{name}” tem uma descrição danificada (não é um JSON válido). Exporte o treino de novo.',
  'modelfiles.bundle.fileTableInvalid':
    '“{name}” tem a lista de arquivos danificada. Exporte o treino de novo.',
  'modelfiles.bundle.tooManyFiles':
    '“{name}” lista {count} arquivos; um pacote de treino tem no máximo {limit}. O arquivo está danificado ou não é um pacote do Sinapse.',
  'modelfiles.bundle.unsafeFileName':
    '“{name}” contém um arquivo com um nome não permitido (“{file}”): só são aceitos nomes simples, sem pastas. Nada foi importado.',
  'modelfiles.bundle.fileTampered':
    'O arquivo {file} dentro de “{name}” não confere com a soma de verificação: o pacote foi alterado ou danificado depois de exportado. Nada foi importado; copie o pacote de novo.',
  'modelfiles.bundle.modelTampered':
    'O modelo dentro de “{name}” não confere com a soma de verificação registrada quando foi salvo: ele foi alterado depois do treino. Nada foi importado.',
  'modelfiles.bundle.modelFilesMismatch':
    'Os arquivos do modelo dentro de “{name}” não correspondem à descrição (model.json e os arquivos de pesos que ele lista). Nada foi importado; exporte o treino de novo.',
  'modelfiles.bundle.modelInvalid':
    'O model.json dentro de “{name}” não é um modelo TensorFlow.js válido, ou os pesos não têm os tamanhos que ele declara. Nada foi importado.',
  'modelfiles.bundle.modelRefused':
    'O modelo dentro de “{name}” não é um que o Sinapse consiga carregar para o seu treino, e o treino nunca poderia fazer previsões. Nada foi importado.',
  'modelfiles.bundle.layerCount': 'O modelo tem {model} camadas, mas a especificação diz {spec}.',
  'modelfiles.bundle.layerKind':
    'A camada {layer} é {model} no modelo, mas {spec} na especificação.',
  'modelfiles.bundle.layerField':
    'A camada {layer} tem {field} {model} no modelo, mas a especificação diz {spec}.',
  'modelfiles.bundle.manifestInvalid':
    '“{name}” tem informações inválidas ou ausentes na descrição (campos: {fields}). O arquivo foi danificado ou editado à mão; exporte o treino de novo.',
  'modelfiles.bundle.unknownDataset':
    'O treino em “{name}” usa um conjunto de dados que o Sinapse não conhece (“{ref}”); ele conhece mnist, fashion-mnist e idx:<pasta>.',
  'modelfiles.bundle.invalidSpec':
    'O treino em “{name}” tem um modelo ou configurações de treino que o Sinapse recusa ({count} problema(s)):',
  'modelfiles.bundle.fileNotFound':
    'Nenhum arquivo de pacote em {path}. Confira o caminho e tente de novo.',
  'modelfiles.bundle.exportTooLarge':
    'O treino nº {id} geraria um pacote de {size} MB, mais que os {limit} MB permitidos.',
  'modelfiles.bundle.exportModelMissing':
    'O modelo salvo do treino nº {id} não está na pasta de dados, então o treino não pode ser exportado com ele.',
  'modelfiles.bundle.exportModelCorrupt':
    'O modelo salvo do treino nº {id} está danificado (os arquivos não conferem com a soma de verificação registrada ao salvar); nenhum pacote foi criado.',
} satisfies Record<keyof typeof en, string>

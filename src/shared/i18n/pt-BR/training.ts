import type { training as en } from '../en/training'

export const training: Record<keyof typeof en, string> = {
  'training.backendUnknown':
    'SINAPSE_BACKEND está definido como "{backend}", que não é um backend de cálculo. Use um destes: {choices}, ou remova a variável para o Sinapse escolher.',
  'training.backendUnavailable':
    'Não foi possível iniciar o backend de cálculo {backend} ({detail}). Escolha outro backend ou remova SINAPSE_BACKEND para o Sinapse escolher um que funcione.',
  'training.inputMismatch':
    'O modelo espera imagens no formato {model}, mas o conjunto de dados tem imagens no formato {dataset}. Altere o formato de entrada do modelo para {dataset}.',
  'training.noSamples':
    'Não sobrou nenhuma amostra para treinar. Aumente o limite de amostras ou diminua a fração de validação.',
  'training.nanLoss':
    'O treinamento divergiu na época {epoch} (percebido no lote {batch}): a perda virou NaN ou infinito, então os pesos deixaram de ser números válidos. Em geral a taxa de aprendizado está alta demais: tente uma menor (por exemplo, 10 vezes menor) ou outro otimizador, como o Adam.',
  'training.predictSize':
    'A imagem {index} tem {actual} valores, mas este modelo espera {expected} ({shape}). Prepare a imagem no tamanho em que o modelo foi treinado.',
  'training.modelMissing':
    'O modelo salvo em {path} está incompleto: falta o arquivo {file}. Ele pode ter sido apagado ou movido; treine o modelo de novo.',
  'training.modelHashMismatch':
    'O modelo salvo em {path} foi alterado ou danificado depois de salvo (a soma de verificação não confere mais). O Sinapse não vai usá-lo: treine o modelo de novo.',
  'training.modelNotJson':
    'O arquivo model.json em {path} não é uma descrição válida de modelo do TensorFlow.js ({detail}). Exporte o modelo de novo a partir da origem.',
  'training.modelUnsafePath':
    'O modelo em {path} aponta para o arquivo de pesos "{file}", que não é um nome simples de arquivo dentro da pasta do modelo. Por segurança, o Sinapse o recusa.',
  'training.modelWeightsSize':
    'Os pesos do modelo em {path} deveriam ocupar {expected} bytes, mas os arquivos de pesos têm {actual}. Os arquivos estão incompletos ou não são do mesmo modelo: copie-os de novo.',
  'training.modelTooLarge':
    'O arquivo {file} em {path} tem mais de {limit} MB, mais do que qualquer modelo que o Sinapse consegue treinar. Verifique se esta é a pasta certa.',
  'training.modelInvalid':
    'Não foi possível reconstruir o modelo em {path} ({detail}). Ele pode usar camadas que o Sinapse não suporta.',
  'training.workerCrashed':
    'O mecanismo de treinamento parou inesperadamente ({detail}). Seus treinos foram mantidos; tente de novo e, se continuar acontecendo, treine um modelo menor ou use menos amostras.',
  'training.workerClosed': 'O mecanismo de treinamento foi encerrado antes de a tarefa terminar.',
  'training.modelNotSaved':
    'O modelo treinado não pôde ser salvo na pasta de dados ({path}: {detail}). As épocas e a nota no teste foram mantidas, e o modelo ainda está na memória: salve-o em outra pasta antes de fechar o Sinapse.',
  'training.modelNoLongerInMemory':
    'O modelo treinado do treino {id} não está mais na memória (o programa que o treinou foi fechado), então não dá para salvá-lo agora. As épocas e a nota no teste foram mantidas.',
  'training.modelSavedElsewhere':
    'A pasta de dados recusou o modelo treinado ({detail}), então ele foi salvo em {path}.',
  'training.weightsLowest':
    'O modelo salvo tem os pesos da época {epoch}, a de menor {monitor} ({value}), e não os da última: a nota de teste é deles.',
  'training.weightsHighest':
    'O modelo salvo tem os pesos da época {epoch}, a de maior {monitor} ({value}), e não os da última: a nota de teste é deles.',
}

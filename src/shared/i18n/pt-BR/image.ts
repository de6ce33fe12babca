import type { image as en } from '../en/image'

export const image = {
  'image.empty': 'O arquivo está vazio (0 bytes). Escolha uma imagem: PNG, JPEG, WebP, GIF ou BMP.',
  'image.isSvg': 'Este arquivo é um desenho SVG, não uma foto: salve-o como PNG ou JPEG.',
  'image.isHtml':
    'Este arquivo é uma página da web (HTML), não uma imagem. Salve a própria imagem como PNG ou JPEG.',
  'image.isXml':
    'Este arquivo é um documento XML, não uma imagem. Salve a imagem como PNG ou JPEG.',
  'image.isText':
    'Este arquivo contém texto, não uma imagem. Escolha uma imagem PNG, JPEG, WebP, GIF ou BMP.',
  'image.notAnImage':
    'Este arquivo é do tipo {format}, não uma imagem. Escolha uma imagem PNG, JPEG, WebP, GIF ou BMP.',
  'image.unsupportedFormat':
    'Esta é uma imagem {format}, formato que o Sinapse não lê. Salve-a como PNG ou JPEG.',
  'image.unknownFormat':
    'Este arquivo não é uma imagem que o Sinapse consiga ler: não é PNG, JPEG, WebP, GIF nem BMP. Salve-o em um desses formatos.',
  'image.corrupt':
    'Este arquivo {format} está danificado ou incompleto e não pode ser lido. Salve ou baixe o arquivo de novo.',
  'image.bmpUnsupported':
    'Este arquivo BMP usa {feature}, recurso que o Sinapse não lê. Salve-o como PNG.',
  'image.tooManyPixels':
    '{width}×{height} pixels é grande demais (limite de {limit} megapixels). Reduza a imagem ou recorte-a em volta do dígito.',
  'image.fileTooLarge':
    'O arquivo tem {size} MB, mais que o limite de {limit} MB. Use uma imagem menor (uma foto de celular costuma ter de 2 a 5 MB).',
  'image.fileNotFound': 'Não existe arquivo em {path}. Confira o nome e a pasta.',
  'image.notAFile': '{path} é uma pasta ou um dispositivo, não um arquivo de imagem.',
  'image.badPixels':
    'Os dados da imagem estão malformados ({width}×{height}, {channels} canais, {length} bytes). Salve a imagem de novo como PNG e tente outra vez.',
  'image.warning.noInk':
    'Nenhum dígito encontrado: a imagem parece estar em branco. Escreva o dígito mais escuro ou tire a foto mais de perto.',
  'image.warning.multipleBlobs':
    'Parece haver mais de uma marca ou dígito. Deixe um único dígito na imagem ou recorte-a.',
  'image.warning.tinyInk':
    'O dígito está muito pequeno nesta imagem, e detalhes podem se perder. Recorte a imagem em volta do dígito.',
} satisfies Record<keyof typeof en, string>

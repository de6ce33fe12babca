import type { runs as en } from '../en/runs'

export const runs = {
  'runs.unknownDataset':
    'Dataset desconhecido "{ref}". Use mnist, fashion-mnist ou idx:<pasta> para uma pasta com os quatro arquivos IDX.',
  'runs.invalidSpec': 'O modelo não pode ser treinado como está ({count} problema(s)):',
  'runs.noModel':
    'O treino {id} não tem modelo salvo (situação: {status}): treine-o até o fim primeiro.',
  'runs.predictShape':
    'Este modelo recebe imagens {shape}; prever a sua imagem exige um modelo para dígitos 28×28 em tons de cinza.',
  'runs.nameControlChars':
    'O nome de um treino não pode ter caracteres de controle (como tabulações, quebras de linha, códigos de escape ou marcas que mudam a direção do texto). Digite o nome de novo com letras, números e pontuação.',
  'runs.nameTooLong':
    'O nome de um treino pode ter no máximo {max} caracteres; este tem {length}. Encurte-o e tente de novo.',
  'runs.deleteRunning': 'O treino {id} está em andamento: interrompa-o antes de apagar.',
} satisfies Record<keyof typeof en, string>

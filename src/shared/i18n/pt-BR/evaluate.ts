import type { evaluate as en } from '../en/evaluate'

export const evaluate = {
  'evaluate.noModel':
    'O treino #{id} "{name}" não tem modelo salvo para avaliar (foi interrompido antes de terminar a primeira época, ou falhou). Treine de novo ou escolha outro treino.',
  'evaluate.datasetMismatch':
    'Os treinos #{a} e #{b} foram avaliados em conjuntos de dados diferentes ({datasetA} e {datasetB}), então suas imagens de teste não podem ser comparadas. Escolha dois treinos feitos no mesmo conjunto.',
  'evaluate.title': 'Avaliar um treino',
  'evaluate.subtitle':
    'Como o modelo se sai nas 10.000 imagens de teste que ele nunca viu no treino.',
  'evaluate.runLabel': 'Treino',
  'evaluate.pickRun': 'Escolha um treino…',
  'evaluate.loading': 'Carregando…',
  'evaluate.computing': 'Avaliando as imagens de teste…',
  'evaluate.empty.title': 'Ainda não há treinos para avaliar',
  'evaluate.empty.body':
    'Treine um modelo primeiro. Quando o treino terminar, a nota no teste, a matriz de confusão e os erros aparecem aqui.',
  'evaluate.empty.action': 'Montar um modelo',
  'evaluate.pick.title': 'Qual treino você quer avaliar?',
  'evaluate.pick.body':
    'Escolha um treino acima para ver a nota no teste, a matriz de confusão e os erros.',
  'evaluate.noModelState.title': 'Este treino não tem modelo',
  'evaluate.noModelState.body':
    'Só os treinos que terminaram pelo menos uma época salvam um modelo. Escolha outro treino acima ou treine este modelo de novo.',
  'evaluate.notEvaluated':
    'Este modelo ainda não foi avaliado no conjunto de teste. Avalie-o para ver os resultados.',
  'evaluate.reevaluate': 'Avaliar de novo',
  'evaluate.evaluate': 'Avaliar',
  'evaluate.evaluating': 'Avaliando…',
  'evaluate.testAccuracy': 'Acurácia no teste',
  'evaluate.testLoss': 'Perda no teste',
  'evaluate.samples': '{count} imagens de teste',
  'evaluate.printLine': 'Teste Acurácia: {accuracy}, Teste Loss: {loss}',
  'evaluate.evaluatedAt': 'Avaliado em {date}',
  'evaluate.matrix.title': 'Matriz de confusão',
  'evaluate.matrix.hint':
    'Linhas: o dígito verdadeiro. Colunas: o que o modelo respondeu. Clique numa célula (ou tecle Enter nela) para ver as imagens; as setas movem entre as células.',
  'evaluate.matrix.true': 'Verdadeiro',
  'evaluate.matrix.predicted': 'Previsto',
  'evaluate.matrix.cell': 'Verdadeiro {t}, previsto {p}: {count} imagens',
  'evaluate.gallery.title': 'Imagens de teste',
  'evaluate.gallery.cell': 'Verdadeiro {t} → previsto {p}',
  'evaluate.gallery.allMistakes': 'Todos os erros',
  'evaluate.gallery.hint':
    'Clique numa célula da matriz de confusão para ver aqui as imagens de teste dela.',
  'evaluate.gallery.count': '{count} imagens',
  'evaluate.gallery.range': '{from}–{to} de {total}',
  'evaluate.gallery.none': 'Nenhuma imagem de teste nesta célula.',
  'evaluate.gallery.prev': 'Página anterior',
  'evaluate.gallery.next': 'Próxima página',
  'evaluate.gallery.showMistakes': 'Mostrar todos os erros',
  'evaluate.sort.label': 'Ordem',
  'evaluate.sort.desc': 'Mais confiantes primeiro',
  'evaluate.sort.asc': 'Menos confiantes primeiro',
  'evaluate.sample.label':
    'Imagem de teste nº {index}: verdadeiro {t}, previsto {p}, confiança {confidence}',
  'evaluate.perClass.title': 'Por classe',
  'evaluate.perClass.class': 'Dígito',
  'evaluate.perClass.precision': 'Precisão',
  'evaluate.perClass.recall': 'Revocação',
  'evaluate.perClass.f1': 'F1',
  'evaluate.perClass.support': 'Imagens',
  'evaluate.perClass.hint':
    'Precisão: das imagens que o modelo chamou deste dígito, quantas eram. Revocação: das imagens deste dígito, quantas ele encontrou. F1 combina as duas.',
  'evaluate.mistakes.title': 'Erros mais confiantes',
  'evaluate.mistakes.hint': 'Onde o modelo deu mais confiança à resposta e mesmo assim errou.',
  'evaluate.mistakes.none':
    'Nenhum erro: todas as imagens de teste foram classificadas corretamente.',
  'evaluate.compare.title': 'Comparar com outro treino',
  'evaluate.compare.label': 'Treino B',
  'evaluate.compare.pick': 'Escolha um treino…',
  'evaluate.compare.none': 'Nenhum outro treino com modelo no mesmo conjunto de dados.',
  'evaluate.compare.onlyA': '#{a} acertou, #{b} errou',
  'evaluate.compare.onlyB': '#{b} acertou, #{a} errou',
  'evaluate.compare.count': '{count} imagens',
  'evaluate.compare.hint':
    'Cada imagem mostra a resposta do treino que errou; os erros mais confiantes vêm primeiro.',
  'evaluate.compare.shown': 'mostrando as primeiras {shown}',
  'evaluate.compare.empty': 'Nenhuma.',
  'evaluate.error': 'Não foi possível carregar: {detail}',
} satisfies Record<keyof typeof en, string>

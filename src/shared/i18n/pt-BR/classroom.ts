import type { classroom as en } from '../en/classroom'

export const classroom = {
  'classroom.import.zipTooBig':
    'O arquivo compactado {file} é grande demais ou tem arquivos demais (no máximo {entries} pacotes e {limit} MB descompactados). O Sinapse o recusa por segurança; importe os pacotes ou a pasta deles.',
  'classroom.import.zipNoBundles':
    'O arquivo compactado {file} não contém nenhum pacote de treino .sinapse.',
  'classroom.cli.imported': '{file}: importado como treino {id}.',
  'classroom.cli.duplicate': '{file}: já estava aqui como treino {id}; nada mudou.',
  'classroom.cli.refused': '{file}: recusado. {message}',
  'classroom.cli.summary':
    '{imported} importados, {duplicates} já estavam aqui, {refused} recusados.',
  'classroom.cli.badTag': 'A etiqueta "{value}" não é válida: de 1 a 40 caracteres.',
  'classroom.import.folderButton': 'Importar pasta',
  'classroom.import.folderHint':
    'Todos os pacotes .sinapse (ou zips de pacotes) de uma pasta, por exemplo as entregas de uma turma',
  'classroom.import.folderEmpty': 'Essa pasta não tem nenhum pacote .sinapse.',
  'classroom.import.title': 'Importar trabalhos dos alunos',
  'classroom.import.close': 'Fechar',
  'classroom.import.ready':
    '{count} arquivos para importar. Cada pacote entra inteiro ou não entra; um arquivo recusado não impede os outros.',
  'classroom.import.tagLabel': 'Etiqueta para todos os treinos importados (opcional)',
  'classroom.import.tagPlaceholder': 'por exemplo turma-3B',
  'classroom.import.start': 'Importar {count} arquivos',
  'classroom.import.progress': 'Importando {done} de {total}…',
  'classroom.import.summary':
    '{imported} importados, {duplicates} já estavam aqui, {refused} recusados.',
  'classroom.import.rowImported': 'Importado como treino nº {id}.',
  'classroom.import.rowDuplicate': 'Já estava aqui como treino nº {id}; nada mudou.',
  'classroom.import.open': 'Abrir',
  'classroom.runs.student': 'Aluno(a): {name}',
  'classroom.runs.lesson': 'Lição {id}',
  'classroom.csv.button': 'Exportar CSV',
  'classroom.csv.hint':
    'Os treinos mostrados, como planilha: UTF-8, separado por vírgulas, ponto decimal (0.9781)',
  'classroom.csv.id': 'id',
  'classroom.csv.name': 'nome',
  'classroom.csv.student': 'aluno(a)',
  'classroom.csv.lessonId': 'id da lição',
  'classroom.csv.status': 'status',
  'classroom.csv.createdAt': 'criado (UTC)',
  'classroom.csv.architecture': 'arquitetura',
  'classroom.csv.paramCount': 'parâmetros',
  'classroom.csv.epochs': 'épocas',
  'classroom.csv.bestValAccuracy': 'melhor val_accuracy',
  'classroom.csv.testAccuracy': 'acurácia de teste',
  'classroom.csv.durationS': 'duração (s)',
  'classroom.csv.backend': 'backend',
  'classroom.csv.tags': 'etiquetas',
  'classroom.csv.notes': 'notas',
  'classroom.cli.boardMissing':
    'Informe a lição: o arquivo .sinapse-aula dela, ou o id de uma lição cujo quadro já foi aberto.',
  'classroom.board.lessonUnknown':
    'Nenhuma lição com o id {id} foi aberta neste computador. Informe o arquivo .sinapse-aula dela.',
  'classroom.board.split':
    'Pontuado de novo aqui: {public} imagens de teste públicas (as que os alunos podiam ver) e {private} privadas, que definem a classificação da turma.',
  'classroom.board.private': 'Privada',
  'classroom.board.public': 'Pública',
  'classroom.board.claimed': 'Declarada',
  'classroom.board.flags': 'Alertas',
  'classroom.board.claimFalse':
    'O pacote declara uma acurácia de teste de {claimed}, que o modelo dele não alcança aqui.',
} satisfies Record<keyof typeof en, string>

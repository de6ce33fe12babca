import type { lesson as en } from '../en/lesson'

export const lesson = {
  'lesson.notObject': 'Uma aula precisa ser um objeto JSON; veio {value}.',
  'lesson.unknownField': 'Campo de aula desconhecido: "{field}".',
  'lesson.idInvalid': 'O id da aula precisa ser um uuid (ex.: 0f8c…-…); veio {value}.',
  'lesson.versionInvalid':
    'A versão da aula precisa ser um número inteiro a partir de 1; veio {value}.',
  'lesson.titleEmpty': 'A aula precisa de um título, em português ou em inglês.',
  'lesson.titleOneLine': 'O título da aula precisa caber em uma linha.',
  'lesson.textInvalid':
    '"{field}" precisa ter o texto nas duas línguas: {"pt-BR": "…", "en": "…"} (uma pode ficar vazia).',
  'lesson.textTooLong': '"{field}" tem {length} caracteres; o limite é {max}.',
  'lesson.textControlChars':
    '"{field}" contém caracteres de controle (códigos invisíveis que não são texto). Remova-os e tente de novo.',
  'lesson.markdownUnsafe':
    '"{field}", linha {line}, contém HTML ou um link de script ("{found}"). Aulas aceitam só Markdown simples (**negrito**, *itálico*, `código`, listas, títulos, [links](https://…)); HTML nunca é mostrado.',
  'lesson.datasetInvalid': 'O conjunto de dados da aula precisa ser um de {known}; veio {value}.',
  'lesson.seedInvalid':
    'A semente da aula precisa ser um número inteiro de 0 a {max}; veio {value}.',
  'lesson.seedMismatch':
    'As configurações do treino usam a semente {configSeed}, mas a aula fixa a semente {seed}; as duas precisam ser iguais.',
  'lesson.modelModeNeedsSpec':
    'O modelo está marcado como "{mode}", mas a aula não tem modelo inicial; só dá para travar ou esconder o modelo quando há um.',
  'lesson.fixedBreaksConstraint':
    'O número fixo de épocas ({value}) passa do que a aula permite ({limit}): nenhum aluno conseguiria cumprir a regra.',
  'lesson.controlsInvalid':
    '"controls" precisa dizer, para cada configuração, "free", "locked" ou "hidden".',
  'lesson.controlUnknown':
    'Configuração desconhecida "{field}". Configurações conhecidas: {known}.',
  'lesson.controlModeInvalid': '"{field}" precisa ser um de {known}; veio {value}.',
  'lesson.modelInvalid':
    '"model" precisa ser {"spec": <uma especificação de modelo ou null>, "mode": "free" | "locked" | "hidden"}.',
  'lesson.goalInvalid': 'A meta precisa ser {"metric": …, "threshold": …}.',
  'lesson.goalMetricInvalid': 'A métrica da meta precisa ser uma de {known}; veio {value}.',
  'lesson.goalAccuracyRange':
    'Uma meta de acurácia é um número de 0 a 1 (0,97 = 97%); veio {value}.',
  'lesson.goalLossRange': 'Uma meta de loss é um número a partir de 0; veio {value}.',
  'lesson.constraintsInvalid':
    '"constraints" precisa ser um objeto: {"maxParams", "maxEpochs", "maxLayers", "allowedLayers"}, cada um null quando não usado.',
  'lesson.constraintRange':
    '"{field}" precisa ser um número inteiro de 1 a {max}, ou null; veio {value}.',
  'lesson.allowedLayersInvalid':
    '"{field}" precisa ser uma lista não vazia de tipos de camada ({known}) ou null; veio {value}.',

  'lesson.metric.testAccuracy': 'acurácia no teste',
  'lesson.metric.valAccuracy': 'acurácia na validação',
  'lesson.metric.testLoss': 'loss no teste',
  'lesson.metric.valLoss': 'loss na validação',
  'lesson.control.model': 'O modelo (camadas)',
  'lesson.control.seed': 'Semente',
  'lesson.control.dataset': 'Conjunto de dados',

  'lesson.check.goalPending': 'Meta: {metric} {op} {threshold} — ainda não medida.',
  'lesson.check.goalMet': 'Meta atingida: {metric} é {value} ({op} {threshold}).',
  'lesson.check.goalNotMet':
    'Meta ainda não atingida: {metric} é {value}; a meta é {op} {threshold}.',
  'lesson.check.datasetOk': 'Treinado no conjunto de dados da aula ({expected}).',
  'lesson.check.datasetWrong': 'Treinado em {value}, mas a aula usa {expected}.',
  'lesson.check.paramsOk': '{value} parâmetros (no máximo {limit}).',
  'lesson.check.paramsOver': '{value} parâmetros: mais que os {limit} que a aula permite.',
  'lesson.check.epochsOk': '{value} épocas (no máximo {limit}).',
  'lesson.check.epochsOver': '{value} épocas: mais que as {limit} que a aula permite.',
  'lesson.check.layersOk': '{value} camadas (no máximo {limit}).',
  'lesson.check.layersOver': '{value} camadas: mais que as {limit} que a aula permite.',
  'lesson.check.layerTypesOk': 'Só os tipos de camada que a aula permite ({allowed}).',
  'lesson.check.layerTypesBanned': 'Usa {value}, que a aula não permite (permitidos: {allowed}).',
  'lesson.check.lockKept': '{control}: mantido no valor do professor ({expected}).',
  'lesson.check.lockChanged':
    '{control}: {value} em vez de {expected}, o valor que o professor fixou.',
  'lesson.check.modelKept': '{control}: o modelo do professor, sem mudanças.',
  'lesson.check.modelChanged': '{control} não é o modelo do professor; a aula o fixa.',
  'lesson.handIn.studentInvalid':
    'Escreva seu nome ou um apelido (de 1 a {max} caracteres, uma linha) para entregar.',
  'lesson.handIn.lessonInvalid': 'Esta entrega não indica uma aula válida (id e versão).',

  'lesson.pack.notPack':
    '“{name}” não é uma aula do Sinapse: não começa com a assinatura de aula. Escolha um arquivo .sinapse-aula feito pelo seu professor.',
  'lesson.pack.newerVersion':
    '“{name}” foi feito por um Sinapse mais novo (formato de aula {version}; esta versão lê até o formato {supported}). Atualize o Sinapse neste computador para abri-lo.',
  'lesson.pack.unknownVersion':
    '“{name}” tem uma versão de formato de aula inválida ({version}). O arquivo está danificado; peça-o de novo ao professor.',
  'lesson.pack.truncated':
    '“{name}” está incompleto: tem {actual} bytes, mas deveria ter {expected}. A cópia provavelmente foi interrompida; copie o arquivo de novo.',
  'lesson.pack.trailingBytes':
    '“{name}” tem {extra} bytes inesperados depois do fim: o arquivo foi alterado depois que o professor o fez.',
  'lesson.pack.tooLarge':
    '“{name}” tem {size} MB; uma aula tem no máximo {limit} MB. Confira se escolheu o arquivo certo.',
  'lesson.pack.damaged':
    '“{name}” está danificado: a descrição ou a lista de arquivos não é a de uma aula. Peça o arquivo de novo ao professor.',
  'lesson.pack.unsafeFileName':
    '“{name}” contém um arquivo com um nome não permitido (“{file}”): só nomes simples, sem pastas, são aceitos. Nada foi aberto.',
  'lesson.pack.checksum':
    'A aula dentro de “{name}” não confere com a soma de verificação: o arquivo foi alterado ou danificado depois que o professor o fez. Nada foi aberto; copie-o de novo.',
  'lesson.pack.invalidLesson': 'A aula em “{name}” tem {count} problema(s):',
  'lesson.pack.fileNotFound': 'Não há aula em {path}. Confira o caminho e tente de novo.',

  'privacy.confirmWord': 'APAGAR',
  'privacy.confirmMismatch': 'Nada foi apagado: digite {words} exatamente para confirmar.',
  'privacy.busy':
    'Nada foi apagado: há um treino em andamento. Pare-o (ou espere terminar) e tente de novo.',

  'cli.lesson.help': `Uso: sinapse lesson <create|open|hand-in> [opções]

  lesson create --out <arquivo.sinapse-aula> [opções de treino] [opções da aula]
      cria uma aula a partir de um preset ou de um arquivo --spec (modelo e configurações iniciais)
        --title TEXTO  --title-en TEXTO            o título em português e em inglês
        --instructions <arquivo.md>  --instructions-en <arquivo.md>   Markdown, sem HTML
        --goal testAccuracy>=0.97                  ou valAccuracy, testLoss<=F, valLoss<=F
        --lock a,b  --hide c,d                     configurações que os alunos não podem mudar
                                                   (model, optimizer, learningRate, momentum, loss,
                                                   epochs, batchSize, validationSplit, splitMode,
                                                   earlyStopping, limit); a semente é sempre fixa
        --max-params N  --max-epochs N  --max-layers N  --allow-layers dense,flatten,…
        --blank                                    os alunos começam sem modelo
        --force                                    substitui um arquivo que já existe
  lesson open <arquivo.sinapse-aula>               mostra a aula (--json: a aula inteira)
  lesson hand-in <treino> --lesson <arquivo> --student NOME --out <arquivo.sinapse> [--force]
      grava o treino como entrega da aula e o confere com as regras da aula
  lesson board <arquivo.sinapse-aula|id da aula> [--json | --csv] [--replace]
      todos os treinos entregues para a aula (importe-os antes: sinapse import <pasta>), cada modelo
      pontuado de novo aqui na metade privada do conjunto de teste, classificados; quem quebrou regras é sinalizado
        --replace   substitui a lição guardada de mesmo id e versão com outro conteúdo`,
  'cli.lesson.unknownAction': 'Ação de aula desconhecida "{action}". Ações: {actions}.',
  'cli.lesson.badGoal':
    'A meta "{value}" não foi entendida. Escreva métrica>=número ou métrica<=número, ex.: testAccuracy>=0.97 (métricas: {metrics}).',
  'cli.lesson.badControl': '{flag}: configuração desconhecida "{value}". Configurações: {known}.',
  'cli.lesson.missingOut': 'Diga onde gravar o arquivo: --out <arquivo>.',
  'cli.lesson.missingFile':
    'Indique o arquivo da aula: sinapse lesson open <arquivo.sinapse-aula>.',
  'cli.lesson.missingLesson': 'Diga qual aula: --lesson <arquivo.sinapse-aula>.',
  'cli.lesson.missingStudent': 'Diga quem entrega: --student "seu nome ou um apelido".',
  'cli.lesson.created': 'Aula gravada: {path} (id da aula {id}, versão 1).',
  'cli.lesson.title': '{title}  (aula {id}, versão {version})',
  'cli.lesson.dataset': 'Conjunto de dados: {dataset}; semente {seed} (fixa).',
  'cli.lesson.constraints':
    'Limites: parâmetros {maxParams}, épocas {maxEpochs}, camadas {maxLayers}, tipos de camada {allowedLayers}.',
  'cli.lesson.locked': 'Travadas pelo professor: {controls}.',
  'cli.lesson.hidden': 'Escondidas (fixas): {controls}.',
  'cli.lesson.handedIn': 'Treino {id} entregue: {path}',

  'privacy.open': 'Privacidade',
  'privacy.title': 'Seus dados no Sinapse',
  'privacy.nothingSent':
    'O Sinapse funciona offline: não tem contas nem telemetria e não envia nada a lugar nenhum. Tudo fica neste computador:',
  'privacy.database':
    'Treinos (nomes, configurações, histórico, resultados, notas, etiquetas) e as aulas abertas no quadro da turma: o arquivo SQLite {path}',
  'privacy.models': 'Modelos treinados e importados: as pastas em {path}',
  'privacy.fallback':
    'Só quando a pasta de dados recusou um modelo (disco cheio): esse modelo numa pasta dentro de {path}',
  'privacy.settings':
    'Seu idioma, o modelo que você está montando e uma aula aberta: o armazenamento desta janela',
  'privacy.images':
    'As imagens que você testa (fotos arrastadas, webcam, desenhos) só são vistas na memória: nunca são gravadas, nem postas num pacote ou numa entrega.',
  'privacy.bundles':
    'Um pacote ou entrega que você exporta contém as configurações, o histórico, os resultados, as notas, as etiquetas e o modelo do treino, e o nome que você digita ao entregar — nada mais.',
  'privacy.counts': 'Agora: {runs} treino(s), {models} modelo(s), {size} MB em {path}.',
  'privacy.deleteTitle': 'Apagar todos os meus dados',
  'privacy.deleteBody':
    'Apaga todos os treinos, todos os modelos e as aulas do quadro da turma, e limpa as configurações. Não dá para desfazer. O Sinapse continua funcionando, vazio. Digite {word} para confirmar.',
  'privacy.typeWord': 'Digite {word}',
  'privacy.deleteButton': 'Apagar tudo',
  'privacy.deleted':
    '{runs} treino(s) e {folders} pasta(s) de modelo apagados; as configurações foram limpas.',
  'privacy.close': 'Fechar',

  'lessonmake.open': 'Criar uma aula…',
  'lessonmake.title': 'Criar um pacote de aula',
  'lessonmake.intro':
    'O pacote parte do modelo e das configurações do construtor como estão agora. Escolha o que os alunos podem mudar, a meta e as instruções; o pacote é salvo como um arquivo .sinapse-aula para distribuir.',
  'lessonmake.builderInvalid':
    'Corrija antes o modelo e as configurações do construtor ({count} problema(s)): a aula parte deles.',
  'lessonmake.texts': 'Título e instruções',
  'lessonmake.titlePt': 'Título em português',
  'lessonmake.titleEn': 'Título em inglês',
  'lessonmake.instructionsPt': 'Instruções em português (Markdown)',
  'lessonmake.instructionsEn': 'Instruções em inglês (Markdown)',
  'lessonmake.markdownHint':
    'Markdown: # títulos, **negrito**, *itálico*, `código`, listas e links https. HTML é recusado. Um dos idiomas pode ficar vazio: os alunos veem o outro.',
  'lessonmake.preview': 'Prévia',
  'lessonmake.start': 'Ponto de partida',
  'lessonmake.startModel': 'Modelo inicial',
  'lessonmake.modelValue': 'O modelo do construtor ({layers} camadas, {params} parâmetros)',
  'lessonmake.noModel': 'Nenhum: os alunos montam o seu',
  'lessonmake.limit': 'Subconjunto de treino (imagens)',
  'lessonmake.limitAll': 'vazio: o conjunto de treino inteiro',
  'lessonmake.limitAllShort': 'todas',
  'lessonmake.seed': 'Semente (a mesma para todos)',
  'lessonmake.controls': 'O que os alunos podem mudar',
  'lessonmake.controlsHint':
    'Livre: o aluno muda. Travado: aparece, mas fixo. Oculto: fixo e não aparece. O valor ao lado de cada um é o do construtor agora.',
  'lessonmake.mode.free': 'Livre',
  'lessonmake.mode.locked': 'Travado',
  'lessonmake.mode.hidden': 'Oculto',
  'lessonmake.off': 'desligado',
  'lessonmake.goal': 'Meta e limites',
  'lessonmake.goalMetric': 'Medida',
  'lessonmake.atLeast': 'No mínimo (de 0 a 1)',
  'lessonmake.atMost': 'No máximo',
  'lessonmake.maxParams': 'No máximo tantos parâmetros',
  'lessonmake.maxEpochs': 'No máximo tantas épocas',
  'lessonmake.noLimit': 'vazio: sem limite',
  'lessonmake.issues': 'A aula ainda não pode ser salva ({count} problema(s)):',
  'lessonmake.save': 'Salvar o pacote da aula',
  'lessonmake.close': 'Fechar',

  'lessonui.open': 'Abrir uma aula…',
  'lessonui.close': 'Sair da aula',
  'lessonui.checks': 'Meta e regras',
  'lessonui.handInTitle': 'Entregar',
  'lessonui.student': 'Seu nome ou um apelido',
  'lessonui.studentHint': 'ex.: Coruja Azul',
  'lessonui.run': 'Treino a entregar',
  'lessonui.goalBasis':
    'Medido na última época, o modelo que você entrega. O quadro do professor julga do mesmo jeito, mas recalcula a acurácia no teste com a própria cópia das imagens de teste, metade delas guardada em segredo: pode dar um pouco diferente.',
  'lessonui.handIn': 'Entregar',
  'lessonui.noRun': 'Treine até o fim primeiro; depois entregue aqui.',
  'lessonui.handedIn': '{file} gravado: entregue este arquivo ao professor.',
  'lessonui.locked': 'Fixado pelo professor para esta aula',
  'lessonui.modelLocked':
    'O professor fixou este modelo para a aula: as camadas não podem ser mudadas.',
  'lessonui.openSpec': 'Abrir um arquivo de modelo…',
  'lessonui.specInvalid':
    '“{name}” não é um arquivo de modelo ou de configurações que o Sinapse abra: {detail}',
} satisfies Record<keyof typeof en, string>

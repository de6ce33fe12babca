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
} satisfies Record<keyof typeof en, string>

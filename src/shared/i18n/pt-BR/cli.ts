import type { cli as en } from '../en/cli'

export const cli = {
  'cli.help': `Sinapse — deep learning para visão computacional, offline.

Uso: sinapse <comando> [opções]

Comandos:
  train                     treina um modelo (padrão: a MLP do tutorial no MNIST)
  runs                      lista todos os treinos, do mais novo ao mais antigo
  show <treino>             configuração, histórico e nota de teste de um treino
  evaluate <treino>         avalia de novo o modelo de um treino no conjunto de teste
  predict <treino> <imagem...>  prevê o dígito nas suas imagens (PNG, JPEG, WebP, GIF, BMP)
  inspect <treino> <imagem>    Raio-X: a saída de cada camada e um mapa de saliência (ou --test N)
  export <treino> --out <pasta|arquivo> [--format tfjs|tfjs-zip|h5|bundle] [--force]
                            salva o modelo (pasta ou zip do TensorFlow.js, .h5 do Keras) ou o treino inteiro;
                            um arquivo existente só é substituído com --force
  import <arquivo|pasta>... [--tag T] [--input-scale 1|255|inverted|centered]
                            [--dataset mnist|fashion-mnist]
                            um .h5/.keras do Keras, model.json/.zip do TensorFlow.js ou pacote .sinapse vira um treino;
                            vários de uma vez: pacotes, pastas de pacotes, zips de pacotes, cada um relatado
                            (com --json uma linha JSON por arquivo); código de saída 1 se algum foi recusado
                            o conjunto de dados e a convenção de pixels de um modelo são descobertos
                            em 1.000 imagens de teste, se não forem dados
  input-scale <treino> [1|255|inverted|centered]
                            mostra ou muda os valores de pixel com que o modelo do treino é alimentado
  delete <treino>           apaga um treino, seu histórico e seu modelo
  lesson create|open|hand-in aulas para a turma (veja \`sinapse lesson --help\`)
  serve [--port N]          abre o Sinapse no navegador (mostra um endereço privado)

Opções de treino:
  --preset tutorial-mlp|lenet-cnn   parte de um modelo pronto (padrão tutorial-mlp)
  --spec <arquivo.json>             um arquivo de especificação em vez de um preset
  --epochs N  --batch-size N  --validation-split F  --split last|seeded
  --optimizer sgd|adam|rmsprop  --learning-rate F  --momentum F
  --limit N (usa só as N primeiras imagens de treino)  --seed N  --name TEXTO
  --early-stopping val_loss|val_accuracy|loss|accuracy  --patience N
  --restore-best-weights            no fim, ficar com os pesos da época de menor val_loss
                                    (ou do melhor valor da parada antecipada), como o
                                    EarlyStopping(restore_best_weights=True) do Keras
  --dataset mnist|fashion-mnist|idx:<pasta>

Em todos os comandos:
  --data-dir <pasta>  onde os treinos ficam (padrão: a pasta do app; variável SINAPSE_DATA_DIR)
  --lang pt-BR|en     idioma das mensagens (padrão: o do sistema)
  --json              imprime um documento JSON (import: uma linha JSON por arquivo)
  --backend tensorflow|wasm|cpu   força um backend do TensorFlow.js

Ctrl-C interrompe um treino com segurança: as épocas terminadas são mantidas.`,
  'cli.errorPrefix': 'Erro:',
  'cli.unknownCommand':
    'Comando desconhecido "{command}". Comandos: {commands}. Veja `sinapse --help`.',
  'cli.badArgs': '{detail}. Veja `sinapse {command} --help`.',
  'cli.badInteger': '{flag} deve ser um número inteiro; recebido "{value}".',
  'cli.badNumber': '{flag} deve ser um número; recebido "{value}".',
  'cli.badBackend': 'Backend desconhecido "{value}". Escolha um destes: {backends}.',
  'cli.missingRunId': 'Diga qual treino: informe o id (veja `sinapse runs`).',
  'cli.badRunId':
    '"{value}" não é um id de treino: ids são números inteiros como 3 (veja `sinapse runs`).',
  'cli.unknownPreset': 'Preset desconhecido "{preset}". Presets: {presets}.',
  'cli.presetAndSpec': 'Use --preset ou --spec, não os dois.',
  'cli.specNotJson': 'O arquivo de especificação {path} não é um JSON válido: {detail}',
  'cli.noImages': 'Informe ao menos um arquivo de imagem depois do id do treino.',
  'cli.missingOut': 'Diga para onde exportar: --out <pasta>.',
  'cli.trainStarted':
    'Treino {id} iniciado no backend {backend}: {train} imagens de treino e {val} de validação.',
  'cli.progressLine':
    'Época {epoch}/{epochs} {bar} {batch}/{batches}  loss {loss}  acc {accuracy}  faltam {eta}',
  'cli.epochLine':
    'Época {epoch}/{epochs}: loss {loss}, acurácia {accuracy}, val_loss {valLoss}, val_acurácia {valAccuracy} ({seconds} s)',
  'cli.epochLineNoVal': 'Época {epoch}/{epochs}: loss {loss}, acurácia {accuracy} ({seconds} s)',
  'cli.stopping': 'Interrompendo depois do lote atual… (as épocas terminadas são mantidas)',
  'cli.forceQuit':
    'Saindo agora. As épocas terminadas estão salvas; o treino aparecerá como interrompido.',
  'cli.finished.completed': 'Treino {id} concluído.',
  'cli.finished.stopped': 'Treino {id} interrompido; as épocas terminadas foram mantidas.',
  'cli.finished.failed': 'Treino {id} falhou: {error}',
  'cli.finished.interrupted': 'Treino {id} foi interrompido.',
  'cli.finished.running': 'Treino {id} ainda está em andamento.',
  'cli.finished.queued': 'Treino {id} está na fila.',
  'cli.testScore': 'Teste Acurácia: {accuracy}, Teste Loss: {loss}',
  'cli.noRuns':
    'Nenhum treino ainda — comece pelo modelo do tutorial: sinapse train --preset tutorial-mlp',
  'cli.col.id': 'id',
  'cli.col.name': 'nome',
  'cli.col.status': 'situação',
  'cli.col.epochs': 'épocas',
  'cli.col.bestVal': 'melhor val acc',
  'cli.col.test': 'acc teste',
  'cli.col.created': 'criado em',
  'cli.status.queued': 'na fila',
  'cli.status.running': 'treinando',
  'cli.status.completed': 'concluído',
  'cli.status.stopped': 'interrompido pelo usuário',
  'cli.status.failed': 'falhou',
  'cli.status.interrupted': 'interrompido (processo encerrado)',
  'cli.status.interruptedBecause': 'interrompido ({reason})',
  'cli.show.status': 'Situação: {status} · backend: {backend}',
  'cli.show.dataset': 'Dataset: {dataset} · parâmetros: {params}',
  'cli.show.config':
    'Otimizador {optimizer} (taxa de aprendizado {lr}) · {epochs} épocas · lote {batch} · validação {split} · semente {seed}',
  'cli.show.error': 'Erro: {error}',
  'cli.show.model': 'Modelo: {path} (sha256 {sha}…)',
  'cli.confusionCorner': 'real\\prev',
  'cli.predictLine': '{file}: {digit} (confiança {confidence})',
  'cli.warning.ood':
    'aviso: esta imagem não se parece com as imagens com que o modelo foi treinado — a resposta pode não significar nada, seja qual for a confiança (distância às imagens de treino {score}, limite {threshold})',
  'cli.predictError': '{file}: erro — {message}',
  'cli.warning.noInk': 'aviso: nenhum traço encontrado — há um dígito nesta imagem?',
  'cli.warning.multipleBlobs': 'aviso: várias formas separadas — o modelo espera um único dígito',
  'cli.warning.tinyInk': 'aviso: o dígito está muito pequeno ou claro',
  'cli.exported': 'Modelo do treino {id} exportado para {path}',
  'cli.rendererMissing':
    'As páginas do app ainda não foram geradas ({path}): rode `npm run build` uma vez, ou use `npm run web`.',
  'cli.badPort': '--port deve ser um número inteiro de 0 a 65535; recebido "{value}".',
  'cli.serveFailed':
    'Não foi possível usar a porta {port} ({detail}): escolha outra com --port, ou omita para usar uma livre.',
  'cli.serving':
    'O Sinapse está rodando no seu navegador em:\n\n  {url}\n\nSó este computador pode abri-lo, e só com este endereço (ele contém um token secreto).\nPasta de dados: {dataDir}\nAperte Ctrl-C para parar.',
  'cli.serveStopping': 'Parando o Sinapse… (um treino em andamento mantém as épocas terminadas)',
  'cli.badFormat':
    'Formato de exportação desconhecido "{value}". Escolha tfjs (uma pasta), tfjs-zip, h5 (Keras) ou bundle (o treino inteiro).',
  'cli.noImportFile':
    'Informe o arquivo a importar: um .h5 ou .keras do Keras, um model.json ou .zip do TensorFlow.js, ou um pacote de treino .sinapse.',
  'cli.imported': 'Importado como treino {id}.',
  'cli.deleted': 'Treino {id} apagado.',
  'cli.http.misdirected':
    'Pedido mal endereçado: abra o Sinapse pelo endereço que o `sinapse serve` mostrou (127.0.0.1 e a porta).',
  'cli.http.method': 'Método não permitido: este endereço só serve as páginas do app (GET).',
  'cli.http.badRequest': 'Pedido inválido: não foi possível ler o endereço.',
  'cli.http.notFound': 'Não encontrado: essa página não existe no Sinapse.',
} satisfies Record<keyof typeof en, string>

// Where one training step's time goes, phase by phase, on one backend:
// `node --import tsx bench/profile-step.ts [wasm|cpu] [tutorial-mlp|lenet-cnn]`. Each phase runs in
// several interleaved rounds and the fastest round counts, which filters out other processes' load.
import type { Scalar, Tensor1D } from '@tensorflow/tfjs-core'
import { asStepOptimizer } from '../src/main/training/adam'
import { initBackend, tf } from '../src/main/training/backend'
import { fillBatch } from '../src/main/training/datasets/batch'
import { loadDataset } from '../src/main/training/datasets/load'
import { createDenseStackStep } from '../src/main/training/kernels/dense'
import {
  adamSettings,
  buildModel,
  countCorrect,
  createForward,
  createOptimizer,
  crossEntropy,
} from '../src/main/training/model-factory'
import type { BackendName } from '../src/shared/runs'
import { getPreset, isPresetName } from '../src/shared/presets'

const [backendArg = 'wasm', presetArg = 'tutorial-mlp'] = process.argv.slice(2)
if (!isPresetName(presetArg)) throw new Error(`unknown preset ${presetArg}`)
await initBackend(backendArg as BackendName)
const preset = getPreset(presetArg)
const ds = await loadDataset('mnist')
const model = buildModel(tf, preset.spec, preset.config)
const forward = createForward(tf, model)
const fused = createOptimizer(tf, preset.config)
const tfAdam = asStepOptimizer(tf.train.adam(1e-3, 0.9, 0.999, 1e-7))
const order = new Uint32Array(48000).map((_, i) => i)
const batch = preset.config.batchSize
const shape = [28, 28, 1]
const xBuf = new Float32Array(batch * 784)
const yBuf = new Int32Array(batch)
fillBatch(ds.train, order, 0, batch, xBuf, yBuf)

const inputs = () => ({
  x: tf.tensor(xBuf, [batch, ...shape]),
  y: tf.tensor1d(yBuf, 'int32') as Tensor1D,
})
const lossOf = (x: ReturnType<typeof inputs>) => () =>
  tf.mean(crossEntropy(tf, forward(x.x, true), x.y)) as Scalar
const phases: Record<string, (i: number) => void> = {
  fillBatch: (i) => fillBatch(ds.train, order, (i * batch) % 40000, batch, xBuf, yBuf),
  'tensors in': () => tf.tidy(() => void inputs()),
  forward: () => tf.tidy(() => void forward(inputs().x, true)),
  'forward + loss': () => tf.tidy(() => void lossOf(inputs())()),
  'forward + loss + count': () =>
    tf.tidy(() => {
      const t = inputs()
      const out = forward(t.x, true)
      countCorrect(tf, out.output, t.y)
      tf.mean(crossEntropy(tf, out, t.y))
    }),
  variableGrads: () => tf.tidy(() => void tf.variableGrads(lossOf(inputs()))),
  'grads + fused Adam': () =>
    tf.tidy(() => fused.applyGradients(tf.variableGrads(lossOf(inputs())).grads)),
  'grads + tfjs Adam': () =>
    tf.tidy(() => tfAdam.applyGradients(tf.variableGrads(lossOf(inputs())).grads)),
}
// The whole step as one kernel call (kernels/dense.ts), where the model qualifies.
const fusedStep = createDenseStackStep(tf, model, adamSettings(preset.config), batch)
if (fusedStep) {
  const [lossSum, correct] = [tf.variable(tf.scalar(0)), tf.variable(tf.scalar(0))]
  phases['fused step (fill + step)'] = (i) => {
    fusedStep.fill(ds.train, order, (i * batch) % 40000)
    fusedStep.step(lossSum, correct)
  }
}
const best: Record<string, number> = {}
const rounds = 5
const perRound = Math.round(Number(process.env.STEPS ?? 200))
for (let round = 0; round < rounds; round++) {
  for (const [name, fn] of Object.entries(phases)) {
    for (let i = 0; i < 20; i++) fn(i)
    const started = performance.now()
    for (let i = 0; i < perRound; i++) fn(i)
    const ms = (performance.now() - started) / perRound
    best[name] = Math.min(best[name] ?? Infinity, ms)
  }
}
console.log(
  `${tf.getBackend()} ${presetArg}, batch ${batch}: fastest of ${rounds} rounds, ms per call`,
)
for (const [name, ms] of Object.entries(best)) console.log(`${name.padEnd(24)} ${ms.toFixed(3)}`)

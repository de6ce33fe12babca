import type { LayersModel } from '@tensorflow/tfjs-layers'
import { parentPort, workerData } from 'node:worker_threads'
import type { BackendName } from '../../shared/runs'
import { initBackend, tf } from './backend'
import { runHelperLoop, type HelperInit } from './data-parallel'
import { createForward, createOptimizer } from './model-factory'

/*
 * The second thread of data-parallel training (data-parallel.ts): its own tfjs engine, a copy of
 * the trainer's model with the same weights, the same optimizer. It says 'ready' once built, then
 * runs the shared-memory step loop until the trainer ends it.
 */

const port = parentPort
if (!port) throw new Error('gradient-worker.ts must run as a worker thread')
const init = workerData as HelperInit

await initBackend(init.backend as BackendName)
type ModelJson = Parameters<typeof tf.models.modelFromJSON>[0]
const model: LayersModel = await tf.models.modelFromJSON({
  modelTopology: init.topology,
} as ModelJson)
tf.tidy(() => model.setWeights(init.weights.map((w) => tf.tensor(w.values, w.shape))))
const optimizer = createOptimizer(tf, init.config)
port.postMessage('ready')
runHelperLoop(tf, model, createForward(tf, model), optimizer, init)
optimizer.dispose()
model.dispose()

// Stands in for out/main/worker.js in a copy of the app: runs the real worker, but after it
// reports its first finished epoch it never answers again (a busy loop ignores the stop flag).
import { parentPort } from 'node:worker_threads'

const post = parentPort.postMessage.bind(parentPort)
parentPort.postMessage = (message, ...rest) => {
  post(message, ...rest)
  if (message?.type === 'epoch') {
    for (;;) {
      // hung
    }
  }
}
await import('./worker-real.js')

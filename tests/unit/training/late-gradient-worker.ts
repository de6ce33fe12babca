// A test double of the data-parallel helper thread (src/main/training/gradient-worker.ts), made
// late on purpose: after announcing each finished part it stalls 50 ms, as a thread descheduled on
// a busy machine does, so the trainer finishes its part of the next step before the helper looks.
const notify = Atomics.notify.bind(Atomics) as (a: Int32Array, i: number, c?: number) => number
const pause = new Int32Array(new SharedArrayBuffer(4))
Object.assign(Atomics, {
  notify(array: Int32Array, index: number, count?: number): number {
    const woken = notify(array, index, count)
    // Index 2 of the control words: the helper's "part done" (HELPER_DONE in data-parallel.ts).
    if (index === 2) Atomics.wait(pause, 0, 0, 50)
    return woken
  },
})
await import('../../../src/main/training/gradient-worker')

export {}

// Mutation testing of the core modules, one module at a time:
//   npm run test:mutation -- --mutate src/main/training/datasets/idx.ts
// (without --mutate it runs them all, which takes hours on 2 cores). Not part of `npm test`.

/** Each core module and the test files that check it; a mutant runs only these. */
export const MODULE_TESTS = {
  'src/shared/preprocess.ts': [
    'tests/unit/images/preprocess-steps.test.ts',
    'tests/unit/images/preprocess-ink.test.ts',
    'tests/unit/images/preprocess.test.ts',
    'tests/unit/images/centring.test.ts',
    'tests/unit/images/plain-resize.test.ts',
  ],
  'src/main/training/datasets/idx.ts': [
    'tests/unit/datasets/idx.test.ts',
    'tests/unit/datasets/load.test.ts',
  ],
  'src/main/atomic-fs.ts': ['tests/unit/files/atomic-fs.test.ts'],
  'src/main/web/security.ts': ['tests/unit/web/security.test.ts'],
  'src/main/shell/security.ts': ['tests/unit/shell/security.test.ts'],
  'src/main/ipc/register.ts': ['tests/unit/ipc/register.test.ts'],
  // concurrency.test.ts (a killed child process, 1,000 runs) checks the repo under load, not
  // its logic: left out, it would make every mutant cost minutes.
  'src/main/store/runs-repo.ts': ['tests/unit/store/runs-repo.test.ts'],
  'src/shared/spec-shapes.ts': [
    'tests/unit/shared/spec-shapes.test.ts',
    'tests/unit/shared/spec-shapes-layers.test.ts',
  ],
  'src/shared/spec-validation.ts': [
    'tests/unit/shared/spec-validation.test.ts',
    'tests/unit/shared/spec-validation-layers.test.ts',
    'tests/unit/shared/spec-validation-edges.test.ts',
  ],
  'src/main/training/softmax-cross-entropy.ts': [
    'tests/unit/training/softmax-cross-entropy.test.ts',
  ],
  'src/main/training/adam.ts': [
    'tests/unit/training/adam.test.ts',
    'tests/unit/training/adam-fallback.test.ts',
  ],
  'src/main/images/decode.ts': [
    'tests/unit/images/decode.test.ts',
    'tests/unit/images/sniff.test.ts',
    'tests/unit/images/bmp.test.ts',
  ],
  'src/main/images/bmp.ts': ['tests/unit/images/bmp.test.ts', 'tests/unit/images/decode.test.ts'],
  // kernels.test.ts (LeNet-sized layers, a Keras CNN, the module rebuilt from source) takes
  // minutes a mutant on 2 cores; conv-small.test.ts checks the same results on small shapes.
  'src/main/training/kernels/conv.ts': ['tests/unit/training/conv-small.test.ts'],
  'src/main/training/kernels/wasm-kernels.ts': ['tests/unit/training/wasm-kernels.test.ts'],
  // Both train real MNIST against tfjs's cpu kernels (tens of seconds a mutant); their geometry
  // tests come first in conv-step.test.ts, so most mutants of convFront stop there.
  'src/main/training/kernels/conv-step.ts': ['tests/unit/training/conv-step.test.ts'],
  'src/main/training/kernels/dense.ts': [
    'tests/unit/training/dense-kernel.test.ts',
    'tests/unit/training/conv-step.test.ts',
  ],
}

// `--mutate a.ts,b.ts` on the command line: hand vitest (vitest.config.ts reads the variable in
// Stryker's test processes, which inherit it) only those modules' test files.
const flag = process.argv.indexOf('--mutate')
// A module may carry a line range (`file.ts:10-80`), which Stryker reads and the map ignores.
const chosen =
  flag > 0
    ? process.argv[flag + 1].split(',').map((f) => f.replace(/(:\d+(:\d+)?-\d+(:\d+)?)$/, ''))
    : Object.keys(MODULE_TESTS)
const unknown = chosen.filter((file) => !(file in MODULE_TESTS))
if (unknown.length > 0) {
  throw new Error(`No test list for ${unknown.join(', ')}: add it to MODULE_TESTS`)
}
process.env.SINAPSE_MUTATION_TESTS = [...new Set(chosen.flatMap((f) => MODULE_TESTS[f]))].join(',')

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: false },
  // Of those files, each mutant runs only the tests that reached the mutated code.
  coverageAnalysis: 'perTest',
  // A shared 2-core machine: at most two test processes at a time.
  concurrency: 2,
  timeoutMS: 60_000,
  mutate: Object.keys(MODULE_TESTS),
  ignoreStatic: true,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}

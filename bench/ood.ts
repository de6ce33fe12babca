// Compares out-of-distribution scores on a saved model: how many of the 10,000 test images each
// flags (false alarms) and how many of each fixture group in tests/fixtures/ood (detections), each
// score's threshold being its 99th percentile on the last 5,000 training images (held out by the
// default validation split). Run on a run's model folder:
//   node --import tsx bench/ood.ts <model folder> [--dataset mnist|fashion-mnist] [--scale 1] [--json]
// Prints a table (or JSON) and which letters the product's score flags; the product uses the
// cosine distance to the 3rd nearest neighbour among 20,000 training images' features (ood.ts).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { decodeImage } from '../src/main/images/decode'
import { initBackend, tf } from '../src/main/training/backend'
import { loadDataset } from '../src/main/training/datasets/load'
import { loadModel } from '../src/main/training/model-io'
import {
  calibrateOod,
  calibrationRanges,
  computeFeatures,
  featureModel,
  imagesOf,
  kthNeighbourDistances,
  quantile,
  unitRows,
  type Features,
} from '../src/main/training/ood'
import { isInputScale, type InputScale } from '../src/shared/input-scale'
import { preprocessDigit } from '../src/shared/preprocess'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dataset: { type: 'string', default: 'mnist' },
    scale: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    fixtures: { type: 'string', default: join(import.meta.dirname, '../tests/fixtures/ood') },
  },
})
const modelDir = positionals[0]
if (!modelDir) throw new Error('usage: bench/ood.ts <model folder>')
const scaleName = values.scale ?? '1'
if (!isInputScale(scaleName)) throw new Error(`unknown scale ${scaleName}`)
const scale: InputScale = scaleName

await initBackend()
const dataset = await loadDataset(values.dataset === 'fashion-mnist' ? 'fashion-mnist' : 'mnist')
const model = await loadModel(tf, modelDir, null)
const built = featureModel(tf, model)
if (!built) throw new Error('the model has no Dense layer')
const featureNet = built.model
const classes = dataset.info.classNames.length
const { calibration } = calibrationRanges(dataset.train.count)
const fit = [0, 10_000]
/** The prepared pixels (0…1) each set of features came from, for the pixel-space score. */
const pixelsOf = new Map<Features, Float32Array>()
function withPixels(pixels: Float32Array, n: number): Features {
  const f = computeFeatures(tf, featureNet, pixels, n, scale)
  pixelsOf.set(f, pixels)
  return f
}
const feats = (set: typeof dataset.train, from: number, n: number): Features =>
  withPixels(imagesOf(set, from, n), n)

const fitted = feats(dataset.train, fit[0], fit[1] - fit[0])
const fitLabels = dataset.train.labels.subarray(fit[0], fit[1])
const held = feats(dataset.train, calibration[0], calibration[1] - calibration[0])
const test = feats(dataset.test, 0, dataset.test.count)

// Fixture groups by file-name prefix: letter-hand, letter-font, shape, blank, noise.
const groups = new Map<string, { names: string[]; inputs: Float32Array[]; noInk: boolean[] }>()
for (const name of readdirSync(values.fixtures ?? '')
  .filter((f) => f.endsWith('.png'))
  .sort()) {
  const group = name
    .split('-')
    .slice(0, name.startsWith('letter') ? 2 : 1)
    .join('-')
  const img = await decodeImage(new Uint8Array(readFileSync(join(values.fixtures ?? '', name))))
  const prepared = preprocessDigit(img)
  const entry = groups.get(group) ?? { names: [], inputs: [], noInk: [] }
  entry.names.push(name)
  entry.inputs.push(prepared.input)
  entry.noInk.push(prepared.warnings.includes('noInk'))
  groups.set(group, entry)
}
const groupFeatures = new Map<string, Features>()
for (const [group, entry] of groups) {
  const all = new Float32Array(entry.inputs.length * 784)
  entry.inputs.forEach((input, i) => all.set(input, i * 784))
  groupFeatures.set(group, withPixels(all, entry.inputs.length))
}

// The last Dense layer's weights give the logits for the energy score.
const [kernel, bias] = built.layer.getWeights().map((w) => w.dataSync() as Float32Array)
const dim = fitted.dim

function unit(row: ArrayLike<number>): Float64Array {
  let norm = 0
  for (let i = 0; i < row.length; i++) norm += row[i] * row[i]
  norm = Math.sqrt(norm)
  const out = new Float64Array(row.length)
  if (norm > 0) for (let i = 0; i < row.length; i++) out[i] = row[i] / norm
  return out
}

/** The unit-length mean of each class's unit-length features (empty for an absent class). */
function classMeans(
  features: Float32Array,
  dim: number,
  labels: ArrayLike<number>,
  classes: number,
): number[][] {
  const sums = Array.from({ length: classes }, () => new Float64Array(dim))
  const counts = new Array<number>(classes).fill(0)
  for (let i = 0; i < labels.length; i++) {
    const u = unit(features.subarray(i * dim, (i + 1) * dim))
    const sum = sums[labels[i]]
    if (!sum) continue
    for (let k = 0; k < dim; k++) sum[k] += u[k]
    counts[labels[i]]++
  }
  return sums.map((sum, c) => (counts[c] === 0 ? [] : Array.from(unit(sum))))
}

/**
 * The cosine distance (0 same direction, 1 orthogonal, 2 opposite) from each row's features to the
 * nearest class mean. An all-zero feature vector (nothing fires) is orthogonal to everything: 1.
 */
function nearestMeanDistances(
  features: Float32Array,
  dim: number,
  means: readonly number[][],
): Float64Array {
  const n = features.length / dim
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const u = unit(features.subarray(i * dim, (i + 1) * dim))
    let best = Infinity
    for (const mean of means) {
      if (mean.length !== dim) continue
      let dot = 0
      for (let k = 0; k < dim; k++) dot += u[k] * mean[k]
      best = Math.min(best, 1 - dot)
    }
    out[i] = best === Infinity ? 1 : best
  }
  return out
}

type Score = (f: Features) => Float64Array
const rows = (f: Features): number => f.values.length / f.dim

const msp: Score = (f) =>
  Float64Array.from({ length: rows(f) }, (_, i) => {
    let best = 0
    for (let c = 0; c < f.classes; c++) best = Math.max(best, f.probabilities[i * f.classes + c])
    return 1 - best
  })

const energy: Score = (f) =>
  Float64Array.from({ length: rows(f) }, (_, i) => {
    const logits = new Float64Array(classes)
    for (let c = 0; c < classes; c++) {
      let z = bias ? bias[c] : 0
      for (let k = 0; k < dim; k++) z += f.values[i * dim + k] * kernel[k * classes + c]
      logits[c] = z
    }
    const max = Math.max(...logits)
    let sum = 0
    for (const z of logits) sum += Math.exp(z - max)
    return -(max + Math.log(sum))
  })

const cosineMeans = classMeans(fitted.values, dim, fitLabels, classes)
const cosine: Score = (f) => nearestMeanDistances(f.values, f.dim, cosineMeans)

// Raw class means and a per-dimension variance shared by the classes.
const rawMeans = Array.from({ length: classes }, () => new Float64Array(dim))
const counts = new Array<number>(classes).fill(0)
for (let i = 0; i < fitLabels.length; i++) {
  counts[fitLabels[i]]++
  for (let k = 0; k < dim; k++) rawMeans[fitLabels[i]][k] += fitted.values[i * dim + k]
}
rawMeans.forEach((m, c) => m.forEach((_, k) => (m[k] /= Math.max(1, counts[c]))))
const variance = new Float64Array(dim)
for (let i = 0; i < fitLabels.length; i++)
  for (let k = 0; k < dim; k++)
    variance[k] += (fitted.values[i * dim + k] - rawMeans[fitLabels[i]][k]) ** 2
let meanVar = 0
for (let k = 0; k < dim; k++) meanVar += (variance[k] /= fitLabels.length) / dim
const nearest = (f: Features, weight: (k: number) => number): Float64Array =>
  Float64Array.from({ length: rows(f) }, (_, i) => {
    let best = Infinity
    for (const m of rawMeans) {
      let d = 0
      for (let k = 0; k < dim; k++) d += (f.values[i * dim + k] - m[k]) ** 2 * weight(k)
      best = Math.min(best, d)
    }
    return Math.sqrt(best)
  })
const euclid: Score = (f) => nearest(f, () => 1)
// Shrunk towards the mean variance so dimensions that never fire do not dominate.
const diagMaha: Score = (f) => nearest(f, (k) => 1 / (0.9 * variance[k] + 0.1 * meanVar + 1e-6))

// The product's: the k-th nearest neighbour (cosine) among the first 20,000 training images.
const product = await calibrateOod(tf, model, dataset.train, scale)
if (!product) throw new Error('no calibration')
const knn: Score = (f) => kthNeighbourDistances(tf, f.values, f.dim, product.bank, product.k)
// What it replaced: the 10th neighbour among the first 2,000 training images only.
const smallBank = unitRows(fitted.values.subarray(0, 2000 * dim), dim)
const knnSmall: Score = (f) => kthNeighbourDistances(tf, f.values, f.dim, smallBank, 10)
// And what a bigger bank would give: every training image but the held-out ones, k = 5.
const wideBank = unitRows(feats(dataset.train, 0, calibration[0]).values, dim)
const knnWide: Score = (f) => kthNeighbourDistances(tf, f.values, f.dim, wideBank, 5)
// The same in the prepared 28×28 pixels, whatever the model: 5th neighbour among 10,000 images.
const pixelBank = unitRows(imagesOf(dataset.train, 0, 10_000), 784)
const knnPixels: Score = (f) =>
  kthNeighbourDistances(tf, pixelsOf.get(f) ?? new Float32Array(0), 784, pixelBank, 5)
/**
 * Flags when either score passes its own 99th percentile on the held-out images: each score is
 * divided by that percentile and the larger ratio is the combined score (then thresholded again).
 */
function either(a: Score, b: Score): Score {
  const ta = quantile(a(held), 0.99)
  const tb = quantile(b(held), 0.99)
  return (f) => {
    const sa = a(f)
    const sb = b(f)
    return Float64Array.from(sa, (v, i) => Math.max(v / ta, sb[i] / tb))
  }
}

// Mahalanobis with the covariance shared by the classes (Lee et al., 2018), shrunk towards its
// diagonal mean so it stays invertible; solved through its Cholesky factor.
const cov = new Float64Array(dim * dim)
for (let i = 0; i < fitLabels.length; i++) {
  const m = rawMeans[fitLabels[i]]
  const d = Float64Array.from({ length: dim }, (_, k) => fitted.values[i * dim + k] - m[k])
  for (let a = 0; a < dim; a++) for (let b = 0; b <= a; b++) cov[a * dim + b] += d[a] * d[b]
}
for (let a = 0; a < dim; a++)
  for (let b = 0; b <= a; b++) {
    cov[a * dim + b] =
      (0.9 * cov[a * dim + b]) / fitLabels.length + (a === b ? 0.1 * meanVar + 1e-6 : 0)
    cov[b * dim + a] = cov[a * dim + b]
  }
const chol = new Float64Array(dim * dim)
for (let a = 0; a < dim; a++)
  for (let b = 0; b <= a; b++) {
    let s = cov[a * dim + b]
    for (let k = 0; k < b; k++) s -= chol[a * dim + k] * chol[b * dim + k]
    chol[a * dim + b] = a === b ? Math.sqrt(Math.max(s, 1e-12)) : s / chol[b * dim + b]
  }
const fullMaha: Score = (f) =>
  Float64Array.from({ length: rows(f) }, (_, i) => {
    let best = Infinity
    const y = new Float64Array(dim)
    for (const m of rawMeans) {
      let d2 = 0
      for (let a = 0; a < dim; a++) {
        let s = f.values[i * dim + a] - m[a]
        for (let k = 0; k < a; k++) s -= chol[a * dim + k] * y[k]
        y[a] = s / chol[a * dim + a]
        d2 += y[a] * y[a]
      }
      best = Math.min(best, d2)
    }
    return Math.sqrt(best)
  })

const memo = (score: Score): Score => {
  const seen = new Map<Features, Float64Array>()
  return (f) => seen.get(f) ?? seen.set(f, score(f)).get(f)!
}
const knnMemo = memo(knn)
const scores: Record<string, Score> = {
  'Mahalanobis (tied cov.)': fullMaha,
  'max softmax (1 − p)': msp,
  'energy (−logsumexp)': energy,
  'euclidean to class mean': euclid,
  'diag. Mahalanobis': diagMaha,
  'cosine to class mean': cosine,
  'kNN cosine, 2,000 images, k=10 (before)': knnSmall,
  'kNN cosine in the pixels, k=5': memo(knnPixels),
  'kNN cosine, all 55,000 not held out, k=5': knnWide,
  'kNN cosine, 20,000 images, k=3 (used)': knnMemo,
}
scores['kNN used, or kNN in the pixels'] = either(knnMemo, scores['kNN cosine in the pixels, k=5'])
scores['kNN used, or max softmax'] = either(knnMemo, msp)

/** Area under the ROC curve: the chance an OOD image scores above an in-distribution one. */
function auroc(inside: Float64Array, outside: Float64Array): number {
  const sorted = Float64Array.from(inside).sort()
  let sum = 0
  for (const v of outside) {
    let lo = 0
    let hi = sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (sorted[mid] < v) lo = mid + 1
      else hi = mid
    }
    let eq = lo
    while (eq < sorted.length && sorted[eq] === v) eq++
    sum += lo + (eq - lo) / 2
  }
  return sum / (outside.length * sorted.length)
}

const result: Record<string, Record<string, number>> = {}
for (const [name, score] of Object.entries(scores)) {
  const threshold = quantile(score(held), Number(process.env.OOD_Q ?? 0.99))
  const testScores = score(test)
  const rate = (s: Float64Array) => s.filter((v) => v > threshold).length / s.length
  const row: Record<string, number> = { 'MNIST test': rate(testScores) }
  const allOut: number[] = []
  for (const [group, f] of groupFeatures) {
    const s = score(f)
    row[group] = rate(s)
    allOut.push(...s)
  }
  row.AUROC = auroc(testScores, Float64Array.from(allOut))
  result[name] = row
}

// Which letters the product's judgement flags, at the product's own threshold.
const flaggedLetters: Record<string, string[]> = {}
for (const [group, entry] of groups) {
  if (!group.startsWith('letter')) continue
  const s = knnMemo(groupFeatures.get(group) as Features)
  flaggedLetters[group] = entry.names
    .filter((_, i) => s[i] > product.threshold)
    .map((name) => name.replace(/^letter-(hand|font)-/, '').replace(/\.png$/, ''))
}

if (values.json) {
  console.log(
    JSON.stringify({
      modelDir,
      dataset: dataset.info.name ?? values.dataset,
      result,
      flaggedLetters,
    }),
  )
} else {
  const counts = Object.fromEntries([...groups].map(([g, e]) => [g, e.names.length]))
  const cols = Object.keys(Object.values(result)[0])
  const header = cols.map((c) => (c in counts ? `${c} (${counts[c]})` : c))
  console.log(`| score | ${header.join(' | ')} |`)
  console.log(`| --- | ${cols.map(() => '---').join(' | ')} |`)
  for (const [name, row] of Object.entries(result)) {
    const cells = cols.map((c) =>
      c === 'AUROC' ? row[c].toFixed(3) : `${(row[c] * 100).toFixed(c === 'MNIST test' ? 2 : 0)} %`,
    )
    console.log(`| ${name} | ${cells.join(' | ')} |`)
  }
  for (const [group, names] of Object.entries(flaggedLetters)) {
    console.log(`flagged in ${group} (${names.length}): ${names.join(', ') || 'none'}`)
  }
}

import { AppError } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import type { LayerSpec, ModelSpec } from '../../shared/model-spec'
import { expectedWeightShapes } from '../models/keras-config'
import type { NamedBytes } from '../models/keras-zip'
import { readTfjsModel } from '../models/tfjs-import'

/** A bundle whose model cannot be loaded or is not its spec's: the reason, localized. */
export class BundleModelError extends AppError {
  constructor(
    name: string,
    readonly reason: AppError,
  ) {
    super('MODEL_CORRUPT', 'modelfiles.bundle.modelRefused', { name })
    this.message = this.localized('en')
  }

  override localized(locale: Locale): string {
    return `${super.localized(locale)} ${this.reason.localized(locale)}`
  }
}

/**
 * Loads a bundle's model the way a model import does (only supported layers and options, every
 * weight present with its shape) and checks it is the model its spec describes, layer by layer,
 * so an imported run can always predict. Throws a BundleModelError naming the first difference.
 */
export function checkBundleModel(name: string, spec: ModelSpec, files: NamedBytes[]): void {
  try {
    const model = readTfjsModel(files, spec.inputShape)
    compareSpecs(model.spec, spec)
  } catch (err) {
    throw err instanceof AppError ? new BundleModelError(name, err) : err
  }
}

function compareSpecs(model: ModelSpec, spec: ModelSpec): void {
  if (model.layers.length !== spec.layers.length) {
    throw new AppError('MODEL_CORRUPT', 'modelfiles.bundle.layerCount', {
      model: model.layers.length,
      spec: spec.layers.length,
    })
  }
  model.layers.forEach((layer, i) => {
    const expected = spec.layers[i]
    if (layer.type !== expected.type) {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.bundle.layerKind', {
        layer: i + 1,
        model: layer.type,
        spec: expected.type,
      })
    }
    for (const field of Object.keys(expected) as (keyof LayerSpec)[]) {
      const a = JSON.stringify((layer as unknown as Record<string, unknown>)[field])
      const b = JSON.stringify((expected as unknown as Record<string, unknown>)[field])
      if (a !== b) {
        throw new AppError('MODEL_CORRUPT', 'modelfiles.bundle.layerField', {
          layer: i + 1,
          field,
          model: a ?? '—',
          spec: b,
        })
      }
    }
  })
  // Same layers give the same weight shapes; this also catches shapes that do not chain.
  const a = expectedWeightShapes(model)
  const b = expectedWeightShapes(spec)
  a.forEach((shapes, i) => {
    if (JSON.stringify(shapes) !== JSON.stringify(b[i])) {
      throw new AppError('MODEL_CORRUPT', 'modelfiles.bundle.layerField', {
        layer: i + 1,
        field: 'weights',
        model: JSON.stringify(shapes),
        spec: JSON.stringify(b[i]),
      })
    }
  })
}

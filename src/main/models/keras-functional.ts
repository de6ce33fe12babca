import { AppError } from '../../shared/errors'
import type { MessageParams } from '../../shared/i18n'
import { MAX_LAYERS, ModelConfigError, type ConfigReason } from './config-error'

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The class names Keras gives a model built with the functional API (Keras 2.0–2.3, 2.4+, 3). */
export const FUNCTIONAL_CLASSES = ['Model', 'Functional']

const bad = (reason: ConfigReason, params?: MessageParams) => new ModelConfigError(reason, params)

/** A layer's name as a functional config stores it (beside its config, or inside it). */
function layerName(raw: Json): string | null {
  const config = isObject(raw.config) ? raw.config : {}
  const name = raw.name ?? config.name
  return typeof name === 'string' && name ? name : null
}

/**
 * The model's input or output layers: Keras 2 writes `[[name, node, tensor], …]`, Keras 3 writes
 * a single `[name, node, tensor]` when there is one (and the nested form when there are several).
 */
function endpointNames(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw bad('modelfiles.configReason.linkMissing', { field })
  const list = typeof value[0] === 'string' ? [value] : value
  return list.map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string')
      throw bad('modelfiles.configReason.badLink', { field })
    return entry[0]
  })
}

/** Every `keras_history` (Keras 3) found anywhere in a call's args and kwargs. */
function kerasHistories(value: unknown, found: string[], depth = 0): void {
  if (depth > 16) throw bad('modelfiles.configReason.nestedTooDeep')
  if (Array.isArray(value)) {
    for (const item of value) kerasHistories(item, found, depth + 1)
    return
  }
  if (!isObject(value)) return
  const config = isObject(value.config) ? value.config : null
  if (value.class_name === '__keras_tensor__' && config && Array.isArray(config.keras_history)) {
    const [name] = config.keras_history
    if (typeof name !== 'string')
      throw bad('modelfiles.configReason.badLink', { field: 'keras_history' })
    found.push(name)
    return
  }
  for (const inner of Object.values(value)) kerasHistories(inner, found, depth + 1)
}

/**
 * The layers feeding each call of a layer (one entry per call). Keras 2 stores each call as a
 * list of `[name, node, tensor, kwargs]`; Keras 3 as `{args, kwargs}` holding serialized tensors
 * whose `keras_history` names the layer that made them.
 */
function inboundCalls(raw: Json): string[][] {
  const nodes = raw.inbound_nodes ?? []
  if (!Array.isArray(nodes))
    throw bad('modelfiles.configReason.badLink', { field: 'inbound_nodes' })
  return nodes.map((node) => {
    if (isObject(node)) {
      const found: string[] = []
      kerasHistories([node.args, node.kwargs], found)
      return found
    }
    if (!Array.isArray(node))
      throw bad('modelfiles.configReason.badLink', { field: 'inbound_nodes' })
    return node.map((tensor) => {
      if (!Array.isArray(tensor) || typeof tensor[0] !== 'string')
        throw bad('modelfiles.configReason.badLink', { field: 'inbound_nodes' })
      return tensor[0]
    })
  })
}

function refuse(key: 'branch' | 'merge' | 'inputs' | 'outputs' | 'shared', params: Json) {
  return new AppError(
    'MODEL_CORRUPT',
    `kerasimport.${key}`,
    params as Record<string, string | number>,
  )
}

/**
 * The layers of a functional model (Keras 2 `Model`/`Functional`, Keras 3 `Functional`) that is a
 * single chain — one input, each layer fed by the one before, one output — in the order data
 * flows, input layer first: exactly the layer list of the equivalent Sequential model. Branches,
 * merges, shared layers and several inputs or outputs are refused, naming the first layer where
 * the chain stops being one.
 */
export function functionalChain(config: unknown): Json[] {
  if (!isObject(config) || !Array.isArray(config.layers) || config.layers.length === 0) {
    throw bad('modelfiles.configReason.noLayers')
  }
  const raw = config.layers
  if (raw.length > MAX_LAYERS) {
    throw bad('modelfiles.configReason.tooManyLayers', { count: raw.length, max: MAX_LAYERS })
  }
  const byName = new Map<string, Json>()
  const inputsOf = new Map<string, string[]>()
  const consumers = new Map<string, string[]>()
  for (const entry of raw) {
    if (!isObject(entry) || typeof entry.class_name !== 'string')
      throw bad('modelfiles.configReason.layerEntry')
    const name = layerName(entry)
    if (!name) throw bad('modelfiles.configReason.unnamedLayer')
    if (byName.has(name)) throw new AppError('MODEL_CORRUPT', 'modelfiles.duplicateLayer', { name })
    byName.set(name, entry)
    consumers.set(name, [])
  }
  for (const [name, entry] of byName) {
    const calls = inboundCalls(entry)
    if (calls.length > 1) throw refuse('shared', { layer: name, count: calls.length })
    const feeds = calls[0] ?? []
    if (feeds.length > 1) {
      throw refuse('merge', {
        layer: name,
        className: String(entry.class_name),
        count: feeds.length,
      })
    }
    for (const from of feeds) {
      const list = consumers.get(from)
      if (!list) throw bad('modelfiles.configReason.unknownSource', { name, from })
      list.push(name)
    }
    inputsOf.set(name, feeds)
  }
  const inputs = endpointNames(config.input_layers, 'input_layers')
  const outputs = endpointNames(config.output_layers, 'output_layers')
  if (inputs.length !== 1)
    throw refuse('inputs', { count: inputs.length, names: inputs.join(', ') })
  if (outputs.length !== 1) {
    throw refuse('outputs', { count: outputs.length, names: outputs.join(', ') })
  }
  const chain: Json[] = []
  let current: string | undefined = inputs[0]
  const seen = new Set<string>()
  while (current !== undefined) {
    const entry = byName.get(current)
    if (!entry || seen.has(current))
      throw bad('modelfiles.configReason.notChain', { name: current })
    if (chain.length === 0 && (inputsOf.get(current)?.length ?? 0) > 0) {
      throw bad('modelfiles.configReason.inputFed', { name: current })
    }
    seen.add(current)
    chain.push(entry)
    const next: string[] = consumers.get(current) ?? []
    if (next.length > 1) {
      throw refuse('branch', { layer: current, count: next.length, next: next.join(', ') })
    }
    if (current === outputs[0]) {
      if (next.length > 0) throw refuse('outputs', { count: 2, names: `${current}, ${next[0]}` })
      break
    }
    current = next[0]
  }
  if (chain.length === 0 || layerName(chain[chain.length - 1]) !== outputs[0]) {
    throw bad('modelfiles.configReason.noPath', { from: inputs[0], to: outputs[0] })
  }
  if (chain.length !== byName.size) {
    const stray = [...byName.keys()].filter((n) => !seen.has(n))
    throw refuse('inputs', { count: 1 + stray.length, names: [inputs[0], ...stray].join(', ') })
  }
  return chain
}

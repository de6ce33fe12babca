import { Zip, ZipPassThrough, strToU8 } from 'fflate'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readKerasArchive, readZip } from '../../../src/main/models/keras-zip'
import { AppError } from '../../../src/shared/errors'
import { thrownRefusal } from '../refusal'
import { translate } from '../../../src/shared/i18n'

const KERAS = join(import.meta.dirname, '../../fixtures/keras/mnist_mlp_keras3.keras')

/** Where an entry's bytes start in a zip: after its local header, name and extra field. */
function entryData(bytes: Uint8Array, name: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = 0; at + 30 < bytes.length; at++) {
    if (view.getUint32(at, true) !== 0x04034b50) continue
    const nameLength = view.getUint16(at + 26, true)
    const entry = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength))
    if (entry === name) return at + 30 + nameLength + view.getUint16(at + 28, true)
  }
  throw new Error(`no entry ${name}`)
}

/** A zip holding the given entries in order, names repeated as given (fflate's Zip allows it). */
function zipOf(entries: [string, string][]): Uint8Array {
  const chunks: Uint8Array[] = []
  const zip = new Zip((err, chunk) => {
    if (err) throw err
    chunks.push(chunk)
  })
  for (const [name, text] of entries) {
    const file = new ZipPassThrough(name)
    zip.add(file)
    file.push(strToU8(text), true)
  }
  zip.end()
  return new Uint8Array(Buffer.concat(chunks))
}

describe('model archives whose contents were changed after they were made', () => {
  it('refuses a .keras whose weights changed under their CRC, naming the entry', () => {
    const bytes = new Uint8Array(readFileSync(KERAS))
    expect(readZip(bytes, 'ok.keras').map((e) => e.name)).toContain('model.weights.h5')
    // One float deep inside the stored (not deflated) weights file: Python's zipfile, and so
    // Keras, refuse it ("Bad CRC-32"); fflate inflates it without a word.
    const start = entryData(bytes, 'model.weights.h5')
    new DataView(bytes.buffer).setFloat32(start + 700_000, 1e30, true)
    const err = thrownRefusal(() => readZip(bytes, 'changed.keras'))
    expect(err.code).toBe('MODEL_CORRUPT')
    expect(err.key).toBe('modelfiles.zipChecksum')
    expect(err.params).toEqual({ file: 'changed.keras', entry: 'model.weights.h5' })
    expect(err.localized('en')).toContain('"model.weights.h5" does not match the checksum')
    expect(err.localized('pt-BR')).toContain('não confere com a soma de verificação')
  })

  it('refuses an archive that names the same entry twice', () => {
    const twice = zipOf([
      ['config.json', '{"first": true}'],
      ['model.weights.h5', 'x'],
      ['config.json', '{"second": true}'],
    ])
    const err = thrownRefusal(() => readZip(twice, 'twice.keras'))
    expect(err.key).toBe('modelfiles.zipDuplicate')
    expect(err.params).toEqual({ file: 'twice.keras', entry: 'config.json' })
    expect(translate('pt-BR', 'modelfiles.zipDuplicate', err.params)).toContain('duas vezes')
    // The same entries once each are read, every byte as written.
    const once = readZip(zipOf([['config.json', '{"first": true}']]), 'once.keras')
    expect(once.map((e) => [e.name, new TextDecoder().decode(e.bytes)])).toEqual([
      ['config.json', '{"first": true}'],
    ])
  })
})

describe('model descriptions that cannot be a model', () => {
  const weights = { name: 'model.weights.h5', bytes: new Uint8Array(8) }
  const withConfig = (text: string) => [{ name: 'config.json', bytes: strToU8(text) }, weights]

  it('says a description of 20,000 layers is too large, not that it is missing', async () => {
    const layer = { class_name: 'Dense', config: { name: 'd', units: 1 } }
    const config = JSON.stringify({
      class_name: 'Sequential',
      config: { layers: Array.from({ length: 20_000 }, () => layer) },
    })
    const err = await readKerasArchive(withConfig(config), 'many.keras').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).key).toBe('modelfiles.configTooLarge')
    expect((err as AppError).localized('en')).toContain(
      `many.keras is ${config.length.toLocaleString('en')} characters long, more than the 1,048,576`,
    )
    expect((err as AppError).localized('pt-BR')).toContain('Nada foi importado')
  })

  it('says a description that is not JSON is damaged', async () => {
    const err = await readKerasArchive(withConfig('{"class_name": "Sequ'), 'cut.keras').catch(
      (e: unknown) => e,
    )
    expect((err as AppError).key).toBe('modelfiles.configNotJson')
    expect((err as AppError).localized('en')).toContain('cut.keras is not valid JSON')
  })
})

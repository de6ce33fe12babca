import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeContainer, encodeContainer, encodeJson } from '../../../src/main/bundles/format'
import { LESSON_KIND, decodeLessonPack, encodeLessonPack } from '../../../src/main/lessons/pack'
import { createLessonService } from '../../../src/main/services/lesson-service'
import { AppError } from '../../../src/shared/errors'
import { thrownRefusal } from '../refusal'
import { draftLesson, type Lesson } from '../../../src/shared/lesson'
import { getPreset } from '../../../src/shared/presets'

const ID = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b'

function lesson(): Lesson {
  const preset = getPreset('tutorial-mlp')
  const draft = draftLesson(ID, preset.spec, { ...preset.config, epochs: 5 })
  return {
    ...draft,
    title: { 'pt-BR': 'Aula 3: MLP enxuta', en: 'Lesson 3: a lean MLP' },
    instructions: { 'pt-BR': '# Meta\n**97%**', en: '# Goal\n**97%**' },
    controls: { ...draft.controls, learningRate: 'locked', limit: 'hidden' },
    goal: { metric: 'testAccuracy', threshold: 0.97 },
    constraints: { maxParams: 50_000, maxEpochs: 5, maxLayers: null, allowedLayers: null },
  }
}

/** A pack written with any header and files, through the real container encoder. */
function forge(header: Record<string, unknown>, files: { name: string; bytes: Uint8Array }[]) {
  return encodeContainer(LESSON_KIND, header, files)
}

const json = (value: unknown) => new TextEncoder().encode(encodeJson(value))
const goodHeader = {
  format: 'sinapse-lesson',
  createdAt: '2026-12-01T00:00:00.000Z',
  appVersion: '0.1.0',
  lessonId: ID,
  lessonVersion: 1,
}

describe('lesson packs', () => {
  it('round-trips a lesson, starting with the signature and the format version', () => {
    const bytes = encodeLessonPack(lesson(), '0.1.0')
    expect(new TextDecoder().decode(bytes.subarray(0, 12))).toBe('SINAPSE-AULA')
    expect(new DataView(bytes.buffer).getUint16(12)).toBe(1)
    expect(decodeLessonPack(bytes, 'aula.sinapse-aula')).toEqual(lesson())
    expect(bytes.length).toBeLessThan(10_000)
  })

  it('refuses a bundle or any other file as a lesson, and a lesson as a bundle', () => {
    const err = thrownRefusal(() =>
      decodeLessonPack(new TextEncoder().encode('SINAPSE-BUNDLE....'), 'x.sinapse-aula'),
    )
    expect(err.key).toBe('lesson.pack.notPack')
    expect(err.localized('pt-BR')).toContain('não é uma aula do Sinapse')
  })

  it('refuses a newer format version and a version 0, naming both versions', () => {
    const bytes = encodeLessonPack(lesson(), '0.1.0')
    const newer = bytes.slice()
    new DataView(newer.buffer).setUint16(12, 2)
    const err = thrownRefusal(() => decodeLessonPack(newer, 'nova.sinapse-aula'))
    expect(err.key).toBe('lesson.pack.newerVersion')
    expect(err.message).toBe(
      '“nova.sinapse-aula” was made by a newer Sinapse (lesson format 2; this version reads up to format 1). Update Sinapse on this computer to open it.',
    )
    new DataView(newer.buffer).setUint16(12, 0)
    expect(thrownRefusal(() => decodeLessonPack(newer, 'x')).key).toBe('lesson.pack.unknownVersion')
  })

  it('refuses a pack whose lesson bytes were edited (bad checksum)', () => {
    const bytes = encodeLessonPack(lesson(), '0.1.0')
    // Turn the locked learning rate into a free one, in place, keeping the length.
    const text = new TextDecoder().decode(bytes)
    const at = text.indexOf('"learningRate":"locked"')
    expect(at).toBeGreaterThan(0)
    const edited = bytes.slice()
    edited.set(new TextEncoder().encode('"learningRate":"hidden"'), at)
    const err = thrownRefusal(() => decodeLessonPack(edited, 'aula.sinapse-aula'))
    expect(err.key).toBe('lesson.pack.checksum')
    expect(err.code).toBe('MODEL_CORRUPT')
    expect(err.localized('pt-BR')).toContain('não confere com a soma de verificação')
  })

  it('refuses a truncated copy and bytes appended after the end', () => {
    const bytes = encodeLessonPack(lesson(), '0.1.0')
    expect(
      thrownRefusal(() => decodeLessonPack(bytes.subarray(0, bytes.length - 5), 'x')).key,
    ).toBe('lesson.pack.truncated')
    const longer = new Uint8Array(bytes.length + 3)
    longer.set(bytes)
    expect(thrownRefusal(() => decodeLessonPack(longer, 'x')).key).toBe('lesson.pack.trailingBytes')
  })

  it('refuses a huge file before looking inside it', () => {
    const huge = new Uint8Array(1024 * 1024 + 1)
    huge.set(new TextEncoder().encode('SINAPSE-AULA'))
    const err = thrownRefusal(() => decodeLessonPack(huge, 'grande.sinapse-aula'))
    expect(err.key).toBe('lesson.pack.tooLarge')
    expect(err.message).toContain('at most 1 MB')
  })

  it('refuses path traversal and folders in any entry name, whatever the checksums say', () => {
    for (const name of [
      '../../.bashrc',
      '..',
      '/etc/passwd',
      'a/b.json',
      'C:\\x',
      'lesson.json/',
    ]) {
      const forged = forge(goodHeader, [{ name, bytes: json(lesson()) }])
      const err = thrownRefusal(() => decodeLessonPack(forged, 'mal.sinapse-aula'))
      expect(err.key).toBe('lesson.pack.unsafeFileName')
      expect(err.localized('en')).toContain('Nothing was opened')
    }
  })

  it('refuses extra files, a missing lesson.json, a wrong format and an id that does not match', () => {
    const body = json(lesson())
    const cases: [Record<string, unknown>, { name: string; bytes: Uint8Array }[]][] = [
      [
        goodHeader,
        [
          { name: 'lesson.json', bytes: body },
          { name: 'run.sh', bytes: new TextEncoder().encode('rm -rf ~') },
        ],
      ],
      [goodHeader, [{ name: 'other.json', bytes: body }]],
      [{ ...goodHeader, format: 'sinapse-run-bundle' }, [{ name: 'lesson.json', bytes: body }]],
      [{ ...goodHeader, lessonVersion: 2 }, [{ name: 'lesson.json', bytes: body }]],
      [goodHeader, [{ name: 'lesson.json', bytes: new TextEncoder().encode('{not json') }]],
    ]
    const keys = cases.map(([h, f]) => thrownRefusal(() => decodeLessonPack(forge(h, f), 'x')).key)
    expect(keys).toEqual([
      'lesson.pack.damaged',
      'lesson.pack.damaged',
      'lesson.pack.notPack',
      'lesson.pack.damaged',
      'lesson.pack.damaged',
    ])
  })

  it('refuses a pack whose lesson holds a script, listing the problem in both languages', () => {
    const hostile = {
      ...lesson(),
      instructions: { 'pt-BR': 'Oi <script>fetch("http://x")</script>', en: '' },
    }
    const forged = forge(goodHeader, [{ name: 'lesson.json', bytes: json(hostile) }])
    const err = thrownRefusal(() => decodeLessonPack(forged, 'x.sinapse-aula'))
    expect(err.key).toBe('lesson.pack.invalidLesson')
    expect(err.localized('en')).toContain('instructions.pt-BR')
    expect(err.localized('en')).toContain('line 1')
    expect(err.localized('pt-BR')).toContain('contém HTML ou um link de script')
  })

  it('the bundle container is unchanged: a bundle still decodes with its own caps', () => {
    const bytes = encodeContainer(LESSON_KIND, goodHeader, [])
    const { header } = decodeContainer(LESSON_KIND, bytes, 'x')
    expect(header.format).toBe('sinapse-lesson')
  })
})

describe('lesson service files', () => {
  const service = createLessonService({ version: '9.9.9' })

  it('writes a pack named after the title, refuses to overwrite, reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-lesson-'))
    const file = service.createPack({ lesson: lesson() })
    expect(file.fileName).toBe('Aula-3-MLP-enxuta-6f1c2a34.sinapse-aula')
    const out = join(dir, file.fileName)
    await service.writePackFile(lesson(), out)
    expect(await service.readPackFile(out)).toEqual(lesson())
    const before = readFileSync(out)
    const err = await service.writePackFile({ ...lesson(), version: 2 }, out).then(
      () => null,
      (e: unknown) => e as AppError,
    )
    expect(err?.key).toBe('error.exportTargetExists')
    expect(readFileSync(out).equals(before)).toBe(true)
    await service.writePackFile({ ...lesson(), version: 2 }, out, { force: true })
    expect((await service.readPackFile(out)).version).toBe(2)
    expect(readdirSync(dir)).toEqual([file.fileName])
  })

  it('refuses an invalid lesson without writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-lesson-'))
    const err = await service
      .writePackFile(
        { ...lesson(), goal: { metric: 'f1', threshold: 1 } },
        join(dir, 'a.sinapse-aula'),
      )
      .then(
        () => null,
        (e: unknown) => e as AppError,
      )
    expect(err?.key).toBe('lesson.pack.invalidLesson')
    expect(err?.localized('pt-BR')).toContain('goal.metric')
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses a huge or missing file on disk with its own message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sinapse-lesson-'))
    const big = join(dir, 'big.sinapse-aula')
    writeFileSync(big, new Uint8Array(3 * 1024 * 1024))
    const tooLarge = await service.readPackFile(big).catch((e: unknown) => e as AppError)
    expect((tooLarge as AppError).key).toBe('lesson.pack.tooLarge')
    const missing = await service
      .readPackFile(join(dir, 'nope.sinapse-aula'))
      .catch((e: unknown) => e as AppError)
    expect((missing as AppError).key).toBe('lesson.pack.fileNotFound')
  })
})

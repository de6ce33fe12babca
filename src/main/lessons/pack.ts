import { AppError } from '../../shared/errors'
import type { Locale } from '../../shared/i18n'
import {
  LESSON_FILE,
  LESSON_FORMAT,
  LESSON_FORMAT_VERSION,
  MAX_LESSON_BYTES,
  formatLessonIssue,
  validateLesson,
  type Lesson,
  type LessonIssue,
} from '../../shared/lesson'
import { decodeContainer, encodeContainer, encodeJson, type ContainerKind } from '../bundles/format'

export const LESSON_MAGIC = 'SINAPSE-AULA'

/** The run bundle's container with a lesson's signature and much smaller caps. */
export const LESSON_KIND: ContainerKind = {
  magic: LESSON_MAGIC,
  version: LESSON_FORMAT_VERSION,
  maxBytes: MAX_LESSON_BYTES,
  maxHeaderBytes: 64 * 1024,
  maxFiles: 4,
  messages: {
    notContainer: 'lesson.pack.notPack',
    newerVersion: 'lesson.pack.newerVersion',
    unknownVersion: 'lesson.pack.unknownVersion',
    truncated: 'lesson.pack.truncated',
    trailingBytes: 'lesson.pack.trailingBytes',
    tooLarge: 'lesson.pack.tooLarge',
    headerTooLarge: 'lesson.pack.damaged',
    headerNotJson: 'lesson.pack.damaged',
    fileTableInvalid: 'lesson.pack.damaged',
    tooManyFiles: 'lesson.pack.damaged',
    unsafeFileName: 'lesson.pack.unsafeFileName',
    fileTampered: 'lesson.pack.checksum',
  },
}

/** A pack whose lesson the shared validator refuses: every issue, localized. */
export class LessonPackError extends AppError {
  constructor(
    name: string,
    readonly issues: LessonIssue[],
  ) {
    super('INVALID_INPUT', 'lesson.pack.invalidLesson', { name, count: issues.length })
    this.message = this.localized('en')
  }

  override localized(locale: Locale): string {
    return [
      super.localized(locale),
      ...this.issues.slice(0, 20).map((i) => `- ${formatLessonIssue(i, locale)}`),
    ].join('\n')
  }
}

/** A lesson as a `.sinapse-aula` file's bytes. The lesson must already be valid. */
export function encodeLessonPack(lesson: Lesson, appVersion: string): Uint8Array {
  const json = new TextEncoder().encode(encodeJson(lesson))
  return encodeContainer(
    LESSON_KIND,
    {
      format: LESSON_FORMAT,
      createdAt: new Date().toISOString(),
      appVersion,
      lessonId: lesson.id,
      lessonVersion: lesson.version,
    },
    [{ name: LESSON_FILE, bytes: json }],
  )
}

/**
 * Reads a `.sinapse-aula` file: the container's checks (signature, version, sizes, plain file
 * names, every checksum), then exactly one `lesson.json`, then the lesson through the shared
 * validator. `name` is the file's name, for messages. Throws AppError.
 */
export function decodeLessonPack(bytes: Uint8Array, name: string): Lesson {
  const { header, files } = decodeContainer(LESSON_KIND, bytes, name)
  if (header.format !== LESSON_FORMAT) {
    throw new AppError('INVALID_INPUT', 'lesson.pack.notPack', { name })
  }
  if (files.length !== 1 || files[0].name !== LESSON_FILE) {
    throw new AppError('INVALID_INPUT', 'lesson.pack.damaged', { name })
  }
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(files[0].bytes))
  } catch {
    throw new AppError('INVALID_INPUT', 'lesson.pack.damaged', { name })
  }
  const result = validateLesson(json)
  if (!result.ok) throw new LessonPackError(name, result.issues)
  if (header.lessonId !== result.lesson.id || header.lessonVersion !== result.lesson.version) {
    throw new AppError('INVALID_INPUT', 'lesson.pack.damaged', { name })
  }
  return result.lesson
}

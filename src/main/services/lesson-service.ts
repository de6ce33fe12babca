import { basename } from 'node:path'
import { AppError } from '../../shared/errors'
import { fileNameSlug } from '../../shared/file-name'
import type { ExportedFile } from '../../shared/ipc-contract'
import {
  LESSON_EXTENSION,
  MAX_LESSON_BYTES,
  validateLesson,
  type Lesson,
} from '../../shared/lesson'
import { exportFile, type ExportOptions } from '../atomic-fs'
import { LessonPackError, decodeLessonPack, encodeLessonPack } from '../lessons/pack'
import { readUserFile } from '../user-files'

export interface LessonServiceDeps {
  /** Recorded in each pack, to tell which Sinapse wrote it. */
  version?: string
}

/**
 * Lesson packs: a teacher's exercise as one `.sinapse-aula` file (see shared/lesson.ts). Making
 * one validates the lesson completely; opening one checks the container and the lesson, so a
 * student's app only ever shows a lesson it fully understood.
 */
export function createLessonService(deps: LessonServiceDeps = {}) {
  const appVersion = deps.version ?? 'unknown'

  /** `name` is what an error calls the pack: the user's --out, else the file name offered. */
  function packOf(input: unknown, name?: string): { lesson: Lesson; file: ExportedFile } {
    const checked = validateLesson(input)
    const fileName = lessonFileName(input)
    if (!checked.ok) throw new LessonPackError(name ?? fileName, checked.issues)
    const bytes = encodeLessonPack(checked.lesson, appVersion)
    return { lesson: checked.lesson, file: { fileName, bytes } }
  }

  return {
    /** The lesson as a `.sinapse-aula` file for the page to save; an invalid lesson is refused. */
    createPack: (input: { lesson: unknown }): ExportedFile => packOf(input.lesson).file,

    /** Reads a dropped or chosen pack; throws a specific AppError for anything not a lesson. */
    openPack: (input: { name: string; bytes: Uint8Array }): Lesson =>
      decodeLessonPack(input.bytes, input.name),

    /** Writes a pack to `outPath` atomically, for the CLI; an existing file only with `force`. */
    async writePackFile(
      lesson: unknown,
      outPath: string,
      options: ExportOptions = {},
    ): Promise<{ path: string; lesson: Lesson; sizeBytes: number }> {
      const { lesson: checked, file } = packOf(lesson, outPath)
      await exportFile(outPath, file.bytes, options)
      return { path: outPath, lesson: checked, sizeBytes: file.bytes.length }
    },

    /** Reads a pack from disk, for the CLI; a huge file or a FIFO is refused before reading. */
    async readPackFile(path: string): Promise<Lesson> {
      const name = basename(path)
      const bytes = await readUserFile(path, {
        maxBytes: MAX_LESSON_BYTES,
        missing: () => new AppError('NOT_FOUND', 'lesson.pack.fileNotFound', { path }),
        tooLarge: (_, size) =>
          new AppError('INVALID_INPUT', 'lesson.pack.tooLarge', {
            name,
            size: Math.round((size / (1024 * 1024)) * 10) / 10,
            limit: MAX_LESSON_BYTES / (1024 * 1024),
          }),
      })
      return decodeLessonPack(bytes, name)
    },
  }
}

export type LessonService = ReturnType<typeof createLessonService>

/** `<title>-<id>.sinapse-aula` with only characters every file system and USB stick accepts. */
function lessonFileName(input: unknown): string {
  const raw = input as { id?: unknown; title?: { 'pt-BR'?: unknown; en?: unknown } } | null
  const title = [raw?.title?.['pt-BR'], raw?.title?.en].find(
    (t): t is string => typeof t === 'string' && t.trim() !== '',
  )
  const slug = fileNameSlug(title ?? '', 'aula')
  const id = typeof raw?.id === 'string' ? raw.id.replace(/[^0-9a-f]/g, '').slice(0, 8) : ''
  return `${slug}${id ? `-${id}` : ''}${LESSON_EXTENSION}`
}

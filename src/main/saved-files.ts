import { isAbsolute, normalize } from 'node:path'
import { AppError } from '../shared/errors'
import { userPathKind } from './user-files'

/** Enough for a lesson's worth of exports; the oldest are forgotten first. */
const REMEMBERED = 200

/**
 * The files this app saved (exports the desktop wrote where the user chose), and the one thing
 * the page may do with them: show one in the system's file manager. The page names a path; only
 * a path recorded here is ever passed on, so a compromised page cannot make the shell open or
 * reveal anything else on the disk.
 */
export interface SavedFiles {
  /** Remembers a file the app has just finished writing. */
  record(path: string): void
  /** Shows a recorded, still existing file in its folder; anything else is refused. */
  reveal(path: string): Promise<void>
}

export interface SavedFilesDeps {
  /** The shell's `showItemInFolder`; null where there is no desktop (browser mode, CLI). */
  show: ((path: string) => void) | null
}

export function createSavedFiles(deps: SavedFilesDeps): SavedFiles {
  // Insertion-ordered: the first entry is the oldest.
  const saved = new Set<string>()
  const key = (path: string) => normalize(path)
  return {
    record(path) {
      if (!isAbsolute(path)) return
      saved.delete(key(path))
      saved.add(key(path))
      if (saved.size > REMEMBERED) saved.delete(saved.values().next().value as string)
    },
    async reveal(path) {
      if (!deps.show) throw new AppError('INVALID_INPUT', 'files.revealDesktopOnly')
      // The very string main reported: "a/../b", a relative path or a link beside it never match.
      if (!isAbsolute(path) || path !== key(path) || !saved.has(path)) {
        throw new AppError('INVALID_INPUT', 'files.revealUnknown', { path })
      }
      if ((await userPathKind(path)) !== 'file') {
        throw new AppError('NOT_FOUND', 'files.revealGone', { path })
      }
      deps.show(path)
    },
  }
}

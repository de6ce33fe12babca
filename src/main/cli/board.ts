import { AppError } from '../../shared/errors'
import { BOARD_CSV_COLUMNS, boardCsvRows, type BoardEntry } from '../../shared/board'
import { toCsv } from '../../shared/csv'
import { formatAccuracy } from '../../shared/format'
import type { MessageKey } from '../../shared/i18n'
import { formatLessonCheck, isUuid, pickLocalized } from '../../shared/lesson'
import { escapeControlChars as printable } from '../../shared/runs'
import type { Services } from '../services'
import { userPathKind } from '../user-files'
import { formatTable } from './format'
import type { Context } from './index'

/**
 * `sinapse lesson board <pack|lesson id>`: every run handed in for the lesson, re-scored here
 * and ranked by the private score; rule-breakers and false claims flagged. With --json, the
 * board as one JSON document; with --csv, the board's CSV (the app's download) on stdout.
 */
export async function boardCommand(
  which: string | undefined,
  services: Services,
  ctx: Context,
  opts: { csv?: boolean; replace?: boolean } = {},
): Promise<number> {
  if (!which) throw new AppError('INVALID_INPUT', 'classroom.cli.boardMissing', {})
  const byId = isUuid(which) && (await userPathKind(which)) === 'missing'
  const board = byId
    ? await services.board.board({ lessonId: which })
    : await services.board.board({
        lesson: await services.lessons.readPackFile(which),
        replace: opts.replace === true,
      })
  if (ctx.json) {
    ctx.out(JSON.stringify(board))
    return 0
  }
  if (opts.csv) {
    const header = BOARD_CSV_COLUMNS.map((c) => ctx.t(`classroom.board.csv.${c}` as MessageKey))
    // toCsv ends its last row; out() adds a line end of its own.
    ctx.out(toCsv(header, boardCsvRows(board)).replace(/\r\n$/, ''))
    return 0
  }
  const pct = (v: number | null | undefined) => formatAccuracy(v, ctx.locale)
  const flags = (e: BoardEntry): string =>
    [
      ...e.checks
        .filter((c) => c.kind !== 'goal' && c.pass === false)
        .map((c) => formatLessonCheck(c, ctx.locale)),
      ...(e.claimMismatch
        ? [ctx.t('classroom.board.claimFalse', { claimed: pct(e.claimed.accuracy) })]
        : []),
      ...(e.scoreError ? [e.scoreError.message] : []),
    ].join(' ')
  ctx.out(pickLocalized(board.lesson.title, ctx.locale))
  ctx.out(
    ctx.t('classroom.board.split', {
      public: board.publicCount,
      private: board.privateCount,
    }),
  )
  ctx.out(
    formatTable(
      [
        '#',
        ctx.t('classroom.csv.student'),
        ctx.t('classroom.csv.name'),
        ctx.t('classroom.board.private'),
        ctx.t('classroom.board.public'),
        ctx.t('classroom.board.claimed'),
        ctx.t('classroom.board.flags'),
      ],
      board.entries.map((e) => [
        e.rank === null ? '—' : String(e.rank),
        printable(e.student ?? '—'),
        printable(e.name),
        pct(e.private?.accuracy),
        pct(e.public?.accuracy),
        pct(e.claimed.accuracy),
        printable(flags(e)),
      ]),
      [true, false, false, true, true, true, false],
    ),
  )
  return 0
}

/** A CSV cell: text, a number, or nothing. */
export type CsvCell = string | number | null

/** Spreadsheets run a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/**
 * One cell as RFC 4180 text. Numbers are written with a decimal point, always, whatever the
 * reader's language, so the file means the same everywhere (a pt-BR spreadsheet imports it with
 * "decimal separator: point"); non-finite numbers are empty. Text that a spreadsheet would run as
 * a formula gets a leading apostrophe, so a run named `=HYPERLINK(…)` stays text.
 */
export function csvCell(value: CsvCell): string {
  if (value === null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * A CSV document (RFC 4180: comma separated, CRLF line ends, quotes doubled) starting with a
 * UTF-8 byte order mark, which is what makes Excel read accents (ã, ç) as UTF-8. Cells go through
 * `csvCell`: formula-safe, decimal point.
 */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

/** Reads back a document `toCsv` wrote (for tests and checks): rows of raw cell text. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows
}

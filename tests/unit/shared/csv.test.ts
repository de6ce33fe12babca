import { describe, expect, it } from 'vitest'
import { csvCell, parseCsv, toCsv } from '../../../src/shared/csv'
import { runCsvRows, RUN_CSV_COLUMNS, type RunRow } from '../../../src/shared/run-table'

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    expect(csvCell('Ana, Bia')).toBe('"Ana, Bia"')
    expect(csvCell('o "melhor"')).toBe('"o ""melhor"""')
    expect(csvCell('linha 1\nlinha 2')).toBe('"linha 1\nlinha 2"')
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell(null)).toBe('')
  })

  it('keeps text a spreadsheet would run as a formula as text', () => {
    expect(csvCell('=HYPERLINK("http://x","clique")')).toBe(
      `"'=HYPERLINK(""http://x"",""clique"")"`,
    )
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-2+3')).toBe("'-2+3")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\t=1')).toBe("'\t=1")
    // Numbers are numbers: a negative one is not a formula.
    expect(csvCell(-0.5)).toBe('-0.5')
  })

  it('writes numbers with a decimal point whatever the language, non-finite as empty', () => {
    expect(csvCell(0.9781)).toBe('0.9781')
    expect(csvCell(101770)).toBe('101770')
    expect(csvCell(Number.NaN)).toBe('')
    expect(csvCell(Infinity)).toBe('')
  })

  it('starts with a UTF-8 byte order mark, ends lines in CRLF, and reads back', () => {
    const csv = toCsv(
      ['nome', 'acurácia'],
      [
        ['João, "o Zé"', 0.97],
        ['=1+1', null],
      ],
    )
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(csv.slice(1)).toBe('nome,acurácia\r\n"João, ""o Zé""",0.97\r\n\'=1+1,\r\n')
    expect(parseCsv(csv)).toEqual([
      ['nome', 'acurácia'],
      ['João, "o Zé"', '0.97'],
      ["'=1+1", ''],
    ])
    expect(new TextEncoder().encode(csv).subarray(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]))
  })
})

describe('the runs list as CSV', () => {
  it('has one column per header, the student and lesson, fractions and seconds', () => {
    const row: RunRow = {
      id: 7,
      uid: 'u',
      name: '@aluna',
      kind: 'imported',
      status: 'completed',
      dataset: 'mnist',
      backend: 'cpu',
      seed: 42,
      paramCount: 101_770,
      epochs: 3,
      bestValAccuracy: 0.9712,
      testAccuracy: null,
      createdAt: '2026-11-30T10:00:00.000Z',
      startedAt: null,
      finishedAt: null,
      error: null,
      notes: 'linha\ncom vírgula, sim',
      tags: ['turma-3B', 'mlp'],
      pinned: false,
      student: 'Ana',
      lessonId: 'abc',
      architecture: 'Flatten → Dense 128 → Dense 10',
      durationMs: 12_345,
    }
    const [cells] = runCsvRows([row])
    expect(cells).toHaveLength(RUN_CSV_COLUMNS.length)
    const parsed = parseCsv(toCsv([...RUN_CSV_COLUMNS], [cells]))
    const record = Object.fromEntries(RUN_CSV_COLUMNS.map((c, i) => [c, parsed[1][i]]))
    expect(record).toMatchObject({
      id: '7',
      name: "'@aluna",
      student: 'Ana',
      lessonId: 'abc',
      bestValAccuracy: '0.9712',
      testAccuracy: '',
      durationS: '12.3',
      tags: 'turma-3B; mlp',
      notes: 'linha\ncom vírgula, sim',
    })
  })
})

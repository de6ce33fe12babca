import { describe, expect, it } from 'vitest'
import { scatterTooltip } from '../../../src/renderer/src/components/board/scatter-tooltip'

/** What the tooltip shows once ECharts sets it as innerHTML (its default render mode). */
function shown(html: string): { text: string; elements: string[] } {
  const text = html
    .split('<br>')
    .map((line) =>
      line
        .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
        .replace(/&amp;/g, '&'),
    )
    .join('\n')
  const elements = [...html.replace(/<br>/g, '').matchAll(/<([a-z]+)/gi)].map((m) => m[1])
  return { text, elements }
}

describe('the class board scatter tooltip', () => {
  it('shows a hand-in named with HTML as text: a student cannot put markup in the teacher view', () => {
    // A student's name and run name come from their hand-in file.
    const name = '<img src=x onerror=alert(1)><b>Ana</b> & "Bia"'
    const html = scatterTooltip(
      name,
      { name: 'Learning rate', value: 0.001 },
      { label: 'Private score', text: '97.50%' },
    )
    const { text, elements } = shown(html)
    expect(elements).toEqual([])
    expect(text).toBe(`${name}\nLearning rate: 0.001\nPrivate score: 97.50%`)
  })
})

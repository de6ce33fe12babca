import { describe, expect, it } from 'vitest'
import { parseMarkdown } from '../../../src/shared/markdown'

describe('lesson Markdown', () => {
  it('parses headings, paragraphs, lists, code and inline marks', () => {
    expect(
      parseMarkdown(
        '# Meta\n\nChegue a **97%** com *poucos* `params`.\n\n- um\n- dois\n\n1. a\n```\nx = 1\n```',
      ),
    ).toEqual([
      { kind: 'heading', level: 1, inlines: [{ kind: 'text', text: 'Meta' }] },
      {
        kind: 'paragraph',
        inlines: [
          { kind: 'text', text: 'Chegue a ' },
          { kind: 'strong', text: '97%' },
          { kind: 'text', text: ' com ' },
          { kind: 'em', text: 'poucos' },
          { kind: 'text', text: ' ' },
          { kind: 'code', text: 'params' },
          { kind: 'text', text: '.' },
        ],
      },
      {
        kind: 'list',
        ordered: false,
        items: [[{ kind: 'text', text: 'um' }], [{ kind: 'text', text: 'dois' }]],
      },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'a' }]] },
      { kind: 'code', text: 'x = 1' },
    ])
  })

  it('keeps HTML and script links as plain text, links only to http(s)', () => {
    const blocks = parseMarkdown(
      '<script>alert(1)</script> [a](javascript:alert(1)) [b](https://x.org)',
    )
    expect(blocks).toEqual([
      {
        kind: 'paragraph',
        inlines: [
          { kind: 'text', text: '<script>alert(1)</script> ' },
          { kind: 'text', text: '[a](javascript:alert(1)' },
          { kind: 'text', text: ') ' },
          { kind: 'link', text: 'b', href: 'https://x.org' },
        ],
      },
    ])
  })
})

/**
 * The small Markdown subset lesson instructions use, parsed into plain data that the renderer
 * turns into elements with text nodes only: no HTML is ever produced or interpreted, so a `<script>`
 * in a lesson shows as the characters it is. Headings (#, ##, ###), paragraphs, bullet and
 * numbered lists, fenced code, and inline **bold**, *italic*, `code` and [links](https://…);
 * links other than http(s) stay text.
 */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong' | 'em' | 'code'; text: string }
  | { kind: 'link'; text: string; href: string }

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; inlines: Inline[] }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'code'; text: string }

const INLINE = /(\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\))/g

export function parseInlines(text: string): Inline[] {
  const out: Inline[] = []
  let last = 0
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) })
    if (m[2] !== undefined) out.push({ kind: 'strong', text: m[2] })
    else if (m[3] !== undefined) out.push({ kind: 'em', text: m[3] })
    else if (m[4] !== undefined) out.push({ kind: 'code', text: m[4] })
    else if (/^https?:\/\//i.test(m[6])) out.push({ kind: 'link', text: m[5], href: m[6] })
    else out.push({ kind: 'text', text: m[0] })
    last = m.index + m[0].length
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) })
  return out
}

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = []
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  let paragraph: string[] = []
  let list: { ordered: boolean; items: Inline[][] } | null = null
  const flush = (): void => {
    if (paragraph.length > 0) {
      blocks.push({ kind: 'paragraph', inlines: parseInlines(paragraph.join(' ')) })
      paragraph = []
    }
    if (list) {
      blocks.push({ kind: 'list', ...list })
      list = null
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line.startsWith('```')) {
      flush()
      const code: string[] = []
      while (++i < lines.length && !lines[i].startsWith('```')) code.push(lines[i])
      blocks.push({ kind: 'code', text: code.join('\n') })
      continue
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line)
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line)
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line)
    if (heading) {
      flush()
      blocks.push({
        kind: 'heading',
        level: heading[1].length as 1 | 2 | 3,
        inlines: parseInlines(heading[2]),
      })
    } else if (bullet || numbered) {
      const ordered = Boolean(numbered)
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush()
      list ??= { ordered, items: [] }
      list.items.push(parseInlines((bullet ?? numbered)![1]))
    } else if (line.trim() === '') {
      flush()
    } else {
      if (list) flush()
      paragraph.push(line.trim())
    }
  }
  flush()
  return blocks
}

export const VIEWS = ['builder', 'training', 'runs', 'compare'] as const
export type View = (typeof VIEWS)[number]

export interface Route {
  view: View
  /** Read-only: a new route replaces it. */
  params: URLSearchParams
}

/** Reads `#/view?params`; anything unknown lands on the builder. */
export function parseHash(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?')
  const view = (VIEWS as readonly string[]).includes(path) ? (path as View) : 'builder'
  return { view, params: new URLSearchParams(query) }
}

/** The hash for a view and its parameters. */
export function formatHash(view: View, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString()
  return `#/${view}${query ? `?${query}` : ''}`
}

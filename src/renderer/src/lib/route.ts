export const VIEWS = [
  'builder',
  'training',
  'runs',
  'compare',
  'evaluate',
  'test',
  'learn',
  'xray',
] as const
/** Pages reached from other views (a run's own page), not from the navigation bar. */
export const PAGES = ['run', 'board'] as const
export type View = (typeof VIEWS)[number] | (typeof PAGES)[number]

export interface Route {
  view: View
  /** Read-only: a new route replaces it. */
  params: URLSearchParams
}

/** Reads `#/view?params`; anything unknown lands on the builder. */
export function parseHash(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?')
  const known: readonly string[] = [...VIEWS, ...PAGES]
  const view = known.includes(path) ? (path as View) : 'builder'
  return { view, params: new URLSearchParams(query) }
}

/** The hash for a view and its parameters. */
export function formatHash(view: View, params: Record<string, string> = {}): string {
  // Commas stay readable in shared links (#/compare?ids=1,2,3); URLSearchParams reads them back.
  const query = new URLSearchParams(params).toString().replace(/%2C/gi, ',')
  return `#/${view}${query ? `?${query}` : ''}`
}

import { formatHash, parseHash, type Route, type View } from '../lib/route'

export { VIEWS, type View } from '../lib/route'

/** The current view lives in the URL hash, so a reload and the back button keep the place. */
export class Router {
  route = $state.raw<Route>(parseHash(location.hash))

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parseHash(location.hash)
    })
  }

  go(view: View, params: Record<string, string> = {}): void {
    location.hash = formatHash(view, params)
  }
}

export const router = new Router()

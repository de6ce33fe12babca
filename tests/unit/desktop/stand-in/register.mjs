// Loaded with `node --import` before the built main process: `electron` resolves to the stand-in.
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)

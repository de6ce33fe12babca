// Module resolution hooks: `electron` is the stand-in; with STAND_IN_BREAK_SHARP=1, `sharp` fails
// to load the way it does when its native parts are missing.
const electron = new URL('./electron.mjs', import.meta.url).href
const brokenSharp =
  'data:text/javascript,' +
  encodeURIComponent(
    'export default null\nthrow new Error(\'Could not load the "sharp" module using the linux-x64 runtime\\n' +
      "Possible solutions:\\n- Ensure optional dependencies can be installed')",
  )

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: electron, shortCircuit: true }
  if (specifier === 'sharp' && process.env.STAND_IN_BREAK_SHARP === '1') {
    return { url: brokenSharp, shortCircuit: true }
  }
  return next(specifier, context)
}

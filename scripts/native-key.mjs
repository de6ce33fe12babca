/**
 * The name of the folder under .sinapse-native/ that holds one Electron build of better-sqlite3:
 * everything the binary depends on. Plain JavaScript so both scripts/electron-native.mjs (plain
 * Node) and the app's main process (bundled) use this one formula.
 */
export function nativeKey({ electron, betterSqlite3, platform, arch }) {
  return `electron-${electron}-better-sqlite3-${betterSqlite3}-${platform}-${arch}`
}

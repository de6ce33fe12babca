export interface NativeTarget {
  electron: string
  betterSqlite3: string
  platform: string
  arch: string
}

export declare function nativeKey(target: NativeTarget): string

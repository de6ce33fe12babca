/**
 * Which data a run trains on: the bundled MNIST, Debian's Fashion-MNIST, or any folder with the
 * four IDX files (`idx:/path/to/folder`).
 */
export type DatasetRef = 'mnist' | 'fashion-mnist' | `idx:${string}`

/** Facts about a dataset that a spec is validated against. */
export interface DatasetInfo {
  ref: DatasetRef
  name: string
  imageShape: [number, number, number]
  classNames: string[]
  trainCount: number
  testCount: number
}

export function isDatasetRef(value: string): value is DatasetRef {
  return (
    value === 'mnist' || value === 'fashion-mnist' || (value.startsWith('idx:') && value.length > 4)
  )
}

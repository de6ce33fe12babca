/**
 * Whether an input looks like the images a model was trained on: the distance of its features to
 * the nearest class (`score`) against a threshold that flags about 1% of the model's own held-out
 * images. `flagged` means the answer may mean nothing, however high its probability.
 */
export interface OodVerdict {
  score: number
  threshold: number
  flagged: boolean
}

/**
 * Where a model's judgement stands in this session: its neighbour bank (the model's features of
 * 20,000 training images, seconds to compute) is being computed (`done` of `total` steps), ready,
 * impossible (no Dense layer: `unavailable`), or failed (`error`, in the app's language).
 */
export interface OodStatus {
  runId: number
  state: 'computing' | 'ready' | 'unavailable' | 'failed'
  done: number
  total: number
  /** Waiting for a training to end before going on (a bank would slow the training down). */
  paused?: boolean
  error: string | null
}

/** Who asks for judgements: each view declares the runs it shows (see `ood:want`). */
export const OOD_HOLDERS = ['tester', 'xray'] as const
export type OodHolder = (typeof OOD_HOLDERS)[number]

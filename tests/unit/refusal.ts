import { expect } from 'vitest'
import { AppError } from '../../src/shared/errors'

/** The AppError `promise` rejects with; the calling test fails if it resolves or throws another. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

/** The AppError `fn` throws; the calling test fails if it returns or throws another. */
export function thrownRefusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return err as AppError
  }
  throw new Error('accepted')
}

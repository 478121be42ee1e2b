/** An expected outcome that may fail, carried as a value instead of an exception. */
export type Result<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E }

/** Wraps a success. */
export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value }
}

/** Wraps an expected failure. */
export function err<E>(error: E): Result<never, E> {
  return { ok: false, error }
}

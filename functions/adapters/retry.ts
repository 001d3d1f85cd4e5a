/**
 * The adapters' one retry policy for requests that partly succeed — the unprocessed items of a
 * batch, the writes of a cancelled transaction that were not refused — and its one loop
 * (D-32, D-34, D-41). The n-th retry waits a random time up to min(2 s, 25 ms · 2ⁿ) (full
 * jitter). A whole request that fails for throttling or contention is retried by the SDK's own
 * strategy instead (`transactWithRetry`, and the SDK itself for every request).
 */
export const RETRY_POLICY = {
  baseDelayMs: 25,
  maxDelayMs: 2_000,
  /** D-32: unprocessed batch items are sent again at most 8 times (9 requests in all). */
  batchAttempts: 9,
  /** D-34: a transaction of independent conditional writes cancelled by conflicts: 8 attempts. */
  conditionalWriteAttempts: 8,
} as const;

/** Waits the full-jitter delay before retry number `retry` (1 for the first retry). */
export function backoff(retry: number): Promise<void> {
  const capMs = Math.min(RETRY_POLICY.maxDelayMs, RETRY_POLICY.baseDelayMs * 2 ** retry);
  return new Promise((wake) => setTimeout(wake, Math.random() * capMs));
}

/** What one send left: `undefined` when done; `backOff` false when only refusals were dropped. */
export interface Remainder<T> {
  readonly rest: T | undefined;
  readonly backOff: boolean;
}

/**
 * Sends `pending` with `send` until nothing is left, at most `maxAttempts` times, backing off
 * between sends as {@link RETRY_POLICY} says. When the attempts are used up with work left,
 * `exhausted` says what to throw. An error `send` throws is not retried here.
 */
export async function sendUntilDone<T>(
  pending: T,
  send: (pending: T) => Promise<Remainder<T>>,
  options: { maxAttempts: number; exhausted: () => Error },
): Promise<void> {
  let next = pending;
  for (let attempt = 1; ; attempt += 1) {
    const { rest, backOff } = await send(next);
    if (rest === undefined) return;
    if (attempt >= options.maxAttempts) throw options.exhausted();
    if (backOff) await backoff(attempt);
    next = rest;
  }
}

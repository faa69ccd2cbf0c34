/** Exponential backoff with jitter between delivery attempts. */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Each further retry waits this many times longer. */
  factor: number;
  /** Random spread as a fraction of the delay (0.2 = ±20%), so many browsers do not retry in step. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.2 };

/** The delay before retry number `retry` (1 = the first retry). `random` returns a number in [0, 1). */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, retry - 1));
  const spread = base * policy.jitter;
  return Math.max(0, Math.min(policy.maxMs, Math.round(base - spread + random() * 2 * spread)));
}

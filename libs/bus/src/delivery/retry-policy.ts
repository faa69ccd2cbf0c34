import type { RetryPolicy } from "../bus.js";

export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 10_000,
});

/** Fills the defaults in and rejects values that cannot work, naming the field. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...stripUndefined(overrides ?? {}) };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.initialDelayMs >= 0)) {
    throw new RangeError(`retry.initialDelayMs must be >= 0, got ${policy.initialDelayMs}`);
  }
  if (!(policy.maxDelayMs >= policy.initialDelayMs)) {
    throw new RangeError(
      `retry.maxDelayMs must be >= retry.initialDelayMs (${policy.initialDelayMs}), got ${policy.maxDelayMs}`,
    );
  }
  return policy;
}

function stripUndefined(values: Partial<RetryPolicy>): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/** Share of the delay added at random, so consumers that failed together do not retry in lock-step. */
export const backoffJitterRatio = 0.1;

/**
 * How long to wait after failed attempt number `failedAttempt` (1-based) before the next one:
 * initialDelayMs * 2^(failedAttempt-1), capped at maxDelayMs, plus up to 10 % jitter (never above the cap).
 */
export function backoffDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * 2 ** Math.max(0, failedAttempt - 1);
  const base = Math.min(exponential, policy.maxDelayMs);
  const jitter = base * backoffJitterRatio * random();
  return Math.round(Math.min(base + jitter, policy.maxDelayMs));
}

/** Whether a wait ran to its end or was cut short by shutdown. */
export type SleepOutcome = "elapsed" | "aborted";

/**
 * Waits `ms`, or less when `signal` aborts. `keepAlive` runs every `keepAliveEveryMs` during the wait
 * (Kafka heartbeats, so a long backoff does not cost the group membership); its errors propagate.
 */
export async function sleepUnlessAborted(
  ms: number,
  signal: AbortSignal,
  keepAlive?: () => Promise<void>,
  keepAliveEveryMs = 1_000,
): Promise<SleepOutcome> {
  const until = Date.now() + ms;
  while (!signal.aborted) {
    const left = until - Date.now();
    if (left <= 0) return "elapsed";
    await abortableDelay(keepAlive ? Math.min(left, keepAliveEveryMs) : left, signal);
    if (keepAlive && !signal.aborted && Date.now() < until) await keepAlive();
  }
  return "aborted";
}

/** Resolves after `ms` or as soon as `signal` aborts, whichever comes first. Never rejects. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

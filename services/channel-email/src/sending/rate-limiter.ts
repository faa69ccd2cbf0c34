import type { DataSource } from "typeorm";

export interface RateDecision {
  granted: boolean;
  /** When not granted: how long until a token is likely available. */
  waitMs: number;
}

/**
 * A token bucket per provider account in channel_email.rate_buckets, shared by every replica: one atomic
 * UPDATE refills by elapsed time, takes a token when there is one, and honours a provider's Retry-After
 * (`blocked_until`). Capacity is one second of the account's rate. Uses the wall clock (not the injected
 * Clock): rate limits are about real time.
 */
export class ProviderRateLimiter {
  constructor(private readonly dataSource: DataSource) {}

  async tryTake(account: string, ratePerSecond: number): Promise<RateDecision> {
    const capacity = Math.max(1, ratePerSecond);
    const rows = (await this.dataSource.query(
      `INSERT INTO channel_email.rate_buckets AS b (account, tokens, refilled_at) VALUES ($1, $2 - 1, clock_timestamp())
       ON CONFLICT (account) DO UPDATE SET
         tokens = CASE WHEN b.blocked_until > clock_timestamp() THEN b.tokens
                       ELSE LEAST($2, b.tokens + EXTRACT(EPOCH FROM (clock_timestamp() - b.refilled_at)) * $3) - 1 END,
         refilled_at = CASE WHEN b.blocked_until > clock_timestamp() THEN b.refilled_at ELSE clock_timestamp() END
       RETURNING tokens, GREATEST(0, EXTRACT(EPOCH FROM (b.blocked_until - clock_timestamp())) * 1000)::float8 AS blocked_ms`,
      [account, capacity, ratePerSecond],
    )) as Array<{ tokens: number; blocked_ms: number | null }>;
    const row = rows[0];
    const blockedMs = row?.blocked_ms ?? 0;
    if (blockedMs > 0) return { granted: false, waitMs: blockedMs };
    const tokens = row?.tokens ?? 0;
    if (tokens >= 0) return { granted: true, waitMs: 0 };
    // Took a token we did not have: give it back and wait for the deficit to refill.
    await this.dataSource.query(`UPDATE channel_email.rate_buckets SET tokens = tokens + 1 WHERE account = $1`, [
      account,
    ]);
    return { granted: false, waitMs: Math.ceil((-tokens / ratePerSecond) * 1000) };
  }

  /** Waits for a token up to `maxWaitMs`; false when none came in time. */
  async take(account: string, ratePerSecond: number, maxWaitMs: number): Promise<{ granted: boolean; waitMs: number }> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const decision = await this.tryTake(account, ratePerSecond);
      if (decision.granted) return decision;
      if (Date.now() + decision.waitMs > deadline) return decision;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, decision.waitMs)));
    }
  }

  /** The provider said 429: no sends to the account until `retryAfterMs` has passed. */
  async block(account: string, retryAfterMs: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO channel_email.rate_buckets (account, tokens, refilled_at, blocked_until) VALUES ($1, 0, clock_timestamp(), clock_timestamp() + $2 * interval '1 millisecond')
       ON CONFLICT (account) DO UPDATE SET tokens = 0, blocked_until = clock_timestamp() + $2 * interval '1 millisecond'`,
      [account, retryAfterMs],
    );
  }
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
  ratePerSecond: number;
  capacity: number;
}

const SWEEP_AT_SIZE = 10_000;

/**
 * Token buckets per key (a source), in the memory of this process: with N ingest replicas the effective limit is
 * N times the configured one. A bucket holds `capacity` tokens and refills at `ratePerSecond`; a request takes one
 * token per message. A request costing more than the capacity is charged the capacity (so it can ever pass).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  take(key: string, cost: number, limit: { ratePerSecond: number; capacity: number }, now = Date.now()): RateDecision {
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.ratePerSecond !== limit.ratePerSecond || bucket.capacity !== limit.capacity) {
      if (this.buckets.size >= SWEEP_AT_SIZE) this.sweep(now);
      bucket = { tokens: limit.capacity, updatedAt: now, ...limit };
      this.buckets.set(key, bucket);
    }
    refill(bucket, now);
    const charge = Math.min(cost, bucket.capacity);
    if (bucket.tokens >= charge) {
      bucket.tokens -= charge;
      return { allowed: true };
    }
    const missing = charge - bucket.tokens;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / bucket.ratePerSecond)) };
  }

  /** Drops full buckets: they behave exactly like a new one. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      refill(bucket, now);
      if (bucket.tokens >= bucket.capacity) this.buckets.delete(key);
    }
  }
}

function refill(bucket: Bucket, now: number): void {
  const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
  bucket.tokens = Math.min(bucket.capacity, bucket.tokens + elapsedSeconds * bucket.ratePerSecond);
  bucket.updatedAt = now;
}

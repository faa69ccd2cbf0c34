/**
 * A per-contact frequency cap: at most `max` messages in any rolling `windowMs`, counted across all workflows.
 * The count comes from the caller's send ledger (SendLedger.countSentSince), so the cap survives restarts.
 */
export interface FrequencyCapRule {
  max: number;
  windowMs: number;
}

export type FrequencyCapDecision =
  { allowed: true; remaining: number } | { allowed: false; sentInWindow: number; max: number; windowMs: number };

export class FrequencyCap {
  constructor(readonly rule: FrequencyCapRule) {
    if (!Number.isInteger(rule.max) || rule.max < 0)
      throw new Error(`frequency cap max: must be a non-negative integer, got ${rule.max}`);
    if (!(rule.windowMs > 0)) throw new Error(`frequency cap windowMs: must be positive, got ${rule.windowMs}`);
  }

  /** The start of the window that ends at `now`: count sends since then. */
  windowStart(now: Date): Date {
    return new Date(now.getTime() - this.rule.windowMs);
  }

  /** Whether one more send is allowed, given how many were sent since windowStart(now). */
  check(sentInWindow: number): FrequencyCapDecision {
    if (sentInWindow < this.rule.max) return { allowed: true, remaining: this.rule.max - sentInWindow - 1 };
    return { allowed: false, sentInWindow, max: this.rule.max, windowMs: this.rule.windowMs };
  }
}

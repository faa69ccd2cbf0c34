/** Mention counts of one period. */
export interface MentionCounts {
  total: number;
  negative: number;
}

export interface CrisisRule {
  /** The recent negative share must exceed factor × baseline share. */
  factor: number;
  /** The baseline share used is at least this (a quiet brand with no negatives is not alarmed by one). */
  baselineFloor: number;
  /** Fewer mentions than this in the window never alarm. */
  minMentions: number;
}

export type CrisisDecision =
  { alarm: false } | { alarm: true; negativeRate: number; baselineRate: number; threshold: number };

/**
 * The stated crisis rule: negative rate r = negative / total over the recent window; baseline b = the same
 * over the baseline period before it, floored at `baselineFloor`; alarm when total ≥ minMentions and r > factor × b.
 */
export function detectCrisis(recent: MentionCounts, baseline: MentionCounts, rule: CrisisRule): CrisisDecision {
  if (recent.total < rule.minMentions || recent.total === 0) return { alarm: false };
  const negativeRate = recent.negative / recent.total;
  const baselineRate = Math.max(baseline.total > 0 ? baseline.negative / baseline.total : 0, rule.baselineFloor);
  const threshold = rule.factor * baselineRate;
  return negativeRate > threshold ? { alarm: true, negativeRate, baselineRate, threshold } : { alarm: false };
}

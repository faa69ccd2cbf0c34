/** Counts of one A/B variant. */
export interface VariantResult {
  variantId: string;
  sent: number;
  opens: number;
  clicks: number;
  conversions: number;
}

export interface WinnerDecision {
  winner: string;
  runnerUp: string;
  /** Two-proportion z statistic of the winner's click rate against the runner-up's. */
  z: number;
  clickRates: Record<string, number>;
}

/** Two-sided critical value of the standard normal at 95 % confidence. */
export const Z_95 = 1.959963984540054;

/**
 * Two-proportion z-test with the pooled proportion: z = (p1 − p2) / sqrt(p(1 − p)(1/n1 + 1/n2)), p = (x1 + x2)/(n1 + n2).
 * Returns 0 when either sample is empty or the pooled proportion is 0 or 1 (no evidence either way).
 */
export function twoProportionZ(successes1: number, trials1: number, successes2: number, trials2: number): number {
  if (trials1 <= 0 || trials2 <= 0) return 0;
  const pooled = (successes1 + successes2) / (trials1 + trials2);
  const variance = pooled * (1 - pooled) * (1 / trials1 + 1 / trials2);
  if (variance <= 0) return 0;
  return (successes1 / trials1 - successes2 / trials2) / Math.sqrt(variance);
}

/**
 * The automatic winner: once EVERY variant has at least `minSendsPerVariant` sends, the variant with the highest
 * click rate (clicks / sent) wins if its click rate is higher than the runner-up's at 95 % confidence
 * (two-sided two-proportion z-test, |z| > 1.96). Otherwise no winner yet; the split continues.
 */
export function selectWinner(
  results: ReadonlyArray<VariantResult>,
  minSendsPerVariant: number,
): WinnerDecision | undefined {
  if (results.length < 2 || results.some((result) => result.sent < minSendsPerVariant)) return undefined;
  const rate = (result: VariantResult): number => (result.sent > 0 ? result.clicks / result.sent : 0);
  const ranked = [...results].sort((a, b) => rate(b) - rate(a) || a.variantId.localeCompare(b.variantId));
  const [best, second] = ranked as [VariantResult, VariantResult];
  const z = twoProportionZ(best.clicks, best.sent, second.clicks, second.sent);
  if (z <= Z_95) return undefined;
  return {
    winner: best.variantId,
    runnerUp: second.variantId,
    z,
    clickRates: Object.fromEntries(results.map((result) => [result.variantId, rate(result)])),
  };
}

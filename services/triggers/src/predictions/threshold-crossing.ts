/**
 * Edge-triggered thresholds: a predictive trigger fires when the score crosses its threshold, not on every
 * score update while it stays across. `above` fires when the score goes from ≤ threshold (or no previous
 * score) to > threshold; `below` when it goes from ≥ threshold (or none) to < threshold.
 */
export function crossed(
  previous: number | undefined,
  current: number,
  threshold: number,
  direction: "above" | "below",
): boolean {
  if (direction === "above") return current > threshold && (previous === undefined || previous <= threshold);
  return current < threshold && (previous === undefined || previous >= threshold);
}

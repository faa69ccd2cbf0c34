import type { ModelMetrics } from "./metrics.js";

export interface PromotionDecision {
  readonly promote: boolean;
  readonly reason: string;
}

export interface PromotionPolicy {
  /** The candidate's validation ROC AUC must exceed the current one by more than this; default 0. */
  readonly minRocAucGain?: number;
  /** Even when ROC AUC improves, refuse a candidate whose log loss is worse by more than this share; default 0.05. */
  readonly maxLogLossIncrease?: number;
}

/**
 * Decides whether a new model version replaces the current one, on validation metrics: it must rank
 * better (ROC AUC strictly higher by more than `minRocAucGain`) without becoming much worse calibrated
 * (log loss within `maxLogLossIncrease`). With no current version, any candidate with a finite ROC AUC
 * is promoted. Compare versions only on the same validation rows (same split of the same data).
 */
export function shouldPromote(
  candidate: ModelMetrics,
  current: ModelMetrics | null | undefined,
  policy: PromotionPolicy = {},
): PromotionDecision {
  const minGain = policy.minRocAucGain ?? 0;
  const maxLogLossIncrease = policy.maxLogLossIncrease ?? 0.05;
  if (!Number.isFinite(candidate.rocAuc)) return { promote: false, reason: "candidate ROC AUC is not a number" };
  if (current === null || current === undefined) return { promote: true, reason: "no current version" };
  const gain = candidate.rocAuc - current.rocAuc;
  if (!(gain > minGain)) {
    return {
      promote: false,
      reason: `ROC AUC ${candidate.rocAuc.toFixed(4)} does not beat current ${current.rocAuc.toFixed(4)} by more than ${minGain}`,
    };
  }
  if (candidate.logLoss > current.logLoss * (1 + maxLogLossIncrease)) {
    return {
      promote: false,
      reason: `log loss ${candidate.logLoss.toFixed(4)} is more than ${maxLogLossIncrease * 100}% worse than current ${current.logLoss.toFixed(4)}`,
    };
  }
  return { promote: true, reason: `ROC AUC ${candidate.rocAuc.toFixed(4)} beats current ${current.rocAuc.toFixed(4)}` };
}

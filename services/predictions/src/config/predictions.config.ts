import { z } from "zod";
import { booleanFlag, durationMs, loadConfig, type Environment } from "@cascade/config";

const probability = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const value = Number(raw.trim());
      if (raw.trim() === "" || !(value >= 0 && value <= 1)) {
        ctx.addIssue({ code: "custom", message: `expected a probability between 0 and 1, got ${JSON.stringify(raw)}` });
        return z.NEVER;
      }
      return value;
    });

const positiveInteger = (fallback: string, max = 1_000_000) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const value = Number(raw.trim());
      if (!Number.isInteger(value) || value < 1 || value > max) {
        ctx.addIssue({ code: "custom", message: `expected an integer 1-${max}, got ${JSON.stringify(raw)}` });
        return z.NEVER;
      }
      return value;
    });

/** The variables the predictions service reads (and only these). */
export const predictionsConfigSchema = z.object({
  /** Confidence thresholds (seed defaults): a prediction at or above it is marked `confident`. */
  PREDICTIONS_CHURN_THRESHOLD: probability("0.8"),
  PREDICTIONS_PURCHASE_INTENT_THRESHOLD: probability("0.75"),
  /** Content interest: only items scoring at or above this are recommended; no item, no prediction. */
  PREDICTIONS_CONTENT_INTEREST_THRESHOLD: probability("0.7"),
  /** A contact is scored this long after its last feature change (debounce per contact). */
  PREDICTIONS_SCORING_DEBOUNCE: durationMs().default(2_000),
  /** How often each replica looks for contacts due for scoring. */
  PREDICTIONS_SCORING_INTERVAL: durationMs().default(250),
  /** Contacts scored per transaction. */
  PREDICTIONS_SCORING_BATCH: positiveInteger("200", 10_000),
  /** A new score is published only when it moved at least this much (or the model version changed). */
  PREDICTIONS_MIN_SCORE_CHANGE: probability("0.01"),
  /** Run the training scheduler in this process (every replica may; claims are exclusive). */
  PREDICTIONS_SCHEDULER_ENABLED: booleanFlag().default(true),
  PREDICTIONS_SCHEDULER_INTERVAL: durationMs().default(30_000),
  /** Feature window: features count activity in the last N days. */
  PREDICTIONS_FEATURE_WINDOW_DAYS: positiveInteger("30", 365),
  /** Churn label: no activity for N days after the cutoff. */
  PREDICTIONS_CHURN_INACTIVITY_DAYS: positiveInteger("14", 365),
  /** Purchase-intent label: a purchase within N days after the cutoff. */
  PREDICTIONS_PURCHASE_WINDOW_DAYS: positiveInteger("7", 365),
  /** Training snapshots (cutoffs a week apart); the latest is the validation set. */
  PREDICTIONS_TRAINING_SNAPSHOTS: positiveInteger("4", 52).refine(
    (n) => n >= 2,
    "must be at least 2 (the latest cutoff validates)",
  ),
  /** Fewer labelled rows than this and training is refused (the current model stays). */
  PREDICTIONS_MIN_TRAINING_ROWS: positiveInteger("40"),
  /** Recommended items per contact. */
  PREDICTIONS_TOP_ITEMS: positiveInteger("5", 100),
  PREDICTIONS_SEED: positiveInteger("42", 2 ** 31 - 1),
});

/** Injection token and type of the predictions service's parsed settings. */
export abstract class PredictionsConfig {
  abstract readonly thresholds: Readonly<Record<"churn" | "purchase_intent" | "content_interest", number>>;
  abstract readonly scoringDebounceMs: number;
  abstract readonly scoringIntervalMs: number;
  abstract readonly scoringBatch: number;
  abstract readonly minScoreChange: number;
  abstract readonly schedulerEnabled: boolean;
  abstract readonly schedulerIntervalMs: number;
  abstract readonly featureWindowDays: number;
  abstract readonly churnInactivityDays: number;
  abstract readonly purchaseWindowDays: number;
  abstract readonly trainingSnapshots: number;
  abstract readonly minTrainingRows: number;
  abstract readonly topItems: number;
  abstract readonly seed: number;
}

/** Parses the variables once; a bad value stops start-up naming the variable. */
export function loadPredictionsConfig(env: Environment): PredictionsConfig {
  const s = loadConfig(predictionsConfigSchema, env);
  return {
    thresholds: {
      churn: s.PREDICTIONS_CHURN_THRESHOLD,
      purchase_intent: s.PREDICTIONS_PURCHASE_INTENT_THRESHOLD,
      content_interest: s.PREDICTIONS_CONTENT_INTEREST_THRESHOLD,
    },
    scoringDebounceMs: s.PREDICTIONS_SCORING_DEBOUNCE,
    scoringIntervalMs: s.PREDICTIONS_SCORING_INTERVAL,
    scoringBatch: s.PREDICTIONS_SCORING_BATCH,
    minScoreChange: s.PREDICTIONS_MIN_SCORE_CHANGE,
    schedulerEnabled: s.PREDICTIONS_SCHEDULER_ENABLED,
    schedulerIntervalMs: s.PREDICTIONS_SCHEDULER_INTERVAL,
    featureWindowDays: s.PREDICTIONS_FEATURE_WINDOW_DAYS,
    churnInactivityDays: s.PREDICTIONS_CHURN_INACTIVITY_DAYS,
    purchaseWindowDays: s.PREDICTIONS_PURCHASE_WINDOW_DAYS,
    trainingSnapshots: s.PREDICTIONS_TRAINING_SNAPSHOTS,
    minTrainingRows: s.PREDICTIONS_MIN_TRAINING_ROWS,
    topItems: s.PREDICTIONS_TOP_ITEMS,
    seed: s.PREDICTIONS_SEED,
  };
}

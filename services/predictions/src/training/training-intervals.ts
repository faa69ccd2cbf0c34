import type { ModelName } from "../shared/model-names.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * How often each model retrains on schedule (the seed's cadence): churn weekly, purchase intent daily,
 * content interest incrementally every hour (warm-started from the active version's factors).
 */
export const TRAINING_INTERVAL_MS: Readonly<Record<ModelName, number>> = {
  churn: 7 * DAY_MS,
  purchase_intent: DAY_MS,
  content_interest: HOUR_MS,
};

/** A new workspace's first scheduled runs: one interval after its first activity (there is data by then). */
export function firstTrainingRuns(now: Date): Map<ModelName, Date> {
  return new Map(
    (Object.entries(TRAINING_INTERVAL_MS) as [ModelName, number][]).map(([model, interval]) => [
      model,
      new Date(now.getTime() + interval),
    ]),
  );
}

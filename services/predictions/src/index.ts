import { Topics } from "@cascade/contracts";
import type { ServiceDefinition } from "@cascade/runtime";
import { CreatePredictionsTables1765200000000 } from "./migrations/1765200000000-CreatePredictionsTables.js";
import { PredictionsModule } from "./predictions.module.js";

/**
 * predictions: keeps per-contact features from events.v1 and profiles.changes.v1, trains churn (random
 * forest), purchase-intent (gradient boosting) and content-interest (TF.js matrix factorisation) models on
 * schedule and on demand with a model registry (promotion on validation, rollback), scores contacts in real
 * time (debounced) and in batch after a promotion, and publishes predictions.v1 through its outbox.
 */
export const predictionsService: ServiceDefinition = {
  name: "predictions",
  module: PredictionsModule,
  migrations: [CreatePredictionsTables1765200000000],
  topics: [Topics.EventsV1, Topics.ProfilesChangesV1, Topics.PredictionsV1],
  outbox: true,
};

export { FEATURE_DEFINITIONS, FEATURE_NAMES, computeFeatures } from "./features/feature-definitions.js";
export type { ContactFeatures, FeatureName } from "./features/feature-definitions.js";
// For bench/predictions-scoring.ts: the training pipeline on synthetic stream data.
export { syntheticActivity } from "./training/synthetic-activity.js";
export { buildLabelledRows, type LabelSettings, type LabelledRow } from "./training/training-data.js";
export { classifierScorer, splitAtLatestCutoff, tableOf, trainClassifier } from "./training/classifier-training.js";

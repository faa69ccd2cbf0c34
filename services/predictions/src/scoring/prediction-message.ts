import {
  create,
  FeatureContributionSchema,
  newEnvelope,
  PredictionSchema,
  RecommendedItemSchema,
  type Prediction,
} from "@cascade/contracts";
import { PREDICTION_MODEL_OF } from "../shared/model-names.js";
import type { StoredPrediction } from "./predictions.repository.js";

/** The predictions.v1 message for a fresh prediction. */
export function predictionMessage(
  workspaceId: string,
  contactId: string,
  prediction: StoredPrediction,
  previousScore: number | undefined,
): Prediction {
  return create(PredictionSchema, {
    envelope: newEnvelope(workspaceId, prediction.scoredAt),
    contactId,
    model: PREDICTION_MODEL_OF[prediction.model],
    score: prediction.score,
    previousScore,
    modelVersion: prediction.modelVersion,
    topFeatures: prediction.topFeatures.map((feature) => create(FeatureContributionSchema, feature)),
    recommendedItems: prediction.recommendedItems.map((item) => create(RecommendedItemSchema, item)),
  });
}

/** Publish only what moved: a new model version, a score change of at least `minChange`, or other items. */
export function isWorthPublishing(
  previous: StoredPrediction | undefined,
  next: StoredPrediction,
  minChange: number,
): boolean {
  if (previous === undefined || previous.modelVersion !== next.modelVersion) return true;
  if (Math.abs(previous.score - next.score) >= minChange) return true;
  return (
    previous.recommendedItems.map((item) => item.itemId).join("\u0000") !==
    next.recommendedItems.map((item) => item.itemId).join("\u0000")
  );
}

import { PredictionModel } from "@cascade/contracts";

/** The models the predictions service trains and scores, as they appear in the API and the database. */
export type ModelName = "churn" | "purchase_intent" | "content_interest";
export const MODEL_NAMES: readonly ModelName[] = ["churn", "purchase_intent", "content_interest"];

/** The classifier models (tabular features → probability); content interest is a recommender. */
export type ClassifierModelName = Exclude<ModelName, "content_interest">;
export const CLASSIFIER_MODELS: readonly ClassifierModelName[] = ["churn", "purchase_intent"];

export function isModelName(value: string): value is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(value);
}

export const PREDICTION_MODEL_OF: Readonly<Record<ModelName, PredictionModel>> = {
  churn: PredictionModel.CHURN,
  purchase_intent: PredictionModel.PURCHASE_INTENT,
  content_interest: PredictionModel.CONTENT_INTEREST,
};

export const PREDICTIONS_SCHEMA = "predictions";
export const PredictionsGroups = {
  events: "predictions",
  profiles: "predictions-profiles",
} as const;

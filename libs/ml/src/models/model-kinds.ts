import { MlError } from "../errors.js";
import type { BinaryClassifier } from "./classifier.js";
import type { GbdtModel } from "./gbdt.js";
import { gbdtClassifier, trainGbdt } from "./gbdt.js";
import type { RandomForestModel } from "./random-forest.js";
import { randomForestClassifier, trainRandomForest } from "./random-forest.js";

/** What a model predicts; each kind has one algorithm. */
export type ModelKind = "churn" | "purchase_intent";
export const MODEL_KINDS: readonly ModelKind[] = ["churn", "purchase_intent"];

export type Algorithm = "random_forest" | "gbdt";

/** Churn: random forest (ml-random-forest). Purchase intent: gradient-boosted trees. */
export const ALGORITHM_OF_KIND: Readonly<Record<ModelKind, Algorithm>> = {
  churn: "random_forest",
  purchase_intent: "gbdt",
};

/** A fitted model as plain JSON, tagged by algorithm. */
export type TrainedModel = RandomForestModel | GbdtModel;

export function isModelKind(value: string): value is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(value);
}

/** Trains the algorithm of `kind` on encoded (unscaled) rows; deterministic for a given seed. */
export function trainModelOfKind(
  kind: ModelKind,
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  seed: number,
): TrainedModel {
  const algorithm = ALGORITHM_OF_KIND[kind];
  switch (algorithm) {
    case "random_forest":
      return trainRandomForest(rows, labels, { seed });
    case "gbdt":
      return trainGbdt(rows, labels, { seed });
  }
}

export function classifierOf(model: TrainedModel): BinaryClassifier {
  switch (model.algorithm) {
    case "random_forest":
      return randomForestClassifier(model);
    case "gbdt":
      return gbdtClassifier(model);
    default:
      throw new MlError("MODEL_FILE_INVALID", `Unknown algorithm "${(model as { algorithm: unknown }).algorithm}"`);
  }
}

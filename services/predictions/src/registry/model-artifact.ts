import {
  contentInterestModelFromJson,
  contentInterestModelToJson,
  type ContentInterestModel,
  type ContentInterestModelJson,
} from "@cascade/ml";
import type { ClassifierArtifact } from "../training/classifier-training.js";

/** A content-interest model as used for scoring. */
export interface RecommenderArtifact {
  readonly kind: "recommender";
  readonly model: "content_interest";
  readonly recommender: ContentInterestModel;
}

/** What a model version holds: everything needed to score, stored as bytes in model_versions.artifact. */
export type ModelArtifact = ClassifierArtifact | RecommenderArtifact;

type StoredArtifact =
  ClassifierArtifact | { kind: "recommender"; model: "content_interest"; recommender: ContentInterestModelJson };

export function encodeArtifact(artifact: ModelArtifact): Buffer {
  const stored: StoredArtifact =
    artifact.kind === "classifier"
      ? artifact
      : { ...artifact, recommender: contentInterestModelToJson(artifact.recommender) };
  return Buffer.from(JSON.stringify(stored), "utf8");
}

export function decodeArtifact(bytes: Buffer): ModelArtifact {
  const stored = JSON.parse(bytes.toString("utf8")) as StoredArtifact;
  return stored.kind === "classifier"
    ? stored
    : { ...stored, recommender: contentInterestModelFromJson(stored.recommender) };
}

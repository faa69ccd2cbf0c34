import { Injectable } from "@nestjs/common";
import { contactIndexOf } from "@cascade/ml";
import type { EntityManager } from "typeorm";
import { ModelRegistryRepository } from "../registry/model-registry.repository.js";
import { classifierScorer, type ClassifierScorer } from "../training/classifier-training.js";
import type { RecommenderArtifact } from "../registry/model-artifact.js";
import type { ModelName } from "../shared/model-names.js";

/** An active model ready to score: a classifier or the content-interest recommender. */
export type LoadedModel =
  | {
      readonly kind: "classifier";
      readonly model: ModelName;
      readonly version: string;
      readonly scorer: ClassifierScorer;
    }
  | {
      readonly kind: "recommender";
      readonly model: "content_interest";
      readonly version: string;
      readonly artifact: RecommenderArtifact;
      readonly index: Map<string, number>;
    };

/**
 * The active models of each workspace, loaded from the registry and kept while their version stays
 * active (the version names are read on every call, so a promotion or rollback by any replica is seen
 * at the next scoring batch).
 */
@Injectable()
export class ActiveModels {
  private readonly registry = new ModelRegistryRepository();
  private readonly cache = new Map<string, LoadedModel>();

  async of(manager: EntityManager, workspaceId: string): Promise<LoadedModel[]> {
    const loaded: LoadedModel[] = [];
    for (const [model, version] of await this.registry.activeVersions(manager, workspaceId)) {
      const key = `${workspaceId}\u0000${model}`;
      let entry = this.cache.get(key);
      if (entry?.version !== version) {
        const artifact = await this.registry.artifactOf(manager, workspaceId, model, version);
        if (artifact === undefined) continue;
        entry =
          artifact.kind === "classifier"
            ? { kind: "classifier", model, version, scorer: classifierScorer(artifact) }
            : {
                kind: "recommender",
                model: "content_interest",
                version,
                artifact,
                index: contactIndexOf(artifact.recommender),
              };
        this.cache.set(key, entry);
      }
      loaded.push(entry);
    }
    return loaded;
  }
}

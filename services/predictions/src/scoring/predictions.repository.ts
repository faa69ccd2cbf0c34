import type { EntityManager } from "typeorm";
import type { ModelName } from "../shared/model-names.js";

export interface FeatureContributionView {
  readonly name: string;
  readonly contribution: number;
}

export interface RecommendedItemView {
  readonly itemId: string;
  readonly score: number;
}

/** The latest prediction of one model for one contact. */
export interface StoredPrediction {
  readonly model: ModelName;
  readonly score: number;
  readonly modelVersion: string;
  readonly confident: boolean;
  readonly topFeatures: readonly FeatureContributionView[];
  readonly recommendedItems: readonly RecommendedItemView[];
  readonly scoredAt: Date;
}

interface PredictionRow {
  model: ModelName;
  score: number;
  model_version: string;
  confident: boolean;
  top_features: FeatureContributionView[];
  recommended_items: RecommendedItemView[];
  scored_at: Date;
}

/** Latest prediction per contact and model (predictions.contact_predictions). */
export class PredictionsRepository {
  async ofContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<StoredPrediction[]> {
    const rows: PredictionRow[] = await manager.query(
      `SELECT model, score, model_version, confident, top_features, recommended_items, scored_at
       FROM predictions.contact_predictions WHERE workspace_id = $1 AND contact_id = $2 ORDER BY model`,
      [workspaceId, contactId],
    );
    return rows.map((row) => ({
      model: row.model,
      score: Number(row.score),
      modelVersion: row.model_version,
      confident: row.confident,
      topFeatures: row.top_features,
      recommendedItems: row.recommended_items,
      scoredAt: new Date(row.scored_at),
    }));
  }

  async save(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    prediction: StoredPrediction,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO predictions.contact_predictions
         (workspace_id, contact_id, model, score, model_version, confident, top_features, recommended_items, scored_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (workspace_id, contact_id, model) DO UPDATE SET score = EXCLUDED.score, model_version = EXCLUDED.model_version,
         confident = EXCLUDED.confident, top_features = EXCLUDED.top_features, recommended_items = EXCLUDED.recommended_items,
         scored_at = EXCLUDED.scored_at`,
      [
        workspaceId,
        contactId,
        prediction.model,
        prediction.score,
        prediction.modelVersion,
        prediction.confident,
        JSON.stringify(prediction.topFeatures),
        JSON.stringify(prediction.recommendedItems),
        prediction.scoredAt,
      ],
    );
  }

  async erase(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM predictions.contact_predictions WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
    await manager.query(`DELETE FROM predictions.pending_scoring WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}

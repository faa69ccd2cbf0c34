import type { EntityManager } from "typeorm";
import type { ContactFeatures } from "./feature-definitions.js";

/** The latest features per contact (predictions.contact_features), as last computed for scoring. */
export class ContactFeaturesRepository {
  async save(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    features: ContactFeatures,
    computedAt: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO predictions.contact_features (workspace_id, contact_id, features, computed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET features = EXCLUDED.features, computed_at = EXCLUDED.computed_at`,
      [workspaceId, contactId, JSON.stringify(features), computedAt],
    );
  }

  async get(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
  ): Promise<{ features: ContactFeatures; computedAt: Date } | undefined> {
    const rows: { features: ContactFeatures; computed_at: Date }[] = await manager.query(
      `SELECT features, computed_at FROM predictions.contact_features WHERE workspace_id = $1 AND contact_id = $2`,
      [workspaceId, contactId],
    );
    const row = rows[0];
    return row && { features: row.features, computedAt: new Date(row.computed_at) };
  }

  async erase(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM predictions.contact_features WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}

import type { EntityManager } from "typeorm";
import type { ModelName } from "../shared/model-names.js";
import { decodeArtifact, encodeArtifact, type ModelArtifact } from "./model-artifact.js";

export type VersionStatus = "active" | "retired" | "rejected" | "failed";

/** A model version as the API lists it (no artifact). */
export interface ModelVersionView {
  readonly model: ModelName;
  readonly version: string;
  readonly algorithm: string;
  readonly status: VersionStatus;
  /** Validation metrics of this version. */
  readonly metrics: unknown;
  /** The version that was current when this one trained, scored on the same validation rows. */
  readonly currentMetrics: unknown;
  /** The baseline (logistic regression, or popularity for recommendations) on the same rows. */
  readonly baselineMetrics: unknown;
  readonly training: unknown;
  /** Why it was promoted, rejected or failed. */
  readonly decision: string;
  readonly createdAt: string;
  readonly promotedAt: string | null;
}

export interface NewModelVersion {
  readonly workspaceId: string;
  readonly model: ModelName;
  readonly version: string;
  readonly algorithm: string;
  readonly status: VersionStatus;
  readonly artifact: ModelArtifact | null;
  readonly metrics: unknown;
  readonly currentMetrics: unknown;
  readonly baselineMetrics: unknown;
  readonly training: unknown;
  readonly decision: string;
  readonly createdAt: Date;
}

interface VersionRow {
  model: ModelName;
  version: string;
  algorithm: string;
  status: VersionStatus;
  metrics: unknown;
  current_metrics: unknown;
  baseline_metrics: unknown;
  training: unknown;
  decision: string;
  created_at: Date;
  promoted_at: Date | null;
}

/** JSON has no NaN or Infinity: undefined metrics (one class absent) are stored as null. */
const json = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v));

/**
 * The model registry: every trained version with its metrics (model_versions, artifacts as bytea so every
 * replica scores with the same model) and the active version per workspace and model (active_models).
 */
export class ModelRegistryRepository {
  async insert(manager: EntityManager, version: NewModelVersion): Promise<void> {
    await manager.query(
      `INSERT INTO predictions.model_versions (workspace_id, model, version, algorithm, status, artifact, metrics,
         current_metrics, baseline_metrics, training, decision, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        version.workspaceId,
        version.model,
        version.version,
        version.algorithm,
        version.status === "active" ? "retired" : version.status,
        version.artifact && encodeArtifact(version.artifact),
        json(version.metrics),
        json(version.currentMetrics),
        json(version.baselineMetrics),
        json(version.training) ?? "{}",
        version.decision,
        version.createdAt,
      ],
    );
    if (version.status === "active")
      await this.activate(manager, version.workspaceId, version.model, version.version, version.createdAt);
  }

  /** Makes `version` the active one (the previous active becomes retired). */
  async activate(
    manager: EntityManager,
    workspaceId: string,
    model: ModelName,
    version: string,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE predictions.model_versions SET status = 'retired' WHERE workspace_id = $1 AND model = $2 AND status = 'active'`,
      [workspaceId, model],
    );
    await manager.query(
      `UPDATE predictions.model_versions SET status = 'active', promoted_at = COALESCE(promoted_at, $4)
       WHERE workspace_id = $1 AND model = $2 AND version = $3`,
      [workspaceId, model, version, at],
    );
    await manager.query(
      `INSERT INTO predictions.active_models (workspace_id, model, version, activated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, model) DO UPDATE SET version = EXCLUDED.version, activated_at = EXCLUDED.activated_at`,
      [workspaceId, model, version, at],
    );
  }

  /** Active version per model of a workspace (names only; cheap enough to ask on every scoring batch). */
  async activeVersions(manager: EntityManager, workspaceId: string): Promise<Map<ModelName, string>> {
    const rows: { model: ModelName; version: string }[] = await manager.query(
      `SELECT model, version FROM predictions.active_models WHERE workspace_id = $1`,
      [workspaceId],
    );
    return new Map(rows.map((row) => [row.model, row.version]));
  }

  async artifactOf(
    manager: EntityManager,
    workspaceId: string,
    model: ModelName,
    version: string,
  ): Promise<ModelArtifact | undefined> {
    const rows: { artifact: Buffer | null }[] = await manager.query(
      `SELECT artifact FROM predictions.model_versions WHERE workspace_id = $1 AND model = $2 AND version = $3`,
      [workspaceId, model, version],
    );
    const bytes = rows[0]?.artifact;
    return bytes ? decodeArtifact(Buffer.from(bytes)) : undefined;
  }

  async list(manager: EntityManager, workspaceId: string, model: ModelName): Promise<ModelVersionView[]> {
    const rows: VersionRow[] = await manager.query(
      `SELECT model, version, algorithm, status, metrics, current_metrics, baseline_metrics, training, decision, created_at, promoted_at
       FROM predictions.model_versions WHERE workspace_id = $1 AND model = $2 ORDER BY created_at DESC, version DESC`,
      [workspaceId, model],
    );
    return rows.map((row) => ({
      model: row.model,
      version: row.version,
      algorithm: row.algorithm,
      status: row.status,
      metrics: row.metrics,
      currentMetrics: row.current_metrics,
      baselineMetrics: row.baseline_metrics,
      training: row.training,
      decision: row.decision,
      createdAt: new Date(row.created_at).toISOString(),
      promotedAt: row.promoted_at ? new Date(row.promoted_at).toISOString() : null,
    }));
  }

  async find(
    manager: EntityManager,
    workspaceId: string,
    model: ModelName,
    version: string,
  ): Promise<ModelVersionView | undefined> {
    return (await this.list(manager, workspaceId, model)).find((row) => row.version === version);
  }
}

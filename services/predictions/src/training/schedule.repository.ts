import type { EntityManager } from "typeorm";
import type { ModelName } from "../shared/model-names.js";

/** The durable training schedule (predictions.training_schedule): next run per workspace and model. */
export class TrainingScheduleRepository {
  /** Adds the workspace's schedule rows when missing (first activity seen). */
  async ensure(manager: EntityManager, workspaceId: string, firstRuns: ReadonlyMap<ModelName, Date>): Promise<void> {
    for (const [model, at] of firstRuns)
      await manager.query(
        `INSERT INTO predictions.training_schedule (workspace_id, model, next_run_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [workspaceId, model, at],
      );
  }

  /**
   * Claims one due run: locks the row (other replicas skip it), moves next_run_at one interval on and
   * records the start, all in the caller's transaction; the run itself happens after commit, so no two
   * replicas train the same model for the same slot.
   */
  async claimDue(
    manager: EntityManager,
    now: Date,
    intervalMs: (model: ModelName) => number,
  ): Promise<{ workspaceId: string; model: ModelName } | undefined> {
    const rows: { workspace_id: string; model: ModelName }[] = await manager.query(
      `SELECT workspace_id, model FROM predictions.training_schedule WHERE next_run_at <= $1
       ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    await manager.query(
      `UPDATE predictions.training_schedule SET next_run_at = $3, last_started_at = $4 WHERE workspace_id = $1 AND model = $2`,
      [row.workspace_id, row.model, new Date(now.getTime() + intervalMs(row.model)), now],
    );
    return { workspaceId: row.workspace_id, model: row.model };
  }

  async recordOutcome(manager: EntityManager, workspaceId: string, model: ModelName, outcome: string): Promise<void> {
    await manager.query(
      `UPDATE predictions.training_schedule SET last_outcome = $3 WHERE workspace_id = $1 AND model = $2`,
      [workspaceId, model, outcome],
    );
  }
}

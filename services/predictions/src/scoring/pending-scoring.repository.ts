import type { EntityManager } from "typeorm";

/**
 * The debounced scoring queue (predictions.pending_scoring): one row per contact whose features changed,
 * due `debounce` after the latest change. Durable, so a restart loses no pending score.
 */
export class PendingScoringRepository {
  /** (Re)schedules the contact; a newer change pushes the due time later (debounce). */
  async schedule(manager: EntityManager, workspaceId: string, contactId: string, dueAt: Date): Promise<void> {
    await manager.query(
      `INSERT INTO predictions.pending_scoring (workspace_id, contact_id, due_at) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET due_at = GREATEST(predictions.pending_scoring.due_at, EXCLUDED.due_at)`,
      [workspaceId, contactId, dueAt],
    );
  }

  /**
   * Batch scoring: every contact of the workspace (everyone in the activity log, including contacts whose
   * first scoring is in flight right now) becomes due at `dueAt`, or stays due earlier.
   */
  async scheduleWorkspace(manager: EntityManager, workspaceId: string, dueAt: Date): Promise<number> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO predictions.pending_scoring (workspace_id, contact_id, due_at)
       SELECT DISTINCT workspace_id, contact_id, $2::timestamptz FROM predictions.activity WHERE workspace_id = $1
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET due_at = LEAST(predictions.pending_scoring.due_at, EXCLUDED.due_at)
       RETURNING contact_id`,
      [workspaceId, dueAt],
    );
    return rows.length;
  }

  /** Locks up to `limit` due contacts for this transaction; other replicas skip them. */
  async claimDue(
    manager: EntityManager,
    now: Date,
    limit: number,
  ): Promise<{ workspaceId: string; contactId: string }[]> {
    const rows: { workspace_id: string; contact_id: string }[] = await manager.query(
      `SELECT workspace_id, contact_id FROM predictions.pending_scoring WHERE due_at <= $1
       ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((row) => ({ workspaceId: row.workspace_id, contactId: row.contact_id }));
  }

  async remove(manager: EntityManager, workspaceId: string, contactIds: readonly string[]): Promise<void> {
    await manager.query(`DELETE FROM predictions.pending_scoring WHERE workspace_id = $1 AND contact_id = ANY($2)`, [
      workspaceId,
      contactIds,
    ]);
  }
}

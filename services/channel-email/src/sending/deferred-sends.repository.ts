import type { EntityManager } from "typeorm";
import { returnedRows } from "@cascade/compliance";

export interface DeferredSend {
  workspaceId: string;
  idempotencyKey: string;
  contactId: string;
  dueAt: Date;
  reason: string;
  request: Uint8Array;
}

/** channel_email.deferred_sends: sends waiting for a time (quiet hours end, provider back, best send time). */
export class DeferredSendsRepository {
  async schedule(manager: EntityManager, send: DeferredSend): Promise<void> {
    await manager.query(
      `INSERT INTO channel_email.deferred_sends (workspace_id, idempotency_key, contact_id, due_at, reason, request) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, idempotency_key) DO UPDATE SET due_at = EXCLUDED.due_at, reason = EXCLUDED.reason`,
      [send.workspaceId, send.idempotencyKey, send.contactId, send.dueAt, send.reason, Buffer.from(send.request)],
    );
  }

  /**
   * Claims due sends: pushes their due time out by `leaseMs` so no other replica takes them meanwhile.
   * The send removes the row when it completes; after a crash the lease runs out and the row is claimed again.
   */
  async claimDue(manager: EntityManager, now: Date, leaseMs: number, limit: number): Promise<DeferredSend[]> {
    const rows = returnedRows<{
      workspace_id: string;
      idempotency_key: string;
      contact_id: string;
      due_at: Date;
      reason: string;
      request: Buffer;
    }>(
      await manager.query(
        `UPDATE channel_email.deferred_sends d SET due_at = $2
       FROM (SELECT workspace_id, idempotency_key FROM channel_email.deferred_sends WHERE due_at <= $1 ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
       WHERE d.workspace_id = due.workspace_id AND d.idempotency_key = due.idempotency_key
       RETURNING d.*`,
        [now, new Date(now.getTime() + leaseMs), limit],
      ),
    );
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      idempotencyKey: row.idempotency_key,
      contactId: row.contact_id,
      dueAt: new Date(row.due_at),
      reason: row.reason,
      request: new Uint8Array(row.request),
    }));
  }

  async remove(manager: EntityManager, workspaceId: string, idempotencyKey: string): Promise<void> {
    await manager.query(`DELETE FROM channel_email.deferred_sends WHERE workspace_id = $1 AND idempotency_key = $2`, [
      workspaceId,
      idempotencyKey,
    ]);
  }

  async deleteContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM channel_email.deferred_sends WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}

import { returnedRows } from "@cascade/compliance";
import type { EntityManager } from "typeorm";
import type { PushReference } from "../sending/push-outcomes.js";

/** One sent push and how far the recipient went with it. */
export interface PushEngagementRecord {
  workspaceId: string;
  idempotencyKey: string;
  contactId: string;
  runId: string;
  nodeId: string;
  workflowId: string;
  sentAt: Date;
  deliveredAt: Date | null;
  openedAt: Date | null;
  openedAnonymousId: string | null;
  openedUserId: string | null;
  convertedAt: Date | null;
}

interface EngagementRow {
  workspace_id: string;
  idempotency_key: string;
  contact_id: string;
  run_id: string;
  node_id: string;
  workflow_id: string;
  sent_at: Date;
  delivered_at: Date | null;
  opened_at: Date | null;
  opened_anonymous_id: string | null;
  opened_user_id: string | null;
  converted_at: Date | null;
}

const toRecord = (row: EngagementRow): PushEngagementRecord => ({
  workspaceId: row.workspace_id,
  idempotencyKey: row.idempotency_key,
  contactId: row.contact_id,
  runId: row.run_id,
  nodeId: row.node_id,
  workflowId: row.workflow_id,
  sentAt: new Date(row.sent_at),
  deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
  openedAt: row.opened_at ? new Date(row.opened_at) : null,
  openedAnonymousId: row.opened_anonymous_id,
  openedUserId: row.opened_user_id,
  convertedAt: row.converted_at ? new Date(row.converted_at) : null,
});

const first = (rows: unknown): PushEngagementRecord | undefined => {
  const row = returnedRows(rows)[0] as EngagementRow | undefined;
  return row ? toRecord(row) : undefined;
};

/** channel_push.push_engagements. Every method takes the caller's transaction manager. */
export class PushEngagementRepository {
  /** The push went out (SENT); a redelivered send keeps the first row. */
  async recordSent(manager: EntityManager, reference: PushReference, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO channel_push.push_engagements (workspace_id, idempotency_key, contact_id, run_id, node_id, workflow_id, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        reference.workspaceId,
        reference.idempotencyKey,
        reference.contactId,
        reference.runId ?? "",
        reference.nodeId ?? "",
        reference.workflowId ?? "",
        at,
      ],
    );
  }

  /** Records the delivery if it is the first; the updated row, or undefined (unknown push or already delivered). */
  async markDelivered(
    manager: EntityManager,
    workspaceId: string,
    idempotencyKey: string,
    at: Date,
  ): Promise<PushEngagementRecord | undefined> {
    return first(
      await manager.query(
        `UPDATE channel_push.push_engagements SET delivered_at = $3
         WHERE workspace_id = $1 AND idempotency_key = $2 AND delivered_at IS NULL RETURNING *`,
        [workspaceId, idempotencyKey, at],
      ),
    );
  }

  /** Records the open if it is the first (an open also implies the delivery); the row, or undefined. */
  async markOpened(
    manager: EntityManager,
    workspaceId: string,
    idempotencyKey: string,
    at: Date,
    browser: { anonymousId?: string; userId?: string },
  ): Promise<PushEngagementRecord | undefined> {
    return first(
      await manager.query(
        `UPDATE channel_push.push_engagements
         SET opened_at = $3, delivered_at = COALESCE(delivered_at, $3), opened_anonymous_id = $4, opened_user_id = $5
         WHERE workspace_id = $1 AND idempotency_key = $2 AND opened_at IS NULL RETURNING *`,
        [workspaceId, idempotencyKey, at, browser.anonymousId || null, browser.userId || null],
      ),
    );
  }

  /**
   * The push a conversion at `at` is credited to, locked: the push named by the landing parameter if it was
   * sent (opened or not) within the window before `at`; else the person's most recent opened push within the
   * window (the person: any of `ids` equal to the push's contact or the ids of the browser that opened it).
   * Pushes already converted are not candidates.
   */
  async findConversionTarget(
    manager: EntityManager,
    workspaceId: string,
    criteria: { landedKey?: string; ids: ReadonlyArray<string>; at: Date; windowMs: number },
  ): Promise<{ record: PushEngagementRecord; via: "landing_parameter" | "contact" } | undefined> {
    const since = new Date(criteria.at.getTime() - criteria.windowMs);
    if (criteria.landedKey) {
      const landed = first(
        await manager.query(
          `SELECT * FROM channel_push.push_engagements
           WHERE workspace_id = $1 AND idempotency_key = $2 AND converted_at IS NULL
             AND sent_at <= $3 AND COALESCE(opened_at, sent_at) > $4
           FOR UPDATE`,
          [workspaceId, criteria.landedKey, criteria.at, since],
        ),
      );
      if (landed) return { record: landed, via: "landing_parameter" };
    }
    if (criteria.ids.length === 0) return undefined;
    const opened = first(
      await manager.query(
        `SELECT * FROM channel_push.push_engagements
         WHERE workspace_id = $1 AND opened_at IS NOT NULL AND converted_at IS NULL
           AND opened_at <= $2 AND opened_at > $3
           AND (contact_id = ANY($4::text[]) OR opened_anonymous_id = ANY($4::text[]) OR opened_user_id = ANY($4::text[]))
         ORDER BY opened_at DESC LIMIT 1 FOR UPDATE`,
        [workspaceId, criteria.at, since, [...criteria.ids]],
      ),
    );
    return opened ? { record: opened, via: "contact" } : undefined;
  }

  async markConverted(manager: EntityManager, workspaceId: string, idempotencyKey: string, at: Date): Promise<boolean> {
    const rows = await manager.query(
      `UPDATE channel_push.push_engagements SET converted_at = $3
       WHERE workspace_id = $1 AND idempotency_key = $2 AND converted_at IS NULL RETURNING idempotency_key`,
      [workspaceId, idempotencyKey, at],
    );
    return returnedRows(rows).length === 1;
  }

  async removeContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(
      `DELETE FROM channel_push.push_engagements
       WHERE workspace_id = $1 AND (contact_id = $2 OR opened_anonymous_id = $2 OR opened_user_id = $2)`,
      [workspaceId, contactId],
    );
  }
}

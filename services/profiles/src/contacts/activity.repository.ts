import type { EntityManager } from "typeorm";
import type { JsonObject } from "@cascade/contracts";

/** Recent events kept per contact; older ones are trimmed (counters keep the totals). */
export const HISTORY_LIMIT = 200;

export interface EventCounter {
  event: string;
  count: number;
  lastAt: Date;
}

export interface HistoryEntry {
  messageId: string;
  event: string;
  occurredAt: Date;
  properties: JsonObject;
}

/** profiles.event_counters (totals per event name) and profiles.contact_events (bounded recent history). */
export class ActivityRepository {
  async record(
    manager: EntityManager,
    entry: {
      workspaceId: string;
      contactId: string;
      messageId: string;
      event: string;
      occurredAt: Date;
      properties: JsonObject;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO profiles.event_counters (workspace_id, contact_id, event_name, count, last_at) VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (workspace_id, contact_id, event_name) DO UPDATE SET
         count = profiles.event_counters.count + 1, last_at = GREATEST(profiles.event_counters.last_at, EXCLUDED.last_at)`,
      [entry.workspaceId, entry.contactId, entry.event, entry.occurredAt],
    );
    await manager.query(
      `INSERT INTO profiles.contact_events (workspace_id, message_id, contact_id, event_name, occurred_at, properties)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT DO NOTHING`,
      [
        entry.workspaceId,
        entry.messageId,
        entry.contactId,
        entry.event,
        entry.occurredAt,
        JSON.stringify(entry.properties),
      ],
    );
  }

  /** Keeps the HISTORY_LIMIT most recent events of the contact. */
  async trimHistory(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(
      `DELETE FROM profiles.contact_events WHERE workspace_id = $1 AND message_id IN (
         SELECT message_id FROM profiles.contact_events WHERE workspace_id = $1 AND contact_id = $2
         ORDER BY occurred_at DESC, message_id DESC OFFSET $3)`,
      [workspaceId, contactId, HISTORY_LIMIT],
    );
  }

  async counters(manager: EntityManager, workspaceId: string, contactId: string): Promise<EventCounter[]> {
    const rows = (await manager.query(
      `SELECT event_name, count, last_at FROM profiles.event_counters WHERE workspace_id = $1 AND contact_id = $2 ORDER BY event_name`,
      [workspaceId, contactId],
    )) as Array<{ event_name: string; count: string | number; last_at: Date | string }>;
    return rows.map((row) => ({ event: row.event_name, count: Number(row.count), lastAt: new Date(row.last_at) }));
  }

  async history(manager: EntityManager, workspaceId: string, contactId: string): Promise<HistoryEntry[]> {
    const rows = (await manager.query(
      `SELECT message_id, event_name, occurred_at, properties FROM profiles.contact_events
       WHERE workspace_id = $1 AND contact_id = $2 ORDER BY occurred_at DESC, message_id DESC`,
      [workspaceId, contactId],
    )) as Array<{ message_id: string; event_name: string; occurred_at: Date | string; properties: JsonObject }>;
    return rows.map((row) => ({
      messageId: row.message_id,
      event: row.event_name,
      occurredAt: new Date(row.occurred_at),
      properties: row.properties,
    }));
  }

  /** Moves counters (adding them up) and history from `from` to `to` (a merge). */
  async moveAll(manager: EntityManager, workspaceId: string, from: string, to: string): Promise<void> {
    await manager.query(
      `INSERT INTO profiles.event_counters (workspace_id, contact_id, event_name, count, last_at)
       SELECT workspace_id, $3, event_name, count, last_at FROM profiles.event_counters WHERE workspace_id = $1 AND contact_id = $2
       ON CONFLICT (workspace_id, contact_id, event_name) DO UPDATE SET
         count = profiles.event_counters.count + EXCLUDED.count, last_at = GREATEST(profiles.event_counters.last_at, EXCLUDED.last_at)`,
      [workspaceId, from, to],
    );
    await manager.query(`DELETE FROM profiles.event_counters WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      from,
    ]);
    await manager.query(
      `UPDATE profiles.contact_events SET contact_id = $3 WHERE workspace_id = $1 AND contact_id = $2`,
      [workspaceId, from, to],
    );
  }

  async deleteAll(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM profiles.event_counters WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
    await manager.query(`DELETE FROM profiles.contact_events WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}

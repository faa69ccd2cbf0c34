import type { EntityManager } from "typeorm";

export interface ContactActivity {
  workspaceId: string;
  contactId: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  eventCount: number;
  lastEvent: string | null;
}

interface ContactRow {
  workspace_id: string;
  contact_id: string;
  first_seen_at: Date;
  last_seen_at: Date;
  event_count: string;
  last_event: string | null;
}

/** profiles.contacts: one row per contact with its activity counters. */
export class ContactActivityRepository {
  async recordEvent(manager: EntityManager, activity: { workspaceId: string; contactId: string; at: Date; event: string }): Promise<void> {
    await manager.query(
      `INSERT INTO profiles.contacts (workspace_id, contact_id, first_seen_at, last_seen_at, event_count, last_event)
       VALUES ($1, $2, $3, $3, 1, $4)
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET
         first_seen_at = LEAST(profiles.contacts.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = GREATEST(profiles.contacts.last_seen_at, EXCLUDED.last_seen_at),
         event_count = profiles.contacts.event_count + 1,
         last_event = EXCLUDED.last_event`,
      [activity.workspaceId, activity.contactId, activity.at, activity.event],
    );
  }

  async find(manager: EntityManager, workspaceId: string, contactId: string): Promise<ContactActivity | undefined> {
    const rows = (await manager.query(`SELECT * FROM profiles.contacts WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ])) as ContactRow[];
    const row = rows[0];
    if (!row) return undefined;
    return {
      workspaceId: row.workspace_id,
      contactId: row.contact_id,
      firstSeenAt: row.first_seen_at,
      lastSeenAt: row.last_seen_at,
      eventCount: Number(row.event_count),
      lastEvent: row.last_event,
    };
  }
}

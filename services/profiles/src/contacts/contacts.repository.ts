import type { EntityManager } from "typeorm";
import type { JsonObject } from "@cascade/contracts";
import type { ContactRecord } from "./contact.js";

interface ContactRow {
  workspace_id: string;
  contact_id: string;
  user_id: string | null;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  event_count: string | number;
  last_event: string | null;
  traits: JsonObject;
  lead_score: number;
  engagement_mass: number;
  engagement_at: Date | string | null;
  merged_from: string[];
}

/** profiles.contacts: one row per contact with its counters, traits and scores. */
export class ContactsRepository {
  /** The contact, locked for update until the transaction ends (so concurrent merges and events serialize). */
  async lock(manager: EntityManager, workspaceId: string, contactId: string): Promise<ContactRecord | undefined> {
    const rows = (await manager.query(
      `SELECT * FROM profiles.contacts WHERE workspace_id = $1 AND contact_id = $2 FOR UPDATE`,
      [workspaceId, contactId],
    )) as ContactRow[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async find(manager: EntityManager, workspaceId: string, contactId: string): Promise<ContactRecord | undefined> {
    const rows = (await manager.query(`SELECT * FROM profiles.contacts WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ])) as ContactRow[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Inserts or overwrites the whole row. */
  async save(manager: EntityManager, contact: ContactRecord): Promise<void> {
    await manager.query(
      `INSERT INTO profiles.contacts (workspace_id, contact_id, user_id, first_seen_at, last_seen_at, event_count, last_event,
                                      traits, lead_score, engagement_mass, engagement_at, merged_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12::jsonb)
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET
         user_id = EXCLUDED.user_id, first_seen_at = EXCLUDED.first_seen_at, last_seen_at = EXCLUDED.last_seen_at,
         event_count = EXCLUDED.event_count, last_event = EXCLUDED.last_event, traits = EXCLUDED.traits,
         lead_score = EXCLUDED.lead_score, engagement_mass = EXCLUDED.engagement_mass,
         engagement_at = EXCLUDED.engagement_at, merged_from = EXCLUDED.merged_from`,
      [
        contact.workspaceId,
        contact.contactId,
        contact.userId,
        contact.firstSeenAt,
        contact.lastSeenAt,
        contact.eventCount,
        contact.lastEvent,
        JSON.stringify(contact.traits),
        contact.leadScore,
        contact.engagement.mass,
        contact.engagement.at,
        JSON.stringify(contact.mergedFrom),
      ],
    );
  }

  async delete(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM profiles.contacts WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}

function toRecord(row: ContactRow): ContactRecord {
  return {
    workspaceId: row.workspace_id,
    contactId: row.contact_id,
    userId: row.user_id,
    firstSeenAt: new Date(row.first_seen_at),
    lastSeenAt: new Date(row.last_seen_at),
    eventCount: Number(row.event_count),
    lastEvent: row.last_event,
    traits: row.traits ?? {},
    leadScore: Number(row.lead_score),
    engagement: {
      mass: Number(row.engagement_mass),
      at: row.engagement_at === null ? null : new Date(row.engagement_at),
    },
    mergedFrom: row.merged_from ?? [],
  };
}

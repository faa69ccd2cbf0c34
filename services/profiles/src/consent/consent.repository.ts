import type { EntityManager } from "typeorm";
import type { ChannelConsentRecord, ConsentChannel, ConsentState } from "./consent.js";

export interface ConsentEvidence {
  channel: ConsentChannel;
  status: ConsentState;
  source: string;
  occurredAt: Date;
  messageId: string;
  event: string;
  recordedAt: Date;
}

interface ConsentRow {
  channel: ConsentChannel;
  status: ConsentState;
  source: string;
  updated_at: Date | string;
  message_id: string;
}

/** profiles.consents (current consent per channel) and profiles.consent_evidence (every statement received). */
export class ConsentRepository {
  async current(manager: EntityManager, workspaceId: string, contactId: string): Promise<ChannelConsentRecord[]> {
    const rows = (await manager.query(
      `SELECT channel, status, source, updated_at, message_id FROM profiles.consents WHERE workspace_id = $1 AND contact_id = $2 ORDER BY channel`,
      [workspaceId, contactId],
    )) as ConsentRow[];
    return rows.map((row) => ({
      channel: row.channel,
      status: row.status,
      source: row.source,
      updatedAt: new Date(row.updated_at),
      messageId: row.message_id,
    }));
  }

  async set(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    consent: ChannelConsentRecord,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO profiles.consents (workspace_id, contact_id, channel, status, source, updated_at, message_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id, contact_id, channel) DO UPDATE SET
         status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at, message_id = EXCLUDED.message_id`,
      [workspaceId, contactId, consent.channel, consent.status, consent.source, consent.updatedAt, consent.messageId],
    );
  }

  async addEvidence(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    evidence: Omit<ConsentEvidence, "recordedAt">,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO profiles.consent_evidence (workspace_id, contact_id, channel, status, source, occurred_at, message_id, event_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        workspaceId,
        contactId,
        evidence.channel,
        evidence.status,
        evidence.source,
        evidence.occurredAt,
        evidence.messageId,
        evidence.event,
      ],
    );
  }

  async evidence(manager: EntityManager, workspaceId: string, contactId: string): Promise<ConsentEvidence[]> {
    const rows = (await manager.query(
      `SELECT channel, status, source, occurred_at, message_id, event_name, recorded_at FROM profiles.consent_evidence
       WHERE workspace_id = $1 AND contact_id = $2 ORDER BY occurred_at, id`,
      [workspaceId, contactId],
    )) as Array<{
      channel: ConsentChannel;
      status: ConsentState;
      source: string;
      occurred_at: Date | string;
      message_id: string;
      event_name: string;
      recorded_at: Date | string;
    }>;
    return rows.map((row) => ({
      channel: row.channel,
      status: row.status,
      source: row.source,
      occurredAt: new Date(row.occurred_at),
      messageId: row.message_id,
      event: row.event_name,
      recordedAt: new Date(row.recorded_at),
    }));
  }

  /** Moves consent from `from` to `to` (a merge): per channel the later statement wins; evidence moves whole. */
  async moveAll(manager: EntityManager, workspaceId: string, from: string, to: string): Promise<void> {
    await manager.query(
      `INSERT INTO profiles.consents (workspace_id, contact_id, channel, status, source, updated_at, message_id)
       SELECT workspace_id, $3, channel, status, source, updated_at, message_id FROM profiles.consents WHERE workspace_id = $1 AND contact_id = $2
       ON CONFLICT (workspace_id, contact_id, channel) DO UPDATE SET
         status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at, message_id = EXCLUDED.message_id
       WHERE profiles.consents.updated_at < EXCLUDED.updated_at`,
      [workspaceId, from, to],
    );
    await manager.query(`DELETE FROM profiles.consents WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      from,
    ]);
    await manager.query(
      `UPDATE profiles.consent_evidence SET contact_id = $3 WHERE workspace_id = $1 AND contact_id = $2`,
      [workspaceId, from, to],
    );
  }

  async deleteAll(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM profiles.consents WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
    await manager.query(`DELETE FROM profiles.consent_evidence WHERE workspace_id = $1 AND contact_id = $2`, [
      workspaceId,
      contactId,
    ]);
  }
}

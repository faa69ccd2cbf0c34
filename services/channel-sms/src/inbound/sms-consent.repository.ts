import type { EntityManager } from "typeorm";
import { SMS_SCHEMA } from "../sms.config.js";

export type SmsConsentStatus = "opted_in" | "opted_out";

export interface SmsConsent {
  workspaceId: string;
  phone: string;
  contactId: string;
  status: SmsConsentStatus;
  /** Where it came from: "keyword:STOP", "keyword:START", "request", "provider:twilio_21610". */
  source: string;
  evidence: Record<string, unknown>;
  updatedAt: Date;
}

interface ConsentRow {
  workspace_id: string;
  phone: string;
  contact_id: string;
  status: SmsConsentStatus;
  source: string;
  evidence: Record<string, unknown>;
  updated_at: Date;
}

const TABLE = `${SMS_SCHEMA}.sms_consents`;

/** channel_sms.sms_consents: the latest opt-in / opt-out of each phone number, with its evidence (TCPA). */
export class SmsConsentRepository {
  async find(manager: EntityManager, workspaceId: string, phone: string): Promise<SmsConsent | undefined> {
    const rows = (await manager.query(`SELECT * FROM ${TABLE} WHERE workspace_id = $1 AND phone = $2`, [
      workspaceId,
      phone,
    ])) as ConsentRow[];
    const row = rows[0];
    return (
      row && {
        workspaceId: row.workspace_id,
        phone: row.phone,
        contactId: row.contact_id,
        status: row.status,
        source: row.source,
        evidence: row.evidence,
        updatedAt: row.updated_at,
      }
    );
  }

  /** Records a consent change unless a newer one is already recorded (events may arrive out of order). */
  async record(manager: EntityManager, consent: SmsConsent): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO ${TABLE} (workspace_id, phone, contact_id, status, source, evidence, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT (workspace_id, phone) DO UPDATE SET
         contact_id = CASE WHEN EXCLUDED.contact_id = '' THEN ${TABLE}.contact_id ELSE EXCLUDED.contact_id END,
         status = EXCLUDED.status, source = EXCLUDED.source, evidence = EXCLUDED.evidence, updated_at = EXCLUDED.updated_at
       WHERE ${TABLE}.updated_at <= EXCLUDED.updated_at
       RETURNING phone`,
      [
        consent.workspaceId,
        consent.phone,
        consent.contactId,
        consent.status,
        consent.source,
        JSON.stringify(consent.evidence),
        consent.updatedAt,
      ],
    );
    return rows.length === 1;
  }

  /** Right to erasure: opt-ins go; opt-outs stay as a suppression (the number must never be texted again) but lose the contact and evidence. */
  async eraseContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<void> {
    await manager.query(`DELETE FROM ${TABLE} WHERE workspace_id = $1 AND contact_id = $2 AND status = 'opted_in'`, [
      workspaceId,
      contactId,
    ]);
    await manager.query(
      `UPDATE ${TABLE} SET contact_id = '', evidence = '{}'::jsonb WHERE workspace_id = $1 AND contact_id = $2`,
      [workspaceId, contactId],
    );
  }
}

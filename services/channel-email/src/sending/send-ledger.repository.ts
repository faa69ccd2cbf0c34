import type { EntityManager } from "typeorm";
import { returnedRows } from "@cascade/compliance";

/**
 * received → sending → sent | failed | deferred | skipped | unknown.
 * `sending` is committed BEFORE the provider call; a row left there by a crash is reconciled.
 * `unknown`: in flight at a crash, and the provider cannot be asked; surfaced, never resent.
 */
export type SendState = "sending" | "sent" | "failed" | "deferred" | "skipped" | "unknown";

export interface SendRecord {
  workspaceId: string;
  idempotencyKey: string;
  contactId: string;
  email: string;
  category: string;
  state: SendState;
  reason: string | null;
  provider: string | null;
  providerMessageId: string | null;
  variantId: string | null;
  runId: string | null;
  nodeId: string | null;
  workflowId: string | null;
  /** Domain of the From address (deliverability per sending domain). */
  sendingDomain: string | null;
  attempts: number;
  request: Uint8Array;
  updatedAt: Date;
}

interface LedgerRow {
  workspace_id: string;
  idempotency_key: string;
  contact_id: string;
  email: string;
  category: string;
  state: SendState;
  reason: string | null;
  provider: string | null;
  provider_message_id: string | null;
  variant_id: string | null;
  run_id: string | null;
  node_id: string | null;
  workflow_id: string | null;
  sending_domain: string | null;
  attempts: number;
  request: Buffer;
  updated_at: Date;
}

const toRecord = (row: LedgerRow): SendRecord => ({
  workspaceId: row.workspace_id,
  idempotencyKey: row.idempotency_key,
  contactId: row.contact_id,
  email: row.email,
  category: row.category,
  state: row.state,
  reason: row.reason,
  provider: row.provider,
  providerMessageId: row.provider_message_id,
  variantId: row.variant_id,
  runId: row.run_id,
  nodeId: row.node_id,
  workflowId: row.workflow_id,
  sendingDomain: row.sending_domain,
  attempts: Number(row.attempts),
  request: new Uint8Array(row.request),
  updatedAt: new Date(row.updated_at),
});

export type NewSend = Omit<SendRecord, "updatedAt" | "providerMessageId" | "reason" | "attempts"> & {
  reason?: string | null;
};

/** Provider-feedback columns set from callbacks. */
export type FeedbackColumn =
  "delivered_at" | "opened_at" | "clicked_at" | "bounced_at" | "complained_at" | "unsubscribed_at";

/** channel_email.send_ledger, keyed by (workspace, idempotency key). */
export class SendLedgerRepository {
  async find(
    manager: EntityManager,
    workspaceId: string,
    idempotencyKey: string,
    forUpdate = false,
  ): Promise<SendRecord | undefined> {
    const rows = (await manager.query(
      `SELECT * FROM channel_email.send_ledger WHERE workspace_id = $1 AND idempotency_key = $2${forUpdate ? " FOR UPDATE" : ""}`,
      [workspaceId, idempotencyKey],
    )) as LedgerRow[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async findByProviderMessageId(
    manager: EntityManager,
    workspaceId: string,
    providerMessageId: string,
  ): Promise<SendRecord | undefined> {
    const rows = (await manager.query(
      `SELECT * FROM channel_email.send_ledger WHERE provider_message_id = $1 AND workspace_id = $2 LIMIT 1`,
      [providerMessageId.replace(/^<|>$/g, ""), workspaceId],
    )) as LedgerRow[];
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Inserts or moves the send to `state` (attempts + 1 when it becomes `sending`). */
  async upsert(manager: EntityManager, send: NewSend, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO channel_email.send_ledger (workspace_id, idempotency_key, contact_id, email, email_domain, category, state, reason, provider,
         variant_id, run_id, node_id, workflow_id, attempts, request, created_at, updated_at, sending_domain)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, CASE WHEN $7 = 'sending' THEN 1 ELSE 0 END, $14, $15, $15, $16)
       ON CONFLICT (workspace_id, idempotency_key) DO UPDATE SET
         state = EXCLUDED.state, reason = EXCLUDED.reason, provider = COALESCE(EXCLUDED.provider, channel_email.send_ledger.provider),
         variant_id = EXCLUDED.variant_id, updated_at = EXCLUDED.updated_at, sending_domain = EXCLUDED.sending_domain,
         attempts = channel_email.send_ledger.attempts + CASE WHEN EXCLUDED.state = 'sending' THEN 1 ELSE 0 END`,
      [
        send.workspaceId,
        send.idempotencyKey,
        send.contactId,
        send.email,
        send.email.split("@")[1] ?? "",
        send.category,
        send.state,
        send.reason ?? null,
        send.provider,
        send.variantId,
        send.runId,
        send.nodeId,
        send.workflowId,
        Buffer.from(send.request),
        at,
        send.sendingDomain,
      ],
    );
  }

  async markSent(
    manager: EntityManager,
    workspaceId: string,
    key: string,
    provider: string,
    providerMessageId: string,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE channel_email.send_ledger SET state = 'sent', reason = NULL, provider = $3, provider_message_id = $4, sent_at = $5, updated_at = $5
       WHERE workspace_id = $1 AND idempotency_key = $2`,
      [workspaceId, key, provider, providerMessageId, at],
    );
  }

  async markState(
    manager: EntityManager,
    workspaceId: string,
    key: string,
    state: SendState,
    reason: string | null,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE channel_email.send_ledger SET state = $3, reason = $4, updated_at = $5 WHERE workspace_id = $1 AND idempotency_key = $2`,
      [workspaceId, key, state, reason, at],
    );
  }

  async setProvider(manager: EntityManager, workspaceId: string, key: string, provider: string): Promise<void> {
    await manager.query(
      `UPDATE channel_email.send_ledger SET provider = $3 WHERE workspace_id = $1 AND idempotency_key = $2`,
      [workspaceId, key, provider],
    );
  }

  /** Marketing sends to the contact since `since` that count against the frequency cap. */
  async countMarketingSince(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    since: Date,
  ): Promise<number> {
    const rows = (await manager.query(
      `SELECT count(*)::int AS n FROM channel_email.send_ledger
       WHERE workspace_id = $1 AND contact_id = $2 AND category = 'marketing' AND state IN ('sending', 'sent', 'unknown') AND updated_at >= $3`,
      [workspaceId, contactId, since],
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }

  /** Records a provider callback on the send (first time only). */
  async recordFeedback(
    manager: EntityManager,
    workspaceId: string,
    key: string,
    column: FeedbackColumn,
    at: Date,
    bounceType?: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE channel_email.send_ledger SET ${column} = COALESCE(${column}, $3)${bounceType ? ", bounce_type = $4" : ""} WHERE workspace_id = $1 AND idempotency_key = $2`,
      bounceType ? [workspaceId, key, at, bounceType] : [workspaceId, key, at],
    );
  }

  /** Sends still `sending` since before `before` (left in flight by a crash). */
  async stuckSending(manager: EntityManager, before: Date, limit: number): Promise<SendRecord[]> {
    const rows = (await manager.query(
      `SELECT * FROM channel_email.send_ledger WHERE state = 'sending' AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [before, limit],
    )) as LedgerRow[];
    return rows.map(toRecord);
  }

  async listByState(
    manager: EntityManager,
    workspaceId: string,
    state: SendState,
    limit: number,
  ): Promise<SendRecord[]> {
    const rows = (await manager.query(
      `SELECT * FROM channel_email.send_ledger WHERE workspace_id = $1 AND state = $2 ORDER BY updated_at DESC LIMIT $3`,
      [workspaceId, state, limit],
    )) as LedgerRow[];
    return rows.map(toRecord);
  }

  async deleteContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<string[]> {
    const rows = returnedRows<{ email: string }>(
      await manager.query(
        `DELETE FROM channel_email.send_ledger WHERE workspace_id = $1 AND contact_id = $2 RETURNING email`,
        [workspaceId, contactId],
      ),
    );
    return [...new Set(rows.map((row) => row.email))];
  }
}

import { quoteSchema } from "@cascade/db";
import type { EntityManager, MigrationInterface, QueryRunner } from "typeorm";
import { returnedRows } from "./returned-rows.js";

/**
 * Where a send stands. `sending` is written and COMMITTED before the provider is called, so a crash leaves
 * a trace; such a row is later reconciled to `unknown` (never resent blindly).
 */
export type SendState = "deferred" | "sending" | "sent" | "delivered" | "failed" | "skipped" | "unknown";

/** States that count as "a message went (or may have gone) out" for frequency caps. */
export const COUNTED_SEND_STATES: ReadonlyArray<SendState> = ["sending", "sent", "delivered", "unknown"];

export interface SendLedgerEntry {
  workspaceId: string;
  idempotencyKey: string;
  contactId: string;
  /** Free text, e.g. "marketing"; frequency caps can count one category only. */
  category: string;
  state: SendState;
  provider: string | null;
  providerMessageId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  /** When the provider was (about to be) called. */
  sentAt: Date | null;
}

interface LedgerRow {
  workspace_id: string;
  idempotency_key: string;
  contact_id: string;
  category: string;
  state: SendState;
  provider: string | null;
  provider_message_id: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

export interface LedgerUpdate {
  provider?: string | null;
  providerMessageId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
  sentAt?: Date | null;
}

/**
 * The send ledger of one service schema (`<schema>.send_ledger`), one row per (workspace, idempotency key).
 * Every method takes the caller's transaction manager.
 */
export class SendLedger {
  readonly table: string;

  constructor(readonly schema: string) {
    this.table = `${quoteSchema(schema)}.send_ledger`;
  }

  async find(
    manager: EntityManager,
    workspaceId: string,
    idempotencyKey: string,
    options: { lock?: boolean } = {},
  ): Promise<SendLedgerEntry | undefined> {
    const rows = (await manager.query(
      `SELECT * FROM ${this.table} WHERE workspace_id = $1 AND idempotency_key = $2${options.lock ? " FOR UPDATE" : ""}`,
      [workspaceId, idempotencyKey],
    )) as LedgerRow[];
    return rows[0] ? toEntry(rows[0]) : undefined;
  }

  async findByProviderMessageId(
    manager: EntityManager,
    workspaceId: string,
    providerMessageId: string,
  ): Promise<SendLedgerEntry | undefined> {
    const rows = (await manager.query(
      `SELECT * FROM ${this.table} WHERE workspace_id = $1 AND provider_message_id = $2 LIMIT 1 FOR UPDATE`,
      [workspaceId, providerMessageId],
    )) as LedgerRow[];
    return rows[0] ? toEntry(rows[0]) : undefined;
  }

  /**
   * Records a new key in `state`; false when the key is already known (a redelivery: do not send again).
   * A concurrent claim of the same key waits for the first transaction, then gets false.
   */
  async claim(
    manager: EntityManager,
    entry: {
      workspaceId: string;
      idempotencyKey: string;
      contactId: string;
      category: string;
      state: SendState;
      at: Date;
    } & LedgerUpdate,
  ): Promise<boolean> {
    if (!entry.idempotencyKey) throw new Error("idempotencyKey: must not be empty");
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${this.table}
         (workspace_id, idempotency_key, contact_id, category, state, provider, provider_message_id, reason, details, created_at, updated_at, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $10, $11)
       ON CONFLICT DO NOTHING RETURNING idempotency_key`,
      [
        entry.workspaceId,
        entry.idempotencyKey,
        entry.contactId,
        entry.category,
        entry.state,
        entry.provider ?? null,
        entry.providerMessageId ?? null,
        entry.reason ?? null,
        JSON.stringify(entry.details ?? {}),
        entry.at,
        entry.sentAt ?? null,
      ],
    );
    return inserted.length === 1;
  }

  /**
   * Moves a key to `to` if it is in one of `from`; false otherwise (someone else moved it first).
   * Details are merged into the existing ones.
   */
  async transition(
    manager: EntityManager,
    key: { workspaceId: string; idempotencyKey: string },
    from: ReadonlyArray<SendState>,
    to: SendState,
    at: Date,
    update: LedgerUpdate = {},
  ): Promise<boolean> {
    const updated = returnedRows(
      await manager.query(
        `UPDATE ${this.table} SET state = $3, updated_at = $5,
         provider = COALESCE($6::text, provider),
         provider_message_id = COALESCE($7::text, provider_message_id),
         reason = CASE WHEN $8::boolean THEN $9::text ELSE reason END,
         details = details || $10::jsonb,
         sent_at = COALESCE($11::timestamptz, sent_at)
       WHERE workspace_id = $1 AND idempotency_key = $2 AND state = ANY($4::text[])
       RETURNING idempotency_key`,
        [
          key.workspaceId,
          key.idempotencyKey,
          to,
          [...from],
          at,
          update.provider ?? null,
          update.providerMessageId ?? null,
          update.reason !== undefined,
          update.reason ?? null,
          JSON.stringify(update.details ?? {}),
          update.sentAt ?? null,
        ],
      ),
    );
    return updated.length === 1;
  }

  /** Removes a claim that provably never reached the provider, so a retry may send it. */
  async release(
    manager: EntityManager,
    key: { workspaceId: string; idempotencyKey: string },
    state: SendState,
  ): Promise<void> {
    await manager.query(`DELETE FROM ${this.table} WHERE workspace_id = $1 AND idempotency_key = $2 AND state = $3`, [
      key.workspaceId,
      key.idempotencyKey,
      state,
    ]);
  }

  /** How many sends the contact got (or may have got) since `since`, optionally of one category only. */
  async countSentSince(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
    since: Date,
    category?: string,
  ): Promise<number> {
    const rows = (await manager.query(
      `SELECT count(*)::int AS n FROM ${this.table}
       WHERE workspace_id = $1 AND contact_id = $2 AND sent_at >= $3 AND state = ANY($4::text[]) AND ($5::text IS NULL OR category = $5)`,
      [workspaceId, contactId, since, [...COUNTED_SEND_STATES], category ?? null],
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }

  /**
   * Sends left `sending` since before `cutoff` (a crash between the claim and the outcome), locked for the
   * caller's transaction; other reconcilers skip them.
   */
  async lockStaleInFlight(manager: EntityManager, cutoff: Date, limit: number): Promise<SendLedgerEntry[]> {
    const rows = (await manager.query(
      `SELECT * FROM ${this.table} WHERE state = 'sending' AND updated_at < $1 ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [cutoff, limit],
    )) as LedgerRow[];
    return rows.map(toEntry);
  }

  /** Right to erasure: keeps the keys (so nothing is resent) but forgets who and what. */
  async eraseContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<number> {
    const rows = returnedRows(
      await manager.query(
        `UPDATE ${this.table} SET contact_id = '', details = '{}'::jsonb WHERE workspace_id = $1 AND contact_id = $2 RETURNING idempotency_key`,
        [workspaceId, contactId],
      ),
    );
    return rows.length;
  }
}

function toEntry(row: LedgerRow): SendLedgerEntry {
  return {
    workspaceId: row.workspace_id,
    idempotencyKey: row.idempotency_key,
    contactId: row.contact_id,
    category: row.category,
    state: row.state,
    provider: row.provider,
    providerMessageId: row.provider_message_id,
    reason: row.reason,
    details: row.details,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}

/** Migration creating `<schema>.send_ledger`; list it among the service's migrations. */
export function createSendLedgerMigration(schema: string): new () => MigrationInterface {
  const table = `${quoteSchema(schema)}.send_ledger`;
  return class CascadeSendLedger1764500000000 implements MigrationInterface {
    readonly name = "CascadeSendLedger1764500000000";

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE TABLE ${table} (
          workspace_id text NOT NULL,
          idempotency_key text NOT NULL,
          contact_id text NOT NULL,
          category text NOT NULL,
          state text NOT NULL CHECK (state IN ('deferred', 'sending', 'sent', 'delivered', 'failed', 'skipped', 'unknown')),
          provider text,
          provider_message_id text,
          reason text,
          details jsonb NOT NULL DEFAULT '{}'::jsonb,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          sent_at timestamptz,
          PRIMARY KEY (workspace_id, idempotency_key))`);
      await queryRunner.query(
        `CREATE INDEX send_ledger_contact_sent_idx ON ${table} (workspace_id, contact_id, sent_at)`,
      );
      await queryRunner.query(
        `CREATE INDEX send_ledger_in_flight_idx ON ${table} (updated_at) WHERE state = 'sending'`,
      );
      await queryRunner.query(
        `CREATE INDEX send_ledger_provider_id_idx ON ${table} (workspace_id, provider_message_id) WHERE provider_message_id IS NOT NULL`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
}

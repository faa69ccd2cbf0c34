import { quoteSchema } from "@cascade/db";
import type { EntityManager, MigrationInterface, QueryRunner } from "typeorm";
import { returnedRows } from "./returned-rows.js";

/** A request put aside until `dueAt` (quiet hours, a schedule); `payload` is the encoded request. */
export interface DeferredSend {
  workspaceId: string;
  idempotencyKey: string;
  contactId: string;
  dueAt: Date;
  reason: string;
  payload: Uint8Array;
}

interface DeferredRow {
  workspace_id: string;
  idempotency_key: string;
  contact_id: string;
  due_at: Date;
  reason: string;
  payload: Buffer;
}

/**
 * The durable table of deferred sends of one service schema (`<schema>.deferred_sends`). A poller lists due
 * rows and hands each back to the send path, which `remove`s it in the same transaction as its ledger change,
 * so a send is neither lost nor taken twice when several pollers run.
 */
export class DeferredSends {
  readonly table: string;

  constructor(readonly schema: string) {
    this.table = `${quoteSchema(schema)}.deferred_sends`;
  }

  async add(manager: EntityManager, send: DeferredSend): Promise<void> {
    await manager.query(
      `INSERT INTO ${this.table} (workspace_id, idempotency_key, contact_id, due_at, reason, payload)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, idempotency_key) DO UPDATE SET due_at = EXCLUDED.due_at, reason = EXCLUDED.reason`,
      [send.workspaceId, send.idempotencyKey, send.contactId, send.dueAt, send.reason, Buffer.from(send.payload)],
    );
  }

  /** Up to `limit` sends due at `now`, oldest first. Take one with `remove` in the transaction that acts on it. */
  async due(manager: EntityManager, now: Date, limit: number): Promise<DeferredSend[]> {
    const rows = (await manager.query(`SELECT * FROM ${this.table} WHERE due_at <= $1 ORDER BY due_at LIMIT $2`, [
      now,
      limit,
    ])) as DeferredRow[];
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      idempotencyKey: row.idempotency_key,
      contactId: row.contact_id,
      dueAt: row.due_at,
      reason: row.reason,
      payload: new Uint8Array(row.payload),
    }));
  }

  /** Takes a deferred send out; false when it is not there (another poller took it first). */
  async remove(manager: EntityManager, workspaceId: string, idempotencyKey: string): Promise<boolean> {
    const rows = returnedRows(
      await manager.query(
        `DELETE FROM ${this.table} WHERE workspace_id = $1 AND idempotency_key = $2 RETURNING idempotency_key`,
        [workspaceId, idempotencyKey],
      ),
    );
    return rows.length === 1;
  }

  async list(
    manager: EntityManager,
    workspaceId: string,
    contactId: string,
  ): Promise<Array<Omit<DeferredSend, "payload">>> {
    const rows = (await manager.query(
      `SELECT * FROM ${this.table} WHERE workspace_id = $1 AND contact_id = $2 ORDER BY due_at`,
      [workspaceId, contactId],
    )) as DeferredRow[];
    return rows.map((row) => ({
      workspaceId: row.workspace_id,
      idempotencyKey: row.idempotency_key,
      contactId: row.contact_id,
      dueAt: row.due_at,
      reason: row.reason,
    }));
  }

  /** Right to erasure: drops the contact's pending sends; returns their keys. */
  async removeContact(manager: EntityManager, workspaceId: string, contactId: string): Promise<string[]> {
    const rows = returnedRows<{ idempotency_key: string }>(
      await manager.query(
        `DELETE FROM ${this.table} WHERE workspace_id = $1 AND contact_id = $2 RETURNING idempotency_key`,
        [workspaceId, contactId],
      ),
    );
    return rows.map((row) => row.idempotency_key);
  }
}

/** Migration creating `<schema>.deferred_sends`. */
export function createDeferredSendsMigration(schema: string): new () => MigrationInterface {
  const table = `${quoteSchema(schema)}.deferred_sends`;
  return class CascadeDeferredSends1764500000001 implements MigrationInterface {
    readonly name = "CascadeDeferredSends1764500000001";

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE TABLE ${table} (
          workspace_id text NOT NULL,
          idempotency_key text NOT NULL,
          contact_id text NOT NULL,
          due_at timestamptz NOT NULL,
          reason text NOT NULL,
          payload bytea NOT NULL,
          PRIMARY KEY (workspace_id, idempotency_key))`);
      await queryRunner.query(`CREATE INDEX deferred_sends_due_idx ON ${table} (due_at)`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
}

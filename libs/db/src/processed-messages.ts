import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from "typeorm";
import type { MigrationClass } from "./migrations.js";
import { quoteSchema } from "./sql-identifier.js";

/**
 * The processed-messages ledger of one service schema (`<schema>.processed_messages`): which message
 * ids each consumer group has already handled. Recording an id in the same transaction as the state
 * change makes a redelivered message a no-op.
 */
export class ProcessedMessages {
  private readonly table: string;

  constructor(readonly schema: string) {
    this.table = `${quoteSchema(schema)}.processed_messages`;
  }

  /**
   * Records the message for the group; false when it was already recorded (a duplicate). Call it
   * inside the transaction of the state change. A concurrent delivery of the same id waits for the
   * first transaction and then gets false (or true if the first one rolled back).
   */
  async recordOnce(manager: EntityManager, group: string, messageId: string): Promise<boolean> {
    if (!group) throw new Error("group: must not be empty");
    if (!messageId) throw new Error("messageId: must not be empty");
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${this.table} (consumer_group, message_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING message_id`,
      [group, messageId],
    );
    return inserted.length === 1;
  }

  /** Deletes entries processed before `cutoff` (redeliveries older than that are no longer expected). */
  async purgeProcessedBefore(manager: EntityManager, cutoff: Date): Promise<number> {
    const deleted: unknown[] = await manager.query(
      `DELETE FROM ${this.table} WHERE processed_at < $1 RETURNING message_id`,
      [cutoff],
    );
    return deleted.length;
  }
}

export interface HandleOnceTarget {
  schema: string;
  /** Consumer group, by convention the service name. */
  group: string;
  /** The message's envelope id (`message-id` header). */
  messageId: string;
}

/**
 * Runs `work` exactly once per (group, message id): opens a transaction, records the id, runs the
 * work with the transaction's manager and commits both together. A duplicate runs nothing. If the
 * work throws, the record is rolled back too, so a redelivery runs it again.
 * Use only `manager` inside `work`: on the embedded database another connection would wait forever.
 */
export async function handleOnce(
  dataSource: DataSource,
  target: HandleOnceTarget,
  work: (manager: EntityManager) => Promise<void>,
): Promise<"processed" | "duplicate"> {
  const ledger = new ProcessedMessages(target.schema);
  return dataSource.transaction(async (manager) => {
    if (!(await ledger.recordOnce(manager, target.group, target.messageId))) return "duplicate";
    await work(manager);
    return "processed";
  });
}

/** Migration creating `<schema>.processed_messages`; list it among the service's migrations. */
export function createLedgerMigration(schema: string): MigrationClass {
  const table = `${quoteSchema(schema)}.processed_messages`;
  return class CascadeProcessedMessages implements MigrationInterface {
    readonly name = "CascadeProcessedMessages1700000000000";

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(
        `CREATE TABLE ${table} (
           consumer_group text NOT NULL,
           message_id text NOT NULL,
           processed_at timestamptz NOT NULL DEFAULT now(),
           PRIMARY KEY (consumer_group, message_id))`,
      );
      await queryRunner.query(`CREATE INDEX processed_messages_processed_at_idx ON ${table} (processed_at)`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
}

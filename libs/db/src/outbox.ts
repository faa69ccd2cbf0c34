import { context, propagation } from "@opentelemetry/api";
import type { EntityManager, MigrationInterface, QueryRunner } from "typeorm";
import type { MigrationClass } from "./migrations.js";
import { quoteSchema } from "./sql-identifier.js";

/**
 * The part of a TopicDef (@cascade/contracts) the outbox uses; every TopicDef satisfies it.
 * Declared here structurally so libs/db does not depend on the contracts or bus libraries.
 */
export interface OutboxTopic<T> {
  readonly name: string;
  readonly schema: string;
  readonly contentType: string;
  key(message: T): string;
  envelope(message: T): { id: string };
  encode(message: T): Uint8Array;
}

/** A message to publish later; the same shape as the bus's Publishable. */
export interface OutboxMessage<T> {
  value: T;
  /** Defaults to `topic.key(value)`. */
  key?: string;
  headers?: Record<string, string>;
}

/** Header names, the same as BusHeaders in @cascade/bus. */
export const OutboxHeaders = {
  MessageId: "message-id",
  ContentType: "content-type",
  Schema: "schema",
} as const;

/** Bind parameters per row; PostgreSQL allows 65535 per statement. */
const COLUMNS_PER_ROW = 4;
const ROWS_PER_INSERT = 1000;

/**
 * The transactional outbox of one service schema (`<schema>.outbox`). `add` writes encoded messages
 * in the caller's transaction, so they exist exactly when the state change commits; an OutboxRelay
 * publishes them afterwards.
 */
export class Outbox {
  readonly table: string;

  constructor(readonly schema: string) {
    this.table = `${quoteSchema(schema)}.outbox`;
  }

  /**
   * Encodes the messages with the topic's codec and inserts them in id order. Headers: the caller's,
   * the current trace context (`traceparent`), and message-id / content-type / schema from the topic.
   */
  async add<T>(
    manager: EntityManager,
    topic: OutboxTopic<T>,
    messages: ReadonlyArray<OutboxMessage<T>>,
  ): Promise<void> {
    const rows = messages.map((message) => {
      const headers: Record<string, string> = { ...message.headers };
      propagation.inject(context.active(), headers);
      headers[OutboxHeaders.MessageId] = topic.envelope(message.value).id;
      headers[OutboxHeaders.ContentType] = topic.contentType;
      headers[OutboxHeaders.Schema] = topic.schema;
      const value = topic.encode(message.value);
      return [
        topic.name,
        message.key ?? topic.key(message.value),
        Buffer.from(value.buffer, value.byteOffset, value.byteLength),
        JSON.stringify(headers),
      ];
    });
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const placeholders = chunk.map((_, row) => {
        const base = row * COLUMNS_PER_ROW;
        return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb)`;
      });
      await manager.query(
        `INSERT INTO ${this.table} (topic, key, value, headers) VALUES ${placeholders.join(", ")}`,
        chunk.flat(),
      );
    }
  }

  /** Deletes rows published before `cutoff`; the relay only marks rows, so run this now and then. */
  async purgePublishedBefore(manager: EntityManager, cutoff: Date): Promise<number> {
    const deleted: unknown[] = await manager.query(`DELETE FROM ${this.table} WHERE published_at < $1 RETURNING id`, [
      cutoff,
    ]);
    return deleted.length;
  }
}

/** Migration creating `<schema>.outbox`; list it among the service's migrations. */
export function createOutboxMigration(schema: string): MigrationClass {
  const table = `${quoteSchema(schema)}.outbox`;
  return class CascadeOutbox implements MigrationInterface {
    readonly name = "CascadeOutbox1700000000001";

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(
        `CREATE TABLE ${table} (
           id bigserial PRIMARY KEY,
           topic text NOT NULL,
           key text NOT NULL,
           value bytea NOT NULL,
           headers jsonb NOT NULL DEFAULT '{}'::jsonb,
           created_at timestamptz NOT NULL DEFAULT now(),
           published_at timestamptz NULL)`,
      );
      // The relay reads unpublished rows in id order; this index stays as small as the backlog.
      await queryRunner.query(`CREATE INDEX outbox_unpublished_idx ON ${table} (id) WHERE published_at IS NULL`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  };
}

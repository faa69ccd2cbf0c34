import type { MigrationInterface, QueryRunner } from "typeorm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDataSource, IN_MEMORY_DATA_DIR, type DatabaseHandle } from "./data-source.factory.js";
import { runMigrations } from "./migrations.js";
import { Outbox, createOutboxMigration } from "./outbox.js";
import { OutboxPublishError, OutboxRelay, type RelayConcurrency } from "./outbox-relay.js";
import { ProcessedMessages, createLedgerMigration, handleOnce } from "./processed-messages.js";
import { RecordingPublisher, greeting, greetingTopic, uniqueSchema } from "./test-fixtures.js";

/**
 * The delivery contract (ledger, outbox, relay) against real PostgreSQL and against embedded PGlite
 * opened through createDataSource, with the same tests.
 */
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const backends: Array<{ name: string; open: () => Promise<DatabaseHandle>; concurrency: RelayConcurrency }> = [
  { name: "postgres", open: () => createDataSource({ databaseUrl }), concurrency: "replicas" },
  { name: "embedded", open: () => createDataSource({ dataDir: IN_MEMORY_DATA_DIR }), concurrency: "single" },
];

const greetings = greetingTopic("greetings.v1");
const farewells = greetingTopic("farewells.v1");

/** A service's own state table, to show the state change and the ledger commit together. */
function countersMigration(schema: string) {
  return class CreateCounters1718000000000 implements MigrationInterface {
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`CREATE TABLE "${schema}".counters (name text PRIMARY KEY, value int NOT NULL)`);
    }
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE "${schema}".counters`);
    }
  };
}

describe.each(backends)("delivery contract on $name", ({ open, concurrency }) => {
  let db: DatabaseHandle;
  const schemas: string[] = [];

  beforeAll(async () => {
    db = await open();
  });

  afterAll(async () => {
    for (const schema of schemas) await db.dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
  });

  async function freshSchema(): Promise<string> {
    const schema = uniqueSchema();
    schemas.push(schema);
    await runMigrations(db.dataSource, {
      schema,
      migrations: [createLedgerMigration(schema), createOutboxMigration(schema), countersMigration(schema)],
    });
    return schema;
  }

  const relayFor = (schema: string, publisher: RecordingPublisher, batchSize = 100) =>
    new OutboxRelay({ dataSource: db.dataSource, schema, publisher, concurrency, batchSize, pollIntervalMs: 60_000 });

  const unpublishedCount = async (schema: string): Promise<number> => {
    const [row] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM "${schema}".outbox WHERE published_at IS NULL`,
    );
    return (row as { n: number }).n;
  };

  it("publishes nothing for a rolled-back transaction", async () => {
    const schema = await freshSchema();
    const outbox = new Outbox(schema);
    const publisher = new RecordingPublisher();

    await expect(
      db.dataSource.transaction(async (manager) => {
        await outbox.add(manager, greetings, [{ value: greeting("never") }]);
        throw new Error("business rule failed");
      }),
    ).rejects.toThrow("business rule failed");

    expect(await relayFor(schema, publisher).drain()).toBe(0);
    expect(publisher.batches).toEqual([]);
  });

  it("publishes exactly a committed transaction's messages, grouped by topic, in order, once", async () => {
    const schema = await freshSchema();
    const outbox = new Outbox(schema);
    const publisher = new RecordingPublisher();
    const [a, b, c, d] = [greeting("a", "alice"), greeting("b", "bob"), greeting("c", "alice"), greeting("d")];

    await db.dataSource.transaction(async (manager) => {
      await outbox.add(manager, greetings, [{ value: a }, { value: b }]);
      await outbox.add(manager, farewells, [{ value: d }]);
      await outbox.add(manager, greetings, [{ value: c }]);
    });
    const relay = relayFor(schema, publisher, 2);
    expect(await relay.drain()).toBe(4);
    expect(await relay.drain()).toBe(0);

    const published = publisher.batches.map((batch) => [
      batch.topic,
      batch.records.map((r) => greetings.decode(r.value).text),
    ]);
    // Batch size 2: round one holds a, b; round two holds d (farewells), then c.
    expect(published).toEqual([
      ["greetings.v1", ["a", "b"]],
      ["farewells.v1", ["d"]],
      ["greetings.v1", ["c"]],
    ]);
    const first = publisher.batches[0]!.records[0]!;
    expect(first.key).toBe("ws:alice");
    expect(first.headers).toMatchObject({
      "message-id": a.id,
      "content-type": "application/json",
      schema: "cascade.test.v1.Greeting",
    });
    expect(await unpublishedCount(schema)).toBe(0);
  });

  it("leaves rows whose publish failed for the next round and keeps the ones that succeeded", async () => {
    const schema = await freshSchema();
    const publisher = new RecordingPublisher();
    await db.dataSource.transaction(async (manager) => {
      await new Outbox(schema).add(manager, greetings, [{ value: greeting("g1") }]);
      await new Outbox(schema).add(manager, farewells, [{ value: greeting("f1") }]);
    });
    const relay = relayFor(schema, publisher);

    publisher.failTopic = "farewells.v1";
    const failure = await relay.publishBatch().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OutboxPublishError);
    expect(failure).toMatchObject({ topic: "farewells.v1", round: { claimed: 2, published: 1 } });
    expect(await unpublishedCount(schema)).toBe(1);

    publisher.failTopic = undefined;
    expect(await relay.drain()).toBe(1);
    expect(publisher.batches.map((batch) => batch.topic)).toEqual(["greetings.v1", "farewells.v1"]);
  });

  it("relays in the background when notified after a commit, and stops gracefully", async () => {
    const schema = await freshSchema();
    const publisher = new RecordingPublisher();
    const relay = relayFor(schema, publisher); // poll interval 60 s: only notify() makes it quick
    const first = greeting("before start");
    await db.dataSource.transaction((manager) => new Outbox(schema).add(manager, greetings, [{ value: first }]));
    relay.start();
    try {
      await vi.waitFor(() => expect(publisher.messageIds).toEqual([first.id]), { timeout: 5_000 });
      const second = greeting("after notify");
      await db.dataSource.transaction((manager) => new Outbox(schema).add(manager, greetings, [{ value: second }]));
      relay.notify();
      await vi.waitFor(() => expect(publisher.messageIds).toEqual([first.id, second.id]), { timeout: 5_000 });
    } finally {
      await relay.stop(); // wakes the 60 s sleep at once
    }
    expect(await unpublishedCount(schema)).toBe(0);
  });

  it("turns a redelivered message into a no-op: the state changes once", async () => {
    const schema = await freshSchema();
    const messageId = greeting("x").id;
    const increment = (manager: import("typeorm").EntityManager) =>
      manager.query(
        `INSERT INTO "${schema}".counters (name, value) VALUES ('deliveries', 1)
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1`,
      );

    const target = { schema, group: "profiles", messageId };
    expect(await handleOnce(db.dataSource, target, increment)).toBe("processed");
    expect(await handleOnce(db.dataSource, target, increment)).toBe("duplicate");
    // Another consumer group handles the same message on its own.
    expect(await handleOnce(db.dataSource, { ...target, group: "triggers" }, increment)).toBe("processed");

    const [row] = await db.dataSource.query(`SELECT value FROM "${schema}".counters WHERE name = 'deliveries'`);
    expect(row).toEqual({ value: 2 });
  });

  it("rolls the ledger entry back with failed work, so the redelivery runs it", async () => {
    const schema = await freshSchema();
    const target = { schema, group: "profiles", messageId: greeting("y").id };

    await expect(handleOnce(db.dataSource, target, async () => Promise.reject(new Error("transient")))).rejects.toThrow(
      "transient",
    );
    let ran = 0;
    expect(await handleOnce(db.dataSource, target, async () => void ran++)).toBe("processed");
    expect(ran).toBe(1);

    const ledger = new ProcessedMessages(schema);
    expect(await db.dataSource.transaction((manager) => ledger.recordOnce(manager, "profiles", target.messageId))).toBe(
      false,
    );
  });

  it("does not deadlock when the publisher writes to the same database, as the embedded bus does", async () => {
    const schema = await freshSchema();
    await db.dataSource.query(`CREATE TABLE "${schema}".bus_log (id serial, topic text, value bytea)`);
    const publisherWritingToTheDatabase = {
      publishRaw: (topic: string, records: ReadonlyArray<{ value: Uint8Array }>) =>
        db.dataSource.transaction(async (manager) => {
          for (const record of records) {
            await manager.query(`INSERT INTO "${schema}".bus_log (topic, value) VALUES ($1, $2)`, [
              topic,
              Buffer.from(record.value),
            ]);
          }
        }),
    };
    await db.dataSource.transaction((manager) =>
      new Outbox(schema).add(manager, greetings, [{ value: greeting("one") }, { value: greeting("two") }]),
    );

    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      schema,
      publisher: publisherWritingToTheDatabase,
      concurrency,
    });
    expect(await relay.drain()).toBe(2);
    const log: Array<{ value: Buffer }> = await db.dataSource.query(
      `SELECT value FROM "${schema}".bus_log ORDER BY id`,
    );
    expect(log.map((row) => greetings.decode(row.value).text)).toEqual(["one", "two"]);
  });
});

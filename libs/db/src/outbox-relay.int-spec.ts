import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource, type DatabaseHandle } from "./data-source.factory.js";
import { runMigrations } from "./migrations.js";
import { Outbox, createOutboxMigration } from "./outbox.js";
import { OutboxRelay } from "./outbox-relay.js";
import { RecordingPublisher, greeting, greetingTopic, uniqueSchema } from "./test-fixtures.js";

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

describe("OutboxRelay replicas on PostgreSQL", () => {
  let db: DatabaseHandle;
  const schema = uniqueSchema();

  beforeAll(async () => {
    db = await createDataSource({ databaseUrl });
    await runMigrations(db.dataSource, { schema, migrations: [createOutboxMigration(schema)] });
  });

  afterAll(async () => {
    await db.dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
  });

  it("share one outbox without publishing a row twice (FOR UPDATE SKIP LOCKED)", async () => {
    const topic = greetingTopic("greetings.v1");
    const messages = Array.from({ length: 120 }, (_, i) => ({ value: greeting(`m${i}`, `c${i % 7}`) }));
    await db.dataSource.transaction((manager) => new Outbox(schema).add(manager, topic, messages));

    // Slow publishers keep each batch's row locks held long enough for the two relays to overlap.
    const publishers = [new RecordingPublisher(25), new RecordingPublisher(25)];
    const relays = publishers.map(
      (publisher) => new OutboxRelay({ dataSource: db.dataSource, schema, publisher, batchSize: 10 }),
    );
    const counts = await Promise.all(relays.map((relay) => relay.drain()));

    const published = publishers.flatMap((publisher) => publisher.messageIds);
    expect(published).toHaveLength(120);
    expect(new Set(published)).toEqual(new Set(messages.map((m) => m.value.id)));
    expect(counts[0]! + counts[1]!).toBe(120);
    expect(counts.every((count) => count > 0)).toBe(true); // both did share the work
    // Each relay publishes its own rows in id order.
    for (const publisher of publishers) {
      const order = publisher.messageIds.map((id) => messages.findIndex((m) => m.value.id === id));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });
});

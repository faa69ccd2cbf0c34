import { randomUUID } from "node:crypto";
import { DataSource } from "typeorm";
import { afterAll, describe, expect, it } from "vitest";
import { deferred, describeBusContract, sleep, waitUntil } from "../bus.contract.js";
import { silentBusLogger } from "../logger.js";
import { jsonTestTopic, testEvent } from "../test-support/json-test-topic.js";
import { EmbeddedBus } from "./embedded-bus.js";

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schemas: string[] = [];

/** Pool of ONE connection, as PGlite serves: the bus must never need two at once. */
async function openDataSource(): Promise<DataSource> {
  const dataSource = new DataSource({ type: "postgres", url: databaseUrl, extra: { max: 1 } });
  return dataSource.initialize();
}

function uniqueSchema(): string {
  const schema = `bus_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  const dataSource = await openDataSource();
  for (const schema of schemas) await dataSource.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await dataSource.destroy();
});

describeBusContract("embedded (PostgreSQL, pool of 1)", async () => {
  const dataSource = await openDataSource();
  const bus = new EmbeddedBus({ dataSource, schema: uniqueSchema(), pollIntervalMs: 100, logger: silentBusLogger });
  await bus.init();
  return {
    bus,
    partitionCount: (topicName) => bus.partitionCount(topicName),
    cleanup: async () => {
      await bus.close();
      await dataSource.destroy();
    },
  };
});

describe("EmbeddedBus restart", () => {
  it("after a restart on the same schema, the group receives exactly the unacknowledged messages", async () => {
    const schema = uniqueSchema();
    const topic = jsonTestTopic("restart");
    const group = `restart-${randomUUID().slice(0, 8)}`;
    const workspace = `ws-${randomUUID().slice(0, 8)}`;

    const firstSource = await openDataSource();
    const firstBus = new EmbeddedBus({ dataSource: firstSource, schema, logger: silentBusLogger });
    await firstBus.ensureTopics([topic], { partitions: 2 });
    const events = Array.from({ length: 6 }, (_, n) => testEvent(workspace, n % 2 === 0 ? "even" : "odd", n));
    await firstBus.publish(
      topic,
      events.map((value) => ({ value })),
    );
    const acknowledged: number[] = [];
    const blocked = deferred<void>();
    await firstBus.subscribe({
      group,
      topic,
      retry: { maxAttempts: 10, initialDelayMs: 10_000, maxDelayMs: 10_000 },
      handler: async (m) => {
        if (m.value.n >= 2) {
          await blocked.promise;
          throw new Error("process is going down");
        }
        acknowledged.push(m.value.n);
      },
    });
    await waitUntil(() => acknowledged.length === 2, "messages 0 and 1 handled");
    const closed = firstBus.close();
    blocked.resolve();
    await closed;
    await firstSource.destroy();

    const secondSource = await openDataSource();
    const secondBus = new EmbeddedBus({ dataSource: secondSource, schema, logger: silentBusLogger });
    try {
      const redelivered: number[] = [];
      await secondBus.subscribe({ group, topic, handler: async (m) => void redelivered.push(m.value.n) });
      await waitUntil(() => redelivered.length >= 4, "unacknowledged messages redelivered");
      await sleep(300);
      expect(acknowledged.sort()).toEqual([0, 1]);
      expect(redelivered.sort()).toEqual([2, 3, 4, 5]);
    } finally {
      await secondBus.close();
      await secondSource.destroy();
    }
  });
});

describe("EmbeddedBus readiness", () => {
  it("ping() is true on a live database and false once the DataSource is gone", async () => {
    const dataSource = await openDataSource();
    const bus = new EmbeddedBus({ dataSource, schema: uniqueSchema(), logger: silentBusLogger });
    await bus.init();
    expect(await bus.ping()).toBe(true);
    await dataSource.destroy();
    expect(await bus.ping()).toBe(false);
    await bus.close();
  });
});

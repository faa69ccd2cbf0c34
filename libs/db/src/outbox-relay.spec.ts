import type { DataSource } from "typeorm";
import { describe, expect, it } from "vitest";
import { groupByTopic, OutboxRelay } from "./outbox-relay.js";
import { RecordingPublisher } from "./test-fixtures.js";

describe("groupByTopic", () => {
  it("groups in order of first appearance and keeps each topic's row order", () => {
    const rows = [
      { id: 1, topic: "a" },
      { id: 2, topic: "b" },
      { id: 3, topic: "a" },
      { id: 4, topic: "c" },
      { id: 5, topic: "b" },
    ];
    expect([...groupByTopic(rows)].map(([topic, group]) => [topic, group.map((r) => r.id)])).toEqual([
      ["a", [1, 3]],
      ["b", [2, 5]],
      ["c", [4]],
    ]);
  });
});

describe("OutboxRelay options", () => {
  const base = { dataSource: {} as DataSource, schema: "svc", publisher: new RecordingPublisher() };

  it.each([
    ["batchSize", { batchSize: 0 }],
    ["pollIntervalMs", { pollIntervalMs: -5 }],
    ["maxBackoffMs", { maxBackoffMs: 1.5 }],
  ])("rejects a bad %s, naming it", (field, extra) => {
    expect(() => new OutboxRelay({ ...base, ...extra })).toThrow(`${field}: must be a positive integer`);
  });

  it("rejects an unsafe schema name", () => {
    expect(() => new OutboxRelay({ ...base, schema: "a;b" })).toThrow(/schema: .* is not a valid schema name/);
  });
});

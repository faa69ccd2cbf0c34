import type { DataSource } from "typeorm";
import { describe, expect, it } from "vitest";
import { createBus } from "./create-bus.js";
import { EmbeddedBus } from "./embedded/embedded-bus.js";
import { KafkaBus } from "./kafka/kafka-bus.js";

// Neither adapter touches the network or the database before it is used.
const unusedDataSource = {} as DataSource;

describe("createBus", () => {
  it("uses Kafka when brokers are given", () => {
    expect(createBus({ brokers: ["127.0.0.1:9092"], clientId: "svc", dataSource: unusedDataSource })).toBeInstanceOf(
      KafkaBus,
    );
  });

  it("uses the embedded bus without brokers, and needs a DataSource then", () => {
    expect(createBus({ brokers: [], clientId: "svc", dataSource: unusedDataSource })).toBeInstanceOf(EmbeddedBus);
    expect(() => createBus({ clientId: "svc" })).toThrow(/needs a dataSource/);
  });

  it("rejects bad settings naming the field", () => {
    expect(() => createBus({ brokers: [""], clientId: "svc" })).toThrow(/brokers must be a non-empty list/);
    expect(() => createBus({ brokers: ["b:9092"], clientId: "" })).toThrow(/clientId/);
    expect(() =>
      createBus({ clientId: "svc", dataSource: unusedDataSource, embedded: { schema: "Bad-Name" } }),
    ).toThrow(/schema must match/);
  });
});

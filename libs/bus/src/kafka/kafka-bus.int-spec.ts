import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { describeBusContract } from "../bus.contract.js";
import { silentBusLogger } from "../logger.js";
import { KafkaBus } from "./kafka-bus.js";

const brokers = (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",").map((broker) => broker.trim());

describeBusContract("Kafka", async () => {
  const bus = new KafkaBus({
    brokers,
    clientId: `bus-contract-${randomUUID().slice(0, 8)}`,
    logger: silentBusLogger,
    // Short group timeouts keep rebalances quick; 6 s is the broker's minimum session timeout.
    consumer: { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 8_000, heartbeatIntervalMs: 300, maxWaitTimeMs: 100 },
  });
  return { bus, partitionCount: (topicName) => bus.partitionCount(topicName), cleanup: () => bus.close() };
});

describe("KafkaBus readiness", () => {
  it("ping() answers false quickly when no broker listens", async () => {
    const bus = new KafkaBus({
      brokers: ["127.0.0.1:1"],
      clientId: "bus-ping-test",
      logger: silentBusLogger,
      pingTimeoutMs: 1_500,
    });
    try {
      const started = Date.now();
      expect(await bus.ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await bus.close();
    }
  });
});

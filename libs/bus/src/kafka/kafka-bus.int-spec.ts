import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { describeBusContract } from "../bus.contract.js";
import { silentBusLogger } from "../logger.js";
import { jsonTestTopic, testEvent, type TestEvent } from "../test-support/json-test-topic.js";
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

describe("KafkaBus concurrent publishing", () => {
  it("acknowledges 310 concurrent publishes, delivers each once, and fails only a publish that is too big", async () => {
    const bus = new KafkaBus({ brokers, clientId: `bus-group-${randomUUID().slice(0, 8)}`, logger: silentBusLogger });
    const topic = jsonTestTopic("group");
    const received: TestEvent[] = [];
    try {
      await bus.ensureTopics([topic], { partitions: 3 });
      const subscription = await bus.subscribe({
        group: `bus-group-${randomUUID().slice(0, 8)}`,
        topic,
        handler: async (message) => void received.push(message.value),
      });
      const workspace = `ws-${randomUUID().slice(0, 8)}`;
      // 300 publishes issued at once (10 contacts × 30) while one far over Kafka's 1 MB message limit
      // travels among them: it fails with the broker's reason, and every other publish is still acknowledged.
      const huge = { ...testEvent(workspace, "huge", 0), id: "x".repeat(2_000_000) };
      const publishes = Array.from({ length: 300 }, (_, i) =>
        bus.publish(topic, [{ value: testEvent(workspace, `c${i % 10}`, Math.floor(i / 10)) }]),
      );
      const tooBig = bus.publish(topic, [{ value: huge }]).then(
        () => "acknowledged",
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      publishes.push(
        ...Array.from({ length: 10 }, (_, i) => bus.publish(topic, [{ value: testEvent(workspace, `c${i}`, 30) }])),
      );
      await expect(Promise.all(publishes)).resolves.toBeDefined();
      expect(await tooBig).toMatch(/larger than the max message size/);
      const deadline = Date.now() + 30_000;
      while (received.length < 310 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toHaveLength(310);
      for (let c = 0; c < 10; c++) {
        const numbers = received.filter((event) => event.contactId === `c${c}`).map((event) => event.n);
        expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 31 }, (_, n) => n));
      }
      expect(received.some((event) => event.contactId === "huge")).toBe(false);
      await subscription.close();
    } finally {
      await bus.close();
    }
  }, 60_000);
});

import { Controller, Module } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { Payload } from "@nestjs/microservices";
import { describe, expect, it } from "vitest";
import { Topics, type TopicDef } from "@cascade/contracts";
import { NonRetryableError, type Bus, type Delivered, type HandlerResult, type SubscriptionSpec } from "@cascade/bus";
import { BusTransport } from "./bus-transport.js";
import { Consume } from "./consume.decorator.js";

/**
 * A bus that records topic creation and subscriptions, so the test can check that consumed topics exist before
 * their consumers start, and deliver messages to the handlers the transport registered.
 */
class RecordingBus implements Pick<Bus, "subscribe" | "ensureTopics"> {
  readonly specs: SubscriptionSpec<unknown>[] = [];
  readonly ensured: string[] = [];
  ensureTopics(topics: ReadonlyArray<TopicDef<unknown>>) {
    this.ensured.push(...topics.map((topic) => topic.name));
    return Promise.resolve();
  }
  subscribe<T>(spec: SubscriptionSpec<T>) {
    if (!this.ensured.includes(spec.topic.name)) throw new Error(`subscribed to ${spec.topic.name} before creating it`);
    this.specs.push(spec as SubscriptionSpec<unknown>);
    return Promise.resolve({ close: () => Promise.resolve() });
  }
}

@Controller()
class Consumers {
  @Consume(Topics.EventsV1, { group: "alpha" })
  onAlpha(@Payload() message: Delivered<unknown>): HandlerResult {
    if (message.id === "poison") throw new NonRetryableError("cannot be handled: poison");
    if (message.id === "flaky") throw new Error("database unavailable");
    return "processed";
  }

  @Consume(Topics.EventsV1, { group: "beta" })
  onBeta(): HandlerResult {
    return "skipped";
  }
}

@Module({ controllers: [Consumers] })
class TestModule {}

const delivered = (id: string): Delivered<unknown> => ({
  value: {},
  id,
  key: "k",
  headers: {},
  topic: Topics.EventsV1.name,
  partition: 0,
  offset: "0",
  attempt: 1,
});

describe("BusTransport", () => {
  it("creates consumed topics, subscribes once per (topic, group), returns handler results and hands errors on", async () => {
    const bus = new RecordingBus();
    const topics = new Map<string, TopicDef<unknown>>([[Topics.EventsV1.name, Topics.EventsV1 as TopicDef<unknown>]]);
    const app = await NestFactory.createMicroservice(TestModule, {
      strategy: new BusTransport(bus as unknown as Bus, topics),
      logger: false,
    });
    await app.listen();
    try {
      expect(bus.ensured).toEqual([Topics.EventsV1.name]);
      expect(bus.specs.map((spec) => `${spec.topic.name}/${spec.group}`).sort()).toEqual([
        "events.v1/alpha",
        "events.v1/beta",
      ]);
      const alpha = bus.specs.find((spec) => spec.group === "alpha")!;
      const beta = bus.specs.find((spec) => spec.group === "beta")!;
      expect(await alpha.handler(delivered("ok"))).toBe("processed");
      expect(await beta.handler(delivered("ok"))).toBe("skipped");
      // The bus decides retry vs dead letter from the error itself, so it must arrive as thrown.
      await expect(alpha.handler(delivered("poison"))).rejects.toBeInstanceOf(NonRetryableError);
      await expect(alpha.handler(delivered("flaky"))).rejects.toThrow("database unavailable");
    } finally {
      await app.close();
    }
  });
});

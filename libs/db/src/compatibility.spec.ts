import type { Bus } from "@cascade/bus";
import type { TopicDef } from "@cascade/contracts";
import { describe, expectTypeOf, it } from "vitest";
import type { OutboxTopic } from "./outbox.js";
import type { OutboxPublisher } from "./outbox-relay.js";

// libs/db declares the bus and topic shapes it needs structurally (no dependency on those libs at
// run time); tsc checks here that the real ones still fit.
describe("structural types", () => {
  it("accepts the bus as the relay's publisher and any TopicDef as an outbox topic", () => {
    expectTypeOf<Bus>().toExtend<OutboxPublisher>();
    expectTypeOf<TopicDef<{ id: string }>>().toExtend<OutboxTopic<{ id: string }>>();
  });
});

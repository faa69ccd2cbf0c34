import { describe, expect, it } from "vitest";
import {
  create,
  EventSchema,
  EventType,
  newEnvelope,
  SystemEvents,
  timestampFromDate,
  type Event,
  type MessageInitShape,
} from "@cascade/contracts";
import { conversionOf, pushSignalOf } from "./push-signals.js";

const now = new Date("2030-01-15T12:00:00Z");
const event = (fields: Omit<MessageInitShape<typeof EventSchema>, "$typeName">): Event =>
  create(EventSchema, { envelope: newEnvelope("ws-1", now), type: EventType.TRACK, contactId: "anon-1", ...fields });
const policy = { events: new Set(["Order Completed"]) };

describe("push signals from events.v1", () => {
  it("reads deliveries and opens reported by the service worker, dated by the event", () => {
    const at = new Date("2030-01-15T11:59:00Z");
    const clicked = event({
      event: SystemEvents.PushClicked,
      anonymousId: "anon-1",
      timestamp: timestampFromDate(at),
      properties: { idempotency_key: "k1", url: "https://shop.example/sale" },
    });
    expect(pushSignalOf(clicked, now)).toEqual({
      kind: "opened",
      workspaceId: "ws-1",
      idempotencyKey: "k1",
      at,
      url: "https://shop.example/sale",
      anonymousId: "anon-1",
    });
    const delivered = event({ event: SystemEvents.PushDelivered, properties: { idempotency_key: "k1" } });
    expect(pushSignalOf(delivered, now)).toMatchObject({ kind: "delivered", idempotencyKey: "k1" });
  });

  it("ignores other events and push events without a key", () => {
    expect(pushSignalOf(event({ event: "Signed Up" }), now)).toBeUndefined();
    expect(pushSignalOf(event({ event: SystemEvents.PushClicked, properties: {} }), now)).toBeUndefined();
    expect(pushSignalOf(event({ type: EventType.PAGE, properties: { idempotency_key: "k1" } }), now)).toBeUndefined();
  });
});

describe("conversion candidates", () => {
  it("takes configured track events with every id of the person, the landing push and the value", () => {
    const order = event({
      event: "Order Completed",
      messageId: "m-9",
      contactId: "user-1",
      userId: "user-1",
      anonymousId: "anon-1",
      properties: { revenue: 42.5, total: 50 },
      context: { push: { message_id: "k1", landed_at: "2030-01-15T11:00:00.000Z" } },
    });
    expect(conversionOf(order, policy, now)).toEqual({
      workspaceId: "ws-1",
      event: "Order Completed",
      eventId: "m-9",
      at: now,
      landedKey: "k1",
      ids: ["user-1", "anon-1"],
      value: 42.5,
    });
  });

  it("ignores events that are not configured conversions", () => {
    expect(conversionOf(event({ event: "Product Viewed" }), policy, now)).toBeUndefined();
    expect(conversionOf(event({ type: EventType.PAGE, name: "Order Completed" }), policy, now)).toBeUndefined();
  });
});

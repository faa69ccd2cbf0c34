import { describe, expect, it } from "vitest";
import { EventType } from "@cascade/contracts";
import { IngestError } from "../http/ingest-error.js";
import { correctedTimestamp, eventFromCall, eventsFromBatch } from "./segment-message.js";

const source = { workspaceId: "acme", sourceId: "src_1", rateLimitPerSecond: null };
const receivedAt = new Date("2026-01-01T12:00:00.000Z");

describe("correctedTimestamp", () => {
  it("moves the event by the device clock's error, measured between timestamp and sentAt", () => {
    const corrected = correctedTimestamp({
      timestamp: new Date("2026-01-01T13:00:00.000Z"),
      sentAt: new Date("2026-01-01T13:00:10.000Z"),
      receivedAt,
    });
    expect(corrected.toISOString()).toBe("2026-01-01T11:59:50.000Z");
    expect(correctedTimestamp({ receivedAt })).toBe(receivedAt);
    expect(correctedTimestamp({ timestamp: new Date("2025-12-31T00:00:00Z"), receivedAt }).toISOString()).toBe(
      "2025-12-31T00:00:00.000Z",
    );
  });
});

describe("eventFromCall / eventsFromBatch", () => {
  it("accepts numeric ids and null optional fields as Segment libraries send them", () => {
    const event = eventFromCall(
      "track",
      { userId: 42, event: "Paid", properties: null, context: null, messageId: "m1" },
      source,
      receivedAt,
    );
    expect(event).toMatchObject({
      userId: "42",
      event: "Paid",
      type: EventType.TRACK,
      messageId: "m1",
      workspaceId: "acme",
      sourceId: "src_1",
    });
    expect(event.properties).toBeUndefined();
  });

  it("refuses the whole batch, naming every bad message field", () => {
    const refuse = (): unknown =>
      eventsFromBatch(
        { batch: [{ type: "alias", userId: "u" }, "nope", { type: "track", anonymousId: "a", event: "" }] },
        source,
        receivedAt,
      );
    expect(refuse).toThrow(IngestError);
    try {
      refuse();
    } catch (error) {
      expect((error as IngestError).details.issues).toEqual([
        { field: "batch.0.previousId", message: "is required" },
        { field: "batch.1", message: "must be a JSON object" },
        { field: "batch.2.event", message: "must not be empty" },
      ]);
    }
  });
});

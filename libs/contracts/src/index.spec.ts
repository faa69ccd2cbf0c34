import { describe, expect, it } from "vitest";
import {
  create,
  EventSchema,
  EventType,
  newEnvelope,
  OutcomeStatus,
  RunEventKind,
  Topics,
  type Event,
  type MessageOf,
} from "./index.js";

describe("@cascade/contracts public API", () => {
  it("lets a producer build, publish-encode and a consumer decode a message with one import", () => {
    const event: MessageOf<typeof Topics.EventsV1> = create(EventSchema, {
      envelope: newEnvelope("ws-index-spec"),
      type: EventType.IDENTIFY,
      contactId: "c-1",
      traits: { email: "ada@example.org" },
    });
    const decoded: Event = Topics.EventsV1.decode(Topics.EventsV1.encode(event));
    expect(decoded.traits).toEqual({ email: "ada@example.org" });
    expect(decoded.type).toBe(EventType.IDENTIFY);
  });

  it("exports enums of every domain without collisions", () => {
    expect(OutcomeStatus.CLICKED).toBe(9);
    expect(RunEventKind.RUN_FINISHED).toBe(6);
  });
});

import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { ContractError } from "./contract-error.js";
import { fromEnvelopeFields, newEnvelope, toEnvelopeFields } from "./envelope.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Milliseconds since the epoch in the first 48 bits of a UUIDv7. */
const uuidV7Millis = (id: string): number => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

describe("newEnvelope", () => {
  it("gives a UUIDv7 id, the workspace and occurred_at", () => {
    const occurredAt = new Date("2024-12-31T23:59:59.999Z");
    const before = Date.now();
    const envelope = newEnvelope("ws-1", occurredAt);
    expect(envelope.id).toMatch(UUID_V7);
    // The id carries the creation time (not occurred_at), so ids sort in publishing order.
    expect(uuidV7Millis(envelope.id)).toBeGreaterThanOrEqual(before);
    expect(uuidV7Millis(envelope.id)).toBeLessThanOrEqual(Date.now());
    expect(envelope.workspace).toBe("ws-1");
    expect(toEnvelopeFields(envelope).occurredAt).toBe("2024-12-31T23:59:59.999Z");
  });

  it("defaults occurred_at to now", () => {
    const before = Date.now();
    const occurredAt = Date.parse(toEnvelopeFields(newEnvelope("ws-1")).occurredAt);
    expect(occurredAt).toBeGreaterThanOrEqual(before);
    expect(occurredAt).toBeLessThanOrEqual(Date.now());
  });

  it("makes ids that sort in creation order, also within one millisecond", () => {
    const ids = Array.from({ length: 500 }, () => newEnvelope("ws-1").id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("rejects an empty workspace and an invalid date", () => {
    expect(() => newEnvelope("")).toThrow(/workspace is empty/);
    expect(() => newEnvelope("ws-1", new Date("not a date"))).toThrow(/occurredAt is an invalid Date/);
  });
});

describe("toEnvelopeFields / fromEnvelopeFields", () => {
  it("round-trips", () => {
    const envelope = newEnvelope("ws-2", new Date("2025-01-02T03:04:05.678Z"));
    const fields = toEnvelopeFields(envelope);
    expect(fields).toEqual({ id: envelope.id, workspace: "ws-2", occurredAt: "2025-01-02T03:04:05.678Z" });
    expect(toEnvelopeFields(fromEnvelopeFields(fields))).toEqual(fields);
  });

  it("names the missing part and the message type", () => {
    const complete = newEnvelope("ws-3");
    expect(() => toEnvelopeFields(undefined, "cascade.events.v1.Event")).toThrow(
      "cascade.events.v1.Event: envelope is missing",
    );
    expect(() => toEnvelopeFields({ ...complete, id: "" })).toThrow(/envelope\.id is empty/);
    expect(() => toEnvelopeFields({ ...complete, workspace: "" })).toThrow(/envelope\.workspace is empty/);
    expect(() => toEnvelopeFields({ ...complete, occurredAt: undefined })).toThrow(/envelope\.occurred_at is missing/);
    const outOfRange = { ...timestampFromDate(new Date()), seconds: 10n ** 15n };
    expect(() => toEnvelopeFields({ ...complete, occurredAt: outOfRange })).toThrow(ContractError);
    expect(() => fromEnvelopeFields({ id: "x", workspace: "w", occurredAt: "yesterday" })).toThrow(/not a date/);
  });
});

import { describe, expect, it } from "vitest";
import type { TopicDef } from "@cascade/contracts";
import { NonRetryableError, type Delivered, type RawRecord } from "../bus.js";
import { silentBusLogger } from "../logger.js";
import { deliverRecord, type DeliveryContext } from "./deliver-record.js";
import type { InboundRecord } from "./inbound-record.js";

interface Note {
  id: string;
  text: string;
}

const notes: TopicDef<Note> = {
  name: "notes.v1",
  schema: "test.Note",
  contentType: "application/json",
  key: (note) => note.id,
  envelope: (note) => ({ id: note.id, workspace: "ws", occurredAt: "2025-01-01T00:00:00Z" }),
  encode: (note) => new TextEncoder().encode(JSON.stringify(note)),
  decode: (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as Note,
};

const record = (value: Uint8Array = notes.encode({ id: "n1", text: "hi" })): InboundRecord => ({
  topic: "notes.v1",
  partition: 0,
  offset: "7",
  key: "n1",
  value,
  headers: { "message-id": "n1" },
});

function harness(handler: (m: Delivered<Note>) => Promise<void>, shutdown = new AbortController()) {
  const letters: Array<{ topic: string; record: RawRecord }> = [];
  const ctx: DeliveryContext<Note> = {
    spec: { group: "g", topic: notes, handler },
    policy: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    signal: shutdown.signal,
    publishDeadLetter: async (topic, letter) => void letters.push({ topic, record: letter }),
    logger: silentBusLogger,
  };
  return { ctx, letters, shutdown };
}

describe("deliverRecord", () => {
  it("hands the decoded message with id and attempt to the handler", async () => {
    const seen: Array<Delivered<Note>> = [];
    const { ctx, letters } = harness(async (m) => void seen.push(m));
    expect(await deliverRecord(record(), ctx)).toBe("handled");
    expect(seen).toMatchObject([{ value: { id: "n1", text: "hi" }, id: "n1", attempt: 1, offset: "7", key: "n1" }]);
    expect(letters).toEqual([]);
  });

  it("retries up to maxAttempts, then dead-letters with the attempt count", async () => {
    const attempts: number[] = [];
    const { ctx, letters } = harness(async (m) => {
      attempts.push(m.attempt);
      throw new Error("down");
    });
    expect(await deliverRecord(record(), ctx)).toBe("dead-lettered");
    expect(attempts).toEqual([1, 2, 3]);
    expect(letters).toHaveLength(1);
    expect(letters[0]!.topic).toBe("notes.v1.dlq");
    expect(letters[0]!.record.headers).toMatchObject({
      "dlq-attempts": "3",
      "dlq-error": "Error: down",
      "dlq-group": "g",
    });
  });

  it("dead-letters undecodable bytes and NonRetryableError without retrying", async () => {
    let calls = 0;
    const garbage = harness(async () => void calls++);
    expect(await deliverRecord(record(new Uint8Array([0xff])), garbage.ctx)).toBe("dead-lettered");
    expect(calls).toBe(0);
    expect(garbage.letters[0]!.record.headers["dlq-error"]).toMatch(
      /^NonRetryableError: cannot decode a test.Note message/,
    );

    const fatal = harness(async () => {
      calls++;
      throw new NonRetryableError("invalid");
    });
    expect(await deliverRecord(record(), fatal.ctx)).toBe("dead-lettered");
    expect(calls).toBe(1);
  });

  it("stops retrying when shutdown begins, so the message stays uncommitted", async () => {
    const shutdown = new AbortController();
    const { ctx, letters } = harness(async () => {
      shutdown.abort();
      throw new Error("failed while closing");
    }, shutdown);
    expect(await deliverRecord(record(), ctx)).toBe("aborted");
    expect(letters).toEqual([]);
  });

  it("aborts a backoff wait on shutdown", async () => {
    const shutdown = new AbortController();
    const { ctx } = harness(async () => {
      throw new Error("down");
    }, shutdown);
    ctx.policy = { maxAttempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 };
    setTimeout(() => shutdown.abort(), 20);
    const started = Date.now();
    expect(await deliverRecord(record(), ctx)).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

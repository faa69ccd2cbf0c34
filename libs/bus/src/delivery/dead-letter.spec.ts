import { describe, expect, it } from "vitest";
import { NonRetryableError } from "../bus.js";
import { buildDeadLetter, describeError, maxDeadLetterErrorLength } from "./dead-letter.js";
import type { InboundRecord } from "./inbound-record.js";

const record: InboundRecord = {
  topic: "things.v1",
  partition: 2,
  offset: "9007199254740993",
  key: "ws-1:contact-9",
  value: new Uint8Array([1, 2, 3]),
  headers: {
    "message-id": "m-1",
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "dlq-attempts": "stale",
  },
};

describe("buildDeadLetter", () => {
  it("keeps key, bytes and original headers, and adds error, origin, attempts and group", () => {
    const letter = buildDeadLetter({ record, error: new Error("boom"), attempts: 5, group: "profiles" });
    expect(letter.topic).toBe("things.v1.dlq");
    expect(letter.record.key).toBe(record.key);
    expect(letter.record.value).toBe(record.value);
    expect(letter.record.headers).toEqual({
      "message-id": "m-1",
      traceparent: record.headers.traceparent,
      "dlq-error": "Error: boom",
      "dlq-origin-topic": "things.v1",
      "dlq-origin-partition": "2",
      "dlq-origin-offset": "9007199254740993",
      "dlq-attempts": "5",
      "dlq-group": "profiles",
    });
  });

  it("bounds the error text", () => {
    const letter = buildDeadLetter({ record, error: new Error("x".repeat(10_000)), attempts: 1, group: "g" });
    expect(letter.record.headers["dlq-error"]).toHaveLength(maxDeadLetterErrorLength);
  });
});

describe("describeError", () => {
  it("follows the cause chain and copes with non-errors", () => {
    const error = new NonRetryableError("cannot decode", { cause: new SyntaxError("Unexpected token") });
    expect(describeError(error)).toBe("NonRetryableError: cannot decode (caused by SyntaxError: Unexpected token)");
    expect(describeError("plain string")).toBe("plain string");
  });
});

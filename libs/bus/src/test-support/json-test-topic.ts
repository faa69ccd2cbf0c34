import { randomUUID } from "node:crypto";
import type { TopicDef } from "@cascade/contracts";

/** The message of the bus tests' own topics (never the production registry). */
export interface TestEvent {
  id: string;
  workspace: string;
  contactId: string;
  /** Sequence number within the contact, to check ordering. */
  n: number;
}

/** A fresh JSON topic with a random name, keyed `<workspace>:<contactId>` like production topics. */
export function jsonTestTopic(label: string): TopicDef<TestEvent> {
  return {
    name: `test.bus-${label}-${randomUUID().slice(0, 8)}.v1`,
    schema: "cascade.test.v1.TestEvent",
    contentType: "application/json",
    key: (event) => `${event.workspace}:${event.contactId}`,
    envelope: (event) => ({ id: event.id, workspace: event.workspace, occurredAt: "2025-01-01T00:00:00.000Z" }),
    encode: (event) => new TextEncoder().encode(JSON.stringify(event)),
    decode: (bytes) => {
      const parsed: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
      if (!isTestEvent(parsed))
        throw new Error("not a TestEvent: expected { id, workspace, contactId: string, n: number }");
      return parsed;
    },
  };
}

/** Reads any topic as raw bytes, e.g. `<topic>.dlq` in tests. Cannot be published with publish(). */
export function rawBytesTopic(name: string): TopicDef<Uint8Array> {
  return {
    name,
    schema: "bytes",
    contentType: "application/x-protobuf",
    key: () => "",
    envelope: () => {
      throw new Error(`rawBytesTopic(${name}) is read-only; use publishRaw`);
    },
    encode: (bytes) => bytes,
    decode: (bytes) => bytes,
  };
}

export function testEvent(workspace: string, contactId: string, n: number): TestEvent {
  return { id: randomUUID(), workspace, contactId, n };
}

function isTestEvent(value: unknown): value is TestEvent {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.id === "string" &&
    typeof candidate.workspace === "string" &&
    typeof candidate.contactId === "string" &&
    typeof candidate.n === "number"
  );
}

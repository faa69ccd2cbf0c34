import { randomUUID } from "node:crypto";
import type { OutboxTopic } from "./outbox.js";
import type { OutboxPublisher, OutboxRecord } from "./outbox-relay.js";

/** Test-only helpers shared by this library's specs; not exported from index.ts. */

export interface Greeting {
  id: string;
  workspace: string;
  contactId: string;
  text: string;
}

/** A JSON-coded topic shaped like a TopicDef from @cascade/contracts. */
export function greetingTopic(name: string): OutboxTopic<Greeting> & { decode(bytes: Uint8Array): Greeting } {
  return {
    name,
    schema: "cascade.test.v1.Greeting",
    contentType: "application/json",
    key: (message) => `${message.workspace}:${message.contactId}`,
    envelope: (message) => ({ id: message.id }),
    encode: (message) => new TextEncoder().encode(JSON.stringify(message)),
    decode: (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as Greeting,
  };
}

export function greeting(text: string, contactId = "c1"): Greeting {
  return { id: randomUUID(), workspace: "ws", contactId, text };
}

export interface PublishedBatch {
  topic: string;
  records: OutboxRecord[];
}

/** Records every publishRaw call; `failNext` makes the next calls reject, `delayMs` slows each call. */
export class RecordingPublisher implements OutboxPublisher {
  readonly batches: PublishedBatch[] = [];
  failNext = 0;
  failTopic: string | undefined;

  constructor(private readonly delayMs = 0) {}

  async publishRaw(topic: string, records: ReadonlyArray<OutboxRecord>): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failTopic === topic || this.failNext > 0) {
      this.failNext = Math.max(0, this.failNext - 1);
      throw new Error(`broker unavailable for ${topic}`);
    }
    this.batches.push({ topic, records: [...records] });
  }

  /** Message ids in the order they were published. */
  get messageIds(): string[] {
    return this.batches.flatMap((batch) => batch.records.map((record) => record.headers["message-id"] ?? "?"));
  }
}

/** A fresh schema name per test, so tests never share state. */
export function uniqueSchema(prefix = "dbtest"): string {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

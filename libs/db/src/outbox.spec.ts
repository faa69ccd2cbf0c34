import type { EntityManager } from "typeorm";
import { describe, expect, it } from "vitest";
import { Outbox } from "./outbox.js";
import { greeting, greetingTopic } from "./test-fixtures.js";

/** Captures the statements Outbox.add sends; the real SQL runs in outbox.int-spec.ts. */
function capturingManager(): { manager: EntityManager; statements: Array<{ sql: string; params: unknown[] }> } {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  const manager = {
    query: async (sql: string, params: unknown[] = []) => {
      statements.push({ sql, params });
      return [];
    },
  } as unknown as EntityManager;
  return { manager, statements };
}

describe("Outbox.add", () => {
  const topic = greetingTopic("greetings.v1");

  it("encodes with the topic codec, keys by the topic key and sets the envelope headers", async () => {
    const { manager, statements } = capturingManager();
    const hello = greeting("hello", "alice");
    await new Outbox("svc").add(manager, topic, [{ value: hello, headers: { "message-id": "spoofed", custom: "1" } }]);

    expect(statements).toHaveLength(1);
    expect(statements[0]!.sql).toContain('INSERT INTO "svc".outbox');
    const [topicName, key, value, headers] = statements[0]!.params;
    expect(topicName).toBe("greetings.v1");
    expect(key).toBe("ws:alice");
    expect(topic.decode(value as Uint8Array)).toEqual(hello);
    expect(JSON.parse(headers as string)).toEqual({
      custom: "1",
      "message-id": hello.id,
      "content-type": "application/json",
      schema: "cascade.test.v1.Greeting",
    });
  });

  it("uses an explicit key and splits large batches across statements in order", async () => {
    const { manager, statements } = capturingManager();
    const messages = Array.from({ length: 2500 }, (_, i) => ({ value: greeting(`m${i}`), key: `k${i}` }));
    await new Outbox("svc").add(manager, topic, messages);

    expect(statements.map((s) => s.params.length / 4)).toEqual([1000, 1000, 500]);
    const keys = statements.flatMap((s) => s.params.filter((_, i) => i % 4 === 1));
    expect(keys).toEqual(messages.map((m) => m.key));
  });
});

/**
 * The delivery contract every Bus adapter must keep, as one Vitest suite. Each adapter's integration
 * test calls `describeBusContract` with a factory for its bus. Not exported from index.ts (it imports
 * vitest); import it by relative path.
 */
import { randomUUID } from "node:crypto";
import { ROOT_CONTEXT, context, propagation, trace } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  BusHeaders,
  deadLetterTopicName,
  NonRetryableError,
  type Bus,
  type Delivered,
  type Subscription,
  type SubscriptionSpec,
} from "./bus.js";
import { partitionForKey } from "./partitioner.js";
import { jsonTestTopic, rawBytesTopic, testEvent, type TestEvent } from "./test-support/json-test-topic.js";

export interface BusFixture {
  bus: Bus;
  /** Closes the bus and releases what the factory opened. */
  cleanup: () => Promise<void>;
  /** Partition count of a topic, undefined when it does not exist (adapter-specific look-up). */
  partitionCount: (topicName: string) => Promise<number | undefined>;
}

/** Long enough for a Kafka group to (re)balance on a busy 2-core machine. */
const arrivalTimeoutMs = 45_000;
/** How long "nothing more arrives" is watched for. */
const settleMs = 500;
const fastRetry = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 100 };

export function describeBusContract(name: string, makeBus: () => Promise<BusFixture>): void {
  describe(`Bus contract: ${name}`, () => {
    let fixture: BusFixture;
    let bus: Bus;
    const open: Subscription[] = [];
    const workspace = `ws-${randomUUID().slice(0, 8)}`;

    const group = (label: string): string => `bus-test-${label}-${randomUUID().slice(0, 8)}`;
    const subscribe = async <T>(spec: SubscriptionSpec<T>): Promise<Subscription> => {
      const subscription = await bus.subscribe(spec);
      open.push(subscription);
      return subscription;
    };
    /** Collects what arrives on `<topic>.dlq`, with its own group. */
    const readDeadLetters = async (topicName: string): Promise<Array<Delivered<Uint8Array>>> => {
      const letters: Array<Delivered<Uint8Array>> = [];
      await subscribe({
        group: group("dlq-reader"),
        topic: rawBytesTopic(deadLetterTopicName(topicName)),
        handler: async (m) => void letters.push(m),
      });
      return letters;
    };

    beforeAll(async () => {
      fixture = await makeBus();
      bus = fixture.bus;
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((subscription) => subscription.close()));
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it("(a) delivers each key's messages in publish order, keys spread over partitions by murmur2", async () => {
      const topic = jsonTestTopic("order");
      await bus.ensureTopics([topic], { partitions: 4 });
      const contacts = Array.from({ length: 12 }, (_, i) => `c${i}`);
      const perContact = 8;
      for (let n = 0; n < perContact; n++) {
        await bus.publish(
          topic,
          contacts.map((contactId) => ({ value: testEvent(workspace, contactId, n) })),
        );
      }
      const received: Array<Delivered<TestEvent>> = [];
      await subscribe({ group: group("order"), topic, handler: async (m) => void received.push(m) });

      await waitUntil(() => received.length >= contacts.length * perContact, "all messages delivered");
      expect(received).toHaveLength(contacts.length * perContact);
      for (const contactId of contacts) {
        const mine = received.filter((m) => m.value.contactId === contactId);
        expect(mine.map((m) => m.value.n)).toEqual([...Array(perContact).keys()]);
        const key = `${workspace}:${contactId}`;
        expect(new Set(mine.map((m) => m.partition))).toEqual(new Set([partitionForKey(key, 4)]));
        expect(mine.every((m) => m.key === key && m.attempt === 1)).toBe(true);
      }
      expect(new Set(received.map((m) => m.partition)).size).toBeGreaterThan(1);
      expect(received[0]!.id).toBe(received[0]!.value.id);
      expect(received[0]!.headers[BusHeaders.ContentType]).toBe("application/json");
      expect(received[0]!.headers[BusHeaders.Schema]).toBe(topic.schema);
    });

    it("(b) shares the partitions of a topic between the members of one group", async () => {
      const topic = jsonTestTopic("share");
      await bus.ensureTopics([topic], { partitions: 4 });
      const shared = group("share");
      const first: Array<Delivered<TestEvent>> = [];
      const second: Array<Delivered<TestEvent>> = [];
      await subscribe({ group: shared, topic, handler: async (m) => void first.push(m) });
      await subscribe({ group: shared, topic, handler: async (m) => void second.push(m) });

      const events = Array.from({ length: 40 }, (_, i) => testEvent(workspace, `share-${i}`, 0));
      await bus.publish(
        topic,
        events.map((value) => ({ value })),
      );
      await waitUntil(() => first.length + second.length >= events.length, "every message delivered to one member");
      await sleep(settleMs);

      expect(first.length).toBeGreaterThan(0);
      expect(second.length).toBeGreaterThan(0);
      const ids = [...first, ...second].map((m) => m.value.id);
      expect(ids).toHaveLength(events.length);
      expect(new Set(ids)).toEqual(new Set(events.map((e) => e.id)));
      const firstPartitions = new Set(first.map((m) => m.partition));
      expect(second.some((m) => firstPartitions.has(m.partition))).toBe(false);
    });

    it("(c) gives every message to each of two groups", async () => {
      const topic = jsonTestTopic("groups");
      await bus.ensureTopics([topic], { partitions: 2 });
      const events = Array.from({ length: 10 }, (_, i) => testEvent(workspace, `g-${i}`, 0));
      await bus.publish(
        topic,
        events.map((value) => ({ value })),
      );
      const left: string[] = [];
      const right: string[] = [];
      await subscribe({ group: group("left"), topic, handler: async (m) => void left.push(m.value.id) });
      await subscribe({ group: group("right"), topic, handler: async (m) => void right.push(m.value.id) });

      await waitUntil(
        () => left.length >= events.length && right.length >= events.length,
        "both groups got everything",
      );
      await sleep(settleMs);
      expect(left.sort()).toEqual(events.map((e) => e.id).sort());
      expect(right.sort()).toEqual(events.map((e) => e.id).sort());
    });

    it("(d) redelivers what a closed consumer did not handle to the group's next consumer", async () => {
      const topic = jsonTestTopic("redeliver");
      await bus.ensureTopics([topic], { partitions: 1 });
      const shared = group("redeliver");
      await bus.publish(
        topic,
        Array.from({ length: 6 }, (_, n) => ({ value: testEvent(workspace, "c1", n) })),
      );

      const handledByFirst: number[] = [];
      const stuck = deferred<void>();
      const fail = deferred<void>();
      const first = await subscribe({
        group: shared,
        topic,
        retry: { maxAttempts: 10, initialDelayMs: 5_000, maxDelayMs: 5_000 },
        handler: async (m) => {
          if (m.value.n === 3) {
            stuck.resolve();
            await fail.promise;
            throw new Error("interrupted by shutdown");
          }
          handledByFirst.push(m.value.n);
        },
      });
      await withTimeout(stuck.promise, "first consumer reached message 3");
      const closed = first.close();
      fail.resolve();
      await closed;
      expect(handledByFirst).toEqual([0, 1, 2]);

      const handledBySecond: number[] = [];
      await subscribe({ group: shared, topic, handler: async (m) => void handledBySecond.push(m.value.n) });
      await waitUntil(() => handledBySecond.length >= 3, "second consumer got the rest");
      await sleep(settleMs);
      expect(handledBySecond).toEqual([3, 4, 5]);
    });

    it("(e) retries a failing handler with growing backoff until it succeeds", async () => {
      const topic = jsonTestTopic("retry");
      await bus.ensureTopics([topic], { partitions: 1 });
      const attempts: Array<{ attempt: number; at: number }> = [];
      await subscribe({
        group: group("retry"),
        topic,
        retry: { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 },
        handler: async (m) => {
          attempts.push({ attempt: m.attempt, at: performance.now() });
          if (m.attempt < 3) throw new Error(`transient failure ${m.attempt}`);
          return "processed";
        },
      });
      await bus.publish(topic, [{ value: testEvent(workspace, "c1", 0) }]);

      await waitUntil(() => attempts.length >= 3, "three attempts");
      await sleep(settleMs);
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      // Timers may fire a millisecond early; the policy waits 100 ms, then 200 ms (plus jitter).
      expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(95);
      expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(195);
    });

    it("(f) dead-letters a message that always fails, once, with error and origin, then moves on", async () => {
      const topic = jsonTestTopic("poison");
      await bus.ensureTopics([topic], { partitions: 2 });
      const consumerGroup = group("poison");
      const poison = testEvent(workspace, "c1", 0);
      const next = testEvent(workspace, "c1", 1);
      const poisonDeliveries: Array<Delivered<TestEvent>> = [];
      const handled: string[] = [];
      const letters = await readDeadLetters(topic.name);
      await subscribe({
        group: consumerGroup,
        topic,
        retry: fastRetry,
        handler: async (m) => {
          if (m.value.id === poison.id) {
            poisonDeliveries.push(m);
            throw new Error(`cannot handle ${m.value.id}`);
          }
          handled.push(m.value.id);
        },
      });
      await bus.publish(topic, [{ value: poison }, { value: next, headers: { "x-origin": "contract-test" } }]);

      await waitUntil(
        () => handled.includes(next.id) && letters.length >= 1,
        "next message handled and poison dead-lettered",
      );
      await sleep(settleMs);
      expect(poisonDeliveries.map((m) => m.attempt)).toEqual([1, 2, 3]);
      expect(letters).toHaveLength(1);
      const letter = letters[0]!;
      const origin = poisonDeliveries[0]!;
      expect(JSON.parse(new TextDecoder().decode(letter.value))).toEqual(poison);
      expect(letter.key).toBe(`${workspace}:c1`);
      expect(letter.id).toBe(poison.id);
      expect(letter.headers).toMatchObject({
        [BusHeaders.DlqError]: `Error: cannot handle ${poison.id}`,
        [BusHeaders.DlqOriginTopic]: topic.name,
        [BusHeaders.DlqOriginPartition]: String(origin.partition),
        [BusHeaders.DlqOriginOffset]: origin.offset,
        [BusHeaders.DlqAttempts]: "3",
        [BusHeaders.DlqGroup]: consumerGroup,
        [BusHeaders.Schema]: topic.schema,
      });
    });

    it("(f') dead-letters at once on NonRetryableError", async () => {
      const topic = jsonTestTopic("non-retryable");
      await bus.ensureTopics([topic], { partitions: 1 });
      const attempts: number[] = [];
      const letters = await readDeadLetters(topic.name);
      await subscribe({
        group: group("non-retryable"),
        topic,
        retry: fastRetry,
        handler: async (m) => {
          attempts.push(m.attempt);
          throw new NonRetryableError("contact was deleted");
        },
      });
      await bus.publish(topic, [{ value: testEvent(workspace, "c1", 0) }]);
      await waitUntil(() => letters.length >= 1, "dead letter");
      await sleep(settleMs);
      expect(attempts).toEqual([1]);
      expect(letters).toHaveLength(1);
      expect(letters[0]!.headers[BusHeaders.DlqError]).toBe("NonRetryableError: contact was deleted");
      expect(letters[0]!.headers[BusHeaders.DlqAttempts]).toBe("1");
    });

    it("(g) dead-letters undecodable bytes without calling the handler", async () => {
      const topic = jsonTestTopic("garbage");
      await bus.ensureTopics([topic], { partitions: 1 });
      const garbage = new Uint8Array([0xff, 0xfe, 0x00, 0x7b]);
      const calls: Array<Delivered<TestEvent>> = [];
      const letters = await readDeadLetters(topic.name);
      await subscribe({ group: group("garbage"), topic, retry: fastRetry, handler: async (m) => void calls.push(m) });
      await bus.publishRaw(topic.name, [
        { key: `${workspace}:c1`, value: garbage, headers: { [BusHeaders.MessageId]: "garbage-1" } },
      ]);
      const valid = testEvent(workspace, "c1", 1);
      await bus.publish(topic, [{ value: valid }]);

      await waitUntil(
        () => calls.length >= 1 && letters.length >= 1,
        "valid message handled and garbage dead-lettered",
      );
      await sleep(settleMs);
      expect(calls.map((m) => m.value.id)).toEqual([valid.id]);
      expect(letters).toHaveLength(1);
      expect([...letters[0]!.value]).toEqual([...garbage]);
      expect(letters[0]!.id).toBe("garbage-1");
      expect(letters[0]!.headers[BusHeaders.DlqAttempts]).toBe("1");
      expect(letters[0]!.headers[BusHeaders.DlqError]).toContain("cannot decode");
      expect(letters[0]!.headers[BusHeaders.DlqOriginTopic]).toBe(topic.name);
    });

    it("(h) close waits for the running handler, commits it, and leaves the rest to the next consumer", async () => {
      const topic = jsonTestTopic("graceful");
      await bus.ensureTopics([topic], { partitions: 1 });
      const shared = group("graceful");
      await bus.publish(
        topic,
        Array.from({ length: 3 }, (_, n) => ({ value: testEvent(workspace, "c1", n) })),
      );
      const started = deferred<void>();
      const release = deferred<void>();
      const handledByFirst: number[] = [];
      const first = await subscribe({
        group: shared,
        topic,
        handler: async (m) => {
          started.resolve();
          await release.promise;
          handledByFirst.push(m.value.n);
        },
      });
      await withTimeout(started.promise, "slow handler started");
      let closeFinished = false;
      const closed = first.close().then(() => {
        closeFinished = true;
      });
      await sleep(300);
      expect(closeFinished).toBe(false);
      release.resolve();
      await closed;
      expect(handledByFirst).toEqual([0]);

      const handledBySecond: number[] = [];
      await subscribe({ group: shared, topic, handler: async (m) => void handledBySecond.push(m.value.n) });
      await waitUntil(() => handledBySecond.length >= 2, "second consumer got the unprocessed messages");
      await sleep(settleMs);
      expect(handledBySecond).toEqual([1, 2]);
    });

    it("(i) runs the handler in the producer's trace: send and process spans, traceparent header", async () => {
      const exporter = new InMemorySpanExporter();
      const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      provider.register({ propagator: new W3CTraceContextPropagator() });
      try {
        const topic = jsonTestTopic("trace");
        await bus.ensureTopics([topic], { partitions: 1 });
        const seen = deferred<{ traceparent: string | undefined; activeTraceId: string | undefined }>();
        const traceGroup = group("trace");
        await subscribe({
          group: traceGroup,
          topic,
          handler: async (m) =>
            seen.resolve({
              traceparent: m.headers[BusHeaders.TraceParent],
              activeTraceId: trace.getSpanContext(context.active())?.traceId,
            }),
        });
        const producerSpan = await trace.getTracer("bus-contract").startActiveSpan("produce", async (span) => {
          await bus.publish(topic, [{ value: testEvent(workspace, "c1", 0) }]);
          span.end();
          return span.spanContext();
        });
        expect(trace.getSpanContext(context.active())).toBeUndefined();

        const { traceparent, activeTraceId } = await withTimeout(seen.promise, "traced message handled");
        expect(activeTraceId).toBe(producerSpan.traceId);
        // The message carries the bus's producer span, a child of the application's span ...
        const send = exporter.getFinishedSpans().find((span) => span.name === `send ${topic.name}`);
        expect(send?.spanContext().traceId).toBe(producerSpan.traceId);
        expect(send?.parentSpanContext?.spanId).toBe(producerSpan.spanId);
        expect(traceparent).toBe(`00-${producerSpan.traceId}-${send?.spanContext().spanId}-01`);
        expect(trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }))?.spanId).toBe(
          send?.spanContext().spanId,
        );
        // ... and the handler ran in a consumer span that continues it.
        await waitUntil(
          () => exporter.getFinishedSpans().some((span) => span.name === `process ${topic.name}`),
          "consumer span ended",
        );
        const process = exporter.getFinishedSpans().find((span) => span.name === `process ${topic.name}`);
        expect(process?.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
        expect(process?.attributes["messaging.consumer.group.name"]).toBe(traceGroup);
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
        await provider.shutdown();
      }
    });

    it("(j) ensureTopics creates the topic and its dead-letter topic with the partitions asked, idempotently", async () => {
      const topic = jsonTestTopic("ensure");
      await bus.ensureTopics([topic], { partitions: 3 });
      await bus.ensureTopics([topic], { partitions: 3 });
      expect(await fixture.partitionCount(topic.name)).toBe(3);
      expect(await fixture.partitionCount(deadLetterTopicName(topic.name))).toBe(3);

      const withoutDlq = jsonTestTopic("ensure-no-dlq");
      await bus.ensureTopics([withoutDlq], { partitions: 2, withDeadLetters: false });
      expect(await fixture.partitionCount(withoutDlq.name)).toBe(2);
      expect(await fixture.partitionCount(deadLetterTopicName(withoutDlq.name))).toBeUndefined();
      expect(await bus.ping()).toBe(true);
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(condition: () => boolean, what: string, timeoutMs = arrivalTimeoutMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(20);
  }
}

export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = arrivalTimeoutMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

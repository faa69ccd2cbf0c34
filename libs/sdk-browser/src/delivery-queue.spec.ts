import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_DELIVERY_OPTIONS,
  DeliveryQueue,
  type DeliveryError,
  type DeliveryQueueOptions,
} from "./delivery-queue.js";
import { byteLength, type BatchPayload, type TrackMessage } from "./messages.js";
import { MemoryPendingStore } from "./pending-store.js";
import type { SendOutcome, Transport } from "./transport.js";

/** Records every batch; answers from `outcomes` in order (then "delivered"). */
class FakeTransport implements Transport {
  readonly sent: BatchPayload[] = [];
  readonly beaconed: BatchPayload[] = [];
  outcomes: SendOutcome[] = [];
  acceptBeacons = true;

  async send(payload: BatchPayload): Promise<SendOutcome> {
    this.sent.push(payload);
    return this.outcomes.shift() ?? { kind: "delivered" };
  }

  sendOnUnload(payload: BatchPayload): boolean {
    if (this.acceptBeacons) this.beaconed.push(payload);
    return this.acceptBeacons;
  }

  sentEvents(): string[] {
    return this.sent.flatMap((payload) => payload.batch.map((message) => (message as TrackMessage).event));
  }
}

let counter = 0;
function track(event: string): TrackMessage {
  counter += 1;
  return {
    type: "track",
    event,
    properties: {},
    messageId: `m-${counter}`,
    timestamp: new Date().toISOString(),
    anonymousId: "anon-1",
    context: {},
  };
}

const options: DeliveryQueueOptions = {
  ...DEFAULT_DELIVERY_OPTIONS,
  writeKey: "wk_test",
  flushAt: 3,
  flushIntervalMs: 1_000,
  maxAttempts: 3,
  backoff: { initialMs: 1_000, maxMs: 8_000, factor: 2, jitter: 0 },
};

describe("DeliveryQueue", () => {
  let transport: FakeTransport;
  let store: MemoryPendingStore;
  let online: boolean;
  let errors: DeliveryError[];
  const queueWith = (overrides: Partial<DeliveryQueueOptions> = {}): DeliveryQueue =>
    new DeliveryQueue(
      { ...options, ...overrides },
      { transport, store, isOnline: () => online, onError: (error) => errors.push(error) },
    );

  beforeEach(() => {
    vi.useFakeTimers();
    transport = new FakeTransport();
    store = new MemoryPendingStore();
    online = true;
    errors = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits for the flush interval, then sends everything queued in one batch with the write key", async () => {
    const queue = queueWith();
    queue.enqueue(track("a"));
    queue.enqueue(track("b"));
    await vi.advanceTimersByTimeAsync(999);
    expect(transport.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(transport.sent).toHaveLength(1);
    expect(transport.sent[0]).toMatchObject({ writeKey: "wk_test", batch: [{ event: "a" }, { event: "b" }] });
    expect(typeof transport.sent[0]!.sentAt).toBe("string");
    expect(queue.size).toBe(0);
    expect(store.load()).toEqual([]);
  });

  it("sends at once when flushAt messages are waiting", async () => {
    const queue = queueWith();
    for (const event of ["a", "b", "c"]) queue.enqueue(track(event));
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.sentEvents()).toEqual(["a", "b", "c"]);
  });

  it("splits a long queue into batches of at most maxBatchMessages and maxBatchBytes", async () => {
    const queue = queueWith({ flushAt: 100, maxBatchMessages: 2 });
    for (const event of ["a", "b", "c", "d", "e"]) queue.enqueue(track(event));
    await queue.flush();
    expect(transport.sent.map((payload) => payload.batch.length)).toEqual([2, 2, 1]);

    const messages = ["f", "g", "h"].map(track);
    const twoMessagesBytes = 64 + 2 * (byteLength(messages[0]) + 1);
    const bySize = queueWith({ flushAt: 100, maxBatchBytes: twoMessagesBytes });
    for (const message of messages) bySize.enqueue(message);
    await bySize.flush();
    expect(transport.sent.slice(3).map((payload) => payload.batch.length)).toEqual([2, 1]);
  });

  it("retries a failed batch with exponential backoff, keeping it stored until delivered", async () => {
    const queue = queueWith();
    transport.outcomes = [
      { kind: "retry", status: 503, reason: "HTTP 503" },
      { kind: "retry", status: 503, reason: "HTTP 503" },
    ];
    queue.enqueue(track("a"));
    await vi.advanceTimersByTimeAsync(1_000); // interval: attempt 1 fails
    expect(transport.sent).toHaveLength(1);
    expect(store.load()).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(999); // first backoff is 1000 ms
    expect(transport.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // attempt 2 fails
    expect(transport.sent).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(1_999); // second backoff is 2000 ms
    expect(transport.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // attempt 3 succeeds
    expect(transport.sentEvents()).toEqual(["a", "a", "a"]);
    expect(new Set(transport.sent.map((payload) => payload.batch[0]!.messageId)).size).toBe(1);
    expect(queue.size).toBe(0);
    expect(errors).toEqual([]);
  });

  it("drops a message after maxAttempts server errors and reports it", async () => {
    const queue = queueWith();
    transport.outcomes = Array.from({ length: 3 }, () => ({ kind: "retry", status: 500, reason: "HTTP 500" }) as const);
    const message = track("doomed");
    queue.enqueue(message);
    await vi.advanceTimersByTimeAsync(1_000 + 1_000 + 2_000);
    expect(transport.sent).toHaveLength(3);
    expect(queue.size).toBe(0);
    expect(errors).toEqual([
      expect.objectContaining({ reason: "attempts-exhausted", status: 500, messageIds: [message.messageId] }),
    ]);
  });

  it("does not count network failures as attempts: the message waits however long the network is down", async () => {
    const queue = queueWith({ backoff: { initialMs: 100, maxMs: 100, factor: 1, jitter: 0 } });
    transport.outcomes = Array.from({ length: 10 }, () => ({ kind: "retry", reason: "failed to fetch" }) as const);
    queue.enqueue(track("patient"));
    await vi.advanceTimersByTimeAsync(1_000 + 10 * 100);
    expect(transport.sent).toHaveLength(11);
    expect(queue.size).toBe(0);
    expect(errors).toEqual([]);
  });

  it("drops a batch the API rejects (4xx) and reports the status", async () => {
    const queue = queueWith();
    transport.outcomes = [{ kind: "rejected", status: 401, reason: "unknown write key" }];
    queue.enqueue(track("a"));
    await queue.flush();
    expect(queue.size).toBe(0);
    expect(errors[0]).toMatchObject({ reason: "rejected", status: 401 });
    queue.enqueue(track("b"));
    await queue.flush();
    expect(transport.sentEvents()).toEqual(["a", "b"]);
  });

  it("holds messages while offline and sends them when resumed", async () => {
    online = false;
    const queue = queueWith();
    for (const event of ["a", "b", "c", "d"]) queue.enqueue(track(event));
    await vi.advanceTimersByTimeAsync(10_000);
    queue.flushOnUnload();
    expect(transport.sent).toHaveLength(0);
    expect(transport.beaconed).toHaveLength(0);
    expect(store.load()).toHaveLength(4);

    online = true;
    await queue.resume();
    expect(transport.sentEvents()).toEqual(["a", "b", "c", "d"]);
    expect(queue.size).toBe(0);
  });

  it("resume() cuts a backoff wait short", async () => {
    const queue = queueWith({ backoff: { initialMs: 60_000, maxMs: 60_000, factor: 2, jitter: 0 } });
    transport.outcomes = [{ kind: "retry", reason: "offline" }];
    queue.enqueue(track("a"));
    await queue.flush();
    expect(queue.size).toBe(1);
    await queue.resume();
    expect(transport.sent).toHaveLength(2);
    expect(queue.size).toBe(0);
  });

  it("picks up messages stored by an earlier page and sends them after the interval", async () => {
    online = false;
    queueWith().enqueue(track("from-last-page"));
    vi.clearAllTimers(); // that page is gone
    online = true;
    const second = queueWith();
    expect(second.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(transport.sentEvents()).toEqual(["from-last-page"]);
  });

  it("hands everything to sendBeacon on unload, in beacon-sized batches, and keeps what the browser refuses", () => {
    const messages = ["a", "b", "c", "d"].map(track);
    const queue = queueWith({ flushAt: 100, maxUnloadBatchBytes: 64 + 2 * (byteLength(messages[0]) + 1) });
    for (const message of messages) queue.enqueue(message);
    queue.flushOnUnload();
    expect(transport.beaconed.map((payload) => payload.batch.length)).toEqual([2, 2]);
    expect(transport.beaconed.flatMap((payload) => payload.batch.map((m) => (m as TrackMessage).event))).toEqual([
      "a",
      "b",
      "c",
      "d",
    ]);
    expect(transport.beaconed[0]!.writeKey).toBe("wk_test");
    expect(queue.size).toBe(0);

    transport.acceptBeacons = false;
    queue.enqueue(track("refused"));
    queue.flushOnUnload();
    expect(store.load().map((entry) => (entry.message as TrackMessage).event)).toEqual(["refused"]);
  });

  it("refuses a message over 32 KB and drops the oldest beyond maxQueueSize", () => {
    online = false;
    const queue = queueWith({ maxQueueSize: 2 });
    const huge = { ...track("huge"), properties: { blob: "x".repeat(40_000) } };
    expect(queue.enqueue(huge)).toBe(false);
    expect(errors[0]).toMatchObject({ reason: "message-too-large", messageIds: [huge.messageId] });
    const oldest = track("oldest");
    queue.enqueue(oldest);
    queue.enqueue(track("b"));
    queue.enqueue(track("c"));
    expect(queue.size).toBe(2);
    expect(errors[1]).toMatchObject({ reason: "queue-full", messageIds: [oldest.messageId] });
  });
});

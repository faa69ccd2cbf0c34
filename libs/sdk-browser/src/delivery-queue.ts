import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.js";
import { byteLength, MAX_MESSAGE_BYTES, type BatchPayload, type Message } from "./messages.js";
import type { PendingEntry, PendingStore } from "./pending-store.js";
import type { SendOutcome, Transport } from "./transport.js";

export interface DeliveryQueueOptions {
  writeKey: string;
  /** Send as soon as this many messages are waiting. */
  flushAt: number;
  /** Otherwise send this long after a message was queued. */
  flushIntervalMs: number;
  /** Most messages in one request. */
  maxBatchMessages: number;
  /** Most bytes in one fetch request (Segment's limit is 500 KB). */
  maxBatchBytes: number;
  /** Most bytes in one sendBeacon request (browsers allow 64 KB in flight). */
  maxUnloadBatchBytes: number;
  /** Server errors (5xx, 429) a message may meet before it is dropped; network failures do not count. */
  maxAttempts: number;
  /** Beyond this many waiting messages the oldest are dropped (a long offline period). */
  maxQueueSize: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_DELIVERY_OPTIONS: Omit<DeliveryQueueOptions, "writeKey"> = {
  flushAt: 20,
  flushIntervalMs: 5_000,
  maxBatchMessages: 100,
  maxBatchBytes: 450 * 1024,
  maxUnloadBatchBytes: 60 * 1024,
  maxAttempts: 10,
  maxQueueSize: 1_000,
  backoff: DEFAULT_BACKOFF,
};

/** Why messages were given up; reported through `onError`, never thrown. */
export interface DeliveryError {
  reason: "rejected" | "attempts-exhausted" | "queue-full" | "message-too-large";
  messageIds: string[];
  status?: number;
  detail: string;
}

export interface DeliveryQueueDependencies {
  transport: Transport;
  store: PendingStore;
  /** navigator.onLine in the browser; while false nothing is attempted. */
  isOnline: () => boolean;
  now?: () => Date;
  /** Jitter source, in [0, 1). */
  random?: () => number;
  onError?: (error: DeliveryError) => void;
}

/**
 * Batches messages and delivers them at least once: persisted until the ingest API acknowledges them,
 * sent in batches when `flushAt` messages wait or `flushIntervalMs` after the first, retried with
 * exponential backoff, held while the browser is offline and sent when `resume()` says it is back.
 * Messages carry a messageId, so a duplicate (a beacon racing a fetch) is discarded by ingest.
 * DOM-free: the browser layer supplies the transport, the store and the online signal.
 */
export class DeliveryQueue {
  private entries: PendingEntry[];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Consecutive failed sends; drives the backoff, reset by a delivery. */
  private failedSends = 0;
  private sending: Promise<void> | undefined;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(
    private readonly options: DeliveryQueueOptions,
    private readonly deps: DeliveryQueueDependencies,
  ) {
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.entries = deps.store.load();
    if (this.entries.length > 0) this.scheduleFlush();
  }

  /** Messages not yet acknowledged. */
  get size(): number {
    return this.entries.length;
  }

  /** Queues a message; returns false (and reports) if it is larger than the per-message limit. */
  enqueue(message: Message): boolean {
    const size = byteLength(message);
    if (size > MAX_MESSAGE_BYTES) {
      this.report({
        reason: "message-too-large",
        messageIds: [message.messageId],
        detail: `message is ${size} bytes; the limit is ${MAX_MESSAGE_BYTES}`,
      });
      return false;
    }
    this.entries.push({ message, attempts: 0 });
    const excess = this.entries.length - this.options.maxQueueSize;
    if (excess > 0) {
      const dropped = this.entries.splice(0, excess);
      this.report({
        reason: "queue-full",
        messageIds: ids(dropped),
        detail: `more than ${this.options.maxQueueSize} messages waiting; the oldest were dropped`,
      });
    }
    this.persist();
    if (this.entries.length >= this.options.flushAt) void this.flush();
    else this.scheduleFlush();
    return true;
  }

  /**
   * Sends everything waiting, batch by batch. Resolves when the queue is empty, or when a send failed (a retry
   * is then scheduled with backoff), or at once while offline or waiting for a retry.
   */
  flush(): Promise<void> {
    if (this.sending) return this.sending;
    if (this.retryTimer !== undefined || !this.deps.isOnline() || this.entries.length === 0) return Promise.resolve();
    this.clearFlushTimer();
    this.sending = this.drain().finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  /** The browser is back online: skip what is left of a backoff wait and send now. */
  resume(): Promise<void> {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.failedSends = 0;
    return this.flush();
  }

  /**
   * The page is being hidden or unloaded: hand everything waiting (including a batch a fetch is still sending)
   * to sendBeacon, which the browser delivers after the page is gone. What the browser refuses stays stored
   * for the next page load. Nothing is sent while offline.
   */
  flushOnUnload(): void {
    this.clearFlushTimer();
    if (!this.deps.isOnline()) return;
    let remaining = this.entries.slice();
    while (remaining.length > 0) {
      const batch = takeBatch(remaining, this.options.maxBatchMessages, this.options.maxUnloadBatchBytes);
      if (!this.deps.transport.sendOnUnload(this.payload(batch))) break;
      this.remove(batch);
      remaining = remaining.slice(batch.length);
    }
    this.persist();
  }

  private async drain(): Promise<void> {
    while (this.entries.length > 0 && this.deps.isOnline()) {
      const batch = takeBatch(this.entries, this.options.maxBatchMessages, this.options.maxBatchBytes);
      let outcome: SendOutcome;
      try {
        outcome = await this.deps.transport.send(this.payload(batch));
      } catch (error) {
        outcome = { kind: "retry", reason: String(error) };
      }
      if (!this.settle(batch, outcome)) return;
    }
  }

  /** Applies one send's outcome; returns whether to go on with the next batch. */
  private settle(batch: PendingEntry[], outcome: SendOutcome): boolean {
    switch (outcome.kind) {
      case "delivered":
        this.failedSends = 0;
        this.remove(batch);
        this.persist();
        return true;
      case "rejected":
        this.remove(batch);
        this.persist();
        this.report({ reason: "rejected", status: outcome.status, messageIds: ids(batch), detail: outcome.reason });
        return true;
      case "retry": {
        if (outcome.status !== undefined) for (const entry of batch) entry.attempts += 1;
        const exhausted = batch.filter((entry) => entry.attempts >= this.options.maxAttempts);
        if (exhausted.length > 0) {
          this.remove(exhausted);
          this.report({
            reason: "attempts-exhausted",
            status: outcome.status,
            messageIds: ids(exhausted),
            detail: `gave up after ${this.options.maxAttempts} attempts: ${outcome.reason}`,
          });
        }
        this.persist();
        this.failedSends += 1;
        this.retryTimer = setTimeout(
          () => {
            this.retryTimer = undefined;
            void this.flush();
          },
          backoffDelay(this.failedSends, this.options.backoff, this.random),
        );
        return false;
      }
    }
  }

  private payload(batch: readonly PendingEntry[]): BatchPayload {
    return {
      batch: batch.map((entry) => entry.message),
      sentAt: this.now().toISOString(),
      writeKey: this.options.writeKey,
    };
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.retryTimer !== undefined || this.sending) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.options.flushIntervalMs);
  }

  private clearFlushTimer(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  /** Removes by identity, so a batch settled late (after an unload beacon took it) removes nothing twice. */
  private remove(batch: readonly PendingEntry[]): void {
    const gone = new Set(batch);
    this.entries = this.entries.filter((entry) => !gone.has(entry));
  }

  private persist(): void {
    this.deps.store.save(this.entries);
  }

  private report(error: DeliveryError): void {
    this.deps.onError?.(error);
  }
}

/** The longest prefix of `entries` within both limits; always at least one entry. */
function takeBatch(entries: readonly PendingEntry[], maxMessages: number, maxBytes: number): PendingEntry[] {
  const batch: PendingEntry[] = [];
  let bytes = 64; // the envelope: sentAt, writeKey, brackets
  for (const entry of entries) {
    const size = byteLength(entry.message) + 1;
    if (batch.length > 0 && (batch.length >= maxMessages || bytes + size > maxBytes)) break;
    batch.push(entry);
    bytes += size;
  }
  return batch;
}

function ids(entries: readonly PendingEntry[]): string[] {
  return entries.map((entry) => entry.message.messageId);
}

import type { TopicDef } from "@cascade/contracts";

/** Headers travel as strings. `traceparent`, `content-type` and `schema` are set by the bus. */
export type Headers = Record<string, string>;

export interface Publishable<T> {
  value: T;
  /** Defaults to `topic.key(value)`. */
  key?: string;
  headers?: Headers;
}

/** An already-encoded record, as stored by the outbox or sent to a dead-letter topic. */
export interface RawRecord {
  key: string;
  value: Uint8Array;
  headers: Headers;
}

export interface Delivered<T> {
  value: T;
  /** Envelope id of the message (the `message-id` header), used by the processed-messages ledger. */
  id: string;
  key: string;
  headers: Headers;
  topic: string;
  partition: number;
  offset: string;
  /** 1 for the first delivery attempt in this process. */
  attempt: number;
}

/** What a handler did with a message; all three count as handled and are committed. */
export type HandlerResult = "processed" | "duplicate" | "skipped";

export interface RetryPolicy {
  /** Attempts in total, the first one included, before the message goes to `<topic>.dlq`. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface SubscriptionSpec<T> {
  /** Consumer group; by convention the service name. */
  group: string;
  topic: TopicDef<T>;
  handler: (message: Delivered<T>) => Promise<HandlerResult | void>;
  retry?: Partial<RetryPolicy>;
  /** Start from the earliest offset when the group has no committed offset (default true). */
  fromBeginning?: boolean;
}

export interface Subscription {
  /** Stops fetching, lets the in-flight message finish, commits what was handled and nothing else. */
  close(): Promise<void>;
}

export interface EnsureTopicsOptions {
  partitions?: number;
  /** Also create `<topic>.dlq` (default true). */
  withDeadLetters?: boolean;
}

/**
 * The one producer/consumer API of Cascade. Two adapters implement it with the same contract
 * (see bus.contract.ts): Kafka (kafkajs) and embedded (in-process, log kept in PostgreSQL/PGlite).
 *
 * Contract: per-key ordering; consumer groups share partitions; at-least-once; bounded retries with
 * exponential backoff, then `<topic>.dlq` with the error and origin in headers; decode failures and
 * NonRetryableError go to the DLQ at once; graceful close commits processed offsets only; the
 * OpenTelemetry context travels in the `traceparent` header.
 */
export interface Bus {
  ensureTopics(topics: ReadonlyArray<TopicDef<unknown>>, options?: EnsureTopicsOptions): Promise<void>;
  /** Resolves once the messages are durably acknowledged (Kafka: acks=all; embedded: committed). */
  publish<T>(topic: TopicDef<T>, messages: ReadonlyArray<Publishable<T>>): Promise<void>;
  /** Publishes already-encoded records to a topic by name (outbox relay, dead letters). */
  publishRaw(topicName: string, records: ReadonlyArray<RawRecord>): Promise<void>;
  subscribe<T>(spec: SubscriptionSpec<T>): Promise<Subscription>;
  /** True when the bus can reach its log (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Thrown by a handler (or the bus, for undecodable bytes) when retrying cannot help. */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NonRetryableError";
  }
}

/** Header names used by the bus. */
export const BusHeaders = {
  MessageId: "message-id",
  ContentType: "content-type",
  Schema: "schema",
  TraceParent: "traceparent",
  TraceState: "tracestate",
  DlqError: "dlq-error",
  DlqOriginTopic: "dlq-origin-topic",
  DlqOriginPartition: "dlq-origin-partition",
  DlqOriginOffset: "dlq-origin-offset",
  DlqAttempts: "dlq-attempts",
  DlqGroup: "dlq-group",
} as const;

export const deadLetterTopicName = (topic: string): string => `${topic}.dlq`;

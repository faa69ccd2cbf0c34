import {
  CompressionTypes,
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type Consumer,
  type KafkaMessage,
  type Message,
  type Producer,
} from "kafkajs";
import type { TopicDef } from "@cascade/contracts";
import {
  deadLetterTopicName,
  type Bus,
  type EnsureTopicsOptions,
  type Publishable,
  type RawRecord,
  type Subscription,
  type SubscriptionSpec,
} from "../bus.js";
import { deliverRecord } from "../delivery/deliver-record.js";
import { buildOutgoingHeaders, headersFromWire } from "../delivery/headers.js";
import { withProducerSpan } from "../delivery/spans.js";
import type { InboundRecord } from "../delivery/inbound-record.js";
import { resolveRetryPolicy } from "../delivery/retry-policy.js";
import { stderrBusLogger, type BusLogger } from "../logger.js";
import { kafkaLogCreator } from "./kafka-log-creator.js";

/** Consumer tuning. The defaults suit services; tests shorten the timeouts. */
export interface KafkaConsumerTuning {
  /** Default 10 000. The broker rejects values below its group.min.session.timeout.ms (6 000 by default). */
  sessionTimeoutMs?: number;
  /** Default 20 000. */
  rebalanceTimeoutMs?: number;
  /** Default 1 000. Also how often a consumer heartbeats while it waits to retry a message. */
  heartbeatIntervalMs?: number;
  /** Longest a fetch waits for new messages (latency when idle). Default 200. */
  maxWaitTimeMs?: number;
  /** Partitions handled in parallel by one subscription; order within a partition is kept. Default 4. */
  partitionsConsumedConcurrently?: number;
  /** How long subscribe() waits for the first group assignment before it resolves anyway. Default 30 000. */
  joinTimeoutMs?: number;
  /**
   * Handled offsets are committed at the end of each fetched batch, on close, and within a batch once this
   * long has passed since the last commit. Default 100. 0 commits after every message (slowest).
   */
  commitIntervalMs?: number;
}

export interface KafkaBusConfig {
  brokers: string[];
  clientId: string;
  /** Partitions for topics created by ensureTopics when it is not given any. Default 3. */
  partitions?: number;
  /** Default 1 (single-broker development clusters). */
  replicationFactor?: number;
  /** Default: warnings and errors as JSON on stderr. */
  logger?: BusLogger;
  /** Which kafkajs log lines reach the logger. Default WARN. */
  kafkaLogLevel?: logLevel;
  /** TCP connect timeout to a broker. Default 3 000. */
  connectionTimeoutMs?: number;
  /** ping() gives up after this long. Default 3 000. */
  pingTimeoutMs?: number;
  consumer?: KafkaConsumerTuning;
}

const defaultTuning: Required<KafkaConsumerTuning> = {
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 20_000,
  heartbeatIntervalMs: 1_000,
  maxWaitTimeMs: 200,
  partitionsConsumedConcurrently: 4,
  commitIntervalMs: 100,
  joinTimeoutMs: 30_000,
};

/**
 * The bus on Apache Kafka (kafkajs). Producer: idempotent, acks=all, murmur2 key partitioning.
 * Consumer: one kafkajs consumer per subscription, offsets committed explicitly after each message is
 * handled or dead-lettered, never on shutdown for a message that was not.
 */
export class KafkaBus implements Bus {
  private readonly kafka: Kafka;
  private readonly logger: BusLogger;
  private readonly tuning: Required<KafkaConsumerTuning>;
  private readonly subscriptions = new Set<Subscription>();
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  /** A separate admin without retries, so a ping fails fast instead of retrying for seconds. */
  private pingAdmin?: Promise<Admin>;
  private closing?: Promise<void>;

  constructor(private readonly config: KafkaBusConfig) {
    if (!Array.isArray(config.brokers) || config.brokers.length === 0 || config.brokers.some((broker) => !broker)) {
      throw new Error(`KafkaBus: brokers must be a non-empty list of host:port, got ${JSON.stringify(config.brokers)}`);
    }
    if (!config.clientId) throw new Error("KafkaBus: clientId must be a non-empty string");
    this.logger = config.logger ?? stderrBusLogger;
    this.tuning = { ...defaultTuning, ...definedOnly(config.consumer ?? {}) };
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      connectionTimeout: config.connectionTimeoutMs ?? 3_000,
      logLevel: config.kafkaLogLevel ?? logLevel.WARN,
      logCreator: kafkaLogCreator(this.logger),
      retry: { initialRetryTime: 100, retries: 8 },
    });
  }

  async ensureTopics(topics: ReadonlyArray<TopicDef<unknown>>, options?: EnsureTopicsOptions): Promise<void> {
    const numPartitions = options?.partitions ?? this.config.partitions ?? 3;
    const withDeadLetters = options?.withDeadLetters ?? true;
    const names = [
      ...new Set(
        topics.flatMap((topic) => (withDeadLetters ? [topic.name, deadLetterTopicName(topic.name)] : [topic.name])),
      ),
    ];
    const admin = await this.connectedAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = names.filter((name) => !existing.has(name));
    if (missing.length > 0) {
      const replicationFactor = this.config.replicationFactor ?? 1;
      try {
        // Resolves false (no throw) when every topic already exists. Not `waitForLeaders`: kafkajs then polls
        // metadata and gives up on the first "does not host this topic-partition" a busy broker answers for
        // a topic it has just created; untilServed below waits for the leaders and tolerates that answer.
        await admin.createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor })),
          waitForLeaders: false,
        });
      } catch (error) {
        if (!isTopicAlreadyExists(error)) throw error;
      }
      this.logger.info({ topics: missing, numPartitions, replicationFactor }, "created topics");
    }
    await this.untilServed(admin, names);
  }

  /**
   * Waits until the broker's metadata serves every partition of the topics with a leader. A topic just created
   * (here or by another process) can be listed, and even have leaders, before the broker answers metadata
   * requests for it; a producer or consumer starting in that moment fails with "This server does not host this
   * topic-partition".
   */
  private async untilServed(admin: Admin, names: readonly string[], timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 500)) {
      try {
        const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
        const served = metadata.topics.every(
          (topic) =>
            topic.partitions.length > 0 &&
            topic.partitions.every((partition) => partition.leader >= 0 && partition.partitionErrorCode === 0),
        );
        if (served) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error(`topics not served by the broker after ${timeoutMs} ms: ${names.join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  async publish<T>(topic: TopicDef<T>, messages: ReadonlyArray<Publishable<T>>): Promise<void> {
    if (messages.length === 0) return;
    await withProducerSpan("kafka", topic.name, messages.length, async () => {
      const wire: Message[] = messages.map((message) => ({
        key: message.key ?? topic.key(message.value),
        value: asBuffer(topic.encode(message.value)),
        headers: buildOutgoingHeaders(topic, message.value, message.headers),
      }));
      await this.send(topic.name, wire);
    });
  }

  async publishRaw(topicName: string, records: ReadonlyArray<RawRecord>): Promise<void> {
    if (records.length === 0) return;
    await this.send(
      topicName,
      records.map((record) => ({ key: record.key, value: asBuffer(record.value), headers: { ...record.headers } })),
    );
  }

  async subscribe<T>(spec: SubscriptionSpec<T>): Promise<Subscription> {
    this.assertOpen();
    const subscription = new KafkaSubscription(
      this.kafka,
      spec,
      this.tuning,
      this.logger,
      (topicName, record) => this.publishRaw(topicName, [record]),
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      await subscription.close();
      throw error;
    }
    return subscription;
  }

  async ping(): Promise<boolean> {
    if (this.closing) return false;
    const timeoutMs = this.config.pingTimeoutMs ?? 3_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    this.pingAdmin ??= connectOrForget(this.kafka.admin({ retry: { retries: 0 } }), () => (this.pingAdmin = undefined));
    const described = this.pingAdmin
      .then((admin) => admin.describeCluster())
      .then((cluster) => cluster.brokers.length > 0)
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, "Kafka ping failed");
        return false;
      });
    try {
      return await Promise.race([described, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Partition count of a topic, undefined when it does not exist (operations and tests). */
  async partitionCount(topicName: string): Promise<number | undefined> {
    const admin = await this.connectedAdmin();
    if (!(await admin.listTopics()).includes(topicName)) return undefined;
    const metadata = await admin.fetchTopicMetadata({ topics: [topicName] });
    return metadata.topics.find((topic) => topic.name === topicName)?.partitions.length;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    const clients = [this.producer, this.admin, this.pingAdmin];
    this.producer = this.admin = this.pingAdmin = undefined;
    await Promise.all(
      clients.map((client) => client?.then((connected) => connected.disconnect()).catch(() => undefined)),
    );
  }

  private async send(topic: string, messages: Message[]): Promise<void> {
    this.assertOpen();
    const producer = await this.connectedProducer();
    await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
  }

  private connectedProducer(): Promise<Producer> {
    this.producer ??= connectOrForget(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      () => (this.producer = undefined),
    );
    return this.producer;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= connectOrForget(this.kafka.admin(), () => (this.admin = undefined));
    return this.admin;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error("KafkaBus is closed");
  }
}

/** One kafkajs consumer serving one SubscriptionSpec. */
class KafkaSubscription<T> implements Subscription {
  private readonly consumer: Consumer;
  private readonly shutdown = new AbortController();
  private closing?: Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly spec: SubscriptionSpec<T>,
    private readonly tuning: Required<KafkaConsumerTuning>,
    private readonly logger: BusLogger,
    private readonly publishDeadLetter: (topicName: string, record: RawRecord) => Promise<void>,
    private readonly onClosed: () => void,
  ) {
    this.consumer = kafka.consumer({
      groupId: kafkaGroupId(spec.group, spec.topic.name),
      sessionTimeout: tuning.sessionTimeoutMs,
      rebalanceTimeout: tuning.rebalanceTimeoutMs,
      heartbeatInterval: tuning.heartbeatIntervalMs,
      maxWaitTimeInMs: tuning.maxWaitTimeMs,
      allowAutoTopicCreation: true,
    });
  }

  async start(): Promise<void> {
    const policy = resolveRetryPolicy(this.spec.retry);
    const { consumer, spec, tuning, logger } = this;
    const joined = new Promise<void>((resolve) => {
      const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
        remove();
        resolve();
      });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      logger.error(
        { group: spec.group, topic: spec.topic.name, err: payload.error, restart: payload.restart },
        "Kafka consumer crashed",
      ),
    );
    await consumer.connect();
    await subscribeWhenServed(consumer, spec.topic.name, spec.fromBeginning ?? true);
    // eachBatch rather than eachMessage: its commitOffsetsIfNecessary(offsets) commits even while the
    // consumer is stopping (consumer.commitOffsets silently does nothing then), which close() needs to
    // commit the message it waited for.
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: tuning.partitionsConsumedConcurrently,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const { topic, partition } = batch;
        // Offsets of handled messages not committed yet. Committing every message costs a broker round trip
        // each; committing per batch (and on a timer within long batches) keeps at-least-once: a crash
        // redelivers at most the handled-but-uncommitted tail, which idempotent consumers absorb.
        let handled: string | undefined;
        let lastCommit = Date.now();
        const commitHandled = async (): Promise<void> => {
          if (handled === undefined || isStale()) return;
          await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: handled }] }] });
          handled = undefined;
          lastCommit = Date.now();
        };
        for (const message of batch.messages) {
          // Stopping or rebalancing: commit what was handled, leave the rest for the group's next owner.
          if (this.shutdown.signal.aborted || !isRunning() || isStale()) return commitHandled();
          const outcome = await deliverRecord(toInboundRecord(topic, partition, message), {
            spec,
            policy,
            signal: this.shutdown.signal,
            publishDeadLetter: this.publishDeadLetter,
            logger,
            keepAlive: heartbeat,
            keepAliveEveryMs: tuning.heartbeatIntervalMs,
          });
          if (outcome === "aborted") return commitHandled();
          handled = (BigInt(message.offset) + 1n).toString();
          resolveOffset(message.offset);
          if (Date.now() - lastCommit >= tuning.commitIntervalMs) await commitHandled();
          await heartbeat();
        }
        await commitHandled();
      },
    });
    if ((await withTimeout(joined, tuning.joinTimeoutMs)) === "timeout") {
      logger.warn(
        { group: spec.group, topic: spec.topic.name, timeoutMs: tuning.joinTimeoutMs },
        "consumer has not joined its group yet; continuing",
      );
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.shutdown.abort();
      try {
        // Waits for the in-flight message (and its commit), then leaves the group.
        await this.consumer.disconnect();
      } finally {
        this.onClosed();
      }
    })();
    return this.closing;
  }
}

/**
 * The Kafka group id of a subscription: `<group>.<topic>`. One logical group (a service) may consume several
 * topics, but kafkajs assumes every member of a Kafka group subscribes to the same topics, so each
 * (group, topic) pair is its own Kafka group.
 */
export function kafkaGroupId(group: string, topic: string): string {
  return `${group}.${topic}`;
}

function toInboundRecord(topic: string, partition: number, message: KafkaMessage): InboundRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString("utf8") ?? "",
    value: message.value ?? new Uint8Array(),
    headers: headersFromWire(message.headers),
  };
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function connectOrForget<C extends { connect(): Promise<void> }>(client: C, forget: () => void): Promise<C> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    forget();
    throw error;
  }
}

function isTopicAlreadyExists(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { type, errors } = error as { type?: unknown; errors?: unknown };
  if (type === "TOPIC_ALREADY_EXISTS") return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isTopicAlreadyExists(inner));
}

async function withTimeout(promise: Promise<void>, ms: number): Promise<"done" | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([promise.then(() => "done" as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function definedOnly<V extends object>(values: V): Partial<V> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<V>;
}

/**
 * consumer.subscribe, retried for a few seconds while the broker answers "This server does not host this
 * topic-partition": a topic another process created a moment ago can be listed before the broker serves its
 * metadata. Other errors, and a topic still unknown after the retries, are thrown.
 */
async function subscribeWhenServed(consumer: Consumer, topic: string, fromBeginning: boolean): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning });
      return;
    } catch (error) {
      const unknownTopic = (error as { type?: string }).type === "UNKNOWN_TOPIC_OR_PARTITION";
      if (!unknownTopic || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 1_000)));
    }
  }
}

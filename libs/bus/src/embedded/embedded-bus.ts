import type { DataSource } from "typeorm";
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
import { buildOutgoingHeaders } from "../delivery/headers.js";
import { withProducerSpan } from "../delivery/spans.js";
import { resolveRetryPolicy } from "../delivery/retry-policy.js";
import { stderrBusLogger, type BusLogger } from "../logger.js";
import { ConsumerGroups } from "./consumer-groups.js";
import { EmbeddedLog } from "./embedded-log.js";
import { EmbeddedSubscription } from "./embedded-subscription.js";
import { PublishNotifier } from "./publish-notifier.js";

export interface EmbeddedBusConfig {
  /** An initialised TypeORM DataSource on PostgreSQL or PGlite. The bus uses it, never destroys it. */
  dataSource: DataSource;
  /** Schema holding the bus tables; the bus owns it. Default `bus`. */
  schema?: string;
  /** Partitions of topics created without an explicit count (ensureTopics, first publish). Default 3. */
  partitions?: number;
  /** How often a drained partition looks for messages published by other processes. Default 250. */
  pollIntervalMs?: number;
  /** Records read per query. Default 100. */
  fetchBatchSize?: number;
  logger?: BusLogger;
}

/**
 * The bus in one process, its log kept in PostgreSQL (PGlite in embedded mode), so whatever
 * publish() acknowledged survives a restart. Same contract as KafkaBus (see bus.contract.ts).
 * Consumer groups are coordinated within this process only: two processes consuming the same group
 * on the same schema would each receive every message.
 */
export class EmbeddedBus implements Bus {
  private readonly log: EmbeddedLog;
  private readonly notifier = new PublishNotifier();
  private readonly groups = new ConsumerGroups();
  private readonly subscriptions = new Set<EmbeddedSubscription<unknown>>();
  private readonly logger: BusLogger;
  private readonly defaultPartitions: number;
  private closing?: Promise<void>;

  constructor(private readonly config: EmbeddedBusConfig) {
    if (!config.dataSource) throw new Error("EmbeddedBus: dataSource is required");
    this.log = new EmbeddedLog(config.dataSource, config.schema ?? "bus");
    this.logger = config.logger ?? stderrBusLogger;
    this.defaultPartitions = config.partitions ?? 3;
  }

  /** Creates the bus schema and tables if needed. Optional: every other method does it on first use. */
  init(): Promise<void> {
    return this.log.init();
  }

  async ensureTopics(topics: ReadonlyArray<TopicDef<unknown>>, options?: EnsureTopicsOptions): Promise<void> {
    this.assertOpen();
    const partitions = options?.partitions ?? this.defaultPartitions;
    const withDeadLetters = options?.withDeadLetters ?? true;
    for (const topic of topics) {
      await this.log.ensureTopic(topic.name, partitions);
      if (withDeadLetters) await this.log.ensureTopic(deadLetterTopicName(topic.name), partitions);
    }
  }

  async publish<T>(topic: TopicDef<T>, messages: ReadonlyArray<Publishable<T>>): Promise<void> {
    await withProducerSpan("cascade-embedded", topic.name, messages.length, () =>
      this.publishRaw(
        topic.name,
        messages.map((message) => ({
          key: message.key ?? topic.key(message.value),
          value: topic.encode(message.value),
          headers: buildOutgoingHeaders(topic, message.value, message.headers),
        })),
      ),
    );
  }

  async publishRaw(topicName: string, records: ReadonlyArray<RawRecord>): Promise<void> {
    this.assertOpen();
    if (records.length === 0) return;
    await this.log.append(topicName, records, this.defaultPartitions);
    this.notifier.notify(topicName);
  }

  async subscribe<T>(spec: SubscriptionSpec<T>): Promise<Subscription> {
    this.assertOpen();
    const policy = resolveRetryPolicy(spec.retry);
    const partitions = await this.log.ensureTopic(spec.topic.name, this.defaultPartitions);
    const subscription = new EmbeddedSubscription(spec, {
      log: this.log,
      notifier: this.notifier,
      logger: this.logger,
      policy,
      pollIntervalMs: this.config.pollIntervalMs ?? 250,
      fetchBatchSize: this.config.fetchBatchSize ?? 100,
      // Dead letters are written even while the bus closes: a message is committed only after its letter.
      publishDeadLetter: async (topicName, record) => {
        await this.log.append(topicName, [record], this.defaultPartitions);
        this.notifier.notify(topicName);
      },
      leaveGroup: async (member) => {
        await this.groups.leave(spec.group, spec.topic.name, partitions, member, !this.closing);
        this.subscriptions.delete(member);
      },
    }) as EmbeddedSubscription<unknown>;
    this.subscriptions.add(subscription);
    await this.groups.join(spec.group, spec.topic.name, partitions, subscription);
    return subscription;
  }

  async ping(): Promise<boolean> {
    if (this.closing) return false;
    try {
      await this.log.ping();
      return true;
    } catch (error) {
      this.logger.warn({ err: error }, "embedded bus ping failed");
      return false;
    }
  }

  /** Partition count of a topic, undefined when it does not exist (operations and tests). */
  partitionCount(topicName: string): Promise<number | undefined> {
    return this.log.partitionCount(topicName);
  }

  /** Closes every subscription (in-flight handlers finish and commit). Leaves the DataSource open. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.subscriptions].map((subscription) => subscription.close())).then(
      () => undefined,
    );
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error("EmbeddedBus is closed");
  }
}

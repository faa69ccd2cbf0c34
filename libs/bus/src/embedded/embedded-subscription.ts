import type { RawRecord, RetryPolicy, Subscription, SubscriptionSpec } from "../bus.js";
import { deliverRecord } from "../delivery/deliver-record.js";
import { abortableDelay } from "../delivery/retry-policy.js";
import type { BusLogger } from "../logger.js";
import type { GroupMember } from "./consumer-groups.js";
import type { EmbeddedLog } from "./embedded-log.js";
import type { PublishNotifier } from "./publish-notifier.js";

export interface EmbeddedSubscriptionDeps {
  log: EmbeddedLog;
  notifier: PublishNotifier;
  logger: BusLogger;
  policy: RetryPolicy;
  pollIntervalMs: number;
  fetchBatchSize: number;
  publishDeadLetter: (topicName: string, record: RawRecord) => Promise<void>;
  /** Leaves the consumer group; called once by close(). */
  leaveGroup: (member: EmbeddedSubscription<unknown>) => Promise<void>;
}

/**
 * One subscription of the embedded bus: a group member that runs one loop per assigned partition.
 * A loop reads a batch after the group's committed offset, delivers each record in order and commits
 * offset+1 once it is handled or dead-lettered; it waits for a local publish or the poll interval
 * when the partition is drained.
 */
export class EmbeddedSubscription<T> implements Subscription, GroupMember {
  /** Aborted by close(): no new attempt starts, in-flight handlers are awaited. */
  private readonly closed = new AbortController();
  private readonly running = new Map<number, { stop: AbortController; done: Promise<void> }>();
  private closing?: Promise<void>;

  constructor(
    readonly spec: SubscriptionSpec<T>,
    private readonly deps: EmbeddedSubscriptionDeps,
  ) {}

  assign(partitions: number[]): void {
    if (this.closed.signal.aborted) return;
    for (const partition of partitions) {
      if (this.running.has(partition)) continue;
      const stop = new AbortController();
      const signal = AbortSignal.any([stop.signal, this.closed.signal]);
      const done = this.consumePartition(partition, signal).catch((error: unknown) =>
        this.deps.logger.error(
          { group: this.spec.group, topic: this.spec.topic.name, partition, err: error },
          "embedded partition consumer stopped on an error",
        ),
      );
      this.running.set(partition, { stop, done });
    }
  }

  async revokeAll(): Promise<void> {
    const loops = [...this.running.values()];
    this.running.clear();
    for (const loop of loops) loop.stop.abort();
    await Promise.all(loops.map((loop) => loop.done));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed.abort();
      await this.deps.leaveGroup(this as EmbeddedSubscription<unknown>);
    })();
    return this.closing;
  }

  private async consumePartition(partition: number, signal: AbortSignal): Promise<void> {
    const { log, notifier, logger, pollIntervalMs, fetchBatchSize } = this.deps;
    const { group, topic, fromBeginning } = this.spec;
    const where = { group, topic: topic.name, partition };
    let position: bigint | undefined;
    while (!signal.aborted) {
      const seenVersion = notifier.version(topic.name);
      try {
        position ??= await log.startOffset(group, topic.name, partition, fromBeginning ?? true);
        const records = await log.read(topic.name, partition, position, fetchBatchSize);
        if (records.length === 0) {
          await notifier.waitForPublish(topic.name, seenVersion, pollIntervalMs, signal);
          continue;
        }
        for (const record of records) {
          const outcome = await deliverRecord(record, {
            spec: this.spec,
            policy: this.deps.policy,
            signal,
            publishDeadLetter: this.deps.publishDeadLetter,
            logger,
          });
          if (outcome === "aborted") return;
          const next = BigInt(record.offset) + 1n;
          await log.commit(group, topic.name, partition, next);
          position = next;
          if (signal.aborted) return;
        }
      } catch (error) {
        // The database or the dead-letter publish failed: nothing was committed; retry from `position`.
        logger.error(
          { ...where, offset: position?.toString(), err: error },
          "embedded consumer failed, retrying after the poll interval",
        );
        await abortableDelay(pollIntervalMs, signal);
      }
    }
  }
}

import { renamedTopic, type TopicDef } from "@cascade/contracts";
import type { Bus, EnsureTopicsOptions, Publishable, RawRecord, Subscription, SubscriptionSpec } from "@cascade/bus";

/**
 * A view of a bus in which every topic and consumer group carries a suffix (`events.v1` → `events.v1.<suffix>`,
 * group `profiles` → `profiles.<suffix>`), so tests and side-by-side installations share one broker without
 * sharing messages or group memberships. Dead letters follow (`events.v1.<suffix>.dlq`).
 */
export class NamespacedBus implements Bus {
  constructor(
    private readonly inner: Bus,
    private readonly suffix: string,
  ) {
    if (!/^[A-Za-z0-9_-]+$/.test(suffix)) throw new Error(`topic suffix "${suffix}" must be letters, digits, _ or -`);
  }

  private nameOf(name: string): string {
    return `${name}.${this.suffix}`;
  }

  private topic<T>(topic: TopicDef<T>): TopicDef<T> {
    return renamedTopic(topic, this.nameOf(topic.name));
  }

  ensureTopics(topics: ReadonlyArray<TopicDef<unknown>>, options?: EnsureTopicsOptions): Promise<void> {
    return this.inner.ensureTopics(
      topics.map((topic) => this.topic(topic)),
      options,
    );
  }

  publish<T>(topic: TopicDef<T>, messages: ReadonlyArray<Publishable<T>>): Promise<void> {
    return this.inner.publish(this.topic(topic), messages);
  }

  publishRaw(topicName: string, records: ReadonlyArray<RawRecord>): Promise<void> {
    return this.inner.publishRaw(this.nameOf(topicName), records);
  }

  subscribe<T>(spec: SubscriptionSpec<T>): Promise<Subscription> {
    // A Kafka group's members must subscribe to the same topics, so the group is namespaced with its topics.
    return this.inner.subscribe({ ...spec, group: `${spec.group}.${this.suffix}`, topic: this.topic(spec.topic) });
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

import { EventPattern } from "@nestjs/microservices";
import type { TopicDef } from "@cascade/contracts";

/** The pattern a consumer method is registered under: one topic, one consumer group. */
export interface ConsumerPattern {
  topic: string;
  group: string;
}

/**
 * Marks a method as the consumer of `topic` for consumer group `group` (by convention the service name).
 * The method receives a `Delivered<T>` and returns a `HandlerResult`. Throwing retries with backoff;
 * throwing `NonRetryableError` sends the message to `<topic>.dlq` at once.
 *
 * Two services in one process may consume the same topic: the group is part of the pattern, so their
 * handlers stay separate.
 */
export function Consume<T>(topic: TopicDef<T>, options: { group: string }): MethodDecorator {
  const pattern: ConsumerPattern = { topic: topic.name, group: options.group };
  return EventPattern(pattern);
}

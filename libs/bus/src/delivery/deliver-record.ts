import {
  BusHeaders,
  NonRetryableError,
  type Delivered,
  type RawRecord,
  type RetryPolicy,
  type SubscriptionSpec,
} from "../bus.js";
import type { BusLogger } from "../logger.js";
import { buildDeadLetter } from "./dead-letter.js";
import { extractTraceContext } from "./headers.js";
import { withConsumerSpan } from "./spans.js";
import type { InboundRecord } from "./inbound-record.js";
import { backoffDelayMs, sleepUnlessAborted } from "./retry-policy.js";

/**
 * `handled`: the handler succeeded; `dead-lettered`: the message is on `<topic>.dlq`. Both mean the
 * caller commits offset+1. `aborted`: shutdown interrupted the retries; the caller must NOT commit,
 * so the message is delivered again to the group's next consumer.
 */
export type DeliveryOutcome = "handled" | "dead-lettered" | "aborted";

export interface DeliveryContext<T> {
  spec: SubscriptionSpec<T>;
  policy: RetryPolicy;
  /** Aborted when the subscription closes: no new attempt starts, a running handler is awaited. */
  signal: AbortSignal;
  publishDeadLetter: (topicName: string, record: RawRecord) => Promise<void>;
  logger: BusLogger;
  /** Called during backoff waits (Kafka: heartbeat). Its errors propagate, leaving the message uncommitted. */
  keepAlive?: () => Promise<void>;
  keepAliveEveryMs?: number;
}

/**
 * Delivers one record to a subscription's handler with the bus's contract: decode (failures go to
 * the DLQ at once), run the handler in the producer's trace context, retry with exponential backoff
 * up to `policy.maxAttempts`, dead-letter on NonRetryableError or when attempts are exhausted.
 * Both adapters call this; they differ only in how they fetch and commit.
 * Rejects only when publishing the dead letter (or keepAlive) fails; the caller then must not commit.
 */
export async function deliverRecord<T>(record: InboundRecord, ctx: DeliveryContext<T>): Promise<DeliveryOutcome> {
  const { spec, policy, signal, logger } = ctx;
  const where = { topic: record.topic, partition: record.partition, offset: record.offset, group: spec.group };
  if (signal.aborted) return "aborted";

  let value: T;
  try {
    value = spec.topic.decode(record.value);
  } catch (cause) {
    const error = new NonRetryableError(`cannot decode a ${spec.topic.schema} message from topic ${record.topic}`, {
      cause,
    });
    logger.warn({ ...where, err: error }, "undecodable message, sending it to the dead-letter topic");
    await deadLetter(record, error, 1, ctx);
    return "dead-lettered";
  }

  const traceContext = extractTraceContext(record.headers);
  const id = record.headers[BusHeaders.MessageId] ?? `${record.topic}/${record.partition}/${record.offset}`;
  for (let attempt = 1; ; attempt++) {
    const delivered: Delivered<T> = {
      value,
      id,
      key: record.key,
      headers: record.headers,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      attempt,
    };
    try {
      await withConsumerSpan(traceContext, { ...delivered, group: spec.group }, () => spec.handler(delivered));
      return "handled";
    } catch (error) {
      const fields = { ...where, messageId: id, attempt, err: error };
      if (error instanceof NonRetryableError || attempt >= policy.maxAttempts) {
        logger.warn(fields, "handler failed for good, sending the message to the dead-letter topic");
        await deadLetter(record, error, attempt, ctx);
        return "dead-lettered";
      }
      if (signal.aborted) {
        logger.info(fields, "handler failed during shutdown; the message stays uncommitted");
        return "aborted";
      }
      const delayMs = backoffDelayMs(policy, attempt);
      logger.debug({ ...fields, delayMs }, "handler failed, retrying after backoff");
      const waited = await sleepUnlessAborted(delayMs, signal, ctx.keepAlive, ctx.keepAliveEveryMs);
      if (waited === "aborted") return "aborted";
    }
  }
}

async function deadLetter<T>(
  record: InboundRecord,
  error: unknown,
  attempts: number,
  ctx: DeliveryContext<T>,
): Promise<void> {
  const letter = buildDeadLetter({ record, error, attempts, group: ctx.spec.group });
  await ctx.publishDeadLetter(letter.topic, letter.record);
}

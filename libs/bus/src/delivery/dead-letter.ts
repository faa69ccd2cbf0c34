import { BusHeaders, deadLetterTopicName, type RawRecord } from "../bus.js";
import type { InboundRecord } from "./inbound-record.js";

/** Longest error text kept in the `dlq-error` header; stack traces belong in logs, not headers. */
export const maxDeadLetterErrorLength = 2_000;

export interface DeadLetter {
  topic: string;
  record: RawRecord;
}

/**
 * The dead-letter record for a message that could not be handled: the original key, bytes and
 * headers, plus why (`dlq-error`), where it came from (`dlq-origin-*`), how often it was tried
 * (`dlq-attempts`) and by which consumer group (`dlq-group`).
 */
export function buildDeadLetter(input: {
  record: InboundRecord;
  error: unknown;
  attempts: number;
  group: string;
}): DeadLetter {
  const { record, error, attempts, group } = input;
  return {
    topic: deadLetterTopicName(record.topic),
    record: {
      key: record.key,
      value: record.value,
      headers: {
        ...record.headers,
        [BusHeaders.DlqError]: describeError(error).slice(0, maxDeadLetterErrorLength),
        [BusHeaders.DlqOriginTopic]: record.topic,
        [BusHeaders.DlqOriginPartition]: String(record.partition),
        [BusHeaders.DlqOriginOffset]: record.offset,
        [BusHeaders.DlqAttempts]: String(attempts),
        [BusHeaders.DlqGroup]: group,
      },
    },
  };
}

/** `Name: message`, following `cause` chains, for errors; String(value) for anything else thrown. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const own = `${error.name}: ${error.message}`;
  return error.cause === undefined ? own : `${own} (caused by ${describeError(error.cause)})`;
}

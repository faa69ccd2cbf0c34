/** Why a message does not satisfy its contract. */
export type ContractErrorCode =
  /** The bytes are not a message of the topic's type (corrupt, wrong topic, wrong encoding). */
  | "DECODE_FAILED"
  /** The envelope (id, workspace, occurred_at) is missing or incomplete. */
  | "ENVELOPE_INVALID"
  /** The field the topic is keyed by is empty. */
  | "KEY_MISSING"
  /** A topic name that Kafka would not accept. */
  | "TOPIC_NAME_INVALID";

/**
 * A message that breaks its contract. Never retryable: redelivering the same bytes or
 * re-publishing the same message fails the same way, so consumers send it to the DLQ at once.
 */
export class ContractError extends Error {
  readonly retryable = false;

  constructor(
    readonly code: ContractErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ContractError";
  }
}

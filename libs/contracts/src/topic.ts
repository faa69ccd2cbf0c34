/**
 * A topic in the registry: its name, how a message is keyed, and how it is encoded.
 * Every producer and consumer goes through a TopicDef; no topic name appears as a string
 * literal anywhere else in the code base.
 */
export type ContentType = "application/x-protobuf" | "application/json";

/** The envelope every message carries (proto: cascade.common.v1.Envelope). */
export interface EnvelopeFields {
  /** UUIDv7 of this message; consumers de-duplicate on it. */
  id: string;
  workspace: string;
  /** RFC 3339 / ISO 8601 in UTC. */
  occurredAt: string;
}

export interface TopicDef<T> {
  /** Full topic name, e.g. `events.v1`. */
  readonly name: string;
  /** Fully qualified protobuf message name, e.g. `cascade.events.v1.Event`. Sent as a header. */
  readonly schema: string;
  /** Internal topics: protobuf binary; public streams: canonical proto3 JSON. */
  readonly contentType: ContentType;
  /** Partition key: `<workspace>:<contactId>` for per-contact topics. */
  key(message: T): string;
  /** The message's envelope (id, workspace, occurred_at). */
  envelope(message: T): EnvelopeFields;
  encode(message: T): Uint8Array;
  /** Throws on bytes that are not a valid message of this type. */
  decode(bytes: Uint8Array): T;
}

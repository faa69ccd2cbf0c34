/**
 * Messages of the Segment tracking spec (https://segment.com/docs/connections/spec/), as the SDK sends them
 * to the ingest tracking API (`POST /v1/batch`).
 */
export type JsonObject = Record<string, unknown>;

export interface MessageBase {
  messageId: string;
  /** When the call happened on the client (ISO 8601). */
  timestamp: string;
  anonymousId: string;
  userId?: string;
  context: JsonObject;
}

export interface TrackMessage extends MessageBase {
  type: "track";
  event: string;
  properties: JsonObject;
}
export interface IdentifyMessage extends MessageBase {
  type: "identify";
  traits: JsonObject;
}
export interface PageMessage extends MessageBase {
  type: "page";
  name?: string;
  category?: string;
  properties: JsonObject;
}
export interface GroupMessage extends MessageBase {
  type: "group";
  groupId: string;
  traits: JsonObject;
}
export interface AliasMessage extends MessageBase {
  type: "alias";
  /** The new id; previousId is the id it replaces. */
  userId: string;
  previousId: string;
}

export type Message = TrackMessage | IdentifyMessage | PageMessage | GroupMessage | AliasMessage;

/** The body of `POST /v1/batch`. `writeKey` is in the body because sendBeacon cannot set an auth header. */
export interface BatchPayload {
  batch: Message[];
  sentAt: string;
  writeKey: string;
}

/** Segment's per-message limit; a larger message is refused at the call site rather than retried forever. */
export const MAX_MESSAGE_BYTES = 32 * 1024;

/** UTF-8 length of a message as it will be sent. */
export function byteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/** A random RFC 4122 version 4 UUID; uses crypto.getRandomValues (present in every browser and in Node). */
export function uuidV4(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

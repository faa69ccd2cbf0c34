import { EventType } from "@cascade/contracts";
import { IngestError, type FieldIssue } from "../http/ingest-error.js";
import { issuesOf } from "../http/validation.js";
import { MESSAGE_LIMIT_BYTES } from "../http/request-body.js";
import type { IncomingEvent } from "../intake/incoming-event.js";
import type { ResolvedSource } from "../sources/write-key-resolver.js";
import {
  batchEnvelope,
  MESSAGE_TYPES,
  messageSchemas,
  type MessageType,
  type SegmentMessage,
} from "./tracking.schemas.js";

const EVENT_TYPES: Record<MessageType, EventType> = {
  identify: EventType.IDENTIFY,
  track: EventType.TRACK,
  page: EventType.PAGE,
  screen: EventType.SCREEN,
  group: EventType.GROUP,
  alias: EventType.ALIAS,
};

/**
 * Segment's clock-skew correction: a device clock may be wrong, but the gap between `timestamp` and `sentAt` was
 * measured on that same clock, so the event happened that long before the server received the call:
 * `receivedAt - (sentAt - timestamp)`. Without sentAt, the client's timestamp is kept; without timestamp, receivedAt.
 * (The client's original timestamp stays recoverable: timestamp + (sentAt - receivedAt).)
 */
export function correctedTimestamp(times: { timestamp?: Date; sentAt?: Date; receivedAt: Date }): Date {
  if (!times.timestamp) return times.receivedAt;
  if (!times.sentAt) return times.timestamp;
  return new Date(times.receivedAt.getTime() - (times.sentAt.getTime() - times.timestamp.getTime()));
}

/** One validated message, its size checked, or the issues naming its fields under `prefix`. */
function parseMessage(
  type: MessageType,
  raw: unknown,
  prefix: string,
): { message: SegmentMessage; bytes: number } | FieldIssue[] {
  const bytes = Buffer.byteLength(JSON.stringify(raw) ?? "");
  if (bytes > MESSAGE_LIMIT_BYTES) {
    return [
      {
        field: prefix || "body",
        message: `is ${Math.ceil(bytes / 1024)} KB, above the limit of ${MESSAGE_LIMIT_BYTES / 1024} KB a message`,
      },
    ];
  }
  const result = messageSchemas[type].safeParse(raw);
  if (!result.success) return issuesOf(result.error, prefix, raw);
  return { message: { ...result.data, type } as SegmentMessage, bytes };
}

function toIncoming(message: SegmentMessage, bytes: number, source: ResolvedSource, receivedAt: Date): IncomingEvent {
  return {
    workspaceId: source.workspaceId,
    sourceId: source.sourceId,
    type: EVENT_TYPES[message.type],
    event: message.type === "track" ? message.event : undefined,
    name: message.type === "page" || message.type === "screen" ? message.name : undefined,
    category: message.type === "page" || message.type === "screen" ? message.category : undefined,
    userId: message.userId,
    anonymousId: message.anonymousId,
    groupId: message.type === "group" ? message.groupId : undefined,
    previousId: message.type === "alias" ? message.previousId : undefined,
    messageId: message.messageId,
    properties: "properties" in message ? message.properties : undefined,
    traits: "traits" in message ? message.traits : undefined,
    context: message.context,
    timestamp: correctedTimestamp({ timestamp: message.timestamp, sentAt: message.sentAt, receivedAt }),
    sentAt: message.sentAt,
    receivedAt,
    approxBytes: bytes,
  };
}

/** A single call (`/v1/<type>`): validated into one event, or an IngestError naming the fields. */
export function eventFromCall(
  type: MessageType,
  body: Record<string, unknown>,
  source: ResolvedSource,
  receivedAt: Date,
): IncomingEvent {
  const parsed = parseMessage(type, body, "");
  if (Array.isArray(parsed)) throw IngestError.invalid(parsed);
  return toIncoming(parsed.message, parsed.bytes, source, receivedAt);
}

/**
 * `/v1/batch`: all or nothing. Every message is validated first; if any is invalid the whole batch is refused
 * with a 400 listing each bad field as `batch.<index>.<field>`, and nothing is published. Batch-level `sentAt`
 * and `context` apply to messages that have none of their own.
 */
export function eventsFromBatch(
  body: Record<string, unknown>,
  source: ResolvedSource,
  receivedAt: Date,
): IncomingEvent[] {
  const envelope = batchEnvelope.safeParse(body);
  if (!envelope.success) throw IngestError.invalid(issuesOf(envelope.error, "", body));
  const issues: FieldIssue[] = [];
  const events: IncomingEvent[] = [];
  envelope.data.batch.forEach((raw, index) => {
    const prefix = `batch.${index}`;
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      issues.push({ field: prefix, message: "must be a JSON object" });
      return;
    }
    const item = raw as Record<string, unknown>;
    const type = item.type;
    if (typeof type !== "string" || !(MESSAGE_TYPES as string[]).includes(type)) {
      issues.push({ field: `${prefix}.type`, message: `must be one of ${MESSAGE_TYPES.join(", ")}` });
      return;
    }
    const withDefaults = {
      ...item,
      sentAt: item.sentAt ?? envelope.data.sentAt?.toISOString(),
      context: item.context ?? envelope.data.context,
    };
    const parsed = parseMessage(type as MessageType, withDefaults, prefix);
    if (Array.isArray(parsed)) issues.push(...parsed);
    else events.push(toIncoming(parsed.message, parsed.bytes, source, receivedAt));
  });
  if (issues.length > 0) throw IngestError.invalid(issues);
  return events;
}

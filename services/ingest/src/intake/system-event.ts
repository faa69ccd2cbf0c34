import { EventType, type SystemEventName } from "@cascade/contracts";
import type { IncomingEvent } from "./incoming-event.js";

/** An event Cascade itself records (webhook, open, click, provider callback), as a track call named from SystemEvents. */
export function systemEvent(fields: {
  workspaceId: string;
  /** Where it came from: a hook id, `email-tracking`, `mailgun`, `twilio`, `social`. */
  sourceId: string;
  event: SystemEventName;
  contactId: string;
  properties: Record<string, unknown>;
  /** Provider event id or delivery id, for de-duplication of redelivered callbacks. */
  messageId?: string;
  /** When it happened (provider time), default now. */
  timestamp?: Date;
  context?: Record<string, unknown>;
}): IncomingEvent {
  const receivedAt = new Date();
  const properties = withoutUndefined(fields.properties);
  return {
    workspaceId: fields.workspaceId,
    sourceId: fields.sourceId,
    type: EventType.TRACK,
    event: fields.event,
    contactId: fields.contactId,
    messageId: fields.messageId,
    properties,
    context: fields.context,
    timestamp: fields.timestamp && !Number.isNaN(fields.timestamp.getTime()) ? fields.timestamp : receivedAt,
    receivedAt,
    approxBytes: Buffer.byteLength(JSON.stringify(properties)) + 256,
  };
}

/** Struct fields cannot hold undefined: drop such keys (one level; nested values come from JSON). */
function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

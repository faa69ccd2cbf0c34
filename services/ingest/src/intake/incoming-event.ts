import {
  create,
  EventSchema,
  newEnvelope,
  timestampFromDate,
  type Event,
  type EventType,
  type JsonObject,
} from "@cascade/contracts";

/**
 * One event accepted by any ingest entry point (tracking API, webhook, open pixel, provider callback), before it
 * becomes an events.v1 message. Timestamps are already corrected for clock skew.
 */
export interface IncomingEvent {
  workspaceId: string;
  /** The source (write key owner), hook or provider the event came through. */
  sourceId: string;
  type: EventType;
  event?: string;
  name?: string;
  category?: string;
  userId?: string;
  anonymousId?: string;
  /** The contact key; default userId ?? anonymousId (identity resolution happens in profiles). */
  contactId?: string;
  groupId?: string;
  previousId?: string;
  /** De-duplication key within the workspace; events without one are never de-duplicated. */
  messageId?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp: Date;
  sentAt?: Date;
  receivedAt: Date;
  /** Approximate size in bytes (for batching produce requests). */
  approxBytes: number;
}

/** The contact an event is keyed by on events.v1: explicit, else the known user, else the anonymous id. */
export function contactIdOf(incoming: Pick<IncomingEvent, "contactId" | "userId" | "anonymousId">): string {
  return incoming.contactId || incoming.userId || incoming.anonymousId || "";
}

/** Builds the events.v1 message. Throws when there is no contact to key it by (callers validate that first). */
export function toEventMessage(incoming: IncomingEvent): Event {
  const contactId = contactIdOf(incoming);
  if (!contactId) throw new Error("an event needs a contact (contactId, userId or anonymousId)");
  return create(EventSchema, {
    envelope: newEnvelope(incoming.workspaceId, incoming.timestamp),
    type: incoming.type,
    event: incoming.event ?? "",
    name: incoming.name ?? "",
    category: incoming.category ?? "",
    contactId,
    userId: incoming.userId ?? "",
    anonymousId: incoming.anonymousId ?? "",
    messageId: incoming.messageId ?? "",
    sourceId: incoming.sourceId,
    groupId: incoming.groupId ?? "",
    previousId: incoming.previousId ?? "",
    properties: incoming.properties as JsonObject | undefined,
    traits: incoming.traits as JsonObject | undefined,
    context: incoming.context as JsonObject | undefined,
    timestamp: timestampFromDate(incoming.timestamp),
    sentAt: incoming.sentAt ? timestampFromDate(incoming.sentAt) : undefined,
    receivedAt: timestampFromDate(incoming.receivedAt),
  });
}

import { EventType, timestampDate, type Event, type JsonObject } from "@cascade/contracts";

/** An events.v1 event as the profiles service uses it: ids, one event name, one time. */
export interface InboundEvent {
  messageId: string;
  workspaceId: string;
  type: EventType;
  /** Normalized name: the track event's name; `page_view`, `screen_view`, `identify`, `alias`, `group` otherwise. */
  name: string;
  /** The key ingest partitioned by (userId ?? anonymousId), or a Cascade contact id from a system event. */
  contactId: string;
  userId: string;
  anonymousId: string;
  /** Alias: the id being linked to userId. */
  previousId: string;
  properties: JsonObject;
  /** Identify traits; undefined for other calls. */
  traits: JsonObject | undefined;
  /** When it happened: the client timestamp, else the envelope's occurred_at. */
  occurredAt: Date;
}

const NAME_OF_TYPE: Readonly<Record<EventType, string>> = {
  [EventType.UNSPECIFIED]: "event",
  [EventType.TRACK]: "track",
  [EventType.IDENTIFY]: "identify",
  [EventType.PAGE]: "page_view",
  [EventType.SCREEN]: "screen_view",
  [EventType.GROUP]: "group",
  [EventType.ALIAS]: "alias",
};

/** Reads an event; undefined when it names no workspace or no person at all (nothing to attribute it to). */
export function toInboundEvent(messageId: string, event: Event): InboundEvent | undefined {
  const workspaceId = event.envelope?.workspace ?? "";
  if (!workspaceId || !(event.contactId || event.userId || event.anonymousId)) return undefined;
  const occurredAt = event.timestamp
    ? timestampDate(event.timestamp)
    : event.envelope?.occurredAt
      ? timestampDate(event.envelope.occurredAt)
      : new Date();
  return {
    messageId,
    workspaceId,
    type: event.type,
    name: (event.type === EventType.TRACK && event.event) || NAME_OF_TYPE[event.type] || event.event,
    contactId: event.contactId,
    userId: event.userId,
    anonymousId: event.anonymousId,
    previousId: event.type === EventType.ALIAS ? event.previousId : "",
    properties: event.properties ?? {},
    traits: event.type === EventType.IDENTIFY ? (event.traits ?? {}) : undefined,
    occurredAt: Number.isNaN(occurredAt.getTime()) ? new Date() : occurredAt,
  };
}

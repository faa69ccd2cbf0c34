import { EventType, SystemEvents, timestampDate, type Event, type JsonObject } from "@cascade/contracts";
import type { EventView } from "./evaluation-context.js";

/** An events.v1 event as the triggers service uses it. */
export interface InboundEvent {
  /** Envelope id: the idempotency key of everything the event causes. */
  readonly messageId: string;
  readonly workspaceId: string;
  readonly contactId: string;
  /** The track event's name; `page_view`, `screen_view`, `identify`, `group`, `alias` for the other calls. */
  readonly name: string;
  /** Event time: the client timestamp, else when the fact happened (envelope occurred_at). */
  readonly occurredAt: Date;
  readonly properties: JsonObject;
  readonly context: JsonObject;
  /** Page URL, lower-cased (properties.url, else context.page.url). */
  readonly lowerUrl?: string;
  /** webhook_received: the hook id (properties.hook_id). */
  readonly hookId?: string;
  /** Time on page in ms (properties.time_on_page_ms, else properties.time_on_page in seconds). */
  readonly timeOnPageMs?: number;
}

export type SkipReason = "missing_workspace" | "missing_contact" | "missing_name" | "missing_event_time";

export type ReadEventResult =
  { readonly ok: true; readonly event: InboundEvent } | { readonly ok: false; readonly reason: SkipReason };

const NAME_OF_TYPE: Readonly<Record<EventType, string>> = {
  [EventType.UNSPECIFIED]: "",
  [EventType.TRACK]: "",
  [EventType.IDENTIFY]: "identify",
  [EventType.PAGE]: "page_view",
  [EventType.SCREEN]: "screen_view",
  [EventType.GROUP]: "group",
  [EventType.ALIAS]: "alias",
};

const stringAt = (object: JsonObject | undefined, key: string): string | undefined => {
  const value = object?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
};
const numberAt = (object: JsonObject | undefined, key: string): number | undefined => {
  const value = object?.[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
};
const objectAt = (object: JsonObject | undefined, key: string): JsonObject | undefined => {
  const value = object?.[key];
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : undefined;
};

/** Reads an events.v1 event; an event lacking what triggers need is refused with the reason (never thrown). */
export function readInboundEvent(messageId: string, event: Event): ReadEventResult {
  const workspaceId = event.envelope?.workspace ?? "";
  if (!workspaceId) return { ok: false, reason: "missing_workspace" };
  if (!event.contactId) return { ok: false, reason: "missing_contact" };
  const name =
    event.type === EventType.TRACK || event.type === EventType.UNSPECIFIED ? event.event : NAME_OF_TYPE[event.type];
  if (!name) return { ok: false, reason: "missing_name" };
  const time = event.timestamp ?? event.envelope?.occurredAt ?? event.receivedAt;
  const occurredAt = time ? timestampDate(time) : undefined;
  if (!occurredAt || Number.isNaN(occurredAt.getTime())) return { ok: false, reason: "missing_event_time" };

  const properties = event.properties ?? {};
  const context = event.context ?? {};
  const url = stringAt(properties, "url") ?? stringAt(objectAt(context, "page"), "url");
  const timeOnPageMs = numberAt(properties, "time_on_page_ms") ?? scaled(numberAt(properties, "time_on_page"), 1000);
  return {
    ok: true,
    event: {
      messageId,
      workspaceId,
      contactId: event.contactId,
      name,
      occurredAt,
      properties,
      context,
      lowerUrl: url?.toLowerCase(),
      hookId: name === SystemEvents.WebhookReceived ? stringAt(properties, "hook_id") : undefined,
      timeOnPageMs,
    },
  };
}

const scaled = (value: number | undefined, factor: number): number | undefined =>
  value === undefined ? undefined : value * factor;

/** The event as expressions read it. */
export function eventViewOf(event: InboundEvent): EventView {
  return {
    id: event.messageId,
    name: event.name,
    timestamp: event.occurredAt.toISOString(),
    properties: event.properties,
    context: event.context,
  };
}
